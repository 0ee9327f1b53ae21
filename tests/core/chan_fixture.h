// chan_fixture.h: the fixture of the channel, select and timer tests: every test runs in
// every mode of modes.h.
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "core/runtime.h"
#include "tests/core/modes.h"

namespace goscope::chantest {

#if defined(GOSCOPE_TSAN)
inline constexpr int kScale = 50;  // TSan: divide iteration counts (it runs goroutines ~50x slower)
#elif defined(GOSCOPE_ASAN)
inline constexpr int kScale = 5;
#else
inline constexpr int kScale = 1;
#endif

// ChanTest runs each test in every mode; Run expects the program to end normally.
class ChanTest : public modes::ModeTest {
 protected:
  // Run runs fn as main and expects the program to end normally.
  Outcome Run(std::function<void()> fn, uint64_t seed = 1) {
    Outcome out = RunAny(std::move(fn), seed);
    EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
    return out;
  }
};

}  // namespace goscope::chantest
