// runtime.h: running a program on goscope's Go-style runtime.
//
// run(config, main) runs `main` as the program's main goroutine (goroutine 1) and
// returns when the program is over, as in Go: when main returns (the other goroutines
// are abandoned unfinished), when a goroutine panics, or when every goroutine is asleep
// (deadlock). Nothing a program does terminates the process.
//
// Example:
//
//   goscope::Config cfg;
//   cfg.mode = goscope::Mode::deterministic;
//   cfg.procs = 2;
//   cfg.seed = 7;
//   goscope::Outcome out = goscope::run(cfg, [] {
//     goscope::WaitGroup wg;
//     wg.Add(1);
//     goscope::go([wg]() mutable { goscope::println("async thing"); wg.Done(); });
//     wg.Wait();
//   });
//   // out.kind == OutcomeKind::ok, out.output == {"async thing"}
//
// Two modes run the same code:
//   real           `procs` OS worker threads (Go's Ps) with per-worker run queues, a
//                  runnext slot, a global queue and work stealing.
//   deterministic  one OS thread simulates `procs` virtual processors on a virtual clock.
//                  The next goroutine to run is chosen by a PRNG seeded with `seed`, or
//                  by `chooser`. sleep() and work() advance virtual time; work() holds a
//                  virtual processor, sleep() does not. Same seed, same program: the same
//                  schedule and the same events, every time.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"

namespace goscope {

enum class Mode : uint8_t { deterministic, real };

// Chooser picks which runnable goroutine runs next in the deterministic mode: it gets
// the ids of the runnable goroutines (ascending) and returns an index into them.
using Chooser = std::function<std::size_t(std::span<const uint32_t> runnable)>;

// Config says how to run a program.
struct Config {
  Mode mode = Mode::deterministic;
  int procs = 1;                  // GOMAXPROCS: worker threads or virtual processors (1..256)
  uint64_t seed = 1;              // scheduling choices (deterministic mode), select's random pick
  Chooser chooser;                // deterministic mode: overrides the seeded PRNG when set
  EventSink* sink = nullptr;      // receives every event of the run, in order; nullptr = none
  std::size_t event_ring_capacity = 1 << 16;  // events per worker ring (full: wait, or drop: EventSink::drops_when_behind)
  int64_t op_cost_ns = 100;       // deterministic mode: virtual time each runtime operation takes
  int64_t max_virtual_ns = 0;     // deterministic mode: stop (as a deadlock would) past this time; 0 = no limit
  // solo: real mode, several workers: while one worker runs alone (the others idle), its
  // channel operations use plain loads and stores instead of locked instructions, as a
  // one-worker run does. false keeps the shared form always (tests cover both).
  bool solo = true;
};

// OutcomeKind: fatal is one of Go's other fatal errors, which no recover() can stop (a
// goroutine overflowed its stack; no guarded stack could be had for a new goroutine).
enum class OutcomeKind : uint8_t { ok, panic, deadlock, fatal };

// BlockedGoroutine describes a goroutine still blocked when a run ended.
struct BlockedGoroutine {
  uint32_t id = 0;
  std::string name;
  std::string wait_reason;  // Go's words: "chan send", "chan receive", "select", "semacquire", ...
};

// Outcome is how a run ended.
struct Outcome {
  OutcomeKind kind = OutcomeKind::ok;
  std::string message;            // Go's message: "send on closed channel", "all goroutines are asleep - deadlock!",
                                  // "stack overflow"
  std::string detail;             // fatal: Go's line before it ("runtime: goroutine stack exceeds 65536-byte limit")
  uint32_t goroutine = 0;         // the goroutine that panicked or hit the fatal error
  std::vector<BlockedGoroutine> blocked;  // deadlock: every goroutine and what it waits on
  std::vector<std::string> output;        // every line the program printed, in order
  uint64_t goroutines = 0;        // goroutines created, main included
  uint64_t events = 0;            // events delivered to Config::sink (0 without a sink: untraced runs count nothing)
  uint64_t events_dropped = 0;    // events lost to full rings (real mode, sinks that drop when behind)
  uint64_t solo_phases = 0;       // real mode, several workers: times one worker ran alone (Config::solo)
  int64_t elapsed_ns = 0;         // virtual time (deterministic) or wall time (real) of the run

  // report renders the outcome as Go prints it: "" for ok; "panic: <message>\n\ngoroutine N
  // [running]:\n..." for a panic; "fatal error: all goroutines are asleep - deadlock!\n\n
  // goroutine 1 [chan send]:\n..." for a deadlock; "runtime: goroutine stack exceeds
  // 65536-byte limit\nfatal error: stack overflow\n\ngoroutine N [running]:\n" for a fatal error.
  std::string report() const;
};

// run runs main_fn as goroutine 1 under config and returns how the program ended.
// Runs may follow each other in one process; nothing leaks from one run to the next.
// A goroutine's stack holds 64 KiB of frames (256 KiB in sanitizer builds); one that
// overflows it ends the run with Go's "fatal error: stack overflow", and the process goes
// on (goscope handles SIGSEGV for faults in a goroutine's stack guard and passes others on).
// Not reentrant: do not call run from inside a goroutine.
Outcome run(const Config& config, std::function<void()> main_fn);

// solo_available reports whether Config::solo can take effect on this machine: it needs
// Linux's membarrier (private expedited, Linux >= 4.14, not filtered by a sandbox).
bool solo_available();

}  // namespace goscope
