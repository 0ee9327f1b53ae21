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
  EXPECT_EQ(sweep_verdict(flat, s),
            "fan-in: throughput hardly rises with producers (never twice one producer's); adding more only adds waiting.");
  SweepSeries one{.label = "x", .kind = WorkKind::cpu, .points = {{1, 100, 1, 0}}};
  EXPECT_EQ(sweep_verdict(one, s), "");
  EXPECT_EQ(knee_index({}), 0u);
}

// fan_in_like: one consumer sets the pace; more producers only amortise start-up, with
// a little noise per seed, so the best point wanders.
SweepSeries fan_in_like(int64_t max_producers, unsigned seed) {
  SweepSeries s{.label = "fan-in", .kind = WorkKind::other, .points = {}};
  for (int64_t p = 1; p <= max_producers; ++p) {
    const double noise = 1.0 + 0.01 * static_cast<double>((p * 7 + seed * 13) % 5) - 0.02;
    s.points.push_back({p, 3.2e6 * (1.0 - 0.3 / static_cast<double>(p)) * noise, 1, 1000});
  }
  return s;
}

TEST(SweepVerdict, AFlatCurveGivesOneVerdictWhateverTheRangeOrSeed) {
  // Before: "stops rising at 7 producers", then 8, then 2, as noise and range moved the best point.
  const SweepResult shape{.param = "producers", .items = "messages", .procs = 4, .series = {}};
  const std::string want =
      "fan-in: throughput hardly rises with producers (never twice one producer's); adding more only adds waiting.";
  for (int64_t range : {16, 32, 48, 64}) {
    for (unsigned seed = 0; seed < 5; ++seed) {
      SCOPED_TRACE(std::to_string(range) + " seed " + std::to_string(seed));
      const SweepSeries s = fan_in_like(range, seed);
      EXPECT_EQ(knee_index(s.points), 0u);
      EXPECT_EQ(sweep_verdict(s, shape), want);
    }
  }
}

TEST(SweepVerdict, SpeedupsAreOverTheFirstPoint) {
  const SweepResult s = fan_out(4);
  const std::vector<double> cpu = speedups(s.series[0]);
  ASSERT_EQ(cpu.size(), 32u);
  EXPECT_DOUBLE_EQ(cpu[0], 1.0);
  EXPECT_DOUBLE_EQ(cpu[3], 4.0);
  EXPECT_DOUBLE_EQ(cpu[31], 4.0);
  EXPECT_DOUBLE_EQ(speedups(s.series[1])[15], 16.0);
  EXPECT_TRUE(speedups(SweepSeries{}).empty());
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
  EXPECT_DOUBLE_EQ(w.last.y_max, 32.0);  // speed-up: the axis reaches the ideal at 32 workers
  EXPECT_DOUBLE_EQ(w.last.y_lo, 1.0);
  EXPECT_GT(w.last.plot_max.x - w.last.plot_min.x, 600);
  EXPECT_GT(w.ui.vertex_count(), 500u);
}

TEST(SweepPlot, HoverPicksThePointUnderTheMouse) {
  PlotWindow w;
  w.ui.frame(w.draw());
  // io-bound at 16 workers: 1600 jobs/s, 16x one worker.
  const float x = ui::x_of_value(16, 1, 32, w.last.plot_min.x + 6, w.last.plot_max.x - 6);
  const float y = ui::x_of_value(16, w.last.y_lo, w.last.y_max, w.last.plot_max.y, w.last.plot_min.y);
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

TEST(SweepPlot, TheCpuBoundKneeIsMarkedAtProcsAndStandsClearOfTheAxis) {
  PlotWindow w;
  w.ui.frame(w.draw());
  ASSERT_EQ(w.last.knees.size(), 1u);  // io-bound keeps rising: no knee
  EXPECT_EQ(w.last.knees[0].series, 0u);
  EXPECT_EQ(w.last.knees[0].value, 4);
  // Speed-up on doubling axes: the cpu-bound curve at 4x sits well up the axis (it was a
  // few pixels over the bottom when plotted as jobs/s beside a 20x higher io curve).
  const float h = w.last.plot_max.y - w.last.plot_min.y;
  const float y4 = ui::x_of_value(4, w.last.y_lo, w.last.y_max, w.last.plot_max.y, w.last.plot_min.y);
  EXPECT_GT(w.last.plot_max.y - y4, h * 0.3f);
  bool named = false;
  for (const ui::PlotLabel& l : w.last.labels) named |= l.text == "knee 4";
  EXPECT_TRUE(named);
}

TEST(SweepPlot, BothAxesAreLabelledAndNoTextLiesInsideTheAxesBox) {
  for (int64_t current : {4, 32, 64}) {
    SCOPED_TRACE(current);
    PlotWindow w;
    w.options.current = current;
    w.ui.frame(w.draw());
    bool speedup_title = false, busy_title = false, param_title = false, now = false;
    for (const ui::PlotLabel& l : w.last.labels) {
      SCOPED_TRACE(l.text);
      speedup_title |= l.text == "speed-up over 1 worker";
      busy_title |= l.text.find("busy") != std::string::npos;
      param_title |= l.text.find("workers") == 0;
      now |= l.text == "now " + std::to_string(current);
      const bool inside = l.max.x > w.last.plot_min.x + 1 && l.min.x < w.last.plot_max.x - 1 &&
                          l.max.y > w.last.plot_min.y + 1 && l.min.y < w.last.plot_max.y - 1;
      EXPECT_FALSE(inside) << l.min.x << "," << l.min.y << " .. " << l.max.x << "," << l.max.y;
    }
    EXPECT_TRUE(speedup_title);
    EXPECT_TRUE(busy_title);
    EXPECT_TRUE(param_title);
    EXPECT_TRUE(now);
    EXPECT_DOUBLE_EQ(w.last.x_hi, static_cast<double>(std::max<int64_t>(32, current)));
  }
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

TEST(SweepPlotPanel, EnlargeOpensThePlotInAWindowOfItsOwn) {
  ImGuiHarness ui(ImVec2(1200, 800));
  ui::SweepPlotPanel panel;
  ui::SweepSource src{.key = "a", .shape = fan_out(4), .values = sweep_values(1, 8),
                      .run = [](std::size_t series, int64_t v) {
                        return SweepPoint{v, series == 0 ? 100.0 * static_cast<double>(std::min<int64_t>(v, 4))
                                                         : 100.0 * static_cast<double>(v),
                                          0.5, 1};
                      },
                      .current = 3};
  auto draw = [&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(500, 400));
    ImGui::Begin("Stats");
    panel.draw(&src);
    ImGui::End();
  };
  ui.frame(draw);
  panel.wait();
  ImDrawData* d = ui.frame(draw);
  const int lists = d->CmdListsCount;
  EXPECT_FALSE(panel.enlarged());
  panel.set_enlarged(true);
  ui.frame(draw);
  d = ui.frame(draw);
  EXPECT_GT(d->CmdListsCount, lists);
  EXPECT_TRUE(panel.enlarged());
}

}  // namespace
}  // namespace goscope
