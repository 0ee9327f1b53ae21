// detail/runtime_deterministic.cpp: the deterministic mode: one thread simulating
// `procs` virtual processors on a virtual clock (det_loop), and work() on that clock.
#include "core/detail/runtime_impl.h"

#include <algorithm>

#include "core/detail/chan_epoch.h"
#include "core/detail/runtime_internal.h"

namespace goscope::detail {

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
    drop_cancelled_timers();
    const bool timer_due = !det_timers_.empty() && det_timers_.top().when <= hot_clock;
    const int proc = free_vproc();
    if (!timer_due && proc >= 0 && !runnable_.empty()) {
      run_on_vproc(w, proc, take_runnable());
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
      end_work(w, t.working);
    } else {
      auto it = det_timer_fns_.find(t.id);
      if (it == det_timer_fns_.end()) continue;
      std::function<void()> fire = std::move(it->second);
      det_timer_fns_.erase(it);
      fire();
    }
  }
}

// drop_cancelled_timers pops the cancelled timers off the top of the heap (cancel_timer
// only forgets their callbacks).
void Runtime::drop_cancelled_timers() {
  while (!det_timers_.empty() && !det_timers_.top().working && !det_timer_fns_.count(det_timers_.top().id))
    det_timers_.pop();
}

// free_vproc returns the first virtual processor nobody holds, or -1.
int Runtime::free_vproc() const {
  for (std::size_t p = 0; p < vprocs_.size(); ++p) {
    if (!vprocs_[p].holder) return static_cast<int>(p);
  }
  return -1;
}

// take_runnable takes the goroutine that runs next off the runnable set: the chooser's
// pick among the runnable ids in ascending order, or the PRNG's.
G* Runtime::take_runnable() {
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
  return g;
}

// run_on_vproc runs g on the free processor proc until it blocks, yields, works or exits.
void Runtime::run_on_vproc(Worker* w, int proc, G* g) {
  cur_proc_ = proc;
  vprocs_[static_cast<std::size_t>(proc)].holder = g;
  vprocs_[static_cast<std::size_t>(proc)].slice_start = hot_clock;
  if (hot_tracing) {
    Event e;
    e.kind = EventKind::ProcStart;
    e.other = g->id;
    emit(e);
  }
  transition(g, GStatus::Runnable, GStatus::Running);
  run_g(w, g);
  epoch_quiescent();
  release_vproc(proc, g);
}

// end_work is the timer of g's work(): the work is done (g runs on), or g's time slice
// ended first (det_slice_over).
void Runtime::end_work(Worker* w, G* g) {
  int p = 0;
  while (vprocs_[static_cast<std::size_t>(p)].holder != g) ++p;
  cur_proc_ = p;
  if (hot_clock < g->work_end) {  // its time slice ended first
    det_slice_over(g);
    return;
  }
  g->work_ns = 0;
  transition(g, GStatus::Working, GStatus::Running);
  run_g(w, g);
  release_vproc(p, g);
}

// release_vproc frees processor proc after g ran on it, unless g holds it on (work()).
void Runtime::release_vproc(int proc, G* g) {
  VProc& vp = vprocs_[static_cast<std::size_t>(proc)];
  if (vp.holder != g || g->status == GStatus::Working) return;
  vp.holder = nullptr;
  if (hot_tracing && !stopping()) {
    Event e;
    e.kind = EventKind::ProcStop;
    emit(e);
  }
}

}  // namespace goscope::detail
