// detail/park.h: what the rest of core (channels, select, timers, WaitGroup) may ask of
// the scheduler. Not a public header: lessons and ui never include core/detail/.
//
// The one blocking primitive is park/unpark, a binary permit per goroutine:
//   - park(reason, obj) blocks the calling goroutine until someone calls unpark on it;
//   - unpark(g) may come before the matching park (the goroutine registered itself in a
//     channel cell and was served before it got to park): park then returns at once.
// Every park is matched by exactly one unpark. unpark makes g runnable and, in real mode,
// puts it in the waker's runnext slot so that a handoff runs the partner next (as in Go).
//
// Memory ordering: everything the waker did before unpark(g) is visible to g after its
// park returns (release/acquire on the goroutine's park state).
//
// When the program is over (main returned, a panic, a deadlock) park() and the other
// blocking calls throw detail::Unwind in the goroutines still alive, so that their stacks
// unwind and their destructors run. Never swallow it: rethrow from catch (...).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "core/event.h"

namespace goscope::detail {

struct G;  // a goroutine; opaque outside the scheduler

// Unwind is thrown into goroutines that are abandoned when the program ends.
struct Unwind {};

// current returns the running goroutine, or nullptr outside any goroutine (timer
// callbacks, the scheduler itself, threads outside a run).
G* current();
uint32_t id_of(const G* g);
// current_gid is id_of(current()) in one call (it is on every traced channel operation).
uint32_t current_gid();

// park blocks the current goroutine (see above). reason and obj describe what it waits
// on (GoBlock event, deadlock report). event_follows: the caller emits an event as soon
// as park returns, with no user code between; when park switched away and back, that
// event takes the timestamp of this goroutine's GoStart instead of reading the clock.
void park(BlockReason reason, uint64_t obj, bool event_follows = false);

// unpark makes g runnable (see above). The current goroutine (if any) is recorded as the
// waker in the GoUnblock event. event_follows: as for park, the caller's next event
// follows at once and takes the GoUnblock's timestamp.
void unpark(G* g, bool event_follows = false);

// fast_rand returns a pseudo-random 64-bit number: from the run's seeded PRNG in the
// deterministic mode, from a per-worker generator in real mode.
uint64_t fast_rand();

// new_object_id returns a fresh id for a channel or WaitGroup (1, 2, 3, ... per run).
uint64_t new_object_id();

// now_ns returns the run's clock (virtual in the deterministic mode).
int64_t now_ns();

// RuntimeHot holds the few fields that every channel operation reads, where inline code
// reaches them without a call. The running program's Runtime is one.
struct RuntimeHot {
  bool hot_tracing = false;        // a sink is attached (and the program is not over)
  bool hot_deterministic = true;
  // hot_one_thread: every goroutine, every timer callback and so every channel operation
  // of this run runs on one thread (the deterministic mode, and real mode with one
  // worker). Nothing can then race, and the channel and scheduler algorithms run with
  // plain loads and stores in place of their locked read-modify-writes.
  bool hot_one_thread = false;
  std::atomic<bool> hot_stopping{false};
  int64_t hot_clock = 0;           // deterministic mode: the virtual clock
  int64_t hot_op_cost = 0;         // deterministic mode: virtual ns per operation
  // hot_solo_owner: in real mode with several workers, the op-mark (below) of the one
  // worker that runs alone while every other worker is idle (and the timer thread is
  // not firing a timer), or nullptr. That worker's channel operations take the plain
  // form too. Only that worker sets it to its own mark; anyone who wants to join clears
  // it and then waits until the owner is outside any channel operation (Runtime::
  // join_active): see "Solo" in runtime_solo.cpp.
  std::atomic<std::atomic<uint32_t>*> hot_solo_owner{nullptr};
};
// tl_hot is the running program's runtime on this thread (the same for all its threads).
extern __thread RuntimeHot* tl_hot;
// tl_op_mark is this worker thread's op-mark: 1 while it is inside a channel operation
// that chose its form by hot_solo_owner. nullptr on threads that are not workers.
extern __thread std::atomic<uint32_t>* tl_op_mark;

// tracing reports whether events are being recorded: one predictable branch.
inline bool tracing() {
  RuntimeHot* r = tl_hot;
  return r && r->hot_tracing;
}

// emit records one event; the caller fills kind, g, other, obj, a, b, text, reason. The
// runtime fills seq, ts and proc. Call only when tracing() is true.
void emit(Event e);

// go_panic ends the program with a panic of the current goroutine ("panic: " + message).
[[noreturn]] void go_panic(std::string message);

// charge_op adds one operation's cost to the deterministic virtual clock; in real mode it
// only notices that the program is over (and unwinds the calling goroutine).
void charge_op_stopping();
inline void charge_op() {
  RuntimeHot* r = tl_hot;
  if (!r) return;
  if (r->hot_deterministic) {
    r->hot_clock += r->hot_op_cost;
  } else if (r->hot_stopping.load(std::memory_order_relaxed)) [[unlikely]] {
    charge_op_stopping();
  }
}

// add_timer runs fire() at now_ns() + delay_ns (outside any goroutine: on the scheduler
// thread in the deterministic mode, on the timer thread in real mode). fire may unpark
// goroutines and try_send on channels; it must not block. A pending timer keeps the
// program from being declared deadlocked. Returns a timer id.
uint64_t add_timer(int64_t delay_ns, std::function<void()> fire);

// cancel_timer stops a timer that has not fired yet; returns false if it already fired.
bool cancel_timer(uint64_t timer_id);

}  // namespace goscope::detail
