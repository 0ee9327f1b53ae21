// detail/tsc_clock.cpp
#include "core/detail/tsc_clock.h"

#include <fstream>
#include <sstream>
#include <string>

namespace goscope::detail {
namespace {

bool invariant_tsc() {
#if defined(__x86_64__)
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line);
    bool constant = false, nonstop = false;
    for (std::string w; words >> w;) {
      constant |= w == "constant_tsc";
      nonstop |= w == "nonstop_tsc";
    }
    return constant && nonstop;
  }
#endif
  return false;
}

}  // namespace

TscClock::TscClock() {
#if defined(__x86_64__)
  if (!invariant_tsc()) return;
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  uint64_t c0 = __rdtsc();
  while (clock::now() - t0 < std::chrono::milliseconds(2)) {
  }
  auto t1 = clock::now();
  uint64_t c1 = __rdtsc();
  if (c1 <= c0) return;
  const double ns_per_tick =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) /
      static_cast<double>(c1 - c0);
  usable_ = ns_per_tick > 0.01 && ns_per_tick < 10.0;  // a 0.1-100 GHz counter, or not trusted
  if (usable_) ns_per_tick_q32_ = static_cast<uint64_t>(ns_per_tick * 4294967296.0 + 0.5);
#endif
}

const TscClock& TscClock::get() {
  static const TscClock clock;
  return clock;
}

}  // namespace goscope::detail
