// lesson_runs_test.cpp: every lesson, run on goscope's runtime, ends the way its Go twin
// does and prints what its Go twin prints: on fifty seeds in the deterministic mode and
// on 1, 2 and 4 worker threads in real mode.
#include <gtest/gtest.h>

#include "core/recorder.h"
#include "lesson_test_support.h"

namespace goscope::lessons {
namespace {

using namespace testing;

class EveryLesson : public ::testing::TestWithParam<std::string> {
 protected:
  const Lesson& lesson() const { return lesson_or_die(GetParam()); }
};

TEST_P(EveryLesson, ExpectedOutputForTheDefaultsIsWhatTheGoTwinPrinted) {
  // The recorded file is the Go twin's own output; the formula covers other parameters.
  EXPECT_TRUE(same_lines(expected_output(GetParam(), defaults(lesson())), recorded_output(GetParam()),
                         /*ordered=*/true));
}

TEST_P(EveryLesson, DeterministicModePrintsTheRecordedOutputOnFiftySeeds) {
  const std::vector<std::string> expected = recorded_output(GetParam());
  for (int procs : {1, 2, 4}) {
    for (uint64_t seed = 1; seed <= 50; seed++) {
      SCOPED_TRACE("procs " + std::to_string(procs) + " seed " + std::to_string(seed));
      Outcome out = run_lesson(lesson(), defaults(lesson()), deterministic(procs, seed));
      ASSERT_EQ(out.kind, expected_kind(GetParam())) << out.report();
      ASSERT_TRUE(same_lines(out.output, expected, /*ordered=*/true));
    }
  }
}

TEST_P(EveryLesson, SameSeedSameRun) {
  for (uint64_t seed : {3, 17}) {
    Recorder first, second;
    Config config = deterministic(2, seed);
    config.sink = &first;
    Outcome a = run_lesson(lesson(), defaults(lesson()), config);
    config.sink = &second;
    Outcome b = run_lesson(lesson(), defaults(lesson()), config);
    EXPECT_EQ(a.elapsed_ns, b.elapsed_ns);
    EXPECT_EQ(a.output, b.output);
    ASSERT_EQ(first.events().size(), second.events().size());
    for (std::size_t i = 0; i < first.events().size(); i++) {
      ASSERT_EQ(describe(first.events()[i]), describe(second.events()[i])) << "event " << i;
    }
  }
}

TEST_P(EveryLesson, RealModePrintsTheRecordedOutput) {
  const std::vector<std::string> expected = recorded_output(GetParam());
  for (int procs : {1, 2, 4}) {
    SCOPED_TRACE("procs " + std::to_string(procs));
    Outcome out = run_lesson(lesson(), defaults(lesson()), real(procs));
    EXPECT_EQ(out.kind, expected_kind(GetParam())) << out.report();
    EXPECT_TRUE(same_lines(out.output, expected, order_fixed_by_synchronization(GetParam())));
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, EveryLesson, ::testing::ValuesIn(kLessonIds), test_name);

TEST(HelloGoroutine, TheGoroutineIsAbandonedWithoutEverRunning) {
  for (int procs : {1, 2, 4}) {
    for (uint64_t seed = 1; seed <= 50; seed++) {
      Recorder log;
      Config config = deterministic(procs, seed);
      config.sink = &log;
      Outcome out = run_lesson(*find("hello-goroutine"), {}, config);
      ASSERT_EQ(out.kind, OutcomeKind::ok);
      EXPECT_EQ(out.goroutines, 2u) << "main asked for one goroutine";
      uint32_t async = 0;
      for (const Event& e : log.events()) {
        if (e.kind == EventKind::GoCreate) async = e.other;
      }
      ASSERT_NE(async, 0u);
      bool started = false, abandoned = false;
      for (const Event& e : log.events()) {
        if (e.g != async) continue;
        started |= e.kind == EventKind::GoStart;
        abandoned |= e.kind == EventKind::GoAbandon;
      }
      EXPECT_FALSE(started) << "seed " << seed << ": the goroutine ran";
      EXPECT_TRUE(abandoned) << "seed " << seed;
    }
  }
}

TEST(Waitgroup, MainBlocksInWaitUntilTheGoroutineIsDone) {
  Recorder log;
  Config config = deterministic(1, 1);
  config.sink = &log;
  run_lesson(*find("waitgroup"), {}, config);
  bool main_blocked_on_wg = false, done_woke_main = false;
  for (const Event& e : log.events()) {
    if (e.kind == EventKind::GoBlock && e.g == 1 && e.reason == static_cast<uint8_t>(BlockReason::WaitGroup))
      main_blocked_on_wg = true;
    if (e.kind == EventKind::GoUnblock && e.g == 1 && e.other == 2) done_woke_main = true;
  }
  EXPECT_TRUE(main_blocked_on_wg);
  EXPECT_TRUE(done_woke_main);
}

TEST(Deadlock, EndsWithGosFatalErrorNamingMainBlockedOnASend) {
  for (Config config : {deterministic(1, 1), deterministic(4, 9), real(1), real(4)}) {
    Outcome out = run_lesson(*find("deadlock"), {}, config);
    ASSERT_EQ(out.kind, OutcomeKind::deadlock);
    EXPECT_EQ(out.message, "all goroutines are asleep - deadlock!");
    ASSERT_EQ(out.blocked.size(), 1u);
    EXPECT_EQ(out.blocked[0].id, 1u);
    EXPECT_EQ(out.blocked[0].wait_reason, "chan send");
    std::vector<std::string> report = lines(out.report());
    ASSERT_GE(report.size(), 3u);
    EXPECT_EQ(report[0], "fatal error: all goroutines are asleep - deadlock!");
    EXPECT_EQ(report[1], "");
    EXPECT_EQ(report[2], "goroutine 1 [chan send]:");
  }
}

TEST(BufferedChannel, EveryBufferSizeLetsTheProducerRunAheadByThatMany) {
  const Lesson& lesson = *find("buffered-channel");
  for (int64_t buffer = 0; buffer <= 6; buffer++) {
    for (uint64_t seed = 1; seed <= 10; seed++) {
      SCOPED_TRACE("buffer " + std::to_string(buffer) + " seed " + std::to_string(seed));
      Params params = with(lesson, {{"buffer", buffer}});
      Outcome out = run_lesson(lesson, params, deterministic(2, seed));
      ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
      ASSERT_TRUE(same_lines(out.output, expected_output("buffered-channel", params), true));
    }
  }
}

TEST(FanIn, SixtyFourProducersDeliverEveryMessage) {
  const Lesson& lesson = *find("fan-in");
  for (int64_t buffer : {0, 7, 1000}) {
    Params params = with(lesson, {{"producers", 64}, {"messages", 25}, {"buffer", buffer}});
    for (Config config : {deterministic(4, 5), deterministic(1, 6), real(2)}) {
      Outcome out = run_lesson(lesson, params, config);
      ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
      EXPECT_TRUE(same_lines(out.output, expected_output("fan-in", params), true));
      EXPECT_EQ(out.goroutines, 66u) << "main, 64 producers and the closer";
    }
  }
}

TEST(FanOut, ManyJobsStillPrintTwoLines) {
  const Lesson& lesson = *find("fan-out");
  Params params = with(lesson, {{"jobs", 100000}, {"workers", 64}, {"work_ms", 1}, {"kind", 1}});
  Outcome out = run_lesson(lesson, params, deterministic(4, 2));
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
  EXPECT_TRUE(same_lines(out.output, expected_output("fan-out", params), true));
}

TEST(FanOut, EveryWorkerCountAndKindProcessesEveryJob) {
  const Lesson& lesson = *find("fan-out");
  for (int64_t workers : {1, 3, 64}) {
    for (int64_t kind : {0, 1}) {
      Params params = with(lesson, {{"jobs", 97}, {"workers", workers}, {"buffer", 0}, {"work_ms", 1}, {"kind", kind}});
      for (Config config : {deterministic(2, 11), real(2)}) {
        Outcome out = run_lesson(lesson, params, config);
        ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
        EXPECT_TRUE(same_lines(out.output, expected_output("fan-out", params), true));
      }
    }
  }
}

TEST(Pipeline, AHundredNumbersComeOutSquaredAndInOrder) {
  const Lesson& lesson = *find("pipeline");
  Params params = with(lesson, {{"numbers", 100}});
  for (Config config : {deterministic(3, 4), real(4)}) {
    Outcome out = run_lesson(lesson, params, config);
    ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
    EXPECT_TRUE(same_lines(out.output, expected_output("pipeline", params), true));
  }
}

}  // namespace
}  // namespace goscope::lessons
