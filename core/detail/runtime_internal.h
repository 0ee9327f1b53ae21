// detail/runtime_internal.h: what the files of class Runtime (runtime_*.cpp) share, and
// nothing else includes: the worker of this thread, the fair-turn period, a PRNG step,
// the CPU's spin hint, and the exit for an internal error.
#pragma once

#include <atomic>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GOSCOPE_CPU_RELAX() _mm_pause()
#else
#define GOSCOPE_CPU_RELAX() std::atomic_signal_fence(std::memory_order_seq_cst)
#endif

#include "core/detail/runtime_impl.h"

namespace goscope::detail {

// tl_worker is the worker this thread is, or nullptr (runtime_goroutines.cpp). Goroutine
// code reads it through Runtime::this_worker() (see there why).
extern __thread Worker* tl_worker;

// Every 61st switch of a worker is a fair turn (take_fair_turn), as Go's schedule().
inline constexpr uint32_t kFairTurn = 61;

inline uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// fatal reports a broken invariant of the runtime and aborts.
[[noreturn]] void fatal(const char* what);

// membarrier_ready reports whether membarrier works here (runtime_solo.cpp).
bool membarrier_ready();

}  // namespace goscope::detail
