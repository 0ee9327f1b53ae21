// detail/event_ring.h: a bounded lock-free single-producer single-consumer ring.
//
// SpscRing<T> is the per-worker buffer between the runtime (one producer: the worker that
// owns the ring) and the tracer's consumer (one consumer: whoever drains, one at a time).
// It never allocates after construction, never blocks and never spins: a producer that
// finds the ring full is told so and decides what to do (the tracer drops the event in
// real mode and drains synchronously in the deterministic mode).
//
// Guarantees:
//   - Exactly one thread may call the producer functions (free_space, has_room, slot,
//     publish, try_push) at a time, and exactly one thread the consumer functions
//     (readable, peek, consume, try_pop). The two sides may run concurrently. Handing a
//     side over to another thread needs an outside happens-before edge (thread start /
//     join, a mutex): the tracer's finish() drains after the workers have been joined.
//   - Elements come out in the order they were published. Nothing published is lost.
//   - Capacity is rounded up to a power of two, so an index maps to a slot with a mask.
//
// Layout: head and tail are free-running 64-bit counters (they never wrap in practice:
// 2^64 events at one per nanosecond is 584 years). Each side keeps a private copy of the
// other side's counter (cached_head_ / cached_tail_) and re-reads the shared one only
// when the cached value says "full" / "empty". That keeps the steady state free of
// cache-line ping-pong: the producer writes only its own line, and reads the consumer's
// line once per wrap at most. head, tail and the read-only fields each sit on their own
// cache line so that the two sides never share a written line (no false sharing).
//
// Memory ordering:
//   - The producer writes the element into its slot with plain stores, then publishes it
//     by a release store of tail_. The consumer's acquire load of tail_ that observes the
//     new value therefore sees the element's bytes.
//   - The consumer reads the element, then frees the slot by a release store of head_.
//     The producer's acquire load of head_ that observes the new value therefore knows
//     the consumer has finished reading the slot before it is overwritten.
//   - Nothing else is shared, so no sequentially-consistent operation is needed.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <type_traits>

#include "core/event.h"

namespace goscope::detail {

// kCacheLine is the size we pad to. std::hardware_destructive_interference_size would be
// the portable name, but GCC warns that its value may change between compiler flags
// (-Winterference-size), and 64 is right for every x86-64 and most ARM64 parts.
inline constexpr std::size_t kCacheLine = 64;

// SpscRing is a bounded single-producer single-consumer FIFO of trivially copyable T.
//
// Example (the tracer's use):
//
//   SpscRing<Event> ring(1024);
//   // producer (one worker thread):
//   if (ring.has_room(1)) { ring.slot(0) = e; ring.publish(1); } else { /* full */ }
//   // consumer (one draining thread):
//   std::size_t n = ring.readable();
//   for (std::size_t i = 0; i < n; ++i) use(ring.peek(i));
//   ring.consume(n);
template <class T>
class SpscRing {
  // Slots are raw storage filled with plain copies and never destroyed one by one: only
  // types that need no constructor or destructor calls belong here.
  static_assert(std::is_trivially_copyable_v<T>, "SpscRing copies elements with plain stores");
  static_assert(std::is_trivially_destructible_v<T>, "SpscRing never runs element destructors");
  static_assert(std::atomic<uint64_t>::is_always_lock_free, "the ring must be lock-free");
  static constexpr std::align_val_t kSlotAlign{alignof(T) < kCacheLine ? kCacheLine : alignof(T)};

 public:
  // SpscRing creates an empty ring holding at least `capacity` elements (rounded up to a
  // power of two; at least 2).
  explicit SpscRing(std::size_t capacity)
      : capacity_(std::bit_ceil(capacity < 2 ? std::size_t{2} : capacity)),
        mask_(capacity_ - 1),
        slots_(static_cast<T*>(::operator new(capacity_ * sizeof(T), kSlotAlign))) {}
  ~SpscRing() { ::operator delete(slots_, kSlotAlign); }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // capacity is the number of elements the ring holds when full (a power of two).
  std::size_t capacity() const { return capacity_; }

  // --- producer side ---------------------------------------------------------------

  // has_room reports whether n more elements fit. Producer only. It re-reads the
  // consumer's head (acquire: the consumer is done with the slots it freed) only when the
  // cached head says there is not enough room, so the common case touches no shared line.
  bool has_room(std::size_t n) {
    if (tail_local() - cached_head_ + n <= capacity_) return true;
    cached_head_ = head_.load(std::memory_order_acquire);
    return tail_local() - cached_head_ + n <= capacity_;
  }

  // free_space returns how many elements fit now (re-reading the consumer's head).
  // Producer only.
  std::size_t free_space() {
    cached_head_ = head_.load(std::memory_order_acquire);
    return capacity_ - (tail_local() - cached_head_);
  }

  // writable returns the free slots from the next one to be published up to where the
  // ring wraps, as one contiguous run (empty when the ring is full), re-reading the
  // consumer's head. A producer may fill them and publish them one by one. Producer only.
  std::span<T> writable() {
    cached_head_ = head_.load(std::memory_order_acquire);
    const std::size_t free = capacity_ - (tail_local() - cached_head_);
    const std::size_t start = tail_local() & mask_;
    return {slots_ + start, free < capacity_ - start ? free : capacity_ - start};
  }

  // slot returns the i-th unpublished slot (i = 0 is the next one to be published). Call
  // only after has_room(i + 1) returned true; write the element there, then publish().
  T& slot(std::size_t i) { return slots_[(tail_local() + i) & mask_]; }

  // publish makes the next n written slots visible to the consumer (release: the
  // consumer that sees the new tail sees the elements).
  void publish(std::size_t n) {
    tail_own_ += n;
    tail_.store(tail_own_, std::memory_order_release);
  }

  // try_push copies v into the ring, or returns false if the ring is full.
  bool try_push(const T& v) {
    if (!has_room(1)) return false;
    slot(0) = v;
    publish(1);
    return true;
  }

  // --- consumer side ---------------------------------------------------------------

  // readable returns how many published elements wait to be consumed (acquire: their
  // bytes are visible). Consumer only.
  std::size_t readable() {
    cached_tail_ = tail_.load(std::memory_order_acquire);
    return cached_tail_ - head_local();
  }

  // peek returns the i-th waiting element (i < the last readable()). Consumer only.
  const T& peek(std::size_t i) const { return slots_[(head_local() + i) & mask_]; }

  // peek_mut is peek for a consumer that rewrites a waiting element in place before
  // handing it on (its slot stays the consumer's until consume()). Consumer only.
  T& peek_mut(std::size_t i) { return slots_[(head_local() + i) & mask_]; }

  // contiguous returns waiting elements i, i+1, ... as one span: at most n of them, fewer
  // where the ring wraps around (then ask again from the wrap point). Consumer only.
  std::span<const T> contiguous(std::size_t i, std::size_t n) const {
    const std::size_t start = (head_local() + i) & mask_;
    return {slots_ + start, n < capacity_ - start ? n : capacity_ - start};
  }

  // consume frees the first n waiting elements (release: the producer may reuse their
  // slots only after it sees this store, i.e. after we are done reading them).
  void consume(std::size_t n) { head_.store(head_local() + n, std::memory_order_release); }

  // try_pop moves the oldest element into out, or returns false if the ring is empty.
  bool try_pop(T& out) {
    if (cached_tail_ == head_local() && readable() == 0) return false;
    out = peek(0);
    consume(1);
    return true;
  }

  // size_approx is how many elements are in the ring; exact only when neither side is
  // running. Any thread.
  std::size_t size_approx() const {
    return tail_.load(std::memory_order_acquire) - head_.load(std::memory_order_acquire);
  }

 private:
  // The producer keeps a plain copy of its counter (the compiler may keep it in a
  // register across a whole emit; an atomic load it must repeat each time); the consumer
  // reads its own with a relaxed load: only it ever writes it.
  uint64_t tail_local() const { return tail_own_; }
  uint64_t head_local() const { return head_.load(std::memory_order_relaxed); }

  // Producer's line: its counter and its view of the consumer's.
  alignas(kCacheLine) std::atomic<uint64_t> tail_{0};
  uint64_t tail_own_ = 0;
  uint64_t cached_head_ = 0;
  // Consumer's line: its counter and its view of the producer's.
  alignas(kCacheLine) std::atomic<uint64_t> head_{0};
  uint64_t cached_tail_ = 0;
  // Read-only after construction: shared freely by both sides.
  alignas(kCacheLine) const std::size_t capacity_;
  const std::size_t mask_;
  // Raw, uninitialised storage: large rings come from fresh pages that the kernel maps
  // only when first written, so a ring that a short run barely uses costs almost nothing
  // (the first touch of a page is a page fault; zeroing the whole ring up front would
  // fault in every page per run). T is trivially copyable and the storage comes from
  // operator new, so the first copy into a slot starts the lifetime of its object.
  T* const slots_;
};

// EventRing is the per-worker ring the tracer writes events into.
using EventRing = SpscRing<Event>;
static_assert(sizeof(Event) == kCacheLine, "one event per cache line: a slot write never shares a line");

}  // namespace goscope::detail
