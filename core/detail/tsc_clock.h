// detail/tsc_clock.h: a cheap clock for event timestamps in real mode.
//
// A traced ping-pong emits about ten events per round trip; reading the steady clock
// (clock_gettime) for each was the largest single cost of tracing. The CPU's time-stamp
// counter is several times cheaper. Where it runs
// at a constant rate (the constant_tsc and nonstop_tsc CPU flags), it is calibrated
// once per process against the steady clock and used for timestamps; elsewhere the
// steady clock is used. Timers and sleep keep using the steady clock.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace goscope::detail {

class TscClock {
 public:
  // get returns the process's clock, calibrating it on first use (~2 ms, once).
  static const TscClock& get();

  // stamp returns a raw reading to subtract from later ones.
  uint64_t stamp() const {
#if defined(__x86_64__)
    if (usable_) return __rdtsc();
#endif
    return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  // ns_between converts the difference of two stamps to nanoseconds. One 64x64->128-bit
  // multiply by a 32.32 fixed-point factor (a steady-clock stamp is in ns already: the
  // factor is exactly 1.0); converting through a double cost three dependent
  // conversions and a multiply on every event.
  int64_t ns_between(uint64_t from, uint64_t to) const {
    if (to <= from) return 0;
    return static_cast<int64_t>((static_cast<unsigned __int128>(to - from) * ns_per_tick_q32_) >> 32);
  }
  // ns_per_tick_q32 is the factor ns_between multiplies by (ns per tick, times 2^32): the
  // tracer converts raw stamps with it on its consumer side.
  uint64_t ns_per_tick_q32() const { return ns_per_tick_q32_; }

 private:
  TscClock();
  bool usable_ = false;
  uint64_t ns_per_tick_q32_ = uint64_t{1} << 32;  // ns per tick, times 2^32
};

}  // namespace goscope::detail
