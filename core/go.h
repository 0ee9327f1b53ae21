// go.h: starting goroutines and the calls a goroutine makes about itself.
//
// Example:
//
//   goscope::go("worker 1", [jobs]() mutable {
//     for (int j : jobs) goscope::println("job " + std::to_string(j));
//   });
//
// All of these must be called from inside a goroutine of a running program (see
// runtime.h); calling them elsewhere throws std::logic_error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "core/detail/task.h"

namespace goscope {

// go starts fn as a new goroutine and returns at once: like Go's `go` statement it only
// asks the scheduler to run fn some time later. `name` (a literal or any text; it is
// interned) labels the goroutine in events and in the UI; `line` is the line of the `go`
// statement in the lesson's Go listing (0 = none). Returns the new goroutine's id.
// fn is any callable `void()`; closures up to 64 bytes start without a heap allocation.
template <class F>
uint32_t go(F&& fn) {
  return detail::spawn(detail::Task(std::forward<F>(fn)), {}, 0);
}
template <class F>
uint32_t go(std::string_view name, F&& fn) {
  return detail::spawn(detail::Task(std::forward<F>(fn)), name, 0);
}
template <class F>
uint32_t go(std::string_view name, int line, F&& fn) {
  return detail::spawn(detail::Task(std::forward<F>(fn)), name, line);
}

// yield gives up the processor and lets other goroutines run (Go's runtime.Gosched).
void yield();

// panic ends the program with Go's "panic: <message>" naming the calling goroutine.
// A C++ exception escaping a goroutine's function does the same with its what().
[[noreturn]] void panic(std::string_view message);

// println prints one line of program output (Go's fmt.Println of a string). The line is
// part of the run's Outcome::output and an Output event.
void println(std::string_view line);

// line marks that the calling goroutine is now at `line` of the lesson's Go listing, so
// the UI can light it. Costs one branch when no sink is attached.
void line(int line);

// goid returns the calling goroutine's id (main is 1).
uint32_t goid();

// rand_below returns a pseudo-random number in [0, n): seeded from Config::seed in the
// deterministic mode, so it is part of the reproducible schedule.
uint64_t rand_below(uint64_t n);

}  // namespace goscope
