// chan_fixture.h: the fixture of the channel, select and timer tests: every test runs in
// the deterministic mode (1 and 2 virtual processors) and in real mode with 1, 2 and 4
// workers.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/runtime.h"

namespace goscope::chantest {

#if defined(GOSCOPE_TSAN)
inline constexpr int kScale = 50;  // TSan: divide iteration counts (it runs goroutines ~50x slower)
#elif defined(GOSCOPE_ASAN)
inline constexpr int kScale = 5;
#else
inline constexpr int kScale = 1;
#endif

struct Mode2 {
  Mode mode;
  int procs;
};

inline std::string ChanModeName(const testing::TestParamInfo<Mode2>& info) {
  return std::string(info.param.mode == Mode::deterministic ? "Det" : "Real") + std::to_string(info.param.procs);
}

inline auto AllModes() {
  return testing::Values(Mode2{Mode::deterministic, 1}, Mode2{Mode::deterministic, 2}, Mode2{Mode::real, 1},
                         Mode2{Mode::real, 2}, Mode2{Mode::real, 4});
}

class ChanTest : public testing::TestWithParam<Mode2> {
 protected:
  Config config(uint64_t seed = 1) const {
    Config c;
    c.mode = GetParam().mode;
    c.procs = GetParam().procs;
    c.seed = seed;
    return c;
  }
  bool real() const { return GetParam().mode == Mode::real; }
  // Run runs fn as main and expects the program to end normally.
  Outcome Run(std::function<void()> fn, uint64_t seed = 1) {
    Outcome out = run(config(seed), std::move(fn));
    EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
    return out;
  }
  // RunAny runs fn as main and returns however it ended.
  Outcome RunAny(std::function<void()> fn, uint64_t seed = 1) { return run(config(seed), std::move(fn)); }
};

// Keep is a sink that keeps every event.
struct Keep : EventSink {
  std::vector<Event> events;
  void on_events(std::span<const Event> batch) override { events.insert(events.end(), batch.begin(), batch.end()); }
};

}  // namespace goscope::chantest
