// lesson_trace_test.cpp: every lesson's run, exported as a Chrome trace, is well formed:
// every arrow binds to slices of named threads and goes forwards in time, and the trace
// says how many events the run dropped. In the deterministic mode on several seeds and in
// real mode on 1, 2 and 4 worker threads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/recorder.h"
#include "trace/chrome_trace.h"
#include "lesson_test_support.h"
#include "tests/events/trace_checks.h"

namespace goscope::lessons {
namespace {

using namespace testing;

class EveryLessonTrace : public ::testing::TestWithParam<std::string> {
 protected:
  void expect_good_trace(Config config) {
    const Lesson& lesson = lesson_or_die(GetParam());
    Recorder log;
    config.sink = &log;
    const Outcome out = run_lesson(lesson, defaults(lesson), config);
    const nlohmann::json trace = nlohmann::json::parse(chrome_trace_json(log.events()));
    goscope::testing::expect_well_formed_trace(trace);
    EXPECT_EQ(trace["otherData"]["events_dropped"], out.events_dropped);
  }
};

TEST_P(EveryLessonTrace, DeterministicModeArrowsBindAndGoForwards) {
  for (int procs : {1, 2, 4}) {
    for (uint64_t seed = 1; seed <= 5; seed++) {
      SCOPED_TRACE("procs " + std::to_string(procs) + " seed " + std::to_string(seed));
      expect_good_trace(deterministic(procs, seed));
    }
  }
}

TEST_P(EveryLessonTrace, RealModeArrowsBindAndGoForwards) {
  for (int procs : {1, 2, 4}) {
    SCOPED_TRACE("procs " + std::to_string(procs));
    expect_good_trace(real(procs));
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, EveryLessonTrace, ::testing::ValuesIn(kLessonIds), test_name);

}  // namespace
}  // namespace goscope::lessons
