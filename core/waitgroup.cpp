// waitgroup.cpp: sync.WaitGroup on the park/unpark permit.
//
// A WaitGroup is not on a channel path, and its critical sections are a few instructions
// with no blocking inside, so a mutex keeps it obviously correct: Add and Wait agree on
// the counter and the waiter list under it, and waiters are woken after it is released.
#include "core/waitgroup.h"

#include <mutex>
#include <vector>

#include "core/detail/sched.h"

namespace goscope {
namespace detail {

struct WaitGroupState {
  std::mutex mu;
  int64_t counter = 0;
  std::vector<G*> waiters;
  uint64_t id = 0;
  const char* name = nullptr;
};

}  // namespace detail

WaitGroup::WaitGroup() : WaitGroup(std::string_view()) {}

WaitGroup::WaitGroup(std::string_view name) : state_(std::make_shared<detail::WaitGroupState>()) {
  state_->id = detail::new_object_id();
  state_->name = name.empty() ? "wg" : intern(name);
}

void WaitGroup::Add(int delta) {
  detail::WaitGroupState& s = *state_;
  std::vector<detail::G*> wake;
  int64_t after;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    after = s.counter + delta;
    if (after < 0) {
      // Go panics and leaves the counter where it was.
      detail::go_panic("sync: negative WaitGroup counter");
    }
    s.counter = after;
    if (detail::tracing()) {
      Event e;
      e.kind = delta == -1 ? EventKind::WgDone : EventKind::WgAdd;
      e.g = detail::id_of(detail::current());
      e.obj = s.id;
      e.a = delta;
      e.b = after;
      e.text = s.name;
      detail::emit(e);
    }
    if (after == 0) wake.swap(s.waiters);
  }
  detail::charge_op();
  for (detail::G* g : wake) detail::unpark(g);
}

void WaitGroup::Done() { Add(-1); }

void WaitGroup::Wait() {
  detail::WaitGroupState& s = *state_;
  detail::G* self = detail::current();
  if (!self) throw std::logic_error("goscope: WaitGroup::Wait called outside a goroutine");
  detail::charge_op();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (detail::tracing()) {
      Event e;
      e.kind = EventKind::WgWait;
      e.g = detail::id_of(self);
      e.obj = s.id;
      e.b = s.counter;
      e.text = s.name;
      detail::emit(e);
    }
    if (s.counter == 0) return;
    s.waiters.push_back(self);
  }
  try {
    detail::park(BlockReason::WaitGroup, s.id);
  } catch (...) {
    // The program ended while we waited: leave no pointer to this goroutine behind, the
    // WaitGroup may outlive the run.
    std::lock_guard<std::mutex> lock(s.mu);
    std::erase(s.waiters, self);
    throw;
  }
}

int64_t WaitGroup::counter() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->counter;
}

uint64_t WaitGroup::id() const { return state_->id; }

}  // namespace goscope
