// detail/runtime_end.cpp: the end of a program: finish() (once, whoever ends it: main
// returning, a panic, a fatal error, a deadlock), the deadlock report, and teardown (the
// goroutines still alive are reported abandoned and unwound).
#include "core/detail/runtime_impl.h"

#include <algorithm>

#include "core/detail/runtime_internal.h"

namespace goscope::detail {

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
      force_status(g, GStatus::Done, "never started: nothing to unwind");
      continue;
    }
    for (int attempt = 0; attempt < 8 && g->status != GStatus::Done; ++attempt) {
      force_status(g, GStatus::Running, "resumed to unwind (park and the others throw Unwind)");
      g->park.store(kRunning, std::memory_order_relaxed);
      run_g(w, g);
    }
  }
}

}  // namespace goscope::detail
