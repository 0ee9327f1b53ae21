// detail/run_queue.h: a worker's local run queue (real mode), after Go's runq.
//
// A bounded ring of 256 goroutines owned by one worker plus a `runnext` slot. Only the
// owner puts; the owner and thieves take, by CAS on `head`. `runnext` holds the goroutine
// that should run next on this worker: one woken by a handoff (the partner of a channel
// operation), so that ping-pong stays on one worker and in cache, as in Go.
//
// Memory ordering: put() publishes the slot with a release store of `tail`; take() and
// steal() read `tail` with acquire, so a taken goroutine's state is fully visible. A
// slot is read before the CAS on `head` that claims it; the owner only overwrites slots
// at or beyond `tail`, and `tail - head` stays below the capacity, so a slot read before
// a successful CAS still held the goroutine it claimed.
#pragma once

#include <atomic>
#include <cstdint>

namespace goscope::detail {

struct G;

class RunQueue {
 public:
  static constexpr uint32_t kCapacity = 256;

  // put appends g at the tail (owner only). Returns false when full.
  bool put(G* g) {
    uint32_t h = head_.load(std::memory_order_acquire);
    uint32_t t = tail_.load(std::memory_order_relaxed);
    if (t - h >= kCapacity) return false;
    slots_[t % kCapacity].store(g, std::memory_order_relaxed);
    tail_.store(t + 1, std::memory_order_release);
    return true;
  }

  // swap_next puts g in runnext and returns what was there (owner only). `shared` is
  // false when no other worker exists (nobody steals): plain loads and stores then do.
  G* swap_next(G* g, bool shared) {
    G* old = runnext_.load(std::memory_order_relaxed);
    if (!shared || !old) {
      // Nothing to steal in an empty runnext (thieves CAS a goroutine out, never null),
      // so only the owner can change it now: a plain store publishes g (release).
      runnext_.store(g, std::memory_order_release);
      return old;
    }
    return runnext_.exchange(g, std::memory_order_acq_rel);
  }

  // take returns runnext if set, else the head of the ring, or nullptr (owner only; see
  // swap_next for `shared`).
  G* take(bool shared) {
    G* next = runnext_.load(std::memory_order_relaxed);
    if (!shared) {
      if (next) {
        runnext_.store(nullptr, std::memory_order_relaxed);
        return next;
      }
    } else if (next && runnext_.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) {
      count_take();
      return next;
    }
    return take_ring(shared);
  }

  // take_ring returns the head of the ring, passing over runnext (owner only): the
  // scheduler's fair turn (Runtime::take_fair_turn), so that a pair handing off through
  // runnext cannot keep the ring waiting forever.
  G* take_ring(bool shared) {
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      uint32_t t = tail_.load(std::memory_order_relaxed);
      if (h == t) return nullptr;
      G* g = slots_[h % kCapacity].load(std::memory_order_relaxed);
      if (!shared) {
        head_.store(h + 1, std::memory_order_relaxed);
        return g;
      }
      if (head_.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel)) {
        count_take();
        return g;
      }
    }
  }

  // Observation is what a thief sees of a victim's queue (see Runtime::steal):
  // whether it holds work, and how far its owner has got through it.
  struct Observation {
    uint32_t head = 0, tail = 0;  // the ring
    uint32_t takes = 0;           // goroutines the owner has taken so far
    bool has_next = false;        // runnext is set
    bool empty() const { return head == tail && !has_next; }
  };
  Observation observe() const {
    Observation o;
    o.takes = takes_.load(std::memory_order_relaxed);
    o.has_next = runnext_.load(std::memory_order_relaxed) != nullptr;
    o.head = head_.load(std::memory_order_relaxed);
    o.tail = tail_.load(std::memory_order_relaxed);
    return o;
  }

  // take_half moves up to half of the ring into out[] for the caller (the owner, when the
  // ring is full and half must go to the global queue). Returns how many.
  uint32_t take_half(G** out) {
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      uint32_t t = tail_.load(std::memory_order_acquire);
      uint32_t n = (t - h) / 2;
      if (n == 0) return 0;
      for (uint32_t i = 0; i < n; ++i) out[i] = slots_[(h + i) % kCapacity].load(std::memory_order_relaxed);
      if (head_.compare_exchange_weak(h, h + n, std::memory_order_acq_rel)) return n;
    }
  }

  // steal_into moves about half of this (victim's) queue into `dst` (the thief's own,
  // empty ring) and returns one goroutine to run now, or nullptr. With `take_next`, the
  // victim's runnext may be taken when its ring is empty.
  G* steal_into(RunQueue& dst, bool take_next) {
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      uint32_t t = tail_.load(std::memory_order_acquire);
      uint32_t n = t - h;
      n = n - n / 2;
      if (n == 0) {
        if (!take_next) return nullptr;
        G* next = runnext_.load(std::memory_order_acquire);
        if (next && runnext_.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) return next;
        return nullptr;
      }
      if (n > kCapacity / 2) continue;  // read a torn h/t pair; retry
      G* batch[kCapacity / 2];
      for (uint32_t i = 0; i < n; ++i) batch[i] = slots_[(h + i) % kCapacity].load(std::memory_order_relaxed);
      if (!head_.compare_exchange_weak(h, h + n, std::memory_order_acq_rel)) continue;
      for (uint32_t i = 1; i < n; ++i) dst.put(batch[i]);
      return batch[0];
    }
  }

  bool empty() const {
    return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire) &&
           runnext_.load(std::memory_order_acquire) == nullptr;
  }

 private:
  alignas(64) std::atomic<uint32_t> head_{0};
  alignas(64) std::atomic<uint32_t> tail_{0};
  alignas(64) std::atomic<G*> runnext_{nullptr};
  // takes_ counts the owner's takes in shared mode (owner-only writes, so a plain add; it
  // shares runnext's line, which a take from runnext writes anyway). A thief that sees it
  // unchanged for a while knows the owner is stuck in one goroutine.
  std::atomic<uint32_t> takes_{0};
  std::atomic<G*> slots_[kCapacity] = {};

  void count_take() { takes_.store(takes_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
};

}  // namespace goscope::detail
