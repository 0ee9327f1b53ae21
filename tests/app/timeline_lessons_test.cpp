// timeline_lessons_test.cpp: the timeline and stats panels on every real lesson, and the
// throughput sweep of fan-out and fan-in run for real (deterministic mode), drawn in
// the window-less harness.
#include <gtest/gtest.h>

#include <string>

#include "app/cli.h"
#include "app/lesson_player.h"
#include "app/lesson_sweep.h"
#include "lessons/lesson.h"
#include "tests/ui/imgui_harness.h"
#include "ui/views/app_shell.h"
#include "ui/views/player.h"
#include "ui/views/timeline_panels.h"

namespace goscope {
namespace {

using test::ImGuiHarness;

class TimelineOfEveryLesson : public ::testing::TestWithParam<std::string> {};

TEST_P(TimelineOfEveryLesson, HasALanePerGoroutineDrawsThemAndAClickSeeksThePlayer) {
  ImGuiHarness ui;
  app::Options options;
  options.lesson = GetParam();
  std::unique_ptr<ui::Player> player = app::make_player(options);
  ASSERT_GT(player->size(), 0u);
  player->seek_end();
  player->pause();
  ui::AppShell shell;
  player->attach(shell);
  ui::RunPanels panels(*player, app::measure_run);
  panels.attach(shell);
  for (int frame = 0; frame < 2; ++frame) ui.frame([&] { ui::draw_app_shell(shell); });

  const Timeline& tl = panels.timeline();
  EXPECT_EQ(tl.lanes.size(), player->model().final_state().goroutines.size());
  ASSERT_FALSE(tl.lanes.empty());
  EXPECT_STREQ(tl.lanes[0].name, "main");
  for (const GoroutineLane& lane : tl.lanes) {
    ASSERT_FALSE(lane.segments.empty()) << lane.name;
    EXPECT_LE(lane.segments.back().t1, tl.end) << lane.name;
  }
  const ui::TimelineFrame& f = panels.last_timeline_frame();
  EXPECT_GT(f.rows_drawn, 0);
  EXPECT_GT(f.rects, 0u);
  EXPECT_EQ(panels.stats().goroutine_stats.size(), tl.lanes.size());

  // A click at the middle of the run's time moves the player there.
  const ui::TimelineView& view = panels.timeline_view();
  const double mid = (tl.begin + tl.end) / 2.0;
  const float x = static_cast<float>(view.viewport.x_of(mid));
  ui.click(ImVec2(x, panels.timeline_view().lane_center_y(0)), [&] { ui::draw_app_shell(shell); });
  EXPECT_LT(player->playhead(), player->size());
  const auto events = player->model().events();
  if (player->playhead() > 0) {
    EXPECT_LE(static_cast<double>(events[player->playhead() - 1].ts), mid + view.viewport.ns_per_px());
  }
}

// The select lesson's main waits in `select { fast, slow, timeout }`: the timeline must
// name the case that fired (the channel main then received from), whatever the seed; the
// runtime parks a select on whichever case it tried first, which is not it.
TEST(SelectLessonTimeline, NamesTheCasesAndTheOneThatFiredForEverySeed) {
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    app::Options options;
    options.lesson = "select";
    options.seed = seed;
    std::unique_ptr<ui::Player> player = app::make_player(options);
    ASSERT_GT(player->size(), 0u);
    const Timeline tl = build_timeline(player->model());
    ASSERT_FALSE(tl.lanes.empty());
    const GoroutineLane& main = tl.lanes[0];
    ASSERT_STREQ(main.name, "main");
    const auto events = player->model().events();
    int waits = 0;
    for (const TimelineSegment& s : main.segments) {
      if (style_of(s) != SegmentStyle::blocked_select) continue;
      ++waits;
      const SelectWaitText w = select_wait_text(tl, s);
      EXPECT_EQ(w.cases, "fast | slow | time.After");
      // The case that fired is the channel of main's next receive.
      const Event* recv = nullptr;
      for (std::size_t i = s.event; i < events.size() && !recv; ++i)
        if (events[i].g == main.g && events[i].kind == EventKind::ChanRecv) recv = &events[i];
      ASSERT_NE(recv, nullptr);
      EXPECT_EQ(s.obj, recv->obj);
      ASSERT_GE(s.select_case, 0);
      const char* expected[] = {"fast", "slow", "time.After"};
      ASSERT_LT(s.select_case, 3);
      EXPECT_EQ(w.fired, std::string(expected[s.select_case]) + " (case " + std::to_string(s.select_case) + ")");
      if (waits == 1) {
        // fast 1 comes at 100 ms, before slow (250 ms) and the timeout (500 ms).
        EXPECT_EQ(w.fired, "fast (case 0)");
        EXPECT_STREQ(tl.lane(s.partner)->name, "sender 1");
      }
    }
    EXPECT_GE(waits, 4);  // fast 1, fast 2, slow 1, fast 3, then the timeout
  }
}

std::vector<std::string> lesson_ids() {
  std::vector<std::string> ids;
  for (const lessons::Lesson& l : lessons::all()) ids.push_back(l.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Lessons, TimelineOfEveryLesson, ::testing::ValuesIn(lesson_ids()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

ui::RunRequest request(const std::string& lesson, int procs, std::map<std::string, int64_t> params = {}) {
  ui::RunRequest r;
  r.lesson = lesson;
  r.procs = procs;
  r.params = std::move(params);
  return r;
}

TEST(FanOutSweep, SaysCpuBoundStopsAtProcsAndIoBoundKeepsRising) {
  const ui::RunMeasures m = app::measure_run(request("fan-out", 4));
  EXPECT_EQ(m.items_name, "jobs");
  EXPECT_EQ(m.items, 40);
  ASSERT_TRUE(m.sweep.has_value());
  const ui::SweepSource& src = *m.sweep;
  EXPECT_EQ(src.shape.param, "workers");
  EXPECT_EQ(src.current, 4);
  ASSERT_EQ(src.shape.series.size(), 2u);
  EXPECT_EQ(src.shape.series[0].kind, WorkKind::cpu);
  EXPECT_EQ(src.shape.series[1].kind, WorkKind::io);
  EXPECT_EQ(src.values.front(), 1);
  EXPECT_EQ(src.values.back(), 64);  // the slider's whole range

  SweepJob job(src.shape, src.values, src.run);
  job.run_here();
  const SweepResult r = job.snapshot();
  EXPECT_EQ(sweep_verdict(r.series[0], r),
            "CPU-bound: throughput stops rising at 4 workers = procs; adding more only adds waiting.");
  EXPECT_EQ(sweep_verdict(r.series[1], r),
            "I/O-bound: throughput keeps rising up to 64 workers: waiting workers hold no processor.");
  // Utilisation: cpu-bound work fills the processors from 4 workers on; waiting does not.
  EXPECT_GT(r.series[0].points[7].utilisation, 0.9);
  EXPECT_LT(r.series[1].points[7].utilisation, 0.2);
}

TEST(FanOutSweep, RunsBesideTheUiThreadsOwnRunsAndGivesTheSameCurve) {
  // The app sweeps on a background thread while the player may re-run a lesson on the
  // UI thread: two runtimes at once, one per thread. Deterministic runs must not notice.
  const ui::RunMeasures m = app::measure_run(request("fan-out", 4));
  ASSERT_TRUE(m.sweep.has_value());
  SweepJob alone(m.sweep->shape, sweep_values(1, 12), m.sweep->run);
  alone.run_here();
  SweepJob beside(m.sweep->shape, sweep_values(1, 12), m.sweep->run);
  beside.start();
  int runs = 0;
  while (!beside.done() || runs < 3) {
    ui::RunRequest r = request("fan-out", 2, {{"workers", 8}});
    const ui::RunRecording rec = app::record_lesson(r);
    ASSERT_TRUE(rec.error.empty()) << rec.error;
    ASSERT_FALSE(rec.events.empty());
    ++runs;
  }
  beside.run_here();  // joins
  const SweepResult a = alone.snapshot(), b = beside.snapshot();
  for (std::size_t s = 0; s < a.series.size(); ++s) {
    ASSERT_EQ(a.series[s].points.size(), b.series[s].points.size());
    for (std::size_t i = 0; i < a.series[s].points.size(); ++i) {
      EXPECT_EQ(a.series[s].points[i].elapsed_ns, b.series[s].points[i].elapsed_ns) << s << " " << i;
      EXPECT_DOUBLE_EQ(a.series[s].points[i].utilisation, b.series[s].points[i].utilisation) << s << " " << i;
    }
  }
}

TEST(FanOutSweep, ReachesTheCurrentSettingAndCapsTheJobs) {
  const ui::RunMeasures m = app::measure_run(request("fan-out", 2, {{"workers", 48}, {"jobs", 100000}}));
  ASSERT_TRUE(m.sweep.has_value());
  EXPECT_EQ(m.items, 100000);
  EXPECT_EQ(m.sweep->values.back(), 64);
  EXPECT_NE(m.sweep->shape.note.find("256 jobs"), std::string::npos) << m.sweep->shape.note;
  // Another setting of anything but the swept parameter is another sweep.
  const ui::RunMeasures other = app::measure_run(request("fan-out", 2, {{"workers", 8}, {"jobs", 100000}}));
  EXPECT_EQ(other.sweep->key, m.sweep->key);
  const ui::RunMeasures buffered = app::measure_run(request("fan-out", 2, {{"buffer", 0}}));
  EXPECT_NE(buffered.sweep->key, m.sweep->key);
}

TEST(FanOutSweep, AfterTheSliderMovesTo64TheSweepReaches64AndItsKeyNamesTheRange) {
  // Before: the sweep ran to max(32, workers) under a key without the range, so a sweep
  // made at workers=4 (1..32) was kept after the slider moved to 64.
  for (const char* lesson : {"fan-out", "fan-in"}) {
    SCOPED_TRACE(lesson);
    const std::string param = std::string(lesson) == "fan-out" ? "workers" : "producers";
    const ui::RunMeasures low = app::measure_run(request(lesson, 4, {{param, 4}}));
    const ui::RunMeasures high = app::measure_run(request(lesson, 4, {{param, 64}}));
    ASSERT_TRUE(low.sweep && high.sweep);
    EXPECT_EQ(high.sweep->current, 64);
    EXPECT_EQ(high.sweep->values.front(), 1);
    EXPECT_EQ(high.sweep->values.back(), 64);
    EXPECT_EQ(low.sweep->values, high.sweep->values);  // so the same key is right
    EXPECT_EQ(low.sweep->key, high.sweep->key);
    EXPECT_NE(high.sweep->key.find(param + "=1..64"), std::string::npos) << high.sweep->key;
    // The run's own seed does not change the sweep (it uses fixed seeds).
    ui::RunRequest other_seed = request(lesson, 4, {{param, 64}});
    other_seed.seed = 99;
    EXPECT_EQ(app::measure_run(other_seed).sweep->key, high.sweep->key);
  }
}

TEST(FanOutSweep, TheCpuBoundKneeIsProcs) {
  for (int procs : {1, 2, 4, 8}) {
    SCOPED_TRACE(procs);
    const ui::RunMeasures m = app::measure_run(request("fan-out", procs));
    ASSERT_TRUE(m.sweep.has_value());
    SweepResult shape = m.sweep->shape;
    shape.series.resize(1);  // cpu-bound only
    ASSERT_EQ(shape.series[0].kind, WorkKind::cpu);
    SweepJob job(shape, m.sweep->values, m.sweep->run);
    job.run_here();
    const SweepResult r = job.snapshot();
    EXPECT_EQ(r.series[0].points[knee_index(r.series[0].points)].value, procs);
    EXPECT_NE(sweep_verdict(r.series[0], r).find("at " + std::to_string(procs) + " worker"), std::string::npos)
        << sweep_verdict(r.series[0], r);
  }
}

TEST(FanInSweep, TheVerdictIsTheSameForEverySweepAndSeed) {
  // Before: "stops rising at 7 producers", then 8, then 2.
  std::string first;
  for (uint64_t seed : {1, 2, 3, 4}) {
    for (int64_t messages : {1, 4, 32}) {
      SCOPED_TRACE(std::to_string(seed) + " messages " + std::to_string(messages));
      ui::RunRequest req = request("fan-in", 4, {{"messages", messages}});
      req.seed = seed;
      const ui::RunMeasures m = app::measure_run(req);
      ASSERT_TRUE(m.sweep.has_value());
      SweepJob job(m.sweep->shape, m.sweep->values, m.sweep->run);
      job.run_here();
      const SweepResult r = job.snapshot();
      const std::string v = sweep_verdict(r.series[0], r);
      EXPECT_EQ(v.find("fan-in: throughput hardly rises with producers (never twice one producer's)"), 0u) << v;
      if (messages == 4) {
        if (first.empty()) first = v;
        EXPECT_EQ(v, first);
      }
    }
  }
}

TEST(FanOutSweep, TheVerdictsAreTheSameForEverySeed) {
  std::vector<std::string> first;
  for (uint64_t seed : {1, 7, 42}) {
    SCOPED_TRACE(seed);
    ui::RunRequest req = request("fan-out", 4);
    req.seed = seed;
    const ui::RunMeasures m = app::measure_run(req);
    SweepJob job(m.sweep->shape, m.sweep->values, m.sweep->run);
    job.run_here();
    const SweepResult r = job.snapshot();
    std::vector<std::string> v{sweep_verdict(r.series[0], r), sweep_verdict(r.series[1], r)};
    if (first.empty()) first = v;
    EXPECT_EQ(v, first);
  }
  // And each seed alone (the runs the median is taken over) says the same.
  const lessons::Lesson& fan_out = *lessons::find("fan-out");
  lessons::Params p = lessons::defaults(fan_out);
  p["jobs"] = 256;
  for (uint64_t seed : app::kSweepSeeds) {
    SweepSeries cpu{.label = "cpu-bound", .kind = WorkKind::cpu, .points = {}};
    for (int64_t w = 1; w <= 16; ++w) {
      p["workers"] = w;
      SweepPoint pt = app::sweep_point(fan_out, p, 4, seed);
      pt.value = w;
      cpu.points.push_back(pt);
    }
    EXPECT_EQ(cpu.points[knee_index(cpu.points)].value, 4) << seed;
  }
}

TEST(FanInSweep, SweepsProducers) {
  const ui::RunMeasures m = app::measure_run(request("fan-in", 2));
  ASSERT_TRUE(m.sweep.has_value());
  EXPECT_EQ(m.sweep->shape.param, "producers");
  EXPECT_EQ(m.sweep->shape.series.size(), 1u);
  SweepJob job(m.sweep->shape, sweep_values(1, 4), m.sweep->run);
  job.run_here();
  const SweepResult r = job.snapshot();
  ASSERT_EQ(r.series[0].points.size(), 4u);
  for (const SweepPoint& p : r.series[0].points) EXPECT_GT(p.throughput_per_s, 0) << p.value;
}

TEST(LessonsWithoutThroughput, HaveNoSweep) {
  const ui::RunMeasures m = app::measure_run(request("hello-goroutine", 2));
  EXPECT_TRUE(m.items_name.empty());
  EXPECT_FALSE(m.sweep.has_value());
}

}  // namespace
}  // namespace goscope
