// The clock of real-mode event timestamps: nanoseconds that agree with the steady clock.
#include "core/detail/tsc_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace goscope::detail {
namespace {

TEST(TscClock, GivesZeroForAStampThatIsNotLater) {
  const TscClock& clock = TscClock::get();
  const uint64_t s = clock.stamp();
  EXPECT_EQ(clock.ns_between(s, s), 0);
  EXPECT_EQ(clock.ns_between(s + 10, s), 0);
}

TEST(TscClock, MeasuresAnIntervalAsTheSteadyClockDoes) {
  const TscClock& clock = TscClock::get();
  // The steady clock bracketing the stamps: the clock's interval must fall between the
  // inner and the outer steady-clock interval, give or take its calibration (2%).
  const auto outer0 = std::chrono::steady_clock::now();
  const uint64_t s0 = clock.stamp();
  const auto inner0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto inner1 = std::chrono::steady_clock::now();
  const uint64_t s1 = clock.stamp();
  const auto outer1 = std::chrono::steady_clock::now();
  const auto ns = [](auto d) { return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(); };
  const int64_t measured = clock.ns_between(s0, s1);
  EXPECT_GE(static_cast<double>(measured), 0.98 * static_cast<double>(ns(inner1 - inner0)));
  EXPECT_LE(static_cast<double>(measured), 1.02 * static_cast<double>(ns(outer1 - outer0)));
}

TEST(TscClock, ConvertsLongIntervalsWithoutOverflow) {
  const TscClock& clock = TscClock::get();
  // 2^50 ticks is days of a GHz counter; 2^60 years. Twice the ticks, twice the time.
  const int64_t a = clock.ns_between(0, uint64_t{1} << 50);
  const int64_t b = clock.ns_between(0, uint64_t{1} << 51);
  const int64_t c = clock.ns_between(0, uint64_t{1} << 60);
  ASSERT_GT(a, 0);
  EXPECT_NEAR(static_cast<double>(b) / static_cast<double>(a), 2.0, 1e-6);
  EXPECT_NEAR(static_cast<double>(c) / static_cast<double>(a), 1024.0, 1e-3);
}

}  // namespace
}  // namespace goscope::detail
