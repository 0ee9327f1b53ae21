// detail/runtime_impl.h: class Runtime, the runtime of one program run behind
// core/runtime.h's run(): goroutines, workers (real mode) or virtual processors
// (deterministic mode), timers, and the end of the program.
//
// Life of a goroutine (G), and the one place its state changes: Runtime::set_status,
// which asserts the state left, called by transition() (which also emits the event) or
// by a caller that emits the event itself. The few writes that must bypass it (a new
// goroutine, one abandoned at the end) go through Runtime::force_status and say why.
//
//   go() ──> Runnable ──GoStart──> Running ──GoExit──> Done
//               ^                   │  │  │
//               │         GoYield ──┘  │  └── WorkBegin ──> Working ──WorkEnd──> Running
//               │                      │ GoBlock (park)
//               └────GoUnblock──── Blocked
//
// The switch: every goroutine runs on its own stack. It leaves with a PostAction (finish
// parking, requeue after a yield, free after exit, or, deterministic mode, hold the
// processor for work()) that must run once it is off its stack. In real mode it switches
// straight to the next goroutine of its worker's queue when there is one (a handoff's
// partner waits in runnext), and that goroutine carries out the PostAction; otherwise it
// returns to the worker's scheduler context, which does. The deterministic mode always
// returns to its scheduler, which decides who runs next.
//
// The class is one; its parts live in one file each: runtime_impl.cpp (construction,
// run()), runtime_goroutines.cpp (life cycle and switching), runtime_real.cpp (worker
// threads), runtime_solo.cpp, runtime_deterministic.cpp, runtime_timers.cpp and
// runtime_end.cpp (finish, teardown).
#pragma once

#include <boost/context/detail/fcontext.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/detail/fiber_sanitizer.h"
#include "core/detail/run_queue.h"
#include "core/detail/park.h"
#include "core/detail/stack_pool.h"
#include "core/detail/task.h"
#include "core/detail/tracer.h"
#include "core/detail/tsc_clock.h"
#include "core/runtime.h"

namespace goscope::detail {

namespace fctx = boost::context::detail;

enum class GStatus : uint8_t { Runnable, Running, Blocked, Working, Done };

// The park permit (see park.h). kRunning: running, or on its way out of its stack after
// park(); kParked: off its stack, waiting; kNotified: an unpark came before kParked.
enum ParkState : uint32_t { kRunning = 0, kParked = 2, kNotified = 3 };

enum class PostAction : uint8_t { None, Park, Yield, Preempt, Exit, Work };

// GoPanic carries a Go panic up a goroutine's stack to its entry function.
struct GoPanic {
  std::string message;
};
// GoFatal unwinds a goroutine whose fatal error finish() has already reported.
struct GoFatal {};

struct G {
  uint32_t id = 0;
  const char* name = "";
  int go_line = 0;
  fctx::fcontext_t ctx = nullptr;  // where to resume it (valid while not running)
  Stack stack;
  Task fn;
  std::atomic<uint32_t> park{kRunning};
  std::atomic<uint32_t> waker{0};  // id of the goroutine whose unpark woke it
  GStatus status = GStatus::Runnable;  // written by Runtime::set_status and force_status only
  BlockReason reason = BlockReason::None;
  uint64_t obj = 0;
  bool started = false;
  // end_unreported: g died before teardown without an event saying so (it unwound after
  // another goroutine's panic ended the program, or panicked second); teardown reports it
  // as abandoned like the goroutines still alive.
  bool end_unreported = false;
  // The message of the panic g is unwinding for: a panic raised while it unwinds (from a
  // destructor) is reported with it, as Go reports a panic in a deferred call.
  std::string panicking;
  G* next = nullptr;       // run queue / free list link
  int64_t ready_at = 0;    // deterministic mode: virtual time it became runnable
  int64_t work_ns = 0;     // deterministic mode: work() left after a preemption
  int64_t work_end = 0;    // deterministic mode: virtual time the current work() is done
  san::FiberSan san;
};

// Worker is a real-mode worker thread (Go's M+P), or in the deterministic mode the one
// thread that simulates every virtual processor.
struct Worker {
  int index = 0;
  fctx::fcontext_t sched_ctx = nullptr;
  san::FiberSan sched_san;
  G* current = nullptr;
  PostAction post = PostAction::None;
  RunQueue runq;                 // real mode
  G* gfree = nullptr;            // recycled goroutines (with their stacks)
  uint32_t ngfree = 0;
  uint64_t rng = 0;
  std::atomic<uint32_t> wake_word{0};
  bool spinning = false;
  // Every kFairTurn-th switch goes through the scheduler, which then serves the global
  // queue and the ring before runnext (see take_fair_turn).
  uint32_t switches = 0;
  bool fair_turn = false;
  // Preemption (work()): the time slice of the goroutine on this worker began at
  // slice_start, in its first work() since `switches` was slice_mark.
  uint32_t slice_mark = ~0u;
  int64_t slice_start = 0;
  // Solo (runtime_solo.cpp): whether this worker counts in Runtime::nactive_, and its
  // op-mark (tl_op_mark), on a line of its own: it is written around every channel
  // operation and read by a joiner only.
  bool active = false;
  alignas(64) std::atomic<uint32_t> op_mark{0};
  // What this worker, as a thief, last saw of each victim's queue (steal).
  struct StealWatch {
    bool armed = false;
    uint32_t takes = 0, head = 0, tail = 0;
    std::chrono::steady_clock::time_point since;
    std::chrono::steady_clock::time_point next_look;  // no look at the victim before
  };
  std::vector<StealWatch> watch;
  std::thread thread;
  // Real mode, traced: the raw clock stamp of this worker's last event, and whether the
  // next event may take it instead of reading the clock (park / unpark's event_follows).
  int64_t last_ts = 0;
  bool reuse_ts = false;
  // Traced: the running goroutine's transition_out left its event to switch_out.
  bool out_event = false;
  // Traced one-thread runs: a GoUnblock that unpark left for the waker's operation event
  // to carry (a wake record, see Tracer); 0 = none. Its time is last_ts.
  uint32_t pending_wake = 0;
  uint32_t pending_waker = 0;
};

// VProc is a virtual processor of the deterministic mode.
struct VProc {
  int64_t clock = 0;
  G* holder = nullptr;     // the goroutine running or working on it
  int64_t slice_start = 0; // virtual time the holder's time slice began
};

class Runtime : public RuntimeHot {
 public:
  Runtime(const Config& config);
  ~Runtime();

  Outcome run(std::function<void()> main_fn);
  static bool solo_available();  // membarrier works here (see "Solo")

  // --- called from goroutines (see park.h, go.h, time.h) ---
  uint32_t spawn(Task fn, const char* name, int line);
  void park(BlockReason reason, uint64_t obj, bool event_follows = false);
  void unpark(G* g, bool event_follows = false);
  void yield();
  void sleep(int64_t ns);
  void work(int64_t ns);
  // kTimeSlice: a goroutine that has held its processor this long while others wait for
  // one is preempted, as Go's sysmon does (forcePreemptNS).
  static constexpr int64_t kTimeSlice = 10'000'000;
  [[noreturn]] void panic_current(std::string message);
  // fatal_current ends the program with Go's `fatal error: <message>` raised by the
  // running goroutine (a stack overflow), whose stack is abandoned without unwinding:
  // Go runs no deferred calls after a fatal error either. detail is the line Go prints
  // before it ("runtime: goroutine stack exceeds ..."). Safe to call from a signal
  // handler running on the worker's signal stack.
  [[noreturn]] void fatal_current(const char* message, const char* detail);
  void output(std::string_view line);
  void charge_op();
  int64_t now();
  uint64_t rand64();
  uint64_t new_object_id() { return next_object_id_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t add_timer(int64_t delay_ns, std::function<void()> fire);
  bool cancel_timer(uint64_t id);
  bool tracing() const { return hot_tracing; }
  // emit stamps e (ts, proc) and hands it to the tracer; only while tracing(). In real
  // mode ts is a raw clock stamp, converted by the tracer's consumer (set_tick_clock).
  void emit(const Event& e) {
    const Stamp st = stamp(hot_deterministic ? nullptr : this_worker());
    tracer_.emit_stamped(st.lane, e, st.ts, st.proc);
  }
  // emit_with is emit() for a caller that writes the event's fields itself: fill gets the
  // ring slot, zeroed, and sets kind, g, other, obj, a, b, text, reason (and reserved for
  // a switch record, which is `events` = 2: see tracer.h). w is the calling worker
  // (this_worker(); ignored in the deterministic mode). Writing straight into the slot
  // spares the event a trip through the stack.
  template <class Fill>
  [[gnu::always_inline]] void emit_with(Worker* w, uint32_t events, Fill fill) {
    const Stamp st = stamp(w);
    if (Event* slot = tracer_.begin(st.lane)) [[likely]] {
      *slot = Event{};
      fill(*slot);
      slot->ts = st.ts;
      slot->proc = st.proc;
      tracer_.commit(st.lane, slot, events);
      return;
    }
    Event e;
    fill(e);
    tracer_.emit_stamped(st.lane, e, st.ts, st.proc);
  }
  // emit_op_with is emit_with for a channel operation's own event by goroutine g: a
  // GoUnblock that unpark left for it (one-thread runs) goes into the same record.
  template <class Fill>
  [[gnu::always_inline]] void emit_op_with(Worker* w, uint32_t g, Fill fill) {
    uint32_t woken = 0;
    if (w && w->pending_wake && w->pending_waker == g) {
      woken = w->pending_wake;
      w->pending_wake = 0;
    }
    emit_with(w, woken ? 2 : 1, [&](Event& e) {
      fill(e);
      if (woken) e.reserved = Tracer::kWakeRecord | woken;
    });
  }
  // flush_wake writes the GoUnblock unpark left pending (see Worker::pending_wake) as an
  // event of its own. Every other event of the worker does this first (stamp).
  void flush_wake(Worker* w);
  // Stamp is where an event goes (the tracer's lane) and its ts and proc.
  struct Stamp {
    int lane;
    int64_t ts;
    uint16_t proc;
  };
  [[gnu::always_inline]] Stamp stamp(Worker* w) {
    if (hot_deterministic) return {0, hot_clock, static_cast<uint16_t>(cur_proc_)};
    if (!w) [[unlikely]] {  // the thread that called run, then the timer thread: a lane of their own
      return {config_.procs, static_cast<int64_t>(tsc_->stamp()), static_cast<uint16_t>(config_.procs)};
    }
    if (w->pending_wake) [[unlikely]] flush_wake(w);
    int64_t ts;
    if (w->reuse_ts) [[unlikely]] {
      w->reuse_ts = false;  // right after the previous event (park / unpark's event_follows)
      ts = w->last_ts;
    } else {
      ts = static_cast<int64_t>(tsc_->stamp());
      w->last_ts = ts;
    }
    return {w->index, ts, static_cast<uint16_t>(w->index)};
  }
  bool stopping() const { return hot_stopping.load(std::memory_order_acquire); }
  // over reports whether the program is over, for a runtime call to give up. In a
  // goroutine that is running normally it throws Unwind instead, so that the abandoned
  // goroutine's stack unwinds; in one already unwinding (a destructor of an abandoned
  // goroutine prints, yields, sleeps) a throw would end the process, so it only reports.
  bool over() {
    if (!stopping()) [[likely]] return false;
    if (std::uncaught_exceptions() > 0) return true;
    throw Unwind{};
  }
  G* current_g();
  Worker* this_worker();

  // The one place a goroutine's status changes: asserts `from`, emits the event.
  // Inline: it is on every switch; the event, when traced, is built out of line.
  void transition(G* g, GStatus from, GStatus to, BlockReason reason = BlockReason::None, uint64_t obj = 0,
                  uint32_t other = 0, int64_t a = 0) {
    set_status(g, from, to, reason, obj);
    if (hot_tracing) [[unlikely]] emit_transition(g, from, to, reason, obj, other, a);
  }
  // transition_out is transition() for the goroutine w runs, on its way out (park,
  // yield, exit: to Blocked, Runnable or Done) right before switch_out: its event goes
  // out there, in one switch record with the GoStart of the goroutine that runs next
  // when switch_out takes one (see Tracer). Nothing may emit in between.
  void transition_out(Worker* w, G* g, GStatus to, BlockReason reason = BlockReason::None, uint64_t obj = 0) {
    set_status(g, GStatus::Running, to, reason, obj);
    w->out_event = hot_tracing;
  }

  const Config& config() const { return config_; }
  [[noreturn]] static void bad_transition();
  void emit_transition(G* g, GStatus from, GStatus to, BlockReason reason, uint64_t obj, uint32_t other, int64_t a);
  void emit_out(Worker* w, G* self, G* next);
  bool deterministic() const { return hot_deterministic; }
  // set_status is transition() without the event, for callers that emit it themselves
  // (a switch record, a wake record) or not at all.
  void set_status(G* g, GStatus from, GStatus to, BlockReason reason, uint64_t obj) {
    if (g->status != from) [[unlikely]] bad_transition();
    g->status = to;
    if (to == GStatus::Blocked) {
      g->reason = reason;
      g->obj = obj;
    } else if (to != GStatus::Working) {
      g->reason = BlockReason::None;
      g->obj = 0;
    }
  }

 private:
  friend void g_entry(fctx::transfer_t t);

  // force_status is the one way around the state machine: no check of the state left, no
  // event. Only for a goroutine that enters it (spawn) or leaves it for good outside any
  // transition (abandoned after a fatal error or a second panic, unwound or dropped by
  // teardown); why says which, for the reader. grep force_status lists the exceptions.
  void force_status(G* g, GStatus to, [[maybe_unused]] const char* why) { g->status = to; }

  G* new_g(Worker* w);
  void free_g(Worker* w, G* g);
  void run_g(Worker* w, G* g);  // scheduler -> g, then carry out the PostAction of whoever returns
  void switch_out(PostAction post);  // current goroutine -> next runnable one or the scheduler
  void on_resume(Worker* w, G* self, fctx::transfer_t t);
  void complete_switch(Worker* w, G* from);
  // finish ends the program once; it returns false when an earlier call already had.
  bool finish(OutcomeKind kind, std::string message, uint32_t goroutine, std::string detail = {});
  void make_ready(G* g, bool next);
  // preempt takes the running goroutine off its processor (GoPreempt): runnable again at
  // the back of the queue, as after a time slice. Returns once it runs again.
  void preempt();
  bool someone_waits(Worker* w);  // a goroutine waits for this processor
  void work_real(G* g, int64_t ns);
  void work_deterministic(G* g, int64_t ns);
  void det_slice_over(G* g);  // deterministic: a working g's slice ended with work left
  // abandon_current leaves the running goroutine for good without unwinding its stack
  // (what its frames hold is lost): for a panic raised while the goroutine unwinds, and
  // for a goroutine whose stack overflowed.
  [[noreturn]] void abandon_current(bool reported);
  // check_headroom reports a stack overflow (fatal_current) when the running goroutine
  // has less than kHeadroom of stack left: runtime entry points call it before they take
  // a lock or allocate, so that the overflow is never found inside them (stack_fault.h).
  void check_headroom(G* g) {
    const char* sp = static_cast<const char*>(__builtin_frame_address(0));
    if (g && sp - g->stack.bottom() < kHeadroom) [[unlikely]] stack_overflow();
  }
  static constexpr std::ptrdiff_t kHeadroom = 8 * 1024;
  [[noreturn]] void stack_overflow();
  friend void on_stack_fault(const void* addr);

  // real mode
  void worker_loop(Worker* w);
  G* find_runnable(Worker* w);  // the next goroutine for w; nullptr: the program is over
  G* take_fair_turn(Worker* w);
  G* take_global(Worker* w);
  G* steal(Worker* w);
  void spin(Worker* w);
  void stop_spinning(Worker* w);
  enum class Idle : uint8_t { look_again, look_once };
  Idle go_idle(Worker* w);
  void leave_idle_list(Worker* w);
  void global_push(G* g);
  G* global_pop();
  void wake_idle();
  void timer_loop();
  void hand_to_worker(std::function<void()> fire);
  void run_fired_timers(Worker* w);
  void check_deadlock();
  bool permit_cas(G* g, uint32_t& expect, uint32_t desired);

  // deterministic mode
  void det_loop();
  void drop_cancelled_timers();
  int free_vproc() const;
  G* take_runnable();
  void run_on_vproc(Worker* w, int proc, G* g);
  void end_work(Worker* w, G* g);
  void release_vproc(int proc, G* g);
  struct DetTimer {
    int64_t when;
    uint64_t seq;
    uint64_t id;
    G* working;  // non-null: the end of this goroutine's work()
    bool operator>(const DetTimer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  void teardown();
  std::vector<BlockedGoroutine> blocked_report();

  Config config_;
  Tracer tracer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<uint32_t> next_gid_{1};
  std::atomic<uint64_t> next_object_id_{1};
  std::chrono::steady_clock::time_point start_;
  const TscClock* tsc_ = nullptr;  // real mode, traced: event timestamps
  uint64_t start_stamp_ = 0;

  std::mutex allg_mu_;
  std::vector<G*> allg_;  // every G object made in this run (recycled ones too)

  std::mutex outcome_mu_;
  bool finished_ = false;
  Outcome outcome_;
  std::mutex output_mu_;

  std::atomic<int64_t> pending_timers_{0};  // real mode: timers not yet fired or cancelled
  std::mutex global_mu_;
  G* global_head_ = nullptr;
  G* global_tail_ = nullptr;
  std::atomic<uint32_t> global_size_{0};
  std::mutex idle_mu_;
  std::vector<Worker*> idle_;
  // Solo (runtime_solo.cpp): participants that may run goroutines or timer callbacks now.
  std::atomic<int> nactive_{0};
  bool solo_enabled_ = false;
  std::mutex solo_mu_;  // joiners' handshakes, one at a time
  std::atomic<uint64_t> solo_phases_{0};
  void join_active(Worker* w);   // w == nullptr: the timer thread
  void leave_active(Worker* w);
  void try_solo(Worker* w);
  std::atomic<int> nidle_{0};
  std::atomic<int> nspinning_{0};
  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  std::map<std::pair<int64_t, uint64_t>, std::function<void()>> timers_;  // (when, id) -> fire
  std::unordered_map<uint64_t, int64_t> timer_when_;
  std::thread timer_thread_;
  std::atomic<uint64_t> next_timer_id_{1};
  // One-thread runs: callbacks of due timers, handed from the timer thread to the worker.
  std::mutex fired_mu_;
  std::vector<std::function<void()>> fired_;
  std::atomic<bool> fired_ready_{false};

  // deterministic mode
  std::vector<VProc> vprocs_;
  int cur_proc_ = 0;
  std::vector<G*> runnable_;
  std::priority_queue<DetTimer, std::vector<DetTimer>, std::greater<DetTimer>> det_timers_;
  std::unordered_map<uint64_t, std::function<void()>> det_timer_fns_;
  uint64_t det_timer_seq_ = 0;
  uint64_t rng_state_ = 0;
};

// runtime returns the runtime of the program running on this thread, or nullptr.
inline Runtime* runtime() { return static_cast<Runtime*>(tl_hot); }

}  // namespace goscope::detail
