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
// case ever constructs into it).
class RecvBuffer {
 public:
  RecvBuffer(std::size_t size, std::size_t align) {
    if (size <= sizeof(local_) && align <= alignof(std::max_align_t)) {
      p_ = local_;
    } else {
      align_ = std::max(align, alignof(std::max_align_t));
      heap_ = ::operator new(size, std::align_val_t(align_));
      p_ = heap_;
    }
  }
  ~RecvBuffer() {
    if (heap_) ::operator delete(heap_, std::align_val_t(align_));
  }
  void* get() { return p_; }

 private:
  alignas(std::max_align_t) unsigned char local_[128];
  void* heap_ = nullptr;
  void* p_ = nullptr;
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

}  // namespace
}  // namespace detail

std::size_t select(std::initializer_list<SelectCase> list) {
  using namespace detail;
  const SelectCase* cs = list.begin();
  const std::size_t n = list.size();
  charge_op();
  const bool tr = tracing();
  const uint32_t gid = tr ? current_gid() : 0;

  std::size_t def = n;
  SmallArray<uint32_t, 8> order(n);
  std::size_t active = 0;
  std::size_t max_size = 1, max_align = 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (A::kind(cs[i]) == SelectCase::Kind::fallback) {
      def = i;
    } else if (A::core(cs[i])) {
      order[active++] = static_cast<uint32_t>(i);
      if (A::kind(cs[i]) == SelectCase::Kind::recv) {
        max_size = std::max(max_size, A::size(cs[i]));
        max_align = std::max(max_align, A::align(cs[i]));
      }
    }
  }
  if (tr) emit_select(EventKind::SelectBegin, gid, static_cast<int64_t>(n), def < n ? 1 : 0, 0);
  // A uniformly random order (Fisher-Yates) makes the first ready case a uniform pick.
  for (std::size_t k = active; k > 1; --k) {
    std::size_t j = static_cast<std::size_t>(fast_rand() % k);
    std::swap(order[k - 1], order[j]);
  }
  // Send cases' values as events will show them (before they are moved away).
  SmallArray<EventValue, 8> shown(tr ? n : 0);
  if (tr) {
    for (std::size_t k = 0; k < active; ++k) {
      const SelectCase& c = cs[order[k]];
      if (A::kind(c) == SelectCase::Kind::send) shown[order[k]] = A::describe(c, A::value(c));
    }
  }
  RecvBuffer tmp(max_size, max_align);

  // finish completes case i after its channel operation is done.
  auto finish = [&](std::size_t i, bool closed, uint32_t partner) -> std::size_t {
    const SelectCase& c = cs[i];
    ChanCore* core = A::core(c);
    if (tr) emit_select(EventKind::SelectChosen, gid, static_cast<int64_t>(i), 0, core->id());
    if (A::kind(c) == SelectCase::Kind::send) {
      if (closed) go_panic("send on closed channel");
      if (tr) emit_chan_send(*core, gid, partner, shown[i]);
      return i;
    }
    if (closed) {
      A::zero(c);
      A::set_ok(c, false);
      if (tr) emit_chan_recv(*core, gid, 0, EventValue{}, false);
      return i;
    }
    EventValue v = tr ? A::describe(c, tmp.get()) : EventValue{};
    A::take(c, tmp.get());
    A::set_ok(c, true);
    if (tr) emit_chan_recv(*core, gid, partner, v, true);
    return i;
  };

  // A send and a receive case on one unbuffered channel wait there as one two-way offer
  // (see ChanCore::offer) once they meet in a cell; further cases of the same direction
  // on that channel would add nothing (a partner takes the first of them) and would meet
  // the offer, so only the first of each direction in the random order registers.
  // (Looked at only when registering: a select that completes in its poll pays nothing.)
  auto redundant = [&](std::size_t k) {
    ChanCore* ch = A::core(cs[order[k]]);
    if (ch->cap() != 0) return false;
    const SelectCase::Kind kind = A::kind(cs[order[k]]);
    bool before = false, opposite = false;
    for (std::size_t j = 0; j < active; ++j) {
      if (A::core(cs[order[j]]) != ch) continue;
      if (A::kind(cs[order[j]]) != kind) {
        opposite = true;
      } else if (j < k) {
        before = true;
      }
    }
    return before && opposite;
  };

  for (;;) {
    // 1. poll
    if (tr) {
      int64_t mask = 0;
      for (std::size_t k = 0; k < active; ++k) {
        const SelectCase& c = cs[order[k]];
        bool ready = A::kind(c) == SelectCase::Kind::send ? A::core(c)->ready_send() : A::core(c)->ready_recv();
        if (ready && order[k] < 64) mask |= int64_t{1} << order[k];
      }
      emit_select(EventKind::SelectReady, gid, mask, 0, 0);
    }
    for (std::size_t k = 0; k < active; ++k) {
      const std::size_t i = order[k];
      const SelectCase& c = cs[i];
      OpResult r = A::kind(c) == SelectCase::Kind::send ? A::core(c)->try_send(A::value(c), gid)
                                                         : A::core(c)->try_recv(tmp.get(), gid);
      if (r.status == OpStatus::would_block) continue;
      return finish(i, r.status == OpStatus::closed, r.partner);
    }
    // 2. default
    if (def < n) {
      if (tr) emit_select(EventKind::SelectDefault, gid, static_cast<int64_t>(def), 0, 0);
      return def;
    }
    if (active == 0) block_forever(BlockReason::SelectNoCases);

    // 3. register
    SelectState st;
    st.g = current();
    SmallArray<Waiter, 4> ws(active);
    std::size_t winner = n;
    OpResult won{OpStatus::done};
    // withdraw cancels every registration but the winner's. A two-way offer is the
    // receive case's registration: it is the winner's cell too when its send case won.
    auto withdraw = [&](std::size_t except) {
      for (std::size_t k = 0; k < active; ++k) {
        Waiter& w = ws[k];
        if (order[k] == except || !w.seg || (w.pair && w.pair->case_index == except)) continue;
        A::core(cs[order[k]])->cancel(&w);
      }
    };
    bool same_channel = false;
    for (std::size_t k = 1; k < active && !same_channel; ++k) {
      for (std::size_t j = 0; j < k; ++j) {
        if (A::core(cs[order[j]]) == A::core(cs[order[k]])) same_channel = true;
      }
    }
    for (std::size_t k = 0; k < active; ++k) {
      const std::size_t i = order[k];
      const SelectCase& c = cs[i];
      Waiter& w = ws[k];
      if (same_channel && redundant(k)) continue;  // never registered: w.seg stays null
      w.g = st.g;
      w.sel = &st;
      w.case_index = static_cast<uint32_t>(i);
      const bool send = A::kind(c) == SelectCase::Kind::send;
      w.is_sender = send;
      w.slot = send ? A::value(c) : tmp.get();
      OpResult r = send ? A::core(c)->send_op(A::value(c), gid, &w) : A::core(c)->recv_op(tmp.get(), gid, &w);
      if (r.status == OpStatus::parked) continue;
      winner = i;  // completed while registering: in kReg only we decide
      won = r;
      w.seg = nullptr;
      break;
    }
    if (winner < n) {
      withdraw(winner);
      return finish(winner, won.status == OpStatus::closed, won.partner);
    }

    // 4. wait
    uint32_t expect = SelectState::kReg;
    if (!st.state.compare_exchange_strong(expect, SelectState::kWaiting, std::memory_order_acq_rel)) {
      withdraw(n);  // poked: a partner passed us by; look again
      continue;
    }
    uint64_t obj = A::core(cs[order[0]])->id();
    uint32_t s;
    for (;;) {
      try {
        park(BlockReason::Select, obj);
      } catch (...) {
        uint32_t cur = SelectState::kWaiting;
        if (!st.state.compare_exchange_strong(cur, SelectState::kPoked, std::memory_order_acq_rel)) {
          std::size_t i = (cur - SelectState::kDoneBase) / 2;
          bool closed = (cur - SelectState::kDoneBase) & 1;
          if (A::kind(cs[i]) == SelectCase::Kind::recv && !closed) A::take(cs[i], tmp.get());
          withdraw(i);
        } else {
          withdraw(n);
        }
        throw;
      }
      s = st.state.load(std::memory_order_acquire);
      if (s >= SelectState::kDoneBase) break;
      if (std::uncaught_exceptions() > 0) {
        // Unwinding (a destructor selects) and park may not block: give up.
        uint32_t cur = SelectState::kWaiting;
        if (st.state.compare_exchange_strong(cur, SelectState::kPoked, std::memory_order_acq_rel)) {
          withdraw(n);
          return n;
        }
      }
    }
    const std::size_t i = (s - SelectState::kDoneBase) / 2;
    const bool closed = (s - SelectState::kDoneBase) & 1;
    uint32_t partner = 0;
    for (std::size_t k = 0; k < active; ++k) {
      if (order[k] == i) partner = ws[k].partner;
    }
    // 5. clean up
    withdraw(i);
    return finish(i, closed, partner);
  }
}

}  // namespace goscope
