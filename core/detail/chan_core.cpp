// chan_core.cpp: the channel algorithm (see chan_core.h for the picture).
//
// Memory ordering, in one place:
//   - counters: fetch_add / fetch_or are seq_cst, and so are the loads of S and R that
//     decide between parking and completing, so that "store a waiter, then re-read S"
//     and "set the closed bit, then scan the cells" cannot both miss each other.
//   - a value stored in a cell is published by the release CAS to BUFFERED and taken
//     after an acquire CAS from BUFFERED; a value handed to a parked partner is written
//     after winning the cell (acq_rel CAS waiter -> RESUMING) and published by unpark
//     (release) / park (acquire). So everything a goroutine did before send(v) is visible
//     to the goroutine whose receive returns v.
#include "core/detail/chan_core.h"

#include <algorithm>
#include <cstring>

#include "core/detail/chan_epoch.h"

namespace goscope::detail {

// Segment is kSegmentSize cells, laid out after this header.
struct Segment {
  const uint64_t id;
  const std::size_t align;  // of its allocation, for the deleter
  const std::size_t bytes;  // of its allocation (cells included), for the deleter
  std::atomic<Segment*> next{nullptr};
  Segment(uint64_t i, std::size_t a, std::size_t b) : id(i), align(a), bytes(b) {}
};

namespace {

// SegmentCache keeps the memory of freed segments for the next ones this thread makes:
// a channel that streams values retires a segment every kSegmentSize messages and makes
// a new one as often, and malloc/free of that block showed in every ping-pong. One size at
// a time (the common case is one channel type per hot loop); blocks are freed when the
// size changes, when the cache is full, and when the thread exits.
class SegmentCache {
 public:
  static constexpr std::size_t kMaxBlocks = 64;
  static constexpr std::size_t kMaxBytes = 4096;  // larger segments go straight to malloc

  ~SegmentCache() {
    clear();
    dead_ = true;  // a segment freed later in this thread's exit goes to malloc
  }

  void* take(std::size_t bytes, std::size_t align) {
    if (n_ == 0 || bytes != bytes_ || align != align_) return nullptr;
    return blocks_[--n_];
  }

  // give keeps p (of bytes/align) if it fits; false: the caller frees it.
  bool give(void* p, std::size_t bytes, std::size_t align) {
    if (bytes > kMaxBytes || dead_) return false;
    if (bytes != bytes_ || align != align_) {
      clear();
      bytes_ = bytes;
      align_ = align;
    }
    if (n_ == kMaxBlocks) return false;
    blocks_[n_++] = p;
    return true;
  }

 private:
  void clear() {
    while (n_ > 0) ::operator delete(blocks_[--n_], std::align_val_t(align_));
  }
  void* blocks_[kMaxBlocks];
  std::size_t n_ = 0;
  std::size_t bytes_ = 0;
  std::size_t align_ = 0;
  bool dead_ = false;
};

thread_local SegmentCache t_segment_cache;

void delete_segment(void* p) {
  auto* s = static_cast<Segment*>(p);
  const std::size_t a = s->align;
  const std::size_t bytes = s->bytes;
  s->~Segment();
  if (!t_segment_cache.give(p, bytes, a)) ::operator delete(p, std::align_val_t(a));
}

}  // namespace

namespace {

// Cell states. Values >= 16 are waiters (a Waiter* with bit 3 set for a sender).
enum : uintptr_t {
  kEmpty = 0,
  kBuffered = 1,         // holds a value; no one waits
  kInBuffer = 2,         // part of the buffer, its sender has not arrived yet
  kResuming = 3,         // someone won the waiter stored here and is completing it
  kPoisoned = 4,         // final: the receiver came first and left (its sender retries)
  kDone = 5,             // final: the value went from sender to receiver
  kInterruptedSend = 6,  // final: the sender left without sending
  kInterruptedRcv = 7,   // final: the receiver left without receiving
  kPendingSend = 8,      // a select's send case lost here; its owner will finalize the cell
  kPendingRcv = 9,       // a select's receive case lost here; its owner will finalize the cell
};
constexpr uintptr_t kSenderTag = 8;
constexpr uint64_t kClosedBit = uint64_t{1} << 63;
constexpr uint64_t N = kSegmentSize;

struct Cell {
  std::atomic<uintptr_t> state{kEmpty};
  uint32_t sender = 0;  // goroutine id of the value's sender (events)
};

inline bool is_waiter(uintptr_t st) { return st >= 16; }
inline Waiter* waiter_of(uintptr_t st) { return reinterpret_cast<Waiter*>(st & ~uintptr_t{15}); }
inline uintptr_t tagged(Waiter* w) {
  return reinterpret_cast<uintptr_t>(w) | (w->is_sender ? kSenderTag : 0);
}
inline bool is_final(uintptr_t st) {
  return st == kPoisoned || st == kDone || st == kInterruptedSend || st == kInterruptedRcv;
}

// copy_elem copies a trivially copyable element; the common sizes without a call.
inline void copy_elem(void* dst, const void* src, std::size_t n) {
  switch (n) {
    case 1: std::memcpy(dst, src, 1); break;
    case 4: std::memcpy(dst, src, 4); break;
    case 8: std::memcpy(dst, src, 8); break;
    case 16: std::memcpy(dst, src, 16); break;
    default: std::memcpy(dst, src, n); break;
  }
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// add / cas are the algorithm's read-modify-writes. kShared = false is the one-thread
// form (see RuntimeHot::hot_one_thread): no other thread can touch the channel, so a
// plain load and store give the same result without a locked instruction.
template <bool kShared>
inline uint64_t add(std::atomic<uint64_t>& a, uint64_t v) {
  if constexpr (kShared) {
    return a.fetch_add(v, std::memory_order_seq_cst);
  } else {
    const uint64_t old = a.load(std::memory_order_relaxed);
    a.store(old + v, std::memory_order_relaxed);
    return old;
  }
}

template <bool kShared, class V>
inline bool cas(std::atomic<V>& a, V& expected, V desired, std::memory_order order) {
  if constexpr (kShared) {
    return a.compare_exchange_strong(expected, desired, order);
  } else {
    (void)order;
    const V cur = a.load(std::memory_order_relaxed);
    if (cur != expected) {
      expected = cur;
      return false;
    }
    a.store(desired, std::memory_order_relaxed);
    return true;
  }
}

// EpochGuardIf is the epoch guard of the shared form; the one-thread form reclaims at
// once (see try_reclaim) and needs none.
template <bool kShared>
struct EpochGuardIf : EpochGuard {};
template <>
struct EpochGuardIf<false> {};

// try_resume decides whether w may be completed by its caller, who has won w's cell.
// Plain waiters always may; a select case may only if its select is still undecided,
// and then this call decides it. A select still registering cannot be completed: it is
// marked poked (it will look again) and the caller moves on.
bool try_resume(Waiter* w, bool by_close) {
  SelectState* s = w->sel;
  if (!s) return true;
  uint32_t cur = s->state.load(std::memory_order_acquire);
  for (;;) {
    if (cur == SelectState::kWaiting) {
      uint32_t done = SelectState::kDoneBase + 2 * w->case_index + (by_close ? 1 : 0);
      if (s->state.compare_exchange_weak(cur, done, std::memory_order_acq_rel)) return true;
    } else if (cur == SelectState::kReg) {
      if (s->state.compare_exchange_weak(cur, SelectState::kPoked, std::memory_order_acq_rel)) return false;
    } else {
      return false;
    }
  }
}

// poke_self marks the caller's own select, still registering, as poked: it will withdraw
// its registrations and look again instead of waiting (as if a partner had passed it by).
[[gnu::noinline, gnu::cold]] void poke_self(SelectState* s) {
  uint32_t cur = SelectState::kReg;
  s->state.compare_exchange_strong(cur, SelectState::kPoked, std::memory_order_acq_rel);
}

}  // namespace

ChanCore::ChanCore(std::size_t cap, const ElemOps* ops, uint64_t id) : ops_(ops), cap_(cap), id_(id) {
  std::size_t a = std::max<std::size_t>(ops->align, alignof(Cell));
  elem_offset_ = (sizeof(Cell) + a - 1) / a * a;
  std::size_t stride_align = std::max<std::size_t>(a, 16);
  cell_stride_ = (elem_offset_ + ops->size + stride_align - 1) / stride_align * stride_align;
  segment_align_ = std::max<std::size_t>(stride_align, 64);
  cells_offset_ = (sizeof(Segment) + segment_align_ - 1) / segment_align_ * segment_align_;
  segment_bytes_ = cells_offset_ + cell_stride_ * N;
  Segment* first = new_segment(0);
  head_ = first;
  send_seg_.store(first, std::memory_order_relaxed);
  recv_seg_.store(first, std::memory_order_relaxed);
  eb_seg_.store(first, std::memory_order_relaxed);
  B_.store(cap, std::memory_order_relaxed);
}

ChanCore::~ChanCore() {
  // Nobody else holds the channel now. Values still buffered are destroyed; waiters of
  // goroutines that died unfinished are left alone (their stacks are gone).
  Segment* s = head_;
  while (s) {
    for (uint32_t i = 0; i < N; ++i) {
      Cell* c = reinterpret_cast<Cell*>(reinterpret_cast<char*>(s) + cells_offset_ + i * cell_stride_);
      if (c->state.load(std::memory_order_relaxed) == kBuffered && !ops_->trivial) {
        ops_->destroy(reinterpret_cast<char*>(c) + elem_offset_);
      }
    }
    Segment* n = s->next.load(std::memory_order_relaxed);
    delete_segment(s);
    s = n;
  }
}

Segment* ChanCore::new_segment(uint64_t id) {
  void* mem = t_segment_cache.take(segment_bytes_, segment_align_);
  if (!mem) mem = ::operator new(segment_bytes_, std::align_val_t(segment_align_));
  auto* s = new (mem) Segment(id, segment_align_, segment_bytes_);
  for (uint32_t i = 0; i < N; ++i) new (static_cast<char*>(mem) + cells_offset_ + i * cell_stride_) Cell();
  return s;
}

inline void ChanCore::move_in(void* dst, void* src) const {
  if (ops_->trivial) {
    copy_elem(dst, src, ops_->size);
  } else {
    ops_->move_construct(dst, src);
  }
}

inline void ChanCore::move_out(void* dst, void* src) const {
  if (ops_->trivial) {
    copy_elem(dst, src, ops_->size);
  } else {
    ops_->move_construct(dst, src);
    ops_->destroy(src);
  }
}

#define CELL(seg, i) \
  reinterpret_cast<Cell*>(reinterpret_cast<char*>(seg) + cells_offset_ + static_cast<std::size_t>(i) * cell_stride_)
#define ELEM(c) (reinterpret_cast<char*>(c) + elem_offset_)

template <bool kShared>
void ChanCore::move_forward(std::atomic<Segment*>& global, Segment* to) {
  Segment* cur = global.load(std::memory_order_acquire);
  while (cur->id < to->id) {
    if (cas<kShared>(global, cur, to, std::memory_order_acq_rel)) {
      try_reclaim<kShared>();
      return;
    }
  }
}

// walk_to returns segment id, reached from `from` (making the segments that are missing).
template <bool kShared>
Segment* ChanCore::walk_to(Segment* from, uint64_t id) {
  Segment* cur = from;
  while (cur->id < id) {
    Segment* next = cur->next.load(std::memory_order_acquire);
    if (!next) {
      Segment* fresh = new_segment(cur->id + 1);
      if (cas<kShared>(cur->next, next, fresh, std::memory_order_acq_rel)) {
        next = fresh;
      } else {
        delete_segment(fresh);
      }
    }
    cur = next;
  }
  return cur;
}

template <bool kShared>
Segment* ChanCore::find_segment(Segment* from, uint64_t id, std::atomic<Segment*>& global) {
  Segment* cur = walk_to<kShared>(from, id);
  move_forward<kShared>(global, cur);
  return cur;
}

// count_dead keeps dead_ (see chan_core.h): the buffer end passing a dead sender's cell
// adds one, the receiver passing it takes one away. Each such cell is passed once by
// each of them, so dead_ is exact whenever no operation is in flight. Relaxed: len is
// a snapshot that is exact only then.
template <bool kShared>
void ChanCore::count_dead(bool by_buffer_end) {
  const uint64_t d = by_buffer_end ? 1 : ~uint64_t{0};
  if constexpr (kShared) {
    dead_.fetch_add(d, std::memory_order_relaxed);
  } else {
    dead_.store(dead_.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
  }
}

uint64_t ChanCore::closed_at() const {
  uint64_t v = closed_at_.load(std::memory_order_acquire);
  while (v == ~uint64_t{0}) {  // close is between setting the bit and publishing Sc
    cpu_relax();
    v = closed_at_.load(std::memory_order_acquire);
  }
  return v;
}

uint64_t ChanCore::senders() const {
  uint64_t sv = S_.load(std::memory_order_seq_cst);
  return (sv & kClosedBit) ? closed_at() : sv;
}

bool ChanCore::closed() const { return S_.load(std::memory_order_acquire) & kClosedBit; }

// buffer_or_rendezvous says whether cell s is in the buffer or has a receiver on its way
// (s < B or s < R + cap). Both bounds only grow, so the largest one seen so far is kept
// next to S as a hint: a sender whose cell is below it decides without reading B and R,
// whose cache lines the receivers write on every message.
bool ChanCore::buffer_or_rendezvous(uint64_t s) const {
  if (s < send_room_.load(std::memory_order_relaxed)) return true;
  const uint64_t room = std::max(B_.load(std::memory_order_seq_cst), R_.load(std::memory_order_seq_cst) + cap_);
  if (s >= room) return false;
  if (room > send_room_.load(std::memory_order_relaxed)) send_room_.store(room, std::memory_order_relaxed);
  return true;
}

// ---------------------------------------------------------------------------------------
// send

// wake_partner makes the partner of a completed operation runnable. The operation's own
// event follows with no user code between: it takes the GoUnblock's timestamp.
static void wake_partner(G* g) { unpark(g, /*event_follows=*/true); }

// Solo: a worker that runs alone takes the plain form. It marks itself inside the
// operation before it reads the owner (only a compiler fence between: whoever clears the
// owner issues membarrier, which orders the two for it), and unmarks with a release store
// that the joiner's acquire load pairs with. See "Solo" in runtime_solo.cpp.
template <class Plain, class Shared>
inline OpResult ChanCore::pick_form(Plain plain, Shared shared) {
  RuntimeHot* hot = tl_hot;
  if (hot && hot->hot_one_thread) return plain();
  std::atomic<uint32_t>* mark = tl_op_mark;
  if (!mark) return shared();
  mark->store(1, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  const bool solo = hot->hot_solo_owner.load(std::memory_order_relaxed) == mark;
  OpResult r = solo ? plain() : shared();
  mark->store(0, std::memory_order_release);
  return r;
}

OpResult ChanCore::send_op(void* src, uint32_t gid, Waiter* w) {
  return pick_form([&] { return send_impl<false>(src, gid, w); }, [&] { return send_impl<true>(src, gid, w); });
}

template <bool kShared>
OpResult ChanCore::send_impl(void* src, uint32_t gid, Waiter* w) {
  [[maybe_unused]] EpochGuardIf<kShared> guard;
  Segment* seg = send_seg_.load(std::memory_order_acquire);
  for (;;) {
    uint64_t sv = add<kShared>(S_, 1);
    if (sv & kClosedBit) return {OpStatus::closed};
    const uint64_t s = sv;
    if (seg->id != s / N) seg = find_segment<kShared>(seg, s / N, send_seg_);
    const uint32_t i = static_cast<uint32_t>(s % N);
    Cell* c = CELL(seg, i);
    for (;;) {
      uintptr_t st = c->state.load(std::memory_order_acquire);
      if (st == kEmpty || st == kInBuffer) {
        if (st == kInBuffer || buffer_or_rendezvous(s)) {
          // Store the value, then publish it (safe publication through the CAS).
          void* e = ELEM(c);
          move_in(e, src);
          c->sender = gid;
          if (cas<kShared>(c->state, st, uintptr_t(kBuffered), std::memory_order_acq_rel)) return {OpStatus::done};
          if (!ops_->trivial) {  // a receiver got here first: take the value back
            ops_->destroy(src);
            ops_->move_construct(src, e);
            ops_->destroy(e);
          }
          continue;
        }
        if (!w) {
          if (cas<kShared>(c->state, st, uintptr_t(kInterruptedSend), std::memory_order_acq_rel)) {
            return {OpStatus::would_block};
          }
          continue;
        }
        w->seg = seg;
        w->index = i;
        if (!w->g) w->g = current();
        if (cas<kShared>(c->state, st, uintptr_t(tagged(w)), std::memory_order_seq_cst)) {
          if (S_.load(std::memory_order_seq_cst) & kClosedBit) {
            // close may have scanned this cell before the waiter was here
            if (cancel(w)) {
              w->seg = nullptr;
              return {OpStatus::closed};
            }
          }
          return {OpStatus::parked};
        }
        w->seg = nullptr;
        continue;
      }
      if (is_waiter(st)) {  // a receiver waits here (or a select's two-way offer: its receive case)
        if (!cas<kShared>(c->state, st, uintptr_t(kResuming), std::memory_order_acq_rel)) continue;
        Waiter* rw = waiter_of(st);
        if (rw->sel) [[unlikely]] {
          const Meet m = sender_meets_select<kShared>(c->state, rw, w, s);
          if (m == Meet::parked) return {OpStatus::parked};
          if (m == Meet::next) break;
        }
        move_in(rw->slot, src);
        uint32_t partner = id_of(rw->g);
        G* g = rw->g;
        rw->partner = gid;
        rw->result.store(kDelivered, std::memory_order_release);
        c->state.store(kDone, std::memory_order_release);
        if (g) wake_partner(g);
        return {OpStatus::done, partner};
      }
      if (st == kResuming) {
        cpu_relax();
        continue;
      }
      break;  // a receiver left (interrupted, poisoned): this cell is lost, take the next
    }
  }
}

// ---------------------------------------------------------------------------------------
// receive

OpResult ChanCore::recv_op(void* dst, uint32_t gid, Waiter* w) {
  return pick_form([&] { return recv_impl<false>(dst, gid, w); }, [&] { return recv_impl<true>(dst, gid, w); });
}

template <bool kShared>
OpResult ChanCore::recv_impl(void* dst, uint32_t gid, Waiter* w) {
  [[maybe_unused]] EpochGuardIf<kShared> guard;
  Segment* seg = recv_seg_.load(std::memory_order_acquire);
  for (;;) {
    // Fast exit once closed and drained. closed_at_ rather than S's closed bit: S's line
    // changes with every send, closed_at_'s only once. (A receive that misses a close
    // here finds it in its cell.)
    if (const uint64_t sc = closed_at_.load(std::memory_order_acquire); sc != ~uint64_t{0}) {
      if (R_.load(std::memory_order_seq_cst) >= sc) return {OpStatus::closed};
    }
    const uint64_t r = add<kShared>(R_, 1);
    if (seg->id != r / N) seg = find_segment<kShared>(seg, r / N, recv_seg_);
    const uint32_t i = static_cast<uint32_t>(r % N);
    Cell* c = CELL(seg, i);
    for (;;) {
      uintptr_t st = c->state.load(std::memory_order_acquire);
      if (st == kEmpty || st == kInBuffer) {
        uint64_t sv = S_.load(std::memory_order_seq_cst);
        bool is_closed = sv & kClosedBit;
        uint64_t s = is_closed ? closed_at() : sv;
        if (r < s) {
          // Our sender took this cell but has not written it: do not wait for it.
          if (cas<kShared>(c->state, st, uintptr_t(kPoisoned), std::memory_order_acq_rel)) {
            expand_buffer<kShared>();
            break;
          }
          continue;
        }
        if (is_closed) return {OpStatus::closed};  // no sender will ever come here
        if (!w) {
          if (cas<kShared>(c->state, st, uintptr_t(kInterruptedRcv), std::memory_order_acq_rel)) {
            expand_buffer<kShared>();
            return {OpStatus::would_block};
          }
          continue;
        }
        w->seg = seg;
        w->index = i;
        if (!w->g) w->g = current();
        if (cas<kShared>(c->state, st, uintptr_t(tagged(w)), std::memory_order_seq_cst)) {
          expand_buffer<kShared>();
          if ((S_.load(std::memory_order_seq_cst) & kClosedBit) && r >= closed_at()) {
            if (cancel(w)) {
              w->seg = nullptr;
              return {OpStatus::closed};
            }
          }
          return {OpStatus::parked};
        }
        w->seg = nullptr;
        continue;
      }
      if (st == kBuffered) {
        // A buffered cell is ours alone: its sender is done, and r is this receive's
        // index (no other receive gets it; expand_buffer and close leave buffered cells
        // as they are). So a store finalizes it, no CAS (a locked op per message).
        c->state.store(kDone, std::memory_order_relaxed);
        void* e = ELEM(c);
        uint32_t partner = c->sender;
        move_out(dst, e);
        expand_buffer<kShared>();
        return {OpStatus::done, partner};
      }
      if (is_waiter(st)) {  // a sender waits here (or a select's two-way offer)
        if (!cas<kShared>(c->state, st, uintptr_t(kResuming), std::memory_order_acq_rel)) continue;
        Waiter* sw = waiter_of(st);
        if (sw->sel) [[unlikely]] {
          const Met m = receiver_meets_select<kShared>(c->state, st, sw, w, r);
          if (m.what == Meet::parked) return {OpStatus::parked};
          if (m.what == Meet::closed) return {OpStatus::closed};
          if (m.what == Meet::next) break;
          sw = m.partner;
        }
        move_in(dst, sw->slot);
        uint32_t partner = id_of(sw->g);
        G* g = sw->g;
        sw->partner = gid;
        sw->result.store(kDelivered, std::memory_order_release);
        c->state.store(kDone, std::memory_order_release);
        if (g) wake_partner(g);
        expand_buffer<kShared>();
        return {OpStatus::done, partner};
      }
      if (st == kResuming) {  // the buffer end or close is completing our sender: wait for it
        cpu_relax();
        continue;
      }
      // Our sender left (interrupted; in an unbuffered channel also: a two-way offer this
      // cell held is spent or withdrawn): take the next cell. In a buffered channel only a
      // sender that left can be here: it is a dead cell the receivers have now passed.
      if (cap_ > 0) count_dead<kShared>(false);
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------
// a select that waits both ways

// segment_of returns the segment of cell i, given the cell's state word.
Segment* ChanCore::segment_of(std::atomic<uintptr_t>& state, uint64_t i) const {
  static_assert(offsetof(Cell, state) == 0);
  return reinterpret_cast<Segment*>(reinterpret_cast<char*>(&state) - cells_offset_ - (i % N) * cell_stride_);
}

// sender_meets_select is a send's part in its cell when it has won (RESUMING) the waiter
// of a select's receive case there, rw (a receiver, or a two-way offer): complete with
// it, or move on to the next cell, or (its own select's cases met) wait as an offer.
// Out of line: it keeps the plain handoff's registers free.
template <bool kShared>
[[gnu::noinline]] ChanCore::Meet ChanCore::sender_meets_select(std::atomic<uintptr_t>& state, Waiter* rw, Waiter* w,
                                                               uint64_t s) {
  if (w && rw->sel == w->sel) {
    // Our own select's receive case took this cell's other side: a select never pairs
    // with itself. The cell is spent for both; that registration is gone.
    rw->seg = nullptr;
    state.store(kInterruptedRcv, std::memory_order_release);
    if (cap_ == 0) {  // the two cases wait as one, in the next cell
      offer<kShared>(segment_of(state, s), s, rw, w);
      return Meet::parked;
    }
    // Buffered: the receive case found the buffer empty, so this send has room in the
    // next cell; the select looks again if it does not.
    poke_self(w->sel);
    return Meet::next;
  }
  if (!try_resume(rw, false)) {
    state.store(kPendingRcv, std::memory_order_release);
    return Meet::next;
  }
  return Meet::complete;
}

// receiver_meets_select is a receive's part in its cell when it has won the waiter of a
// select there, sw: a send case, or a two-way offer (st without the sender tag), whose
// send case is then the partner. Complete with the partner, move on, wait as an offer,
// or (an offer met past the close) return closed.
template <bool kShared>
[[gnu::noinline]] ChanCore::Met ChanCore::receiver_meets_select(std::atomic<uintptr_t>& state, uintptr_t st,
                                                                Waiter* sw, Waiter* w, uint64_t r) {
  if (!(st & kSenderTag)) {
    // A two-way offer (see offer): its send case is this receive's partner. But if the
    // channel closed with no sender for this cell, this receive is past the close, and
    // the offer's receive case gets the close, as in close_cells (Go's close serves a
    // select's receive case before its send case).
    if ((S_.load(std::memory_order_seq_cst) & kClosedBit) && r >= closed_at()) {
      if (try_resume(sw, true)) {
        G* g = sw->g;
        sw->partner = 0;
        sw->result.store(kClosed, std::memory_order_release);
        state.store(kInterruptedRcv, std::memory_order_release);
        if (g) unpark(g);
      } else {
        state.store(kPendingRcv, std::memory_order_release);
      }
      return {nullptr, Meet::closed};
    }
    sw = sw->pair;
  }
  if (w && sw->sel == w->sel) {  // our own select's send case (see sender_meets_select)
    sw->seg = nullptr;
    state.store(kInterruptedSend, std::memory_order_release);
    if (cap_ == 0) {
      offer<kShared>(segment_of(state, r), r, w, sw);
      return {nullptr, Meet::parked};
    }
    // Buffered: the buffer has room now that receivers reached the send case's cell;
    // the select looks again.
    count_dead<kShared>(false);
    poke_self(w->sel);
    return {nullptr, Meet::next};
  }
  if (!try_resume(sw, false)) {
    state.store(kPendingSend, std::memory_order_release);
    if (cap_ > 0) count_dead<kShared>(false);
    return {nullptr, Meet::next};
  }
  return {sw, Meet::complete};
}

// offer makes a select's receive case rw and send case sw on this unbuffered channel wait
// as one. They met in cell `met` (each took that cell's turn of its direction), so the
// next sender and the next receiver both come to cell met + 1 (unless others are already
// on their way there). The receive case's waiter goes into that cell untagged, without
// taking a turn (no counter moves): a sender finds a receiver there, as usual; a
// receiver finds a waiter without the sender tag, which only an offer is, and completes
// with rw->pair. Whichever claimant comes first wins the select (if it is
// waiting); the other finds the cell spent and takes its next one. If the cell is in use
// already, or the channel closed meanwhile (close may have scanned the cell before the
// offer was there), the select is poked: it withdraws and looks again. In the plain form
// the cell is always free: nothing else runs between the meeting and the offer.
template <bool kShared>
[[gnu::noinline, gnu::cold]] void ChanCore::offer(Segment* seg, uint64_t met, Waiter* rw, Waiter* sw) {
  const uint64_t at = met + 1;
  sw->seg = nullptr;
  rw->pair = sw;
  sw->pair = rw;
  Segment* cur = walk_to<kShared>(seg, at / N);
  const auto i = static_cast<uint32_t>(at % N);
  Cell* c = CELL(cur, i);
  rw->seg = cur;
  rw->index = i;
  uintptr_t st = kEmpty;
  // seq_cst: the offer, then the closed bit; close sets the bit, then scans (Dekker).
  if (cas<kShared>(c->state, st, tagged(rw), std::memory_order_seq_cst)) {
    // Tell the try operations where it is (offers only move forward: keep the largest).
    uint64_t hint = offer_at_.load(std::memory_order_relaxed);
    while (hint < at + 1 && !offer_at_.compare_exchange_weak(hint, at + 1, std::memory_order_seq_cst)) {
    }
    if (!(S_.load(std::memory_order_seq_cst) & kClosedBit)) return;
  } else {
    rw->seg = nullptr;
  }
  poke_self(rw->sel);
}

// ---------------------------------------------------------------------------------------
// the buffer end

template <bool kShared>
void ChanCore::expand_buffer() {
  if (cap_ == 0) return;
  Segment* seg = eb_seg_.load(std::memory_order_acquire);
  for (;;) {
    const uint64_t b = add<kShared>(B_, 1);
    if (senders() <= b) {
      // No sender has claimed cell b yet; it will find b < B. Keep eb_seg_ moving so
      // that it does not hold back reclamation.
      Segment* cur = seg;
      while (cur->id < b / N) {
        Segment* next = cur->next.load(std::memory_order_acquire);
        if (!next) break;
        cur = next;
      }
      if (cur != seg) move_forward<kShared>(eb_seg_, cur);
      return;
    }
    if (seg->id != b / N) seg = find_segment<kShared>(seg, b / N, eb_seg_);
    if (update_cell_eb<kShared>(seg, static_cast<uint32_t>(b % N))) return;
  }
}

// update_cell_eb adds cell i to the buffer; false if the cell cannot hold a value (its
// sender left), so the next cell must be added instead.
template <bool kShared>
bool ChanCore::update_cell_eb(Segment* seg, uint32_t i) {
  Cell* c = CELL(seg, i);
  for (;;) {
    uintptr_t st = c->state.load(std::memory_order_acquire);
    if (is_waiter(st)) {
      if (!(st & kSenderTag)) return true;  // a receiver waits: its sender will meet it
      if (!cas<kShared>(c->state, st, uintptr_t(kResuming), std::memory_order_acq_rel)) continue;
      Waiter* sw = waiter_of(st);
      if (try_resume(sw, false)) {
        // The parked sender's value moves into the buffer; the sender goes on.
        void* e = ELEM(c);
        move_in(e, sw->slot);
        c->sender = id_of(sw->g);
        G* g = sw->g;
        sw->partner = 0;
        sw->result.store(kDelivered, std::memory_order_release);
        c->state.store(kBuffered, std::memory_order_release);
        if (g) wake_partner(g);
        return true;
      }
      c->state.store(kPendingSend, std::memory_order_release);
      count_dead<kShared>(true);
      return false;
    }
    switch (st) {
      case kEmpty:
        if (cas<kShared>(c->state, st, uintptr_t(kInBuffer), std::memory_order_acq_rel)) return true;
        continue;
      case kResuming:
        cpu_relax();
        continue;
      case kInterruptedSend:
      case kPendingSend:
        count_dead<kShared>(true);
        return false;
      default:
        return true;  // buffered, already in the buffer, or already taken by a receiver
    }
  }
}

// ---------------------------------------------------------------------------------------
// blocking forms

void ChanCore::wait(Waiter& w, BlockReason reason) {
  for (;;) {
    try {
      park(reason, id_, /*event_follows=*/true);
    } catch (...) {
      // The program is over (Unwind) or park was called outside a goroutine: withdraw the
      // waiter so that no one touches it after this frame is gone.
      if (w.result.load(std::memory_order_acquire) == kPending && w.seg) cancel(&w);
      throw;
    }
    if (w.result.load(std::memory_order_acquire) != kPending) return;
    // park returned without a partner: this goroutine is being unwound (a destructor
    // runs a channel operation) and may not block. Give up the operation.
    if (w.seg && cancel(&w)) {
      // A receive gets the zero value; a send is dropped (it may not panic now).
      w.result.store(w.is_sender ? kDelivered : kClosed, std::memory_order_relaxed);
      w.partner = 0;
      return;
    }
  }
}

// Plain-form shortcuts. In the plain form no other thread touches the channel during the
// operation, so an operation may look before it claims its cell, and take the short way
// when the case is the simple one of a busy buffered channel: a send into a cell that is
// in the buffer (no receiver waits there), a receive of a buffered value while the
// buffer end needs no more than a step. They do exactly what send_impl<false> /
// recv_impl<false> do in those cases, without the general loop; anything else goes the
// general way, untouched.
bool ChanCore::send_buffered_plain(void* src, uint32_t gid) {
  const uint64_t s = S_.load(std::memory_order_relaxed);
  if (s & kClosedBit) return false;
  Segment* seg = send_seg_.load(std::memory_order_relaxed);
  if (seg->id != s / N) return false;
  Cell* c = CELL(seg, s % N);
  const uintptr_t st = c->state.load(std::memory_order_relaxed);
  if (st != kInBuffer && !(st == kEmpty && s < send_room_.load(std::memory_order_relaxed))) return false;
  S_.store(s + 1, std::memory_order_relaxed);
  void* e = ELEM(c);
  move_in(e, src);
  c->sender = gid;
  c->state.store(kBuffered, std::memory_order_relaxed);
  return true;
}

bool ChanCore::recv_buffered_plain(void* dst, OpResult* result) {
  if (closed_at_.load(std::memory_order_relaxed) != ~uint64_t{0}) return false;
  const uint64_t r = R_.load(std::memory_order_relaxed);
  Segment* seg = recv_seg_.load(std::memory_order_relaxed);
  if (seg->id != r / N) return false;
  Cell* c = CELL(seg, r % N);
  if (c->state.load(std::memory_order_relaxed) != kBuffered) return false;
  R_.store(r + 1, std::memory_order_relaxed);
  c->state.store(kDone, std::memory_order_relaxed);
  void* e = ELEM(c);
  *result = {OpStatus::done, c->sender};
  move_out(dst, e);
  // expand_buffer<false>'s commonest case: no sender has claimed the new buffer end's
  // cell yet, and it is in the segment the buffer end is in already: one step.
  // (Its segment walk moves eb_seg_ only onto segments that exist: none to walk onto
  // is the same one step.)
  const uint64_t b = B_.load(std::memory_order_relaxed);
  Segment* eb = eb_seg_.load(std::memory_order_relaxed);
  if (senders() <= b && (eb->id >= b / N || !eb->next.load(std::memory_order_relaxed))) {
    B_.store(b + 1, std::memory_order_relaxed);
  } else {
    expand_buffer<false>();
  }
  return true;
}

// send and recv only pick the way: tail calls, so that an unbuffered operation pays a
// compare and a jump for the shortcut it does not take.
OpResult ChanCore::send(void* src, uint32_t gid) {
  return cap_ > 0 ? send_buffered(src, gid) : send_blocking(src, gid);
}

OpResult ChanCore::recv(void* dst, uint32_t gid) {
  return cap_ > 0 ? recv_buffered(dst, gid) : recv_blocking(dst, gid);
}

// A buffered send or receive tries the shortcut first wherever the plain form applies (a
// one-thread run, a solo worker: pick_form decides and marks the operation), then, if the
// case was not the simple one, goes the general way as an operation of its own.
OpResult ChanCore::send_buffered(void* src, uint32_t gid) {
  bool done = false;
  pick_form([&] { return OpResult{(done = send_buffered_plain(src, gid)) ? OpStatus::done : OpStatus::would_block}; },
            [] { return OpResult{OpStatus::would_block}; });
  return done ? OpResult{OpStatus::done} : send_blocking(src, gid);
}

OpResult ChanCore::recv_buffered(void* dst, uint32_t gid) {
  OpResult got{OpStatus::would_block};
  bool done = false;
  pick_form([&] { return OpResult{(done = recv_buffered_plain(dst, &got)) ? OpStatus::done : OpStatus::would_block}; },
            [] { return OpResult{OpStatus::would_block}; });
  return done ? got : recv_blocking(dst, gid);
}

[[gnu::noinline]] OpResult ChanCore::send_blocking(void* src, uint32_t gid) {
  Waiter w;  // w.g is filled in only if the operation has to park
  w.slot = src;
  w.is_sender = true;
  // send_op's body, inline: the blocking send is the common call, worth one call layer
  // less.
  OpResult r = pick_form([&] { return send_impl<false>(src, gid, &w); }, [&] { return send_impl<true>(src, gid, &w); });
  if (r.status != OpStatus::parked) return r;
  wait(w, BlockReason::Send);
  if (w.result.load(std::memory_order_acquire) == kClosed) return {OpStatus::closed};
  return {OpStatus::done, w.partner};
}

[[gnu::noinline]] OpResult ChanCore::recv_blocking(void* dst, uint32_t gid) {
  Waiter w;
  w.slot = dst;
  w.is_sender = false;
  OpResult r = pick_form([&] { return recv_impl<false>(dst, gid, &w); }, [&] { return recv_impl<true>(dst, gid, &w); });
  if (r.status != OpStatus::parked) return r;
  wait(w, BlockReason::Recv);
  if (w.result.load(std::memory_order_acquire) == kClosed) return {OpStatus::closed};
  return {OpStatus::done, w.partner};
}

// The try operations look before they claim a cell, so that one on an idle channel moves
// no counter; in an unbuffered channel the cell they would claim may hold a select's
// two-way offer, which is a partner for either of them.
OpResult ChanCore::try_send(void* src, uint32_t gid) {
  uint64_t sv = S_.load(std::memory_order_seq_cst);
  if (!(sv & kClosedBit) && !buffer_or_rendezvous(sv) && !offer_waits(sv)) return {OpStatus::would_block};
  return send_op(src, gid, nullptr);
}

OpResult ChanCore::try_recv(void* dst, uint32_t gid) {
  uint64_t r = R_.load(std::memory_order_seq_cst);
  uint64_t sv = S_.load(std::memory_order_seq_cst);
  if (!(sv & kClosedBit) && r >= sv && !offer_waits(r)) return {OpStatus::would_block};
  return recv_op(dst, gid, nullptr);
}

// offer_waits says whether a two-way offer may wait in cell i, the next cell of the
// caller's direction: offer_at_ names the last cell an offer went into (it sits in S's
// cache line, which the caller has just read). A stale yes costs one claimed cell; a
// no is stale only for an offer that is not in place yet, so its select is still
// registering, and the try operation comes before it.
bool ChanCore::offer_waits(uint64_t i) const { return offer_at_.load(std::memory_order_seq_cst) == i + 1; }

bool ChanCore::ready_send() const {
  uint64_t sv = S_.load(std::memory_order_seq_cst);
  return (sv & kClosedBit) || buffer_or_rendezvous(sv) || offer_waits(sv);
}

bool ChanCore::ready_recv() const {
  uint64_t r = R_.load(std::memory_order_seq_cst);
  return r < senders() || closed() || offer_waits(r);
}

// ---------------------------------------------------------------------------------------
// cancel and close

bool ChanCore::cancel(Waiter* w) {
  EpochGuard guard;
  // A plain waiter that a partner has completed may sit in a segment that is already
  // retired: look at the cell only while the waiter is still pending, which (checked
  // inside the guard) keeps its cell, and so its segment, alive.
  if (!w->sel && w->result.load(std::memory_order_acquire) != kPending) return false;
  Cell* c = CELL(w->seg, w->index);
  const uintptr_t mine = tagged(w);
  for (;;) {
    uintptr_t st = c->state.load(std::memory_order_acquire);
    if (st == mine) {
      if (c->state.compare_exchange_strong(st, w->is_sender ? kInterruptedSend : kInterruptedRcv,
                                           std::memory_order_acq_rel)) {
        return true;
      }
      continue;
    }
    if (st == kResuming) {  // a partner is deciding; its decision is a few instructions away
      cpu_relax();
      continue;
    }
    if (st == kPendingSend) {
      c->state.store(kInterruptedSend, std::memory_order_release);
    } else if (st == kPendingRcv) {
      c->state.store(kInterruptedRcv, std::memory_order_release);
    }
    return false;
  }
}

bool ChanCore::close() {
  EpochGuard guard;
  uint64_t sv = S_.fetch_or(kClosedBit, std::memory_order_seq_cst);
  if (sv & kClosedBit) return false;
  closed_at_.store(sv, std::memory_order_seq_cst);
  uint64_t rc = R_.load(std::memory_order_seq_cst);
  close_cells(std::min(rc, sv), std::max(rc, sv), sv);
  return true;
}

// close_cells wakes, in cells [lo, hi], every parked sender (it will panic) and every
// parked receiver whose cell no sender will reach (cell >= sc: zero value, ok = false).
// A receiver parked below sc is left alone: its sender started before close and comes.
// Cell hi has no claimant yet on either side; what waits there is a select's two-way
// offer (a receiver for close: see offer), or a receiver about to see the close itself.
void ChanCore::close_cells(uint64_t lo, uint64_t hi, uint64_t sc) {
  Segment* seg = send_seg_.load(std::memory_order_acquire);
  Segment* rs = recv_seg_.load(std::memory_order_acquire);
  if (rs->id < seg->id) seg = rs;
  for (uint64_t i = std::max(lo, seg->id * N); i <= hi; ++i) {
    while (seg->id < i / N) {
      Segment* next = seg->next.load(std::memory_order_acquire);
      if (!next) return;  // not made yet: whoever makes it will see the closed bit
      seg = next;
    }
    Cell* c = CELL(seg, i % N);
    for (;;) {
      uintptr_t st = c->state.load(std::memory_order_acquire);
      if (!is_waiter(st)) break;
      bool sender = st & kSenderTag;
      if (!sender && i < sc) break;
      if (!c->state.compare_exchange_strong(st, kResuming, std::memory_order_acq_rel)) continue;
      Waiter* w = waiter_of(st);
      if (try_resume(w, true)) {
        G* g = w->g;
        w->partner = 0;
        w->result.store(kClosed, std::memory_order_release);
        c->state.store(sender ? kInterruptedSend : kInterruptedRcv, std::memory_order_release);
        if (g) unpark(g);
      } else {
        c->state.store(sender ? kPendingSend : kPendingRcv, std::memory_order_release);
      }
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------
// len and reclamation

// len counts the cells between the receivers and the first cell that is neither in the
// buffer nor taken by a sender, less the dead cells among them (see dead_): the values a
// receive can take, Go's qcount.
std::size_t ChanCore::len() const {
  if (cap_ == 0) return 0;
  uint64_t r = R_.load(std::memory_order_seq_cst);
  uint64_t top = std::min(senders(), B_.load(std::memory_order_seq_cst));
  const auto dead = static_cast<int64_t>(dead_.load(std::memory_order_seq_cst));
  if (top <= r) return 0;
  uint64_t n = top - r;
  if (dead > 0) n = n > static_cast<uint64_t>(dead) ? n - static_cast<uint64_t>(dead) : 0;
  return static_cast<std::size_t>(std::min<uint64_t>(n, cap_));
}

bool ChanCore::all_final(Segment* seg) const {
  for (uint32_t i = 0; i < N; ++i) {
    if (!is_final(CELL(seg, i)->state.load(std::memory_order_acquire))) return false;
  }
  return true;
}

// try_reclaim retires the segments every pointer and counter has passed. Shared: through
// the epoch reclaimer, since a slow thread may still walk through them. One thread: at
// once, since no other operation can hold a pointer to a segment behind all three
// global pointers (the calling operation's own segment is at or past them).
template <bool kShared>
void ChanCore::try_reclaim() {
  if constexpr (kShared) {
    if (reclaiming_.exchange(true, std::memory_order_acquire)) return;
  }
  uint64_t limit = std::min(send_seg_.load(std::memory_order_acquire)->id, recv_seg_.load(std::memory_order_acquire)->id);
  if (cap_ > 0) limit = std::min(limit, eb_seg_.load(std::memory_order_acquire)->id);
  Segment* h = head_;
  while (h->id < limit && all_final(h)) {
    Segment* next = h->next.load(std::memory_order_acquire);
    head_ = next;
    if constexpr (kShared) {
      epoch_retire(h, delete_segment);
    } else {
      delete_segment(h);
    }
    h = next;
  }
  if constexpr (kShared) reclaiming_.store(false, std::memory_order_release);
}

std::size_t ChanCore::live_segments() const {
  std::size_t n = 0;
  for (Segment* s = head_; s; s = s->next.load(std::memory_order_acquire)) ++n;
  return n;
}

}  // namespace goscope::detail
