// modes.h: the modes and worker counts the runtime's tests run in, for tests/core and
// tests/events: the deterministic mode with 1 and 2 virtual processors, and real mode
// with 1, 2 and 4 workers. A test suite derives its fixture from ModeTest and runs in
// every mode with
//
//   INSTANTIATE_TEST_SUITE_P(Modes, MySuite, goscope::modes::AllModes(), goscope::modes::Name);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/runtime.h"

namespace goscope::modes {

// RunMode is the mode of one instance of a test and its processor count (Config::procs).
struct RunMode {
  Mode mode;
  int procs;
};

// Name names an instance after its mode: Det1, Det2, Real1, Real2, Real4.
inline std::string Name(const ::testing::TestParamInfo<RunMode>& info) {
  return std::string(info.param.mode == Mode::deterministic ? "Det" : "Real") + std::to_string(info.param.procs);
}

// AllModes lists the modes every runtime test runs in.
inline auto AllModes() {
  return ::testing::Values(RunMode{Mode::deterministic, 1}, RunMode{Mode::deterministic, 2}, RunMode{Mode::real, 1},
                         RunMode{Mode::real, 2}, RunMode{Mode::real, 4});
}

// ModeTest is the fixture of a test that runs in every mode.
class ModeTest : public ::testing::TestWithParam<RunMode> {
 protected:
  // config returns a Config for this instance's mode and processor count.
  Config config(uint64_t seed = 1) const {
    Config c;
    c.mode = GetParam().mode;
    c.procs = GetParam().procs;
    c.seed = seed;
    return c;
  }
  bool real() const { return GetParam().mode == Mode::real; }
  bool deterministic() const { return GetParam().mode == Mode::deterministic; }
  // RunAny runs fn as main and returns however the program ended.
  Outcome RunAny(std::function<void()> fn, uint64_t seed = 1) { return run(config(seed), std::move(fn)); }
};

}  // namespace goscope::modes
