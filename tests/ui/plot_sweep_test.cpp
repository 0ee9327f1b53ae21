// plot_sweep_test.cpp: the throughput-vs-workers plot: the verdict read from the data,
// the sweep filled in the background, and the plot drawn with its hover.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "tests/ui/imgui_harness.h"
#include "ui/model/sweep.h"
#include "ui/views/plot_view.h"

namespace goscope {
namespace {

using test::ImGuiHarness;

// cpu_series: one worker does 100 jobs/s; at most `procs` work at once.
SweepSeries cpu_series(int procs, int64_t max_workers = 32) {
  SweepSeries s{.label = "cpu-bound", .kind = WorkKind::cpu, .points = {}};
  for (int64_t w = 1; w <= max_workers; ++w) {
    const double busy = static_cast<double>(std::min<int64_t>(w, procs));
    s.points.push_back({w, 100.0 * busy, busy / procs, static_cast<int64_t>(64e9 / (100.0 * busy))});
  }
  return s;
}

// io_series: waiting workers hold no processor, so every worker adds 100 jobs/s.
SweepSeries io_series(int64_t max_workers = 32, int64_t jobs = 1 << 20) {
  SweepSeries s{.label = "io-bound", .kind = WorkKind::io, .points = {}};
  for (int64_t w = 1; w <= max_workers; ++w) {
    // ceil(jobs / w) rounds of 10 ms each.
    const double rounds = std::ceil(static_cast<double>(jobs) / static_cast<double>(w));
    s.points.push_back({w, static_cast<double>(jobs) / (rounds * 0.01), 0.02, static_cast<int64_t>(rounds * 1e7)});
  }
  return s;
}

SweepResult fan_out(int procs) {
  return SweepResult{.param = "workers", .items = "jobs", .procs = procs, .series = {cpu_series(procs), io_series()}};
}

TEST(SweepVerdict, CpuBoundStopsRisingAtProcs) {
  const SweepResult s = fan_out(4);
  EXPECT_EQ(knee_index(s.series[0].points), 3u);
  EXPECT_EQ(sweep_verdict(s.series[0], s),
            "CPU-bound: throughput stops rising at 4 workers = procs; adding more only adds waiting.");
}

TEST(SweepVerdict, CpuBoundNamesTheKneeWhenItIsNotProcs) {
  SweepResult s = fan_out(4);
  s.procs = 8;  // the data says 4: the sentence follows the data and shows procs beside it
  EXPECT_EQ(sweep_verdict(s.series[0], s),
            "CPU-bound: throughput stops rising at 4 workers (procs = 8); adding more only adds waiting.");
  s.series[0] = cpu_series(1);
  s.procs = 1;
  EXPECT_EQ(sweep_verdict(s.series[0], s),
            "CPU-bound: throughput stops rising at 1 worker = procs; adding more only adds waiting.");
}

TEST(SweepVerdict, IoBoundKeepsRising) {
  const SweepResult s = fan_out(4);
  EXPECT_EQ(knee_index(s.series[1].points), 31u);
  EXPECT_EQ(sweep_verdict(s.series[1], s),
            "I/O-bound: throughput keeps rising up to 32 workers: waiting workers hold no processor.");
}

TEST(SweepVerdict, IoBoundStopsWhenWorkersOutnumberTheWork) {
  // 40 jobs: from 20 workers on every job is in the last of two rounds.
  SweepResult s = fan_out(4);
  s.series[1] = io_series(32, 40);
  EXPECT_EQ(s.series[1].points[knee_index(s.series[1].points)].value, 20);
  EXPECT_EQ(sweep_verdict(s.series[1], s),
            "I/O-bound: throughput stops rising at 20 workers; adding more only adds waiting.");
}

TEST(SweepVerdict, OtherSeriesAndTooFewPoints) {
  SweepResult s{.param = "producers", .items = "messages", .procs = 2, .series = {}};
  SweepSeries flat{.label = "fan-in", .kind = WorkKind::other, .points = {{1, 500, 1, 0}, {2, 505, 1, 0}, {3, 499, 1, 0}}};
  EXPECT_EQ(sweep_verdict(flat, s), "fan-in: throughput stops rising at 1 producer; adding more only adds waiting.");
  SweepSeries one{.label = "x", .kind = WorkKind::cpu, .points = {{1, 100, 1, 0}}};
  EXPECT_EQ(sweep_verdict(one, s), "");
  EXPECT_EQ(knee_index({}), 0u);
}

TEST(SweepJob, RunsEveryPointOfEverySeriesInOrder) {
  SweepResult shape = fan_out(4);
  std::vector<std::pair<std::size_t, int64_t>> calls;
  SweepJob job(shape, sweep_values(1, 8), [&](std::size_t series, int64_t v) {
    calls.push_back({series, v});
    return SweepPoint{0, 10.0 * static_cast<double>(v) * static_cast<double>(series + 1), 0.5, 1000};
  });
  EXPECT_FALSE(job.done());
  EXPECT_DOUBLE_EQ(job.progress(), 0.0);
  job.run_here();
  EXPECT_TRUE(job.done());
  ASSERT_EQ(calls.size(), 16u);
  EXPECT_EQ(calls.front(), (std::pair<std::size_t, int64_t>{0, 1}));
  EXPECT_EQ(calls.back(), (std::pair<std::size_t, int64_t>{1, 8}));
  const SweepResult r = job.snapshot();
  ASSERT_EQ(r.series.size(), 2u);
  ASSERT_EQ(r.series[1].points.size(), 8u);
  EXPECT_EQ(r.series[1].points[7].value, 8);  // the job stamps the value
  EXPECT_DOUBLE_EQ(r.series[1].points[7].throughput_per_s, 160.0);
}

TEST(SweepJob, RunsInTheBackgroundAndCanBeCancelled) {
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  {
    SweepJob job(fan_out(2), sweep_values(1, 100), [&](std::size_t, int64_t) {
      ++runs;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
      return SweepPoint{};
    });
    job.start();
    while (runs.load() == 0) std::this_thread::yield();
    EXPECT_FALSE(job.done());
    EXPECT_LT(job.snapshot().series[0].points.size(), 100u);
    job.cancel();
    release = true;
  }  // the destructor joins after the run in progress
  EXPECT_LE(runs.load(), 2);
}

struct PlotWindow {
  ImGuiHarness ui{ImVec2(900, 600)};
  ui::PlotFrame last;
  SweepResult sweep = fan_out(4);
  ui::PlotOptions options{.current = 4, .height = 0, .utilisation = true};
  std::function<void()> draw() {
    return [this] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(900, 600));
      ImGui::Begin("Stats", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
      last = ui::draw_sweep_plot(sweep, options);
      ImGui::End();
    };
  }
};

TEST(SweepPlot, DrawsBothSeriesAndTheirVerdicts) {
  PlotWindow w;
  w.ui.frame(w.draw());
  EXPECT_EQ(w.last.points_drawn, 64u);
  ASSERT_EQ(w.last.verdicts.size(), 2u);
  EXPECT_EQ(w.last.verdicts[0], "CPU-bound: throughput stops rising at 4 workers = procs; adding more only adds waiting.");
  EXPECT_GE(w.last.y_max, 3200.0);  // the axis reaches the best point
  EXPECT_GT(w.last.plot_max.x - w.last.plot_min.x, 600);
  EXPECT_GT(w.ui.vertex_count(), 500u);
}

TEST(SweepPlot, HoverPicksThePointUnderTheMouse) {
  PlotWindow w;
  w.ui.frame(w.draw());
  // io-bound at 16 workers: 1600 jobs/s.
  const float x = ui::x_of_value(16, 1, 32, w.last.plot_min.x + 6, w.last.plot_max.x - 6);
  const float y = w.last.plot_max.y - static_cast<float>(1600.0 / w.last.y_max) * (w.last.plot_max.y - w.last.plot_min.y);
  w.ui.move_mouse(ImVec2(x + 1, y - 1));
  w.ui.frame(w.draw());
  ASSERT_EQ(w.last.hover.series, 1);
  EXPECT_EQ(w.last.hover.value.value, 16);
  EXPECT_DOUBLE_EQ(w.last.hover.value.throughput_per_s, 1600.0);
  // Near the bottom at the same x, the cpu-bound point (400 jobs/s) is the nearer one.
  w.ui.move_mouse(ImVec2(x, w.last.plot_max.y - 5));
  w.ui.frame(w.draw());
  EXPECT_EQ(w.last.hover.series, 0);
  EXPECT_EQ(w.last.hover.value.value, 16);
}

TEST(SweepPlot, AnEmptySweepSaysSoAndDrawsNoPoints) {
  PlotWindow w;
  w.sweep.series[0].points.clear();
  w.sweep.series[1].points.clear();
  w.ui.frame(w.draw());
  EXPECT_EQ(w.last.points_drawn, 0u);
  EXPECT_TRUE(w.last.verdicts.empty());
}

TEST(SweepPlotPanel, RunsTheSourceOnceAndAgainWhenItsKeyChanges) {
  ImGuiHarness ui(ImVec2(900, 600));
  ui::SweepPlotPanel panel;
  std::atomic<int> runs{0};
  ui::SweepSource src{.key = "a", .shape = fan_out(4), .values = sweep_values(1, 6),
                      .run = [&](std::size_t series, int64_t v) {
                        ++runs;
                        return SweepPoint{v, series == 0 ? 100.0 * static_cast<double>(std::min<int64_t>(v, 4))
                                                         : 100.0 * static_cast<double>(v),
                                          0.5, 1};
                      },
                      .current = 3};
  ui::PlotFrame f;
  auto draw = [&] {
    ImGui::Begin("Stats");
    f = panel.draw(&src);
    ImGui::End();
  };
  ui.frame(draw);
  panel.wait();
  ui.frame(draw);
  EXPECT_EQ(runs.load(), 12);
  EXPECT_EQ(f.points_drawn, 12u);
  ui.frame(draw);
  EXPECT_EQ(runs.load(), 12);  // cached
  src.key = "b";
  ui.frame(draw);
  panel.wait();
  EXPECT_EQ(runs.load(), 24);
  auto none = [&] {
    ImGui::Begin("Stats");
    f = panel.draw(nullptr);
    ImGui::End();
  };
  ui.frame(none);
  EXPECT_EQ(f.points_drawn, 0u);
}

}  // namespace
}  // namespace goscope
