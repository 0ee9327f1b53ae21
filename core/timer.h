// timer.h: Go's time.After and time.Ticker, as channels.
//
// Example (a select with a timeout):
//
//   auto timeout = goscope::after(50ms);
//   switch (goscope::select({goscope::recv_case(results, &r), goscope::recv_case(timeout)})) {
//     case 0: /* got r */ break;
//     case 1: goscope::println("timed out"); break;
//   }
//
// Times are on the run's clock: virtual in the deterministic mode, steady in real mode.
// A timer fires outside any goroutine and never blocks: like Go, it does a non-blocking
// send into a channel with a buffer of one, so a slow receiver of a ticker misses ticks
// instead of holding the timer up. A pending timer keeps the program from being
// declared deadlocked (as in Go).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/chan.h"
#include "core/time.h"

namespace goscope {

// after returns a channel that receives the time (since the run started) once d has
// passed (Go's time.After). Must be called inside a running program.
Chan<Duration> after(Duration d);

namespace detail {
struct TickerState;
}

// Ticker delivers the time on C every period (Go's time.NewTicker), until Stop.
//
// Example:
//
//   goscope::Ticker t(100ms);
//   for (int i = 0; i < 3; ++i) t.C.recv();  // three ticks
//   t.Stop();
class Ticker {
 public:
  // Ticker starts ticking; period must be positive ("non-positive interval for
  // NewTicker" panics otherwise, as in Go).
  explicit Ticker(Duration period);
  Ticker(const Ticker&) = default;
  Ticker& operator=(const Ticker&) = default;

  // C receives the ticks.
  Chan<Duration> C;

  // Stop turns the ticker off: no tick is sent after Stop returns. C is not closed
  // (as in Go), so a receiver waiting on it keeps waiting.
  void Stop();

 private:
  std::shared_ptr<detail::TickerState> state_;
};

}  // namespace goscope
