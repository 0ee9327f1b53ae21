// time.h: time as goroutines see it.
//
// In the deterministic mode time is virtual: it moves only when every runnable goroutine
// has run and someone sleeps or works. In real mode it is the steady clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace goscope {

using Duration = std::chrono::nanoseconds;
using namespace std::chrono_literals;

// now returns the time since the run started (virtual in the deterministic mode).
Duration now();

// sleep parks the calling goroutine for d (Go's time.Sleep). A sleeping goroutine holds
// no processor: others run meanwhile.
void sleep(Duration d);

// work performs d of CPU-bound work. In the deterministic mode it is simulated: the
// goroutine occupies its virtual processor for d of virtual time, so work saturates at
// Config::procs processors while sleeping goroutines do not. In real mode it spins on
// the CPU for d.
void work(Duration d);

}  // namespace goscope
