// fan_out_curve_test.cpp: the fan-out lesson answers its question. In the deterministic
// mode (virtual time, so these are exact measurements, not timings), cpu-bound
// throughput rises with workers up to procs and then stays flat; io-bound throughput
// keeps rising with workers.
#include <gtest/gtest.h>

#include "lesson_test_support.h"

namespace goscope::lessons {
namespace {

using namespace testing;

// throughput runs fan-out (64 jobs of 10 ms) and returns jobs per virtual second.
double throughput(const char* kind, int64_t workers, int procs, uint64_t seed = 1) {
  const Lesson& lesson = *find("fan-out");
  Params params = with(lesson, {{"jobs", 64}, {"workers", workers}, {"buffer", 10}, {"work_ms", 10},
                                {"kind", std::string(kind) == "cpu" ? 0 : 1}});
  Outcome out = run_lesson(lesson, params, deterministic(procs, seed));
  EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
  EXPECT_GT(out.elapsed_ns, 0);
  return lesson.throughput_items(params) / (static_cast<double>(out.elapsed_ns) / 1e9);
}

TEST(FanOutCurve, CpuBoundThroughputRisesWithWorkersUpToProcs) {
  for (int procs : {1, 2, 4}) {
    SCOPED_TRACE("procs " + std::to_string(procs));
    for (int64_t workers = 1; workers <= procs; workers *= 2) {
      // One worker does 100 jobs/s (10 ms each); w workers on w processors, w times that.
      EXPECT_NEAR(throughput("cpu", workers, procs), 100.0 * workers, 100.0 * workers * 0.02)
          << workers << " workers";
    }
  }
}

TEST(FanOutCurve, CpuBoundThroughputIsFlatBeyondProcs) {
  for (int procs : {1, 2, 4}) {
    SCOPED_TRACE("procs " + std::to_string(procs));
    const double at_procs = throughput("cpu", procs, procs);
    for (int64_t workers : {2 * procs, 4 * procs, 16 * procs}) {
      EXPECT_NEAR(throughput("cpu", workers, procs), at_procs, at_procs * 0.02) << workers << " workers";
    }
  }
}

TEST(FanOutCurve, IoBoundThroughputKeepsRisingWithWorkers) {
  for (int procs : {1, 4}) {
    SCOPED_TRACE("procs " + std::to_string(procs));
    double previous = 0;
    for (int64_t workers : {1, 2, 4, 8, 16, 32, 64}) {
      const double now = throughput("io", workers, procs);
      // Every doubling of workers doubles throughput (64 jobs: no worker is ever idle).
      EXPECT_NEAR(now, 100.0 * workers, 100.0 * workers * 0.02) << workers << " workers";
      EXPECT_GT(now, previous * 1.9) << workers << " workers";
      previous = now;
    }
  }
}

TEST(FanOutCurve, IoBoundBeatsCpuBoundOnceWorkersOutnumberProcs) {
  EXPECT_NEAR(throughput("io", 2, 2), throughput("cpu", 2, 2), throughput("cpu", 2, 2) * 0.02);
  EXPECT_GT(throughput("io", 16, 2), 7 * throughput("cpu", 16, 2));
}

TEST(FanOutCurve, TheCurveDoesNotDependOnTheSeed) {
  for (uint64_t seed : {2, 3, 5, 8, 13}) {
    EXPECT_NEAR(throughput("cpu", 8, 4, seed), 400.0, 8.0) << "seed " << seed;
    EXPECT_NEAR(throughput("io", 8, 4, seed), 800.0, 16.0) << "seed " << seed;
  }
}

}  // namespace
}  // namespace goscope::lessons
