// detail/runtime_impl.cpp: class Runtime: goroutines, the real-mode work-stealing
// scheduler, the deterministic simulation, timers, and the end of a program.
#include "core/detail/runtime_impl.h"

#include "core/detail/chan_epoch.h"
#include "core/detail/stack_fault.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <exception>
#include <optional>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#define GOSCOPE_CPU_RELAX() _mm_pause()
#else
#define GOSCOPE_CPU_RELAX() std::atomic_signal_fence(std::memory_order_seq_cst)
#endif

namespace goscope::detail {
namespace {

thread_local Worker* tl_worker = nullptr;

constexpr int kSpinRounds = 64;          // steal attempts before an idle worker sleeps
// Every 61st switch of a worker is a fair turn (find_runnable), as Go's schedule().
constexpr uint32_t kFairTurn = 61;
// A thief takes only work that has waited: see find_runnable. Longer than a fair turn
// takes to come round when goroutines hand off every microsecond or so (61 switches),
// or the ring's goroutines look stuck while they only wait for it: 50 us split the
// 4x4 MPMC benchmark over both workers (~95 ns a message), 200 us keeps it on one
// (~32 ns). Still far below anything a lesson computes for (milliseconds).
constexpr std::chrono::microseconds kStealAfter{200};
constexpr std::chrono::microseconds kLookEvery{5};
// An idle worker that sees work it may not take yet naps this long between looks.
constexpr std::chrono::microseconds kNap{50};
// A ring this long is a backlog (many goroutines queued, e.g. a fan-out of short jobs),
// not a group taking turns: see find_runnable.
constexpr uint32_t kBacklog = 16;
constexpr uint32_t kMainId = 1;

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "goscope: internal error: %s\n", what);
  std::abort();
}

// membarrier (Linux >= 4.14) makes every running thread of the process execute a full
// memory barrier: the cheap side of an asymmetric fence (see "Solo").
bool membarrier_ready() {
  static const bool ok = [] {
    const long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  }();
  return ok;
}
// reset_exceptions_in_flight forgets the exceptions this thread is unwinding for (the
// C++ runtime keeps that count per thread): for a goroutine abandoned mid-unwind, whose
// exception will never be caught. The layout is the Itanium C++ ABI's __cxa_eh_globals.
struct EhGlobals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
};
void reset_exceptions_in_flight() {
  auto* eh = reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals());
  eh->caught_exceptions = nullptr;
  eh->uncaught_exceptions = 0;
}

void membarrier_all() {
  if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) fatal("membarrier failed");
}

}  // namespace

__thread RuntimeHot* tl_hot = nullptr;
__thread std::atomic<uint32_t>* tl_op_mark = nullptr;

// this_worker must re-read the thread-local on every call: a goroutine may resume on
// another thread, and a compiler may otherwise keep the thread pointer of the thread the
// function started on. The volatile asm makes the function impure so calls are not merged.
__attribute__((noinline)) Worker* Runtime::this_worker() {
  Worker* w = tl_worker;
  asm volatile("" ::: "memory");
  return w;
}

G* Runtime::current_g() {
  Worker* w = this_worker();
  return w ? w->current : nullptr;
}

Runtime::Runtime(const Config& config)
    : config_(config),
      tracer_(config.sink, std::max(1, config.procs) + 1, config.mode == Mode::deterministic,
              config.event_ring_capacity,
              // as hot_one_thread below: one thread emits everything (the timer thread
              // hands its callbacks to the one worker), so seqs need no locked add
              /*one_thread=*/config.mode == Mode::deterministic || config.procs == 1) {
  if (config_.procs < 1 || config_.procs > 256) throw std::invalid_argument("goscope: procs must be in 1..256");
  hot_tracing = config_.sink != nullptr;
  hot_deterministic = config_.mode == Mode::deterministic;
  hot_op_cost = config_.op_cost_ns;
  // One thread: the deterministic mode, or one worker whose timers fire on it too.
  hot_one_thread = hot_deterministic || config_.procs == 1;
  solo_enabled_ = !hot_one_thread && config_.solo && membarrier_ready();
  int nworkers = deterministic() ? 1 : config_.procs;
  for (int i = 0; i < nworkers; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    w->rng = config_.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i) + 1;
    w->watch.resize(static_cast<std::size_t>(nworkers));
    workers_.push_back(std::move(w));
  }
  vprocs_.resize(static_cast<std::size_t>(config_.procs));
  rng_state_ = config_.seed;
}

Runtime::~Runtime() {
  for (G* g : allg_) {
    StackPool::release(g->stack);
    san::destroy_fiber(g->san.tsan_fiber);
    delete g;
  }
  // A run of 100,000 goroutines must not keep their stacks' memory for the small runs
  // that follow it.
  StackPool::trim(StackPool::kWarmStacks);
}

// ---------------------------------------------------------------------------------------
// Events and state changes

void Runtime::bad_transition() { fatal("goroutine state changed from a state it was not in"); }

void Runtime::emit_transition(G* g, GStatus from, GStatus to, BlockReason reason, uint64_t obj, uint32_t other,
                              int64_t a) {
  EventKind kind;
  if (from == GStatus::Runnable && to == GStatus::Running) {
    kind = EventKind::GoStart;
  } else if (from == GStatus::Running && to == GStatus::Blocked) {
    kind = EventKind::GoBlock;
  } else if (from == GStatus::Blocked && to == GStatus::Runnable) {
    kind = EventKind::GoUnblock;
  } else if (from == GStatus::Running && to == GStatus::Runnable) {
    kind = EventKind::GoYield;
  } else if (from == GStatus::Running && to == GStatus::Done) {
    kind = EventKind::GoExit;
  } else if (from == GStatus::Running && to == GStatus::Working) {
    kind = EventKind::WorkBegin;
  } else if (from == GStatus::Working && to == GStatus::Running) {
    kind = EventKind::WorkEnd;
  } else {
    fatal("no such goroutine state change");
  }
  const uint32_t id = g->id;
  emit_with(hot_deterministic ? nullptr : this_worker(), 1, [=](Event& e) {
    e.kind = kind;
    e.g = id;
    e.other = other;
    e.obj = obj;
    e.a = a;
    if (kind == EventKind::GoBlock) e.reason = static_cast<uint8_t>(reason);
  });
}

void Runtime::flush_wake(Worker* w) {
  const uint32_t g = w->pending_wake;
  const uint32_t waker = w->pending_waker;
  w->pending_wake = 0;
  const bool reuse = w->reuse_ts;
  w->reuse_ts = true;  // the GoUnblock's own time (unpark read the clock)
  emit_with(w, 1, [=](Event& e) {
    e.kind = EventKind::GoUnblock;
    e.g = g;
    e.other = waker;
  });
  w->reuse_ts = reuse;
}

// emit_out emits the event transition_out left for switch_out: self's GoBlock, GoYield or
// GoExit, as one switch record with the GoStart of next when there is one.
void Runtime::emit_out(Worker* w, G* self, G* next) {
  EventKind kind = EventKind::GoExit;
  if (self->status == GStatus::Blocked) {
    kind = EventKind::GoBlock;
  } else if (self->status == GStatus::Runnable) {
    kind = w->post == PostAction::Preempt ? EventKind::GoPreempt : EventKind::GoYield;
  }
  const uint32_t id = self->id;
  const uint32_t next_id = next ? next->id : 0;
  const uint8_t reason = static_cast<uint8_t>(self->reason);
  const uint64_t obj = self->obj;
  emit_with(w, next ? 2 : 1, [=](Event& e) {
    e.kind = kind;
    e.g = id;
    e.obj = obj;
    e.reason = reason;
    e.reserved = next_id;
  });
}

// ---------------------------------------------------------------------------------------
// Goroutines

G* Runtime::new_g(Worker* w) {
  if (w && w->gfree) {
    G* g = w->gfree;
    w->gfree = g->next;
    --w->ngfree;
    g->next = nullptr;
    return g;
  }
  const Stack stack = StackPool::acquire();  // first: it may throw StackUnavailable
  G* g = new G();
  g->stack = stack;
  g->san.asan_bottom = g->stack.bottom();
  g->san.asan_size = g->stack.usable();
  g->san.tsan_fiber = san::create_fiber();
  std::lock_guard<std::mutex> lock(allg_mu_);
  allg_.push_back(g);
  return g;
}

void Runtime::free_g(Worker* w, G* g) {
  g->ctx = nullptr;
  g->next = w->gfree;
  w->gfree = g;
  ++w->ngfree;
}

void g_entry(fctx::transfer_t t) {
  Runtime* rt = runtime();
  Worker* w = rt->this_worker();
  G* g = w->current;  // whoever switched here made us current
  rt->on_resume(w, g, t);
  bool completed = false;
  bool reported_panic = false;  // this goroutine's panic is the one that ended the program
  try {
    if (!rt->stopping()) {
      g->fn();
      completed = true;
    }
  } catch (const Unwind&) {
  } catch (const GoFatal&) {
    reported_panic = true;  // finish() has reported it
  } catch (const GoPanic& p) {
    reported_panic = rt->finish(OutcomeKind::panic, p.message, g->id);
  } catch (const std::exception& e) {
    reported_panic = rt->finish(OutcomeKind::panic, e.what(), g->id);
  } catch (...) {
    reported_panic = rt->finish(OutcomeKind::panic, "unknown C++ exception", g->id);
  }
  if (!completed && !reported_panic) g->end_unreported = true;
  if (completed && g->id == kMainId) rt->finish(OutcomeKind::ok, "", 0);
  // Destroy the captures here, on the goroutine's own stack, while it still is one.
  try {
    g->fn.reset();
  } catch (...) {
  }
  if (completed && g->status == GStatus::Running) {
    rt->transition_out(rt->this_worker(), g, GStatus::Done);
  } else {
    g->status = GStatus::Done;  // abandoned or panicked: reported by finish / teardown
  }
  rt->switch_out(PostAction::Exit);
  fatal("a finished goroutine was resumed");
}

uint32_t Runtime::spawn(Task fn, const char* name, int line) {
  if (over()) return 0;  // a destructor of an abandoned goroutine: no new goroutine
  Worker* w = this_worker();
  G* creator = w ? w->current : nullptr;
  check_headroom(creator);
  G* g = nullptr;
  try {
    g = new_g(w);
  } catch (const StackUnavailable& e) {
    if (!creator) throw;  // main itself: run() reports it
    // Go's words when memory runs out. Unlike a stack overflow, the creator's stack is
    // fine: it unwinds (the program is over, so its destructors' runtime calls give up).
    finish(OutcomeKind::fatal, "out of memory", creator->id, e.what());
    throw GoFatal{};
  }
  g->id = next_gid_.fetch_add(1, std::memory_order_relaxed);
  g->name = name ? name : "";
  g->go_line = line;
  g->fn = std::move(fn);
  g->status = GStatus::Runnable;
  g->reason = BlockReason::None;
  g->obj = 0;
  g->started = false;
  g->end_unreported = false;
  g->panicking.clear();
  g->park.store(kRunning, std::memory_order_relaxed);
  san::reuse_stack(g->stack.bottom(), g->stack.usable());
  g->ctx = fctx::make_fcontext(g->stack.top(), g->stack.usable(), g_entry);
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::GoCreate;
    e.g = creator ? creator->id : 0;
    e.other = g->id;
    e.text = g->name;
    e.a = line;
    emit(e);
  }
  uint32_t id = g->id;
  make_ready(g, /*next=*/true);
  if (creator) charge_op();
  return id;
}

// switch_out leaves the current goroutine. In real mode, when this worker's own queue has
// a goroutine ready (the partner of a handoff sits in runnext), it switches straight to
// it, saving the trip through the scheduler's stack; otherwise it returns to the
// scheduler. Either way, whoever runs next carries out `post` for us once we are off our
// stack (on_resume / run_g -> complete_switch).
void Runtime::switch_out(PostAction post) {
  Worker* w = this_worker();
  G* self = w->current;
  w->post = post;
  G* next = nullptr;
  // A one-thread run's timers fire in the scheduler (find_runnable): when one is due, go
  // there, or two goroutines handing off to each other would keep it from ever firing.
  // And every kFairTurn-th switch goes there too, for its fair turn.
  if (!deterministic() && (++w->switches % kFairTurn == 0)) w->fair_turn = true;
  if (!deterministic() && post != PostAction::Work && !stopping() && !w->fair_turn &&
      !(hot_one_thread && fired_ready_.load(std::memory_order_relaxed)))
    next = w->runq.take(!hot_one_thread);
  fctx::transfer_t t;
  const bool out_event = w->out_event;  // ours, left by transition_out
  w->out_event = false;
  if (next) {
    set_status(next, GStatus::Runnable, GStatus::Running, BlockReason::None, 0);
    if (out_event) {
      emit_out(w, self, next);  // one switch record: our event and next's GoStart
    } else if (hot_tracing) {
      emit_transition(next, GStatus::Runnable, GStatus::Running, BlockReason::None, 0, 0, 0);
    }
    next->started = true;
    w->current = next;
    san::before_switch(self->san, next->san, post == PostAction::Exit);
    t = fctx::jump_fcontext(next->ctx, self);
  } else {
    if (out_event) emit_out(w, self, nullptr);
    san::before_switch(self->san, w->sched_san, post == PostAction::Exit);
    t = fctx::jump_fcontext(w->sched_ctx, self);
  }
  // Resumed, possibly by another worker thread, possibly straight from another goroutine.
  on_resume(this_worker(), self, t);
}

void Runtime::on_resume(Worker* w, G* self, fctx::transfer_t t) {
  G* from = static_cast<G*>(t.data);
  if (from) {
    from->ctx = t.fctx;
    san::after_switch(self->san, nullptr);
    complete_switch(w, from);
  } else {
    w->sched_ctx = t.fctx;
    san::after_switch(self->san, &w->sched_san);
  }
}

void Runtime::run_g(Worker* w, G* g) {
  w->current = g;
  g->started = true;
  san::before_switch(w->sched_san, g->san, false);
  fctx::transfer_t t = fctx::jump_fcontext(g->ctx, nullptr);
  san::after_switch(w->sched_san, nullptr);
  // The goroutine that came back is not necessarily g: g may have switched straight to
  // another one, which then returned here.
  G* from = static_cast<G*>(t.data);
  from->ctx = t.fctx;
  w->current = nullptr;
  complete_switch(w, from);
}

void Runtime::complete_switch(Worker* w, G* g) {
  PostAction post = w->post;
  w->post = PostAction::None;
  switch (post) {
    case PostAction::Park: {
      uint32_t expect = kRunning;
      if (!permit_cas(g, expect, kParked)) {
        // An unpark arrived while the goroutine was on its way out: it is runnable again.
        g->park.store(kRunning, std::memory_order_relaxed);
        transition(g, GStatus::Blocked, GStatus::Runnable, BlockReason::None, 0,
                   g->waker.load(std::memory_order_relaxed));
        make_ready(g, /*next=*/true);
      }
      break;
    }
    case PostAction::Yield:
      make_ready(g, /*next=*/false);
      break;
    case PostAction::Preempt:
      // To the back of the line (Go puts a preempted goroutine on the global queue).
      if (deterministic()) {
        make_ready(g, /*next=*/false);
      } else {
        global_push(g);
      }
      break;
    case PostAction::Exit:
      free_g(w, g);
      break;
    case PostAction::Work: {
      // The work's end, or the end of g's time slice when that comes first: then
      // det_slice_over decides whether g goes on or is preempted.
      const int64_t slice_end = vprocs_[static_cast<std::size_t>(cur_proc_)].slice_start + kTimeSlice;
      det_timers_.push(DetTimer{std::min(g->work_end, std::max(slice_end, hot_clock + 1)), det_timer_seq_++, 0, g});
      break;
    }
    case PostAction::None:
      fatal("goroutine switched out without saying why");
  }
}

// permit_cas is the park permit's compare-and-swap. In a one-thread run no other thread
// can touch the permit, so a plain load and store do (no locked instruction).
bool Runtime::permit_cas(G* g, uint32_t& expect, uint32_t desired) {
  if (hot_one_thread) {
    uint32_t cur = g->park.load(std::memory_order_relaxed);
    if (cur != expect) {
      expect = cur;
      return false;
    }
    g->park.store(desired, std::memory_order_relaxed);
    return true;
  }
  return g->park.compare_exchange_strong(expect, desired, std::memory_order_acq_rel);
}

void Runtime::park(BlockReason reason, uint64_t obj, bool event_follows) {
  if (over()) return;  // unwinding an abandoned goroutine: don't block
  Worker* w = this_worker();
  G* g = w ? w->current : nullptr;
  if (!g) throw std::logic_error("goscope: park outside a goroutine");
  check_headroom(g);
  // A permit may already be here (the partner came before we got to park).
  if (g->park.load(std::memory_order_acquire) == kNotified) {
    g->park.store(kRunning, std::memory_order_relaxed);
    return;
  }
  transition_out(w, g, GStatus::Blocked, reason, obj);
  // The permit stays kRunning while we switch away; whoever runs next moves it to
  // kParked once we are off our stack (complete_switch). A notification that lands in
  // between turns that into a wake-up there: one locked instruction per park, not two.
  switch_out(PostAction::Park);
  if (over()) return;
  // Resumed: the last event of the worker we are on now is our GoStart (or, right after
  // it, the GoUnblock of the goroutine we took over from). The caller's event follows.
  if (hot_tracing) [[unlikely]] {
    if (event_follows && !hot_deterministic) this_worker()->reuse_ts = true;
  }
}

void Runtime::unpark(G* g, bool event_follows) {
  if (stopping()) return;  // the program is over; teardown takes care of g
  Worker* w = this_worker();
  G* waker = w ? w->current : nullptr;
  g->waker.store(waker ? waker->id : 0, std::memory_order_relaxed);
  uint32_t s = g->park.load(std::memory_order_acquire);
  for (;;) {
    switch (s) {
      case kRunning:
        // g has not finished parking: leave the permit; g (or whoever completes its
        // switch) picks it up.
        if (permit_cas(g, s, kNotified)) return;
        break;
      case kParked:
        // Parked for good: nobody but its one unparker (us) touches the permit now, so
        // a plain store does. The release pairs with the acquire of whoever runs g next
        // (through the run queue) and of park()'s permit check.
        g->park.store(kRunning, std::memory_order_release);
        set_status(g, GStatus::Blocked, GStatus::Runnable, BlockReason::None, 0);
        if (hot_tracing) [[unlikely]] {
          const uint32_t waker_id = waker ? waker->id : 0;
          if (event_follows && w && !hot_deterministic && hot_one_thread && g->id < Tracer::kWakeRecord &&
              waker_id != 0) {
            // One thread: nobody else takes a seq before the caller's event, so that
            // event carries this GoUnblock (a wake record). Read the clock for both now.
            if (w->pending_wake) flush_wake(w);
            w->pending_wake = g->id;
            w->pending_waker = waker_id;
            w->last_ts = static_cast<int64_t>(tsc_->stamp());
            w->reuse_ts = true;
          } else {
            emit_transition(g, GStatus::Blocked, GStatus::Runnable, BlockReason::None, 0, waker_id, 0);
            // The caller's event takes our GoUnblock's timestamp (only when there was
            // one: a permit left for a goroutine still parking emits nothing to share).
            if (event_follows && w && !hot_deterministic) w->reuse_ts = true;
          }
        }
        make_ready(g, /*next=*/true);
        return;
      default:
        fatal("goroutine unparked twice");
    }
  }
}

void Runtime::yield() {
  if (over()) return;
  Worker* w = this_worker();
  G* g = w ? w->current : nullptr;
  if (!g) throw std::logic_error("goscope: yield outside a goroutine");
  check_headroom(g);
  charge_op();
  transition_out(w, g, GStatus::Runnable);
  switch_out(PostAction::Yield);
  over();
}

void Runtime::sleep(int64_t ns) {
  if (over()) return;
  G* g = current_g();
  if (!g) throw std::logic_error("goscope: sleep outside a goroutine");
  check_headroom(g);
  if (ns <= 0) return;
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::Sleep;
    e.g = g->id;
    e.a = ns;
    emit(e);
  }
  uint64_t timer = add_timer(ns, [this, g] { unpark(g); });
  try {
    park(BlockReason::Sleep, 0);
  } catch (...) {
    cancel_timer(timer);
    throw;
  }
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::Wake;
    e.g = g->id;
    emit(e);
  }
}

void Runtime::work(int64_t ns) {
  if (over()) return;
  G* g = current_g();
  if (!g) throw std::logic_error("goscope: work outside a goroutine");
  if (ns <= 0) return;
  if (deterministic()) {
    work_deterministic(g, ns);
  } else {
    work_real(g, ns);
  }
}

// work_deterministic holds the virtual processor for ns of virtual time. det_loop ends
// the work, or, at the end of g's time slice while others wait for a processor, preempts
// g (det_slice_over); g then finds work left when it runs again and goes on with it.
void Runtime::work_deterministic(G* g, int64_t ns) {
  VProc& proc = vprocs_[static_cast<std::size_t>(cur_proc_)];
  if (hot_clock - proc.slice_start >= kTimeSlice) {
    if (!runnable_.empty()) {
      preempt();  // a work() boundary after a whole slice: let the others in first
      if (over()) return;
    } else {
      vprocs_[static_cast<std::size_t>(cur_proc_)].slice_start = hot_clock;
    }
  }
  for (int64_t left = ns; left > 0; left = g->work_ns) {
    g->work_end = hot_clock + left;
    transition(g, GStatus::Running, GStatus::Working, BlockReason::Work, 0, 0, left);
    switch_out(PostAction::Work);  // the processor stays ours until the timer (above)
    if (over()) return;
  }
}

// work_real spins for ns of wall time, preempted when its time slice is over and another
// goroutine waits for this worker.
void Runtime::work_real(G* g, int64_t ns) {
  Worker* w = this_worker();
  if (w->slice_mark != w->switches) {  // the first work() of this goroutine's turn here
    w->slice_mark = w->switches;
    w->slice_start = now();
  }
  if (now() - w->slice_start >= kTimeSlice && someone_waits(w)) {
    preempt();  // a work() boundary after a whole slice
    if (over()) return;
    w = this_worker();
  }
  transition(g, GStatus::Running, GStatus::Working, BlockReason::Work, 0, 0, ns);
  int64_t deadline = now() + ns;
  for (int64_t t = now(); t < deadline; t = now()) {
    if (over()) return;
    if (hot_one_thread) run_fired_timers(w);  // the timers of a one-thread run fire here
    if (t - w->slice_start >= kTimeSlice && someone_waits(w)) {
      const int64_t left = deadline - t;
      transition(g, GStatus::Working, GStatus::Running);
      preempt();
      if (over()) return;
      w = this_worker();
      transition(g, GStatus::Running, GStatus::Working, BlockReason::Work, 0, 0, left);
      deadline = now() + left;
    }
    for (int i = 0; i < 64; ++i) GOSCOPE_CPU_RELAX();
  }
  transition(g, GStatus::Working, GStatus::Running);
}

bool Runtime::someone_waits(Worker* w) {
  return !w->runq.empty() || global_size_.load(std::memory_order_relaxed) > 0 ||
         (hot_one_thread && fired_ready_.load(std::memory_order_relaxed));
}

void Runtime::preempt() {
  Worker* w = this_worker();
  G* g = w->current;
  transition_out(w, g, GStatus::Runnable);
  switch_out(PostAction::Preempt);
  if (!deterministic()) {
    w = this_worker();
    w->slice_mark = w->switches;  // a new slice from here
    w->slice_start = now();
  }
}

// det_slice_over is det_loop's side of a working goroutine whose time slice ended before
// its work did: preempted when a goroutine waits for a processor, else a new slice
// begins and its timer is pushed again (no event: it just works on).
void Runtime::det_slice_over(G* g) {
  VProc& proc = vprocs_[static_cast<std::size_t>(cur_proc_)];
  if (runnable_.empty()) {
    proc.slice_start = hot_clock;
    det_timers_.push(DetTimer{std::min(g->work_end, hot_clock + kTimeSlice), det_timer_seq_++, 0, g});
    return;
  }
  g->work_ns = g->work_end - hot_clock;  // what is left when it runs again
  transition(g, GStatus::Working, GStatus::Running);
  set_status(g, GStatus::Running, GStatus::Runnable, BlockReason::None, 0);
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::GoPreempt;
    e.g = g->id;
    emit(e);
  }
  proc.holder = nullptr;
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::ProcStop;
    emit(e);
  }
  make_ready(g, /*next=*/false);
}

void Runtime::panic_current(std::string message) {
  G* g = current_g();
  if (g && std::uncaught_exceptions() > 0) {
    // A panic while g unwinds (a destructor panics): a throw here would end the process.
    // Go reports both panics ("panic: first\n\tpanic: second") unless the program is over
    // already, and runs nothing more of g; so does goscope.
    if (!stopping()) {
      std::string both = g->panicking.empty() ? message : g->panicking + "\n\tpanic: " + message;
      abandon_current(finish(OutcomeKind::panic, std::move(both), g->id));
    }
    abandon_current(false);
  }
  if (g) g->panicking = message;
  throw GoPanic{std::move(message)};
}

void Runtime::fatal_current(const char* message, const char* detail) {
  G* g = current_g();
  abandon_current(finish(OutcomeKind::fatal, message, g ? g->id : 0, detail));
}

void Runtime::stack_overflow() {
  static const std::string detail =
      "runtime: goroutine stack exceeds " + std::to_string(Stack::usable()) + "-byte limit";
  fatal_current("stack overflow", detail.c_str());
}

void on_stack_fault(const void* addr) {
  Runtime* rt = runtime();
  if (!rt) return;
  G* g = rt->current_g();
  if (g && g->stack.in_guard(addr)) rt->stack_overflow();
}

void Runtime::abandon_current(bool reported) {
  Worker* w = this_worker();
  G* g = w->current;
  // The thread's count of exceptions in flight includes g's, which will never finish
  // unwinding; the goroutines that run next on this thread must not see it.
  reset_exceptions_in_flight();
  g->end_unreported = !reported;
  g->status = GStatus::Done;  // outside transition(): reported by finish / teardown
  switch_out(PostAction::Exit);
  fatal("an abandoned goroutine was resumed");
}

void Runtime::output(std::string_view line) {
  if (over()) return;  // Go prints nothing for a goroutine abandoned at exit
  G* g = current_g();
  check_headroom(g);
  charge_op();
  const char* text = hot_tracing ? intern(line) : nullptr;
  // The event goes out under the same lock as the line, so that concurrent prints come
  // in the same order in Outcome::output and in the event stream.
  std::lock_guard<std::mutex> lock(output_mu_);
  outcome_.output.emplace_back(line);
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::Output;
    e.g = g ? g->id : 0;
    e.text = text;
    emit(e);
  }
}

void Runtime::charge_op() {
  if (deterministic()) {
    hot_clock += hot_op_cost;
  } else {
    over();
  }
}

int64_t Runtime::now() {
  if (deterministic()) return hot_clock;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
}

uint64_t Runtime::rand64() {
  if (deterministic()) return splitmix64(rng_state_);
  Worker* w = this_worker();
  if (w) return splitmix64(w->rng);
  static thread_local uint64_t s = 0x1234567;
  return splitmix64(s);
}

// ---------------------------------------------------------------------------------------
// Making goroutines runnable

void Runtime::make_ready(G* g, bool next) {
  if (deterministic()) {
    g->ready_at = hot_clock;
    runnable_.push_back(g);
    return;
  }
  Worker* w = this_worker();
  if (w && tl_hot == this) {
    G* put = g;
    if (next) put = w->runq.swap_next(g, !hot_one_thread);
    if (put && !w->runq.put(put)) {
      // Local ring full: move half of it to the global queue (as Go's runqputslow).
      G* batch[RunQueue::kCapacity / 2];
      uint32_t n = w->runq.take_half(batch);
      {
        std::lock_guard<std::mutex> lock(global_mu_);
        for (uint32_t i = 0; i < n; ++i) {
          batch[i]->next = nullptr;
          if (global_tail_) global_tail_->next = batch[i]; else global_head_ = batch[i];
          global_tail_ = batch[i];
        }
        global_size_.fetch_add(n, std::memory_order_seq_cst);
      }
      if (!w->runq.put(put)) global_push(put);
    }
  } else {
    global_push(g);
  }
  wake_idle();
}

void Runtime::global_push(G* g) {
  {
    std::lock_guard<std::mutex> lock(global_mu_);
    g->next = nullptr;
    if (global_tail_) global_tail_->next = g; else global_head_ = g;
    global_tail_ = g;
    global_size_.fetch_add(1, std::memory_order_seq_cst);
  }
  wake_idle();
}

G* Runtime::global_pop() {
  std::lock_guard<std::mutex> lock(global_mu_);
  G* g = global_head_;
  if (!g) return nullptr;
  global_head_ = g->next;
  if (!global_head_) global_tail_ = nullptr;
  g->next = nullptr;
  global_size_.fetch_sub(1, std::memory_order_seq_cst);
  return g;
}

void Runtime::wake_idle() {
  // Dekker with find_runnable: the waker published work before reading nidle_; a worker
  // going idle publishes nidle_ before re-checking for work. One of them sees the other.
  if (nidle_.load(std::memory_order_seq_cst) == 0 || nspinning_.load(std::memory_order_seq_cst) > 0) return;
  Worker* w = nullptr;
  {
    std::lock_guard<std::mutex> lock(idle_mu_);
    if (idle_.empty()) return;
    w = idle_.back();
    idle_.pop_back();
    nidle_.fetch_sub(1, std::memory_order_seq_cst);
  }
  w->wake_word.fetch_add(1, std::memory_order_release);
  w->wake_word.notify_one();
}

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

G* Runtime::find_runnable(Worker* w) {
  const std::size_t n = workers_.size();
  for (int round = 0;; ++round) {
    if (stopping()) return nullptr;
    if (hot_one_thread) run_fired_timers(w);
    if (w->fair_turn) {
      // Goroutines that hand off to each other go through runnext and could run on this
      // worker forever, while others wait in its ring or in the global queue (a sleeper
      // woken by the timer thread). Now and then those come first (Go: every 61st
      // schedule looks at the global queue; a time slice bounds runnext).
      w->fair_turn = false;
      if (global_size_.load(std::memory_order_relaxed) > 0) {
        if (G* g = global_pop()) return g;
      }
      if (G* g = w->runq.take_ring(!hot_one_thread)) return g;
    }
    if (G* g = w->runq.take(!hot_one_thread)) return g;
    if (global_size_.load(std::memory_order_relaxed) > 0) {
      if (G* g = global_pop()) {
        // Take a few more so the global lock is not paid per goroutine.
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
    }
    // Nothing of our own: we stop counting as a participant (see "Solo") until we have a
    // goroutine to run again, so that a worker still busy may go solo.
    if (w->active) leave_active(w);
    if (n > 1) {
      // Work stealing takes only work that has waited. Goroutines that talk to each other
      // (a handoff puts the partner in the waker's runnext) run best on one worker: in its
      // cache, at one-worker speed. Taking them as soon as they are queued splits every
      // producer from its consumer across cores, where each message costs cache-line
      // transfers (SPSC on two workers: ~100 ns a message against ~25 on one). So a thief
      // first notes how far the victim has got, and steals only when, kStealAfter later,
      // the victim has started nothing from its ring (or, with a long ring, not yet all
      // that was queued then), or has not switched goroutines at all (its runnext): then
      // the victim is busy and the work is waiting, which is when a second core helps. A
      // short ring that moves is a group taking turns (a pair handing off through runnext
      // serves the ring at fair turns only), so it stays. Go steals runnext only after
      // ~3 us for the same reason; a grace on the ring keeps communicating groups together.
      std::size_t start = splitmix64(w->rng) % n;
      const auto now = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t vi = (start + i) % n;
        Worker* victim = workers_[vi].get();
        if (victim == w) continue;
        Worker::StealWatch& seen = w->watch[vi];
        // Look rarely: the victim writes these lines at every switch, and each look makes
        // its next write a cache miss (~100 ns here). So a victim is looked at once per
        // kLookEvery while it seems idle, and once per kStealAfter while it has work.
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
        if (G* g = victim->runq.steal_into(w->runq, next_waited)) {
          if (w->spinning) {
            w->spinning = false;
            nspinning_.fetch_sub(1, std::memory_order_seq_cst);
          }
          return g;
        }
      }
    }
    if (round < kSpinRounds) {
      if (!w->spinning) {
        w->spinning = true;
        nspinning_.fetch_add(1, std::memory_order_seq_cst);
      }
      for (int i = 0; i < 32; ++i) GOSCOPE_CPU_RELAX();
      continue;
    }
    if (w->spinning) {
      w->spinning = false;
      nspinning_.fetch_sub(1, std::memory_order_seq_cst);
    }
    // Sleep: announce, re-check, then wait on our futex word.
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
    for (std::size_t i = 0; i < n && !work_visible; ++i) work_visible = !workers_[i]->runq.empty();
    if (work_visible) {
      {
        std::lock_guard<std::mutex> lock(idle_mu_);
        auto it = std::find(idle_.begin(), idle_.end(), w);
        if (it != idle_.end()) {
          idle_.erase(it);
          nidle_.fetch_sub(1, std::memory_order_seq_cst);
        }
      }
      // Work exists but is not ours to take yet (it has not waited; see the stealing
      // above): nap, then look again, rather than spin. A spinning neighbour slows the
      // worker it watches (a lone producer/consumer pair: ~42 ns a message with us
      // spinning, ~28 napping). Not counted idle while napping, so no deadlock is
      // declared and no one needs to wake us.
      if (work_for_us) {
        round = -1;
        continue;
      }
      std::this_thread::sleep_for(kNap);
      round = kSpinRounds - 1;  // after the nap: one more look, then back here
      continue;
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
    {
      // wake_idle takes a worker off the idle list before it bumps its word, but the
      // bump can land late: after the worker saw the work, went back to spinning and
      // registered as idle again. That stale bump wakes it here while it is still on the
      // list (and the timer thread of a one-thread run wakes it without taking it off).
      // Leaving it there would count it idle twice the next time it sleeps, and a false
      // "all goroutines are asleep" follows. So a woken worker takes itself off.
      std::lock_guard<std::mutex> lock(idle_mu_);
      auto it = std::find(idle_.begin(), idle_.end(), w);
      if (it != idle_.end()) {
        idle_.erase(it);
        nidle_.fetch_sub(1, std::memory_order_seq_cst);
      }
    }
    if (hot_tracing && !stopping()) {
      Event e;
      e.kind = EventKind::ProcStart;
      emit(e);
    }
    round = -1;
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

// ---------------------------------------------------------------------------------------
// Solo
//
// With several workers the channels run their shared form: four locked instructions a
// buffered message (~7 ns each here), ~73 ns a message where one thread takes 23. Yet a
// producer and its consumer usually run on one worker (stealing takes only work that has
// waited), the other workers idle. So a worker that runs alone, solo, takes the plain
// form, as a one-worker run does; it must stop before anyone else touches a channel.
//
// Participants are the workers that run goroutines and the timer thread while it fires
// a timer; nactive_ counts them. A worker joins before it runs a goroutine after having
// looked for work elsewhere, and leaves when it finds none of its own; the timer thread
// joins around each callback. A worker that sees itself the only participant makes its
// op-mark the owner (hot_solo_owner), then re-reads nactive_ and backs off if someone
// joined meanwhile (Dekker, seq_cst on both sides). A joiner that finds an owner clears
// it and then waits until the owner is outside any channel operation: the owner sets its
// op-mark, then reads the owner field (a compiler fence only between them); the joiner
// clears the field, issues membarrier, then reads the op-mark. membarrier runs a full
// barrier on every thread of the process, so either the owner's mark is visible to the
// joiner (who waits for the release store that ends the operation) or the owner's read
// comes after the barrier and sees the cleared field (the operation takes the shared
// form). Run queues and park permits keep their shared form throughout: a thief may
// take from a solo worker at any time, and only channels pay for the difference.

bool Runtime::solo_available() { return membarrier_ready(); }

void Runtime::join_active(Worker* w) {
  if (w) w->active = true;
  nactive_.fetch_add(1, std::memory_order_seq_cst);
  if (!solo_enabled_) return;
  // Joiners take turns: a second joiner that found the owner already cleared must not
  // go on while the first still waits for the owner to leave its operation (it would
  // race with it). The mutex also hands the first joiner's acquire on to the next.
  std::lock_guard<std::mutex> lock(solo_mu_);
  std::atomic<uint32_t>* owner = hot_solo_owner.load(std::memory_order_seq_cst);
  if (!owner) return;
  hot_solo_owner.store(nullptr, std::memory_order_seq_cst);
  membarrier_all();
  // The owner is inside one channel operation (tens of ns) unless the OS took its core.
  for (int spins = 0; owner->load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 1000) {
      GOSCOPE_CPU_RELAX();
    } else {
      std::this_thread::yield();
    }
  }
}

void Runtime::leave_active(Worker* w) {
  if (w) {
    w->active = false;
    // Outside any operation here, so no handshake: the field just stops naming us.
    if (hot_solo_owner.load(std::memory_order_relaxed) == &w->op_mark)
      hot_solo_owner.store(nullptr, std::memory_order_seq_cst);
  }
  nactive_.fetch_sub(1, std::memory_order_seq_cst);
}

void Runtime::try_solo(Worker* w) {
  if (!solo_enabled_) return;
  std::atomic<uint32_t>* mine = &w->op_mark;
  if (nactive_.load(std::memory_order_relaxed) != 1 || hot_solo_owner.load(std::memory_order_relaxed) == mine) return;
  if (stopping()) return;
  hot_solo_owner.store(mine, std::memory_order_seq_cst);
  if (nactive_.load(std::memory_order_seq_cst) != 1) {
    hot_solo_owner.store(nullptr, std::memory_order_seq_cst);  // someone joined meanwhile
    return;
  }
  solo_phases_.fetch_add(1, std::memory_order_relaxed);
}

void Runtime::timer_loop() {
  tl_hot = this;
  std::unique_lock<std::mutex> lock(timer_mu_);
  while (!stopping()) {
    if (timers_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    auto it = timers_.begin();
    int64_t when = it->first.first;
    int64_t t = now();
    if (when > t) {
      timer_cv_.wait_for(lock, std::chrono::nanoseconds(when - t));
      continue;
    }
    std::function<void()> fire = std::move(it->second);
    timer_when_.erase(it->first.second);
    timers_.erase(it);
    lock.unlock();
    if (hot_one_thread) {
      hand_to_worker(std::move(fire));
    } else {
      join_active(nullptr);  // a callback may use a channel: no worker may be solo now
      fire();
      leave_active(nullptr);
      pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
      check_deadlock();
    }
    lock.lock();
  }
}

// hand_to_worker passes a due timer's callback to the one worker of a one-thread run (the
// timer thread only keeps time there, so that channels and goroutines are touched by one
// thread) and wakes it. The timer stays pending until the worker has run the callback, so
// no deadlock is declared in between.
void Runtime::hand_to_worker(std::function<void()> fire) {
  {
    std::lock_guard<std::mutex> lock(fired_mu_);
    fired_.push_back(std::move(fire));
  }
  fired_ready_.store(true, std::memory_order_seq_cst);
  Worker* w = workers_[0].get();
  w->wake_word.fetch_add(1, std::memory_order_seq_cst);
  w->wake_word.notify_one();
}

// run_fired_timers runs, on the worker of a one-thread run, the callbacks the timer thread
// handed over. Called between goroutines and from work()'s wait; the callbacks run as the
// scheduler (no current goroutine), as they would on the timer thread.
void Runtime::run_fired_timers(Worker* w) {
  if (!fired_ready_.load(std::memory_order_relaxed)) return;
  fired_ready_.store(false, std::memory_order_relaxed);
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(fired_mu_);
    batch.swap(fired_);
  }
  G* running = w->current;
  w->current = nullptr;
  for (auto& fire : batch) {
    if (!stopping()) fire();
    pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
  }
  w->current = running;
}

uint64_t Runtime::add_timer(int64_t delay_ns, std::function<void()> fire) {
  uint64_t id = next_timer_id_.fetch_add(1, std::memory_order_relaxed);
  int64_t when = now() + std::max<int64_t>(0, delay_ns);
  if (deterministic()) {
    det_timer_fns_.emplace(id, std::move(fire));
    det_timers_.push(DetTimer{when, det_timer_seq_++, id, nullptr});
    return id;
  }
  pending_timers_.fetch_add(1, std::memory_order_seq_cst);
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    auto it = timers_.emplace(std::make_pair(when, id), std::move(fire)).first;
    timer_when_[id] = when;
    earliest = it == timers_.begin();
  }
  if (earliest) timer_cv_.notify_one();
  return id;
}

bool Runtime::cancel_timer(uint64_t id) {
  if (deterministic()) return det_timer_fns_.erase(id) > 0;  // its heap entry is skipped later
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    auto it = timer_when_.find(id);
    if (it == timer_when_.end()) return false;
    timers_.erase(std::make_pair(it->second, id));
    timer_when_.erase(it);
  }
  pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
  return true;
}

// ---------------------------------------------------------------------------------------
// Deterministic mode: one thread, `procs` virtual processors, a virtual clock.
//
// The clock is global: goroutine code between blocking points takes op_cost_ns per
// runtime operation; work(d) holds a processor for d; sleep(d) holds none. Each round:
//   1. fire timers that are due (sleep ends, after(), tickers, ends of work),
//   2. else, if a processor is free and a goroutine is runnable, let the PRNG (or the
//      chooser) pick one and run it until it blocks, yields, works or exits,
//   3. else advance the clock to the next timer,
//   4. else nothing can ever run again: deadlock.

void Runtime::det_loop() {
  Worker* w = workers_[0].get();
  epoch_online();  // see worker_loop
  struct Offline {
    ~Offline() { epoch_offline(); }
  } offline;
  while (!stopping()) {
    // Drop cancelled timers.
    while (!det_timers_.empty() && !det_timers_.top().working && !det_timer_fns_.count(det_timers_.top().id))
      det_timers_.pop();
    const bool timer_due = !det_timers_.empty() && det_timers_.top().when <= hot_clock;
    int free_proc = -1;
    for (std::size_t p = 0; p < vprocs_.size(); ++p) {
      if (!vprocs_[p].holder) {
        free_proc = static_cast<int>(p);
        break;
      }
    }
    if (!timer_due && free_proc >= 0 && !runnable_.empty()) {
      std::size_t pick;
      if (config_.chooser) {
        std::vector<uint32_t> ids;
        ids.reserve(runnable_.size());
        for (G* g : runnable_) ids.push_back(g->id);
        std::vector<std::size_t> order(runnable_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
        std::vector<uint32_t> sorted;
        for (std::size_t i : order) sorted.push_back(ids[i]);
        std::size_t k = config_.chooser(sorted);
        pick = order[std::min(k, order.size() - 1)];
      } else {
        pick = static_cast<std::size_t>(splitmix64(rng_state_) % runnable_.size());
      }
      G* g = runnable_[pick];
      runnable_[pick] = runnable_.back();
      runnable_.pop_back();
      cur_proc_ = free_proc;
      vprocs_[static_cast<std::size_t>(free_proc)].holder = g;
      vprocs_[static_cast<std::size_t>(free_proc)].slice_start = hot_clock;
      if (hot_tracing) {
        Event e;
        e.kind = EventKind::ProcStart;
        e.other = g->id;
        emit(e);
      }
      transition(g, GStatus::Runnable, GStatus::Running);
      run_g(w, g);
      epoch_quiescent();
      if (vprocs_[static_cast<std::size_t>(free_proc)].holder == g && g->status != GStatus::Working) {
        vprocs_[static_cast<std::size_t>(free_proc)].holder = nullptr;
        if (hot_tracing && !stopping()) {
          Event e;
          e.kind = EventKind::ProcStop;
          emit(e);
        }
      }
      continue;
    }
    if (det_timers_.empty()) {
      finish(OutcomeKind::deadlock, "", 0);
      break;
    }
    DetTimer t = det_timers_.top();
    det_timers_.pop();
    hot_clock = std::max(hot_clock, t.when);
    if (t.working) {
      G* g = t.working;
      int p = 0;
      while (vprocs_[static_cast<std::size_t>(p)].holder != g) ++p;
      cur_proc_ = p;
      if (hot_clock < g->work_end) {  // its time slice ended first
        det_slice_over(g);
        continue;
      }
      g->work_ns = 0;
      transition(g, GStatus::Working, GStatus::Running);
      run_g(w, g);
      if (vprocs_[static_cast<std::size_t>(p)].holder == g && g->status != GStatus::Working) {
        vprocs_[static_cast<std::size_t>(p)].holder = nullptr;
        if (hot_tracing && !stopping()) {
          Event e;
          e.kind = EventKind::ProcStop;
          emit(e);
        }
      }
    } else {
      auto it = det_timer_fns_.find(t.id);
      if (it == det_timer_fns_.end()) continue;
      std::function<void()> fire = std::move(it->second);
      det_timer_fns_.erase(it);
      fire();
    }
  }
}

// ---------------------------------------------------------------------------------------
// The end of a program

bool Runtime::finish(OutcomeKind kind, std::string message, uint32_t goroutine, std::string detail) {
  {
    std::lock_guard<std::mutex> lock(outcome_mu_);
    if (finished_) return false;
    finished_ = true;
    outcome_.kind = kind;
    outcome_.goroutine = goroutine;
    if (kind == OutcomeKind::deadlock) message = "all goroutines are asleep - deadlock!";
    outcome_.message = message;
    outcome_.detail = std::move(detail);
    // A fatal error names its goroutine with a Panic event too: the one the run died of.
    if ((kind == OutcomeKind::panic || kind == OutcomeKind::fatal) && hot_tracing) {
      Event e;
      e.kind = EventKind::Panic;
      e.g = goroutine;
      e.a = kind == OutcomeKind::fatal;
      e.text = intern(message);
      emit(e);
    }
    hot_stopping.store(true, std::memory_order_release);
  }
  for (auto& w : workers_) {
    w->wake_word.fetch_add(1, std::memory_order_release);
    w->wake_word.notify_all();
  }
  { std::lock_guard<std::mutex> lock(timer_mu_); }
  timer_cv_.notify_all();
  return true;
}

std::vector<BlockedGoroutine> Runtime::blocked_report() {
  std::vector<G*> alive;
  for (G* g : allg_)
    if (g->status != GStatus::Done) alive.push_back(g);
  std::sort(alive.begin(), alive.end(), [](G* a, G* b) { return a->id < b->id; });
  std::vector<BlockedGoroutine> out;
  for (G* g : alive) {
    BlockedGoroutine b;
    b.id = g->id;
    b.name = g->name;
    b.wait_reason = g->status == GStatus::Blocked ? go_wait_reason(g->reason) : "runnable";
    out.push_back(std::move(b));
  }
  return out;
}

void Runtime::teardown() {
  Worker* w = workers_[0].get();
  tl_worker = w;
  std::vector<G*> alive;
  for (G* g : allg_)
    if (g->status != GStatus::Done) alive.push_back(g);
  std::sort(alive.begin(), alive.end(), [](G* a, G* b) { return a->id < b->id; });
  if (outcome_.kind == OutcomeKind::deadlock) {
    outcome_.blocked = blocked_report();
    if (hot_tracing) {
      Event e;
      e.kind = EventKind::Deadlock;
      e.text = "all goroutines are asleep - deadlock!";
      emit(e);
    }
  }
  if (hot_tracing) {
    // The living, and those that already unwound without an end event of their own.
    std::vector<G*> ended_unfinished = alive;
    for (G* g : allg_)
      if (g->status == GStatus::Done && g->end_unreported) ended_unfinished.push_back(g);
    std::sort(ended_unfinished.begin(), ended_unfinished.end(), [](G* a, G* b) { return a->id < b->id; });
    for (G* g : ended_unfinished) {
      Event e;
      e.kind = EventKind::GoAbandon;
      e.g = g->id;
      e.reason = static_cast<uint8_t>(g->status == GStatus::Blocked ? g->reason : BlockReason::None);
      e.obj = g->obj;
      emit(e);
    }
    Event e;
    e.kind = EventKind::ProgramEnd;
    e.a = static_cast<int64_t>(outcome_.kind);
    e.text = outcome_.message.empty() ? nullptr : intern(outcome_.message);
    emit(e);
  }
  hot_tracing = false;  // what follows is clean-up, not the program
  // Unwind the goroutines that started, so their destructors run; drop the others' closures.
  for (G* g : alive) {
    if (!g->started) {
      try {
        g->fn.reset();
      } catch (...) {
      }
      g->status = GStatus::Done;
      continue;
    }
    for (int attempt = 0; attempt < 8 && g->status != GStatus::Done; ++attempt) {
      g->status = GStatus::Running;
      g->park.store(kRunning, std::memory_order_relaxed);
      run_g(w, g);
    }
  }
}

Outcome Runtime::run(std::function<void()> main_fn) {
  if (tl_hot) throw std::logic_error("goscope::run called inside a running program");
  start_ = std::chrono::steady_clock::now();
  if (hot_tracing && !deterministic()) {
    tsc_ = &TscClock::get();
    start_stamp_ = tsc_->stamp();
    tracer_.set_tick_clock(start_stamp_, tsc_->ns_per_tick_q32());
  }
  tl_hot = this;
  Worker* w0 = workers_[0].get();
  tl_worker = nullptr;
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::ProgramStart;
    e.a = config_.procs;
    e.b = deterministic() ? 0 : 1;
    emit(e);
  }
  try {
    spawn(Task(std::move(main_fn)), "main", 0);
  } catch (const StackUnavailable& e) {
    finish(OutcomeKind::fatal, "out of memory", 0, e.what());
  }
  FaultScope faults;  // this thread runs goroutines: worker 0, or the deterministic loop
  tl_worker = w0;
  w0->sched_san.tsan_fiber = san::current_fiber();
  if (deterministic()) {
    det_loop();
  } else {
    timer_thread_ = std::thread([this] { timer_loop(); });
    for (std::size_t i = 1; i < workers_.size(); ++i) {
      Worker* w = workers_[i].get();
      w->thread = std::thread([this, w] { worker_loop(w); });
    }
    worker_loop(w0);
    if (w0->pending_wake) flush_wake(w0);  // a wake whose operation never emitted
    tl_worker = w0;
    for (std::size_t i = 1; i < workers_.size(); ++i) workers_[i]->thread.join();
    timer_thread_.join();
    // Timers that never fired hold closures (goroutine pointers): drop them.
    timers_.clear();
    timer_when_.clear();
    fired_.clear();
  }
  outcome_.elapsed_ns = now();
  teardown();
  det_timer_fns_.clear();
  tracer_.finish();
  outcome_.goroutines = next_gid_.load() - 1;
  outcome_.events = tracer_.emitted();
  outcome_.events_dropped = tracer_.dropped();
  outcome_.solo_phases = solo_phases_.load(std::memory_order_relaxed);
  tl_hot = nullptr;
  tl_worker = nullptr;
  return std::move(outcome_);
}

}  // namespace goscope::detail
