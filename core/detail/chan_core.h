// detail/chan_core.h: the channel algorithm, type-erased (elements are moved through an
// ElemOps table), shared by Chan<T>, select and the timers.
//
// The algorithm is the one of Koval, Alistarh and Elizarov, "Fast and Scalable Channels
// in Kotlin Coroutines" (PPoPP 2023), reshaped for Go's semantics:
//
//   counters   S (senders; bit 63 = closed), R (receivers), B (buffer end, cap > 0 only)
//   cells      an infinite array split into segments of kSegmentSize cells, linked in
//              order; cell i is visited by the i-th sender and the i-th receiver only
//              (and by a select's two-way offer, below).
//
//   send:  s = S.fetch_add(1); in cell s:
//            a receiver waits there          -> hand the value over, wake it
//            s < B or s < R + cap            -> store the value (BUFFERED; for cap = 0 this
//                                               is a receiver already on its way)
//            otherwise                       -> store a waiter and park
//   recv:  r = R.fetch_add(1); in cell r:
//            BUFFERED                        -> take it, expand the buffer
//            a sender waits there            -> take its value, wake it, expand the buffer
//            empty and r < S                 -> the sender is late: poison the cell, retry
//            empty                           -> store a waiter, expand the buffer, park
//   expand the buffer: b = B.fetch_add(1); cell b joins the buffer: a sender parked there
//            is resumed with its value moved into the cell (Go: a receive from a full
//            buffer lets the first parked sender in).
//
// A cell moves through states once (EMPTY -> ... -> a final state); every transition is
// one CAS, so no mutex is taken on any send, receive or close path. Parked senders and
// receivers are woken in cell order, i.e. first come, first served.
//
// Go's rules on top: close sets the closed bit of S; Sc (the sender count at close) splits
// the cells: cells below Sc belong to senders that started before close (their values
// are delivered, parked ones panic with "send on closed channel"), a receiver whose
// cell is at or past Sc gets the zero value and ok = false. A parked op re-reads S after
// storing its waiter, and close scans the cells after setting the bit (Dekker), so no
// waiter is missed.
//
// select: each case stores its waiter where the plain operation would (Waiter::sel set);
// a partner completes it only by winning the select's state word. A select's send and
// receive case on one unbuffered channel meet in one cell when both are first in line
// (the channel was idle); that cell is spent for both, and the two wait as one two-way
// offer in the next cell, the one the next sender and the next receiver both claim: the
// receive case's waiter, untagged, with Waiter::pair pointing to the send case. A sender
// there sees a receiver; a receiver there sees a waiter without the sender tag, which
// only an offer is, and completes the send case; whoever comes first wins, the other
// takes its next cell. close treats an offer as a receiver (Go's close serves a select's
// receive case first).
//
// len = min(S, B) - R - dead: a sender that left without a value (a losing select case,
// a try_send that lost a race, a parked sender closed or unwound) leaves a dead cell
// that the buffer end skips with an extra step and the receivers skip without one;
// dead counts those that the buffer end has passed and the receivers have not.
//
// Two forms of the same algorithm: the shared one (atomic read-modify-writes, for runs
// with several worker threads and for threads outside runs) and the one-thread one
// (plain loads and stores, when RuntimeHot::hot_one_thread says every operation of the
// run happens on one thread; it also frees segments at once, without the epochs).
//
// Waiters live on the parked goroutine's stack. Nobody but the owner touches a waiter
// before winning the cell with a CAS from the waiter to RESUMING, so a waiter is never
// used after its owner left (the owner cancels its cells with a CAS before returning).
//
// Segments are reclaimed from the head of the list once both counters (and the buffer
// end) have moved past them and all their cells reached a final state; a retired
// segment is freed by the epoch-based reclaimer (chan_epoch.h) once no thread can still
// be walking through it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "core/detail/park.h"

namespace goscope::detail {

// ElemOps says how to move elements of one type through raw storage.
struct ElemOps {
  std::size_t size;
  std::size_t align;
  bool trivial;                                 // trivially copyable: memcpy
  void (*move_construct)(void* dst, void* src);  // dst is raw storage; src stays alive (moved-from)
  void (*destroy)(void* p);
};

template <class T>
inline const ElemOps* elem_ops() {
  static const ElemOps ops{
      sizeof(T), alignof(T), std::is_trivially_copyable_v<T>,
      [](void* dst, void* src) { ::new (dst) T(std::move(*static_cast<T*>(src))); },
      [](void* p) { static_cast<T*>(p)->~T(); }};
  return &ops;
}

struct Segment;
struct SelectState;

// Waiter is one parked operation: a plain send/receive or one case of a select. It lives
// on the owner's stack and is stored in a cell as a tagged pointer (bit 3 = sender; a
// select's receive case stored untagged may be a two-way offer: see pair).
struct alignas(16) Waiter {
  G* g = nullptr;
  SelectState* sel = nullptr;  // nullptr: a plain operation
  void* slot = nullptr;        // sender: the value to move from; receiver: raw storage to move into
  uint32_t case_index = 0;
  uint32_t partner = 0;        // goroutine id of whoever completed it (0 = the buffer / close)
  std::atomic<uint32_t> result{0};  // plain waiters: kPending, kDelivered, kClosed
  bool is_sender = false;
  // pair: a select's send and receive case on one unbuffered channel that wait as one
  // two-way offer (see ChanCore::offer) point to each other; only the receive case is
  // then registered (its seg), and it stays where it is when the send case wins.
  Waiter* pair = nullptr;
  Segment* seg = nullptr;       // where it is registered (nullptr = nowhere)
  uint32_t index = 0;
};

inline constexpr uint32_t kPending = 0;
inline constexpr uint32_t kDelivered = 1;
inline constexpr uint32_t kClosed = 2;

// SelectState is the one word that decides which case of a select wins.
//   kReg: registering (partners cannot complete a case; they mark kPoked and move on)
//   kWaiting: registered; the first partner to CAS it to kDoneBase + i wins case i
struct SelectState {
  static constexpr uint32_t kReg = 0;
  static constexpr uint32_t kPoked = 1;
  static constexpr uint32_t kWaiting = 2;
  static constexpr uint32_t kDoneBase = 16;  // + 2 * case + (1 if completed by close)
  std::atomic<uint32_t> state{kReg};
  G* g = nullptr;
};

// OpStatus is what one attempt of an operation came to.
enum class OpStatus : uint8_t {
  done,         // completed (value handed over / taken / buffered)
  parked,       // a waiter is stored; the owner must park (or, in a select, wait)
  closed,       // the channel is closed (send: panic; recv: zero value, ok = false)
  would_block,  // try-operation only: it would have to wait
};

struct OpResult {
  OpStatus status;
  uint32_t partner = 0;  // the goroutine on the other side, if known
};

inline constexpr std::size_t kSegmentSize = 32;

class ChanCore {
 public:
  ChanCore(std::size_t cap, const ElemOps* ops, uint64_t id);
  ~ChanCore();
  ChanCore(const ChanCore&) = delete;
  ChanCore& operator=(const ChanCore&) = delete;

  // send_op tries to send the value at src (moved from once it is taken). With w it
  // stores w and returns parked when it has to wait; without w it returns would_block.
  OpResult send_op(void* src, uint32_t gid, Waiter* w);
  // recv_op tries to receive into the raw storage dst (constructed only when done).
  OpResult recv_op(void* dst, uint32_t gid, Waiter* w);

  // send / recv are the blocking forms for a goroutine: store a waiter on the stack and
  // park until a partner or close completes it. send returns closed if it must panic.
  // (A buffered channel tries the plain form's shortcut first: see chan_core.cpp.)
  OpResult send(void* src, uint32_t gid);
  OpResult recv(void* dst, uint32_t gid);

  // try_send / try_recv never wait: they return would_block where send / recv would
  // park, and do not touch the counters when the channel is plainly not ready.
  OpResult try_send(void* src, uint32_t gid);
  OpResult try_recv(void* dst, uint32_t gid);

  // ready_send / ready_recv say whether the operation would complete now (a snapshot,
  // for SelectReady events).
  bool ready_send() const;
  bool ready_recv() const;

  // close returns false if the channel was already closed.
  bool close();

  // cancel withdraws a waiter's registration (a losing select case, an unwinding
  // goroutine). Returns true if it was withdrawn before anyone completed it.
  bool cancel(Waiter* w);

  std::size_t len() const;
  std::size_t cap() const { return cap_; }
  uint64_t id() const { return id_; }
  bool closed() const;

  // live_segments counts the segments alive (for tests).
  std::size_t live_segments() const;

 private:
  friend struct ChanCoreTestPeer;
  // The algorithm, in its shared (atomic read-modify-write) and one-thread (plain load
  // and store, see RuntimeHot::hot_one_thread and hot_solo_owner) forms; send_op /
  // recv_op pick one (pick_form).
  template <class Plain, class Shared>
  static OpResult pick_form(Plain plain, Shared shared);
  template <bool kShared>
  OpResult send_impl(void* src, uint32_t gid, Waiter* w);
  template <bool kShared>
  OpResult recv_impl(void* dst, uint32_t gid, Waiter* w);
  Segment* new_segment(uint64_t id);
  template <bool kShared>
  Segment* walk_to(Segment* from, uint64_t id);
  template <bool kShared>
  Segment* find_segment(Segment* from, uint64_t id, std::atomic<Segment*>& global);
  enum class Meet : uint8_t { complete, next, parked, closed };
  struct Met {
    Waiter* partner;  // complete: whom to complete with
    Meet what;
  };
  template <bool kShared>
  Meet sender_meets_select(std::atomic<uintptr_t>& state, Waiter* rw, Waiter* w, uint64_t s);
  template <bool kShared>
  Met receiver_meets_select(std::atomic<uintptr_t>& state, uintptr_t st, Waiter* sw, Waiter* w, uint64_t r);
  Segment* segment_of(std::atomic<uintptr_t>& state, uint64_t i) const;
  template <bool kShared>
  void offer(Segment* seg, uint64_t met, Waiter* rw, Waiter* sw);
  bool offer_waits(uint64_t i) const;
  template <bool kShared>
  void count_dead(bool by_buffer_end);
  template <bool kShared>
  void move_forward(std::atomic<Segment*>& global, Segment* to);
  template <bool kShared>
  void expand_buffer();
  // The plain form's shortcuts for the commonest cases of a buffered channel (see
  // chan_core.cpp): false, having changed nothing, when the case is not that simple.
  bool send_buffered_plain(void* src, uint32_t gid);
  // move_in constructs the element at raw storage dst from the one at src (src stays
  // constructed: its owner destroys it); move_out also destroys src.
  void move_in(void* dst, void* src) const;
  void move_out(void* dst, void* src) const;
  bool recv_buffered_plain(void* dst, OpResult* result);
  OpResult send_buffered(void* src, uint32_t gid);
  OpResult recv_buffered(void* dst, uint32_t gid);
  OpResult send_blocking(void* src, uint32_t gid);
  OpResult recv_blocking(void* dst, uint32_t gid);
  template <bool kShared>
  bool update_cell_eb(Segment* seg, uint32_t i);
  uint64_t closed_at() const;
  uint64_t senders() const;
  template <bool kShared>
  void try_reclaim();
  bool all_final(Segment* seg) const;
  void close_cells(uint64_t lo, uint64_t hi, uint64_t sc);
  void wait(Waiter& w, BlockReason reason);
  bool buffer_or_rendezvous(uint64_t s) const;

  const ElemOps* ops_;
  const std::size_t cap_;
  const uint64_t id_;
  std::size_t elem_offset_;   // element storage inside a cell
  std::size_t cell_stride_;
  std::size_t cells_offset_;  // first cell inside a segment
  std::size_t segment_bytes_;
  std::size_t segment_align_;

  alignas(64) std::atomic<uint64_t> S_{0};
  std::atomic<Segment*> send_seg_;
  mutable std::atomic<uint64_t> send_room_{0};  // a lower bound of max(B, R + cap): see buffer_or_rendezvous
  std::atomic<uint64_t> offer_at_{0};           // 1 + the cell of the latest two-way offer: see offer_waits
  alignas(64) std::atomic<uint64_t> R_{0};
  std::atomic<Segment*> recv_seg_;
  alignas(64) std::atomic<uint64_t> B_;
  std::atomic<Segment*> eb_seg_;
  alignas(64) std::atomic<uint64_t> closed_at_{~uint64_t{0}};
  // dead_: cells of senders that left without a value (a select's send case that lost,
  // a try_send that lost a race, a parked sender closed or unwound) which the buffer end
  // has passed and the receivers have not yet: len does not count them. Wraps below zero
  // while a receiver passes such a cell before the buffer end does. Buffered channels.
  std::atomic<uint64_t> dead_{0};
  std::atomic<bool> reclaiming_{false};
  Segment* head_;  // oldest segment not yet retired (touched under reclaiming_ only)
};

}  // namespace goscope::detail
