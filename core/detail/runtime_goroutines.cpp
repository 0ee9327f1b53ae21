// detail/runtime_goroutines.cpp: the life of a goroutine: its creation, the switch from
// one goroutine to the next (and what happens once one is off its stack), park/unpark,
// yield, sleep, work and preemption, panics and fatal errors, the services goroutines call
// (output, clock, random numbers), and making a goroutine runnable; with the events these
// state changes emit.
#include "core/detail/runtime_impl.h"

#include <algorithm>
#include <cxxabi.h>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "core/detail/runtime_internal.h"
#include "core/detail/stack_fault.h"

namespace goscope::detail {
namespace {

constexpr uint32_t kMainId = 1;

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

}  // namespace

// Defined here, beside their hottest readers (make_ready, this_worker): a thread-local
// defined in the same file is one load, one defined elsewhere two.
__thread RuntimeHot* tl_hot = nullptr;
__thread std::atomic<uint32_t>* tl_op_mark = nullptr;
__thread Worker* tl_worker = nullptr;

void fatal(const char* what) {
  std::fprintf(stderr, "goscope: internal error: %s\n", what);
  std::abort();
}

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
    rt->force_status(g, GStatus::Done, "abandoned or panicked: reported by finish / teardown");
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
  force_status(g, GStatus::Runnable, "a new goroutine, or a recycled one (Done)");
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
  force_status(g, GStatus::Done, "abandoned: reported by finish / teardown");
  switch_out(PostAction::Exit);
  fatal("an abandoned goroutine was resumed");
}

// ---------------------------------------------------------------------------------------
// Services goroutines call (here, beside this_worker, which rand64 calls)

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
  // Dekker with go_idle: the waker published work before reading nidle_; a worker
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

}  // namespace goscope::detail
