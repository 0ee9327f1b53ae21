// waitgroup.cpp: sync.WaitGroup on the park/unpark permit.
//
// A WaitGroup is not on a channel path and its critical sections are a few instructions
// that never block, so a tiny spin lock keeps it obviously correct: Add and Wait agree
// on the counter and the waiter list under it, and waiters are woken after it is
// released. Waiters queue as nodes on their own stacks (a waiter's node lives until its
// Wait returns), so waiting allocates nothing.
#include "core/waitgroup.h"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <thread>

#include "core/detail/park.h"

namespace goscope {
namespace detail {

struct WaitNode {
  G* g = nullptr;
  WaitNode* next = nullptr;
  WaitNode* prev = nullptr;
  bool linked = false;  // in the WaitGroup's list (under its lock)
};

struct WaitGroupState {
  std::atomic<bool> locked{false};
  int64_t counter = 0;
  WaitNode* head = nullptr;  // FIFO of parked waiters
  WaitNode* tail = nullptr;
  uint64_t id = 0;
  const char* name = nullptr;

  void lock() {
    for (int spins = 0; locked.exchange(true, std::memory_order_acquire);) {
      while (locked.load(std::memory_order_relaxed)) {
        if (++spins > 64) std::this_thread::yield();  // the holder lost its CPU
      }
    }
  }
  void unlock() { locked.store(false, std::memory_order_release); }
};

struct SpinGuard {
  explicit SpinGuard(WaitGroupState& s) : s(s) { s.lock(); }
  ~SpinGuard() { s.unlock(); }
  WaitGroupState& s;
};

}  // namespace detail

WaitGroup::WaitGroup() : WaitGroup(std::string_view()) {}

WaitGroup::WaitGroup(std::string_view name) : state_(std::make_shared<detail::WaitGroupState>()) {
  state_->id = detail::new_object_id();
  state_->name = name.empty() ? "wg" : intern(name);
}

void WaitGroup::Add(int delta) {
  detail::WaitGroupState& s = *state_;
  detail::WaitNode* wake = nullptr;
  {
    detail::SpinGuard guard(s);
    int64_t after = s.counter + delta;
    if (after < 0) detail::go_panic("sync: negative WaitGroup counter");  // counter unchanged, as in Go
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
    if (after == 0) {
      wake = s.head;
      s.head = s.tail = nullptr;
      for (detail::WaitNode* n = wake; n; n = n->next) n->linked = false;
    }
  }
  detail::charge_op();
  while (wake) {
    // Read next before unpark: the woken goroutine's node (on its stack) may vanish at once.
    detail::WaitNode* next = wake->next;
    detail::unpark(wake->g);
    wake = next;
  }
}

void WaitGroup::Done() { Add(-1); }

void WaitGroup::Wait() {
  detail::WaitGroupState& s = *state_;
  detail::G* self = detail::current();
  if (!self) throw std::logic_error("goscope: WaitGroup::Wait called outside a goroutine");
  detail::charge_op();
  detail::WaitNode node{self, nullptr, nullptr, false};
  {
    detail::SpinGuard guard(s);
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
    node.prev = s.tail;
    if (s.tail) s.tail->next = &node; else s.head = &node;
    s.tail = &node;
    node.linked = true;
  }
  // unlink takes our node off the list if it is still there (nobody woke us): the
  // WaitGroup may outlive this frame.
  auto unlink = [&] {
    detail::SpinGuard guard(s);
    if (!node.linked) return;
    (node.prev ? node.prev->next : s.head) = node.next;
    (node.next ? node.next->prev : s.tail) = node.prev;
    node.linked = false;
  };
  try {
    detail::park(BlockReason::WaitGroup, s.id);
  } catch (...) {
    unlink();  // the program ended while we waited
    throw;
  }
  // park also returns unwoken in a goroutine being unwound (a destructor waits): it may
  // not block then.
  if (std::uncaught_exceptions() > 0) unlink();
}

int64_t WaitGroup::counter() const {
  detail::SpinGuard guard(*state_);
  return state_->counter;
}

uint64_t WaitGroup::id() const { return state_->id; }

}  // namespace goscope
