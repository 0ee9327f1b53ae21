// select_engine.cpp: Go's select over lock-free channels (see core/select.h).
//
//   1. poll:     try every case without blocking, in a random order; the first that
//                completes wins (so the pick is uniform among the ready cases).
//   2. default:  if there is one and nothing was ready, take it.
//   3. register: store a waiter for every case in a cell of its channel (state kReg: no
//                partner can complete a case yet; one that tries marks the select poked
//                and moves on). A case may complete right here (a value arrived since
//                the poll): the select decides for itself. A send and a receive case on
//                one unbuffered channel that meet there wait as one (ChanCore::offer).
//   4. wait:     CAS kReg -> kWaiting (if poked instead: withdraw everything and go back
//                to 1, a partner may have skipped us), park; the partner that CASes
//                kWaiting -> kDoneBase + case wins, completes that case and unparks us.
//   5. clean up: every other registration is withdrawn (its cell becomes interrupted, and
//                later operations on that channel skip it) before select returns, so no
//                one touches the waiters on this stack afterwards.
//
// Each phase is one member function of Select below; select() at the bottom strings them
// together.
#include <algorithm>
#include <exception>
#include <memory>
#include <vector>

#include "core/detail/chan_core.h"
#include "core/detail/chan_events.h"
#include "core/select.h"

namespace goscope {
namespace detail {

struct SelectCaseAccess {
  static SelectCase::Kind kind(const SelectCase& c) { return c.kind_; }
  static ChanCore* core(const SelectCase& c) { return c.core_; }
  static std::size_t size(const SelectCase& c) { return c.elem_size_; }
  static std::size_t align(const SelectCase& c) { return c.elem_align_; }
  static void* value(const SelectCase& c) { return c.value_; }
  static void take(const SelectCase& c, void* tmp) { c.take_(c.dst_, tmp); }
  static void zero(const SelectCase& c) { c.zero_(c.dst_); }
  static void set_ok(const SelectCase& c, bool ok) {
    if (c.ok_) *c.ok_ = ok;
  }
  static EventValue describe(const SelectCase& c, const void* v) { return c.describe_(v); }
};

namespace {

using A = SelectCaseAccess;

// Small arrays on the stack for the common case of a handful of cases.
template <class T, std::size_t Inline>
class SmallArray {
 public:
  explicit SmallArray(std::size_t n) : n_(n) {
    if (n > Inline) heap_ = std::make_unique<T[]>(n);
  }
  T& operator[](std::size_t i) { return heap_ ? heap_[i] : local_[i]; }
  std::size_t size() const { return n_; }

 private:
  std::size_t n_;
  T local_[Inline];
  std::unique_ptr<T[]> heap_;
};

// RecvBuffer is raw storage for the one value a select may receive (only the winning
// case ever constructs into it). fit sizes it once the receive cases are known.
class RecvBuffer {
 public:
  RecvBuffer() = default;
  RecvBuffer(const RecvBuffer&) = delete;
  RecvBuffer& operator=(const RecvBuffer&) = delete;
  ~RecvBuffer() {
    if (heap_) ::operator delete(heap_, std::align_val_t(align_));
  }
  void fit(std::size_t size, std::size_t align) {
    if (size <= sizeof(local_) && align <= alignof(std::max_align_t)) return;
    align_ = std::max(align, alignof(std::max_align_t));
    heap_ = ::operator new(size, std::align_val_t(align_));
    p_ = heap_;
  }
  void* get() { return p_; }

 private:
  alignas(std::max_align_t) unsigned char local_[128];
  void* heap_ = nullptr;
  void* p_ = local_;
  std::size_t align_ = 0;
};

void emit_select(EventKind kind, uint32_t gid, int64_t a, int64_t b, uint64_t obj) {
  Event e;
  e.kind = kind;
  e.g = gid;
  e.a = a;
  e.b = b;
  e.obj = obj;
  emit(e);
}

// Select is one select statement on its way through the phases above. Indices: i is a
// case's index in the caller's list, k its place in the random order (order[k] == i);
// none() (the number of cases) stands for "no case".
class Select {
 public:
  Select(const SelectCase* cases, std::size_t n);

  std::size_t none() const { return n_; }
  std::size_t poll();                // 1.
  bool has_default() const { return def_ < n_; }
  std::size_t take_default();        // 2.
  bool no_cases() const { return active_ == 0; }
  std::size_t waiting_cases() const { return active_; }  // cases on channels that are not nil

  // Registration is what a select leaves in its channels while it waits: the waiters,
  // on this stack, and the word that decides the winner.
  struct Registration {
    explicit Registration(std::size_t cases) : ws(cases) {}
    SelectState st;
    SmallArray<Waiter, 4> ws;
  };
  std::size_t register_cases(Registration& reg);  // 3.
  bool arm(Registration& reg);                   // 4. (false: poked, withdrawn)
  std::size_t wait(Registration& reg);           // 4. and 5.

 private:
  // Inline: it ends every select, and a call would cost more than its body's common path.
  [[gnu::always_inline]] inline std::size_t finish(std::size_t i, bool closed, uint32_t partner);
  bool redundant(std::size_t k);
  void withdraw(Registration& reg, std::size_t except);

  const SelectCase* cs_;
  std::size_t n_;
  bool tr_;
  uint32_t gid_;
  std::size_t def_;
  std::size_t active_ = 0;
  SmallArray<uint32_t, 8> order_;
  SmallArray<EventValue, 8> shown_;
  RecvBuffer tmp_;
};

Select::Select(const SelectCase* cases, std::size_t n)
    : cs_(cases),
      n_(n),
      tr_(tracing()),
      gid_(tr_ ? current_gid() : 0),
      def_(n_),
      order_(n_),
      shown_(tr_ ? n_ : 0) {
  std::size_t max_size = 1, max_align = 1;
  for (std::size_t i = 0; i < n_; ++i) {
    if (A::kind(cs_[i]) == SelectCase::Kind::fallback) {
      def_ = i;
    } else if (A::core(cs_[i])) {
      order_[active_++] = static_cast<uint32_t>(i);
      if (A::kind(cs_[i]) == SelectCase::Kind::recv) {
        max_size = std::max(max_size, A::size(cs_[i]));
        max_align = std::max(max_align, A::align(cs_[i]));
      }
    }
  }
  if (tr_) emit_select(EventKind::SelectBegin, gid_, static_cast<int64_t>(n_), def_ < n_ ? 1 : 0, 0);
  // A uniformly random order (Fisher-Yates) makes the first ready case a uniform pick.
  for (std::size_t k = active_; k > 1; --k) {
    std::size_t j = static_cast<std::size_t>(fast_rand() % k);
    std::swap(order_[k - 1], order_[j]);
  }
  // Send cases' values as events will show them (before they are moved away).
  if (tr_) {
    for (std::size_t k = 0; k < active_; ++k) {
      const SelectCase& c = cs_[order_[k]];
      if (A::kind(c) == SelectCase::Kind::send) shown_[order_[k]] = A::describe(c, A::value(c));
    }
  }
  tmp_.fit(max_size, max_align);
}

// finish completes case i after its channel operation is done.
std::size_t Select::finish(std::size_t i, bool closed, uint32_t partner) {
  const SelectCase& c = cs_[i];
  ChanCore* core = A::core(c);
  if (tr_) emit_select(EventKind::SelectChosen, gid_, static_cast<int64_t>(i), 0, core->id());
  if (A::kind(c) == SelectCase::Kind::send) {
    if (closed) go_panic("send on closed channel");
    if (tr_) emit_chan_send(*core, gid_, partner, shown_[i]);
    return i;
  }
  if (closed) {
    A::zero(c);
    A::set_ok(c, false);
    if (tr_) emit_chan_recv(*core, gid_, 0, EventValue{}, false);
    return i;
  }
  EventValue v = tr_ ? A::describe(c, tmp_.get()) : EventValue{};
  A::take(c, tmp_.get());
  A::set_ok(c, true);
  if (tr_) emit_chan_recv(*core, gid_, partner, v, true);
  return i;
}

// poll tries every case without blocking, in the random order: the first that completes
// wins. Returns its index, or none().
std::size_t Select::poll() {
  if (tr_) {
    int64_t mask = 0;
    for (std::size_t k = 0; k < active_; ++k) {
      const SelectCase& c = cs_[order_[k]];
      bool ready = A::kind(c) == SelectCase::Kind::send ? A::core(c)->ready_send() : A::core(c)->ready_recv();
      if (ready && order_[k] < 64) mask |= int64_t{1} << order_[k];
    }
    emit_select(EventKind::SelectReady, gid_, mask, 0, 0);
  }
  for (std::size_t k = 0; k < active_; ++k) {
    const std::size_t i = order_[k];
    const SelectCase& c = cs_[i];
    OpResult r = A::kind(c) == SelectCase::Kind::send ? A::core(c)->try_send(A::value(c), gid_)
                                                       : A::core(c)->try_recv(tmp_.get(), gid_);
    if (r.status == OpStatus::would_block) continue;
    return finish(i, r.status == OpStatus::closed, r.partner);
  }
  return n_;
}

std::size_t Select::take_default() {
  if (tr_) emit_select(EventKind::SelectDefault, gid_, static_cast<int64_t>(def_), 0, 0);
  return def_;
}

// redundant reports whether the case at k need not register. A send and a receive case
// on one unbuffered channel wait there as one two-way offer (see ChanCore::offer) once
// they meet in a cell; further cases of the same direction on that channel would add
// nothing (a partner takes the first of them) and would meet the offer, so only the first
// of each direction in the random order registers. (Looked at only when registering: a
// select that completes in its poll pays nothing.)
bool Select::redundant(std::size_t k) {
  ChanCore* ch = A::core(cs_[order_[k]]);
  if (ch->cap() != 0) return false;
  const SelectCase::Kind kind = A::kind(cs_[order_[k]]);
  bool before = false, opposite = false;
  for (std::size_t j = 0; j < active_; ++j) {
    if (A::core(cs_[order_[j]]) != ch) continue;
    if (A::kind(cs_[order_[j]]) != kind) {
      opposite = true;
    } else if (j < k) {
      before = true;
    }
  }
  return before && opposite;
}

// withdraw cancels every registration but the winner's (except; none(): all of them). A
// two-way offer is the receive case's registration: it is the winner's cell too when its
// send case won.
void Select::withdraw(Registration& reg, std::size_t except) {
  for (std::size_t k = 0; k < active_; ++k) {
    Waiter& w = reg.ws[k];
    if (order_[k] == except || !w.seg || (w.pair && w.pair->case_index == except)) continue;
    A::core(cs_[order_[k]])->cancel(&w);
  }
}

// register_cases stores a waiter for every case in its channel. A case that completes
// right here (a value arrived since the poll) wins: the select is still in kReg, where
// only it decides. Returns that case's index, or none() when every case waits.
std::size_t Select::register_cases(Registration& reg) {
  reg.st.g = current();
  bool same_channel = false;
  for (std::size_t k = 1; k < active_ && !same_channel; ++k) {
    for (std::size_t j = 0; j < k; ++j) {
      if (A::core(cs_[order_[j]]) == A::core(cs_[order_[k]])) same_channel = true;
    }
  }
  for (std::size_t k = 0; k < active_; ++k) {
    const std::size_t i = order_[k];
    const SelectCase& c = cs_[i];
    Waiter& w = reg.ws[k];
    if (same_channel && redundant(k)) continue;  // never registered: w.seg stays null
    w.g = reg.st.g;
    w.sel = &reg.st;
    w.case_index = static_cast<uint32_t>(i);
    const bool send = A::kind(c) == SelectCase::Kind::send;
    w.is_sender = send;
    w.slot = send ? A::value(c) : tmp_.get();
    OpResult r = send ? A::core(c)->send_op(A::value(c), gid_, &w) : A::core(c)->recv_op(tmp_.get(), gid_, &w);
    if (r.status == OpStatus::parked) continue;
    w.seg = nullptr;
    withdraw(reg, i);
    return finish(i, r.status == OpStatus::closed, r.partner);
  }
  return n_;
}

// arm moves the select from kReg to kWaiting, after which a partner may complete a case.
// When a partner poked it instead (it passed us by while we registered), arm withdraws
// every registration and returns false: look again.
bool Select::arm(Registration& reg) {
  uint32_t expect = SelectState::kReg;
  if (reg.st.state.compare_exchange_strong(expect, SelectState::kWaiting, std::memory_order_acq_rel)) return true;
  withdraw(reg, n_);
  return false;
}

// wait parks until the partner that CASes kWaiting -> kDoneBase + case has completed that
// case and unparked us, then withdraws the other registrations (5.) and finishes the case.
// Returns none() when it gave up: unwinding, where park may not block.
std::size_t Select::wait(Registration& reg) {
  const uint64_t obj = A::core(cs_[order_[0]])->id();
  uint32_t s;
  for (;;) {
    try {
      park(BlockReason::Select, obj);
    } catch (...) {
      uint32_t cur = SelectState::kWaiting;
      if (!reg.st.state.compare_exchange_strong(cur, SelectState::kPoked, std::memory_order_acq_rel)) {
        std::size_t i = (cur - SelectState::kDoneBase) / 2;
        bool closed = (cur - SelectState::kDoneBase) & 1;
        if (A::kind(cs_[i]) == SelectCase::Kind::recv && !closed) A::take(cs_[i], tmp_.get());
        withdraw(reg, i);
      } else {
        withdraw(reg, n_);
      }
      throw;
    }
    s = reg.st.state.load(std::memory_order_acquire);
    if (s >= SelectState::kDoneBase) break;
    if (std::uncaught_exceptions() > 0) {
      // Unwinding (a destructor selects) and park may not block: give up.
      uint32_t cur = SelectState::kWaiting;
      if (reg.st.state.compare_exchange_strong(cur, SelectState::kPoked, std::memory_order_acq_rel)) {
        withdraw(reg, n_);
        return n_;
      }
    }
  }
  const std::size_t i = (s - SelectState::kDoneBase) / 2;
  const bool closed = (s - SelectState::kDoneBase) & 1;
  uint32_t partner = 0;
  for (std::size_t k = 0; k < active_; ++k) {
    if (order_[k] == i) partner = reg.ws[k].partner;
  }
  // 5. clean up
  withdraw(reg, i);
  return finish(i, closed, partner);
}

}  // namespace
}  // namespace detail

std::size_t select(std::initializer_list<SelectCase> list) {
  using namespace detail;
  charge_op();
  Select s(list.begin(), list.size());
  for (;;) {
    if (std::size_t i = s.poll(); i != s.none()) return i;  // 1. poll
    if (s.has_default()) return s.take_default();         // 2. default
    if (s.no_cases()) block_forever(BlockReason::SelectNoCases);
    Select::Registration reg(s.waiting_cases());
    if (std::size_t i = s.register_cases(reg); i != s.none()) return i;  // 3. register
    if (!s.arm(reg)) continue;                                           // 4. wait
    return s.wait(reg);
  }
}

}  // namespace goscope
