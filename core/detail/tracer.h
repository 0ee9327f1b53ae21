// detail/tracer.h: how the runtime hands its events to a sink.
//
// The runtime emits from its worker threads (real mode) or its one thread (deterministic
// mode); the tracer stamps a global sequence number and delivers the events to the
// attached EventSink in seq order, from one consumer at a time. Each worker writes into
// a ring of its own (event_ring.h); one consumer merges the rings by seq. A delivered
// stream never has a gap: a real-mode worker whose ring is full waits for the consumer,
// unless the sink drops_when_behind(), and then a Dropped event says how many were lost.
// A record whose `reserved` field is non-zero stands for two events (a switch record or
// a wake record), expanded by the consumer. How it all works, and why:
// core/DESIGN-runtime.md, "The tracer".
//
// Contract with the scheduler:
//   Tracer(sink, workers, deterministic, ring_capacity, one_thread)
//                            one per run, before any emit. one_thread: every emit comes
//                            from one thread at a time, each handing over to the next
//                            through a happens-before edge (thread start / join).
//   emit(worker, e)          worker in [0, workers), or kAnyThread for a thread that is
//                            not a worker (the timer thread, run's thread: one shared
//                            ring behind a mutex); e.seq is filled here.
//   begin(worker) / commit() emit's fast form: begin returns the slot to fill in place
//                            (nullptr: take emit's path), commit takes the seq(s) and
//                            publishes.
//   set_tick_clock(o, f)     real mode, before any emit: ts is a raw clock stamp, which the
//                            consumer converts to ns since stamp o with factor f.
//   flush()                  optional: deliver what is buffered now.
//   finish()                 after every worker has stopped: deliver what is left, report
//                            drops, call sink->on_run_end().
//
// Memory ordering: the seq counter is a relaxed fetch_add (a plain load and store in
// one-thread runs); all read-modify-writes of one atomic are totally ordered consistently
// with happens-before, so an emit that happens before another gets the smaller seq.
// Publication is the ring's release/acquire pair.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/detail/event_ring.h"
#include "core/event.h"

namespace goscope::detail {

// consecutive_run counts the events at ring.peek(from), ring.peek(from + 1), ... (n of
// them visible) whose seqs are first_seq, first_seq + 1, ... without a gap. Requires
// n == 0 or ring.peek(from).seq == first_seq. A two-event record (two seqs) can only be
// the last one counted: the record after it skips a seq. Consumer side; exposed for tests.
std::size_t consecutive_run(const EventRing& ring, std::size_t from, std::size_t n, uint64_t first_seq);

class Tracer {
 public:
  // kAnyThread is the worker index for emits from threads that are not workers.
  static constexpr int kAnyThread = -1;
  // kWakeRecord tags a wake record's `reserved` (core/DESIGN-runtime.md); goroutine ids
  // stay below it.
  static constexpr uint32_t kWakeRecord = 0x80000000u;

  Tracer(EventSink* sink, int workers, bool deterministic, std::size_t ring_capacity, bool one_thread = false);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // enabled reports whether a sink is attached; the runtime emits only if it is.
  bool enabled() const { return sink_ != nullptr; }
  // emit stamps the seq and queues a copy of e for the sink (see above). Requires
  // enabled(). The common case (a worker's ring has room, no drop to report) is inline.
  void emit(int worker, const Event& e);
  // emit_stamped is emit() for a runtime that stamps as it emits: the slot gets e with
  // its ts and proc replaced. The runtime passes its stamp instead of writing it into a
  // copy of e first: every extra copy of a just-built event stalls (see copy_payload).
  void emit_stamped(int worker, const Event& e, int64_t ts, uint16_t proc);
  // begin returns worker's next free slot, or nullptr when the fast path does not apply
  // (the ring is full, a drop is still to be reported, or worker is kAnyThread): then
  // build the event on the stack and emit_stamped() it. The caller fills every field of
  // the slot but seq (the slot holds garbage), then calls commit(worker, slot, events) with
  // events = 2 for a switch record (reserved != 0), else 1.
  Event* begin(int worker) {
    if (worker < 0) return nullptr;
    Lane& lane = lanes_[worker];
    if (lane.cursor != lane.limit) [[likely]] return lane.cursor;
    return refill(lane);
  }
  void commit(int worker, Event* slot, uint32_t events) {
    Lane& lane = lanes_[worker];
    slot->seq = take_seq(events);
    lane.cursor = slot + 1;
    lane.ring.publish(1);
    // Fetch a slot a few events ahead for writing (a prefetch never faults, so running
    // past the window or the array is harmless).
    __builtin_prefetch(reinterpret_cast<const char*>(slot) + kPrefetchAhead * sizeof(Event), 1, 3);
  }
  // set_tick_clock makes the consumer convert ts from raw stamps to ns (see above).
  void set_tick_clock(uint64_t origin, uint64_t ns_per_tick_q32) {
    tick_origin_ = origin;
    ns_per_tick_q32_ = ns_per_tick_q32;
    convert_ts_ = true;
  }
  // flush asks for the buffered events to be delivered now (see above).
  void flush();
  // finish delivers everything, reports drops and ends the run for the sink. Call once
  // every worker has stopped; later calls do nothing.
  void finish();

  // emitted counts the events handed to emit() (delivered or dropped).
  uint64_t emitted() const {
    return next_seq_.load(std::memory_order_relaxed) + dropped_.load(std::memory_order_relaxed) -
           markers_.load(std::memory_order_relaxed);
  }
  // dropped counts the events lost to full rings (real mode only).
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  // Lane is one producer's ring plus the producer-private bookkeeping next to it.
  struct Lane {
    explicit Lane(std::size_t capacity) : ring(capacity) {}
    EventRing ring;
    // Producer-private, on a line of their own (the ring's last line holds fields the
    // consumer reads). The fast path fills the slots of a window [cursor, limit): free,
    // contiguous, at most an eighth of the ring, so that refill() looks at the backlog
    // (and wakes the consumer) every eighth of a ring. Empty: next emit calls refill().
    alignas(kCacheLine) Event* cursor = nullptr;
    Event* limit = nullptr;
    uint64_t pending_drops = 0;  // dropped, not yet reported in line
    // Serialises the producers of the kAnyThread lane (unused by worker lanes).
    std::mutex mu;
  };
  struct Merger;

  // kPrefetchAhead: how many slots ahead of the slot it just filled commit() prefetches:
  // the consumer read that line last, from another core; without the prefetch each write
  // waits for its line.
  static constexpr std::size_t kPrefetchAhead = 4;

  // take_seq reserves n consecutive seqs. When one thread emits everything (one_thread_),
  // a plain load and store do (no locked fetch_add).
  uint64_t take_seq(uint64_t n) {
    if (one_thread_) {
      const uint64_t seq = next_seq_.load(std::memory_order_relaxed);
      next_seq_.store(seq + n, std::memory_order_relaxed);
      return seq;
    }
    return next_seq_.fetch_add(n, std::memory_order_relaxed);
  }
  void emit_slow(int worker, const Event& e, int64_t ts, uint16_t proc);
  // copy_payload copies every field of e but seq, ts and proc into slot, one field at a
  // time. The caller has usually just built e on its stack with stores of each field's
  // width; a copy with wider loads (16 bytes, as `slot = e` compiles) cannot take its
  // bytes from several pending narrower stores and waits for them to reach the cache
  // (a store-forwarding stall: most of an emit's cost when measured). Each field is read
  // with a relaxed atomic load, which the compiler keeps at the field's own width (it
  // merges neighbouring plain loads into wide ones); it compiles to a plain load.
  [[gnu::always_inline]] static void copy_payload(Event& slot, const Event& e) {
    slot.text = field(e.text);
    slot.a = field(e.a);
    slot.b = field(e.b);
    slot.obj = field(e.obj);
    slot.g = field(e.g);
    slot.other = field(e.other);
    slot.kind = field(e.kind);
    slot.reason = field(e.reason);
    slot.reserved = field(e.reserved);
  }
  // A tripwire for copy_payload: the fields it copies plus seq, ts and proc fill the
  // 64 bytes, with reserved last (a field added or split there must be copied too).
  static_assert(offsetof(Event, reserved) + sizeof(Event::reserved) == sizeof(Event) &&
                    offsetof(Event, reason) + 1 == offsetof(Event, reserved),
                "copy_payload must copy every field of Event");
  template <class T>
  [[gnu::always_inline]] static T field(const T& f) {
    T v;
    __atomic_load(&f, &v, __ATOMIC_RELAXED);
    return v;
  }
  // to_ns converts a ts as written by a producer to what the sink gets (see set_tick_clock).
  int64_t to_ns(int64_t ts) const {
    if (!convert_ts_) return ts;
    const uint64_t t = static_cast<uint64_t>(ts);
    if (t <= tick_origin_) return 0;
    return static_cast<int64_t>((static_cast<unsigned __int128>(t - tick_origin_) * ns_per_tick_q32_) >> 32);
  }
  // refill opens a new window of free slots for lane's fast path (see Lane) and returns
  // its first slot, or nullptr when the fast path does not apply: the ring is full, or a
  // drop is still to be reported (emit_slow does both). Producer side, out of line.
  Event* refill(Lane& lane);
  void wake_consumer();
  // wait_for_room blocks the producer of lane until its ring has room for need events.
  void wait_for_room(Lane& lane, std::size_t need);
  void consumer_loop();
  void stop_consumer();
  // drain_pass delivers the contiguous prefix of what is visible; returns how many.
  // Called by one consumer at a time (the consumer thread, or the emitting thread in the
  // deterministic mode, or finish()).
  std::size_t drain_pass();

  EventSink* sink_;
  const int workers_;
  const bool deterministic_;
  const bool one_thread_;  // every emit from one thread at a time (see the contract)
  const bool drops_;       // the sink asked for drops over waiting (EventSink::drops_when_behind)
  Lane* lanes_ = nullptr;  // workers_ + 1 of them: the last one is for kAnyThread
  alignas(kCacheLine) std::atomic<uint64_t> next_seq_{0};
  alignas(kCacheLine) std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> markers_{0};
  std::unique_ptr<Merger> merger_;  // consumer-side state
  // set_tick_clock's conversion (written before the run's first emit, read by the consumer).
  bool convert_ts_ = false;
  uint64_t tick_origin_ = 0;
  uint64_t ns_per_tick_q32_ = uint64_t{1} << 32;
  bool finished_ = false;

  // Real mode: the consumer thread and how to wake it.
  std::thread consumer_;
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  std::atomic<bool> consumer_sleeping_{false};
  std::atomic<bool> stop_{false};
};

inline void Tracer::emit_stamped(int worker, const Event& e, int64_t ts, uint16_t proc) {
  // The seq is taken (in commit) only once the event is sure to be published: no gaps.
  if (Event* slot = begin(worker)) [[likely]] {
    slot->ts = ts;
    slot->proc = proc;
    copy_payload(*slot, e);
    commit(worker, slot, e.reserved ? 2 : 1);
    return;
  }
  emit_slow(worker, e, ts, proc);
}

inline void Tracer::emit(int worker, const Event& e) { emit_stamped(worker, e, e.ts, e.proc); }

}  // namespace goscope::detail
