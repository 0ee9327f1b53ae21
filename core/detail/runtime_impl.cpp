// detail/runtime_impl.cpp: class Runtime, the run as a whole: construction, and run()
// from start to end. The other parts are in runtime_goroutines.cpp (goroutines and
// switching), runtime_real.cpp (worker threads), runtime_solo.cpp,
// runtime_deterministic.cpp, runtime_timers.cpp and runtime_end.cpp (the end of a program).
#include "core/detail/runtime_impl.h"

#include <algorithm>
#include <chrono>

#include "core/detail/chan_epoch.h"
#include "core/detail/runtime_internal.h"
#include "core/detail/stack_fault.h"

namespace goscope::detail {

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
