// detail/runtime_real.cpp: real mode: the worker threads' loop, finding the next
// goroutine to run (own queue, fair turn, global queue, stealing, going idle), and the
// deadlock check of the last worker to go idle.
#include "core/detail/runtime_impl.h"

#include <algorithm>
#include <optional>

#include "core/detail/chan_epoch.h"
#include "core/detail/runtime_internal.h"
#include "core/detail/stack_fault.h"

namespace goscope::detail {
namespace {

constexpr int kSpinRounds = 64;          // steal attempts before an idle worker sleeps
// A thief takes only work that has waited: see steal. Longer than a fair turn
// takes to come round when goroutines hand off every microsecond or so (61 switches),
// or the ring's goroutines look stuck while they only wait for it (a much shorter grace
// splits the 4x4 MPMC benchmark over both workers, where each message costs cache-line
// transfers). Still far below anything a lesson computes for (milliseconds).
constexpr std::chrono::microseconds kStealAfter{200};
constexpr std::chrono::microseconds kLookEvery{5};
// An idle worker that sees work it may not take yet naps this long between looks.
constexpr std::chrono::microseconds kNap{50};
// A ring this long is a backlog (many goroutines queued, e.g. a fan-out of short jobs),
// not a group taking turns: see steal.
constexpr uint32_t kBacklog = 16;

}  // namespace

// check_deadlock declares a deadlock when nothing can ever run again: every worker is
// idle (so no goroutine runs), no goroutine is queued, and no timer is pending (so none
// can be woken). That state cannot be left, so seeing it once is enough (Go's checkdead).
// Called by the last worker to go idle and by the timer thread after each timer; the
// hot paths (park, unpark, spawn, exit) pay nothing for it.
void Runtime::check_deadlock() {
  if (pending_timers_.load(std::memory_order_seq_cst) != 0) return;
  if (nidle_.load(std::memory_order_seq_cst) != static_cast<int>(workers_.size())) return;
  if (global_size_.load(std::memory_order_seq_cst) != 0) return;
  for (auto& w : workers_)
    if (!w->runq.empty()) return;
  if (pending_timers_.load(std::memory_order_seq_cst) != 0) return;
  finish(OutcomeKind::deadlock, "", 0);
}

// ---------------------------------------------------------------------------------------
// Real mode

// find_runnable returns the next goroutine for w to run, or nullptr once the program is
// over. It looks in order: at a fair turn, the global queue and w's ring first
// (take_fair_turn); w's own queue, runnext first; the global queue (take_global); other
// workers' queues (steal). Then it spins, looking again, and at last goes idle (go_idle).
G* Runtime::find_runnable(Worker* w) {
  for (int round = 0;; ++round) {
    if (stopping()) return nullptr;
    if (hot_one_thread) run_fired_timers(w);
    if (w->fair_turn) {
      w->fair_turn = false;
      if (G* g = take_fair_turn(w)) return g;
    }
    if (G* g = w->runq.take(!hot_one_thread)) return g;
    if (G* g = take_global(w)) return g;
    // Nothing of our own: we stop counting as a participant (see "Solo") until we have a
    // goroutine to run again, so that a worker still busy may go solo.
    if (w->active) leave_active(w);
    if (workers_.size() > 1) {
      if (G* g = steal(w)) {
        stop_spinning(w);
        return g;
      }
    }
    if (round < kSpinRounds) {
      spin(w);
      continue;
    }
    stop_spinning(w);
    // After a nap, one more look before going idle again; else look from the start.
    round = go_idle(w) == Idle::look_once ? kSpinRounds - 1 : -1;
  }
}

// take_fair_turn serves, before runnext, the global queue and then w's ring. Goroutines
// that hand off to each other go through runnext and could run on this worker forever,
// while others wait in its ring or in the global queue (a sleeper woken by the timer
// thread). Now and then those come first (Go: every 61st schedule looks at the global
// queue; a time slice bounds runnext).
G* Runtime::take_fair_turn(Worker* w) {
  if (global_size_.load(std::memory_order_relaxed) > 0) {
    if (G* g = global_pop()) return g;
  }
  return w->runq.take_ring(!hot_one_thread);
}

// take_global takes a goroutine from the global queue, and a few more into w's queue so
// that the global lock is not paid per goroutine.
G* Runtime::take_global(Worker* w) {
  if (global_size_.load(std::memory_order_relaxed) == 0) return nullptr;
  G* g = global_pop();
  if (!g) return nullptr;
  for (int i = 0; i < 16; ++i) {
    G* more = global_pop();
    if (!more) break;
    if (!w->runq.put(more)) {
      global_push(more);
      break;
    }
  }
  return g;
}

// steal takes work from another worker's queue, but only work that has waited.
// Goroutines that talk to each other (a handoff puts the partner in the waker's runnext)
// run best on one worker: in its cache, at one-worker speed. Taking them as soon as they
// are queued splits every producer from its consumer across cores, where each message
// costs cache-line transfers. So a thief first notes how far the victim has got, and
// steals only when, kStealAfter later, the victim has started nothing from its ring (or,
// with a long ring, not yet all that was queued then), or has not switched goroutines at
// all (its runnext): then the victim is busy and the work is waiting, which is when a
// second core helps. A short ring that moves is a group taking turns (a pair handing off
// through runnext serves the ring at fair turns only), so it stays. Go steals runnext
// only after ~3 us for the same reason; a grace on the ring keeps communicating groups
// together.
G* Runtime::steal(Worker* w) {
  const std::size_t n = workers_.size();
  std::size_t start = splitmix64(w->rng) % n;
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t vi = (start + i) % n;
    Worker* victim = workers_[vi].get();
    if (victim == w) continue;
    Worker::StealWatch& seen = w->watch[vi];
    // Look rarely: the victim writes these lines at every switch, and each look makes
    // its next write a cache miss. So a victim is looked at once per kLookEvery while it
    // seems idle, and once per kStealAfter while it has work.
    if (now < seen.next_look) continue;
    const RunQueue::Observation o = victim->runq.observe();
    if (o.empty()) {
      seen.armed = false;
      seen.next_look = now + kLookEvery;
      continue;
    }
    seen.next_look = now + kStealAfter;
    if (!seen.armed) {
      seen = {true, o.takes, o.head, o.tail, now, seen.next_look};
      continue;
    }
    const bool ring_stuck = o.head != o.tail && o.head == seen.head;
    const bool ring_backlog = o.tail - o.head >= kBacklog && static_cast<int32_t>(o.head - seen.tail) < 0;
    const bool ring_waited = ring_stuck || ring_backlog;
    const bool next_waited = o.has_next && o.takes == seen.takes;
    if (!ring_waited && !next_waited) {
      seen = {true, o.takes, o.head, o.tail, now, seen.next_look};  // the victim is getting through its work
      continue;
    }
    seen.armed = false;
    if (G* g = victim->runq.steal_into(w->runq, next_waited)) return g;
  }
  return nullptr;
}

// spin is one round of an idle worker's short spin before it sleeps; while spinning it
// counts in nspinning_, so that wake_idle need not wake another.
void Runtime::spin(Worker* w) {
  if (!w->spinning) {
    w->spinning = true;
    nspinning_.fetch_add(1, std::memory_order_seq_cst);
  }
  for (int i = 0; i < 32; ++i) GOSCOPE_CPU_RELAX();
}

void Runtime::stop_spinning(Worker* w) {
  if (w->spinning) {
    w->spinning = false;
    nspinning_.fetch_sub(1, std::memory_order_seq_cst);
  }
}

// go_idle is what a worker that found nothing does: announce itself idle, look once more,
// then sleep on its futex word until woken. It returns look_again when the worker should
// look for work from the start, look_once after a nap (there is work it may not take
// yet).
Runtime::Idle Runtime::go_idle(Worker* w) {
  uint32_t seen = w->wake_word.load(std::memory_order_acquire);
  {
    std::lock_guard<std::mutex> lock(idle_mu_);
    idle_.push_back(w);
    nidle_.fetch_add(1, std::memory_order_seq_cst);
  }
  // Work we may take at once (the global queue, timers, our own queue), or only work in
  // another worker's queue, which we take only once it has waited.
  const bool work_for_us = global_size_.load(std::memory_order_seq_cst) > 0 || stopping() ||
                           fired_ready_.load(std::memory_order_seq_cst) || !w->runq.empty();
  bool work_visible = work_for_us;
  for (std::size_t i = 0; i < workers_.size() && !work_visible; ++i) work_visible = !workers_[i]->runq.empty();
  if (work_visible) {
    leave_idle_list(w);
    // Work exists but is not ours to take yet (it has not waited; see steal): nap, then
    // look again, rather than spin. A spinning neighbour slows the worker it watches (a
    // lone producer/consumer pair). Not counted idle while napping, so no deadlock is
    // declared and no one needs to wake us.
    if (work_for_us) return Idle::look_again;
    std::this_thread::sleep_for(kNap);
    return Idle::look_once;
  }
  check_deadlock();
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::ProcStop;
    emit(e);
  }
  epoch_offline();  // a sleeping worker must not hold back the channels' reclamation
  while (w->wake_word.load(std::memory_order_acquire) == seen && !stopping()) w->wake_word.wait(seen);
  epoch_online();
  // wake_idle takes a worker off the idle list before it bumps its word, but the bump can
  // land late: after the worker saw the work, went back to spinning and registered as
  // idle again. That stale bump wakes it here while it is still on the list (and the
  // timer thread of a one-thread run wakes it without taking it off). Leaving it there
  // would count it idle twice the next time it sleeps, and a false "all goroutines are
  // asleep" follows. So a woken worker takes itself off.
  leave_idle_list(w);
  if (hot_tracing && !stopping()) {
    Event e;
    e.kind = EventKind::ProcStart;
    emit(e);
  }
  return Idle::look_again;
}

// leave_idle_list takes w off the idle list if it is still on it.
void Runtime::leave_idle_list(Worker* w) {
  std::lock_guard<std::mutex> lock(idle_mu_);
  auto it = std::find(idle_.begin(), idle_.end(), w);
  if (it != idle_.end()) {
    idle_.erase(it);
    nidle_.fetch_sub(1, std::memory_order_seq_cst);
  }
}

void Runtime::worker_loop(Worker* w) {
  std::optional<FaultScope> faults;
  if (w->index != 0) faults.emplace();  // worker 0 is run()'s thread, which has one
  tl_hot = this;
  tl_worker = w;
  w->sched_san.tsan_fiber = san::current_fiber();
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::ProcStart;
    emit(e);
  }
  // Online for the channels' reclamation: between two goroutines a worker holds no
  // segment pointer, so operations need not fence their epoch announcement.
  epoch_online();
  tl_op_mark = &w->op_mark;
  while (G* g = find_runnable(w)) {
    if (!w->active) join_active(w);
    try_solo(w);
    transition(g, GStatus::Runnable, GStatus::Running);
    run_g(w, g);
    epoch_quiescent();
  }
  if (w->active) leave_active(w);
  tl_op_mark = nullptr;
  epoch_offline();
}

}  // namespace goscope::detail
