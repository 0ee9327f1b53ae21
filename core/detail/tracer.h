// detail/tracer.h: how the runtime hands its events to a sink.
//
// The runtime calls emit() from its worker threads (real mode) or from its one thread
// (deterministic mode). The tracer stamps a global sequence number and passes events
// to the attached EventSink in seq order, from one consumer at a time.
//
// Contract with the scheduler:
//   Tracer(sink, workers, deterministic, ring_capacity, one_thread)
//                            one per run, before any emit. one_thread: every emit comes
//                            from one thread at a time, each thread handing over to the
//                            next through a happens-before edge (thread start / join);
//                            true for the deterministic mode and for a real-mode run
//                            whose one worker also runs the timer callbacks.
//   emit(worker, e)          worker in [0, workers): the calling worker's index; e.seq is
//                            filled here. In real mode a full ring makes the caller wait
//                            for the consumer, or, for a sink that drops_when_behind(),
//                            drops the event and counts it.
//                            worker = kAnyThread: a thread that is not a worker (the timer
//                            thread, the thread that called run); those emits share one
//                            ring behind a mutex.
//   begin(worker) / commit() the fast form of emit for a worker's own ring: begin returns
//                            the slot to fill in place (nullptr: take emit()'s path), the
//                            caller writes every field but seq, commit takes the seq(s) and
//                            publishes. No copy of the event through the stack.
//   set_tick_clock(o, f)     real mode, before any emit: the ts given to emit / written by a
//                            producer is a raw clock stamp; the consumer converts it to ns
//                            since stamp o with factor f (TscClock::ns_per_tick_q32). Without
//                            it ts is delivered as given.
//   flush()                  optional: deliver what is buffered now (deterministic: on the
//                            calling thread; real: wake the consumer thread).
//   finish()                 after every worker has stopped: deliver what is left,
//                            report drops, call sink->on_run_end().
//
// How it works:
//   - Each worker owns one SpscRing<Event> (core/detail/event_ring.h); it is the only
//     producer of that ring. emit() first makes sure the ring has room (a slot of its
//     window of free slots), writes the event into that slot, then takes the next seq
//     with one fetch_add on a shared counter and publishes the slot with one release
//     store. So every seq that is taken is published: a
//     full ring drops the event *before* it gets a seq, and the delivered stream has no
//     gaps ever; the consumer never waits for a seq that will not come.
//   - A full ring (real mode): the worker waits until the consumer has made room, so the
//     sink gets every event; only a sink that asks for it (drops_when_behind: live views)
//     loses events instead, and then:
//   - A worker that dropped events reports them itself, in line: the next time its ring
//     has room for two events it publishes a Dropped event (a = how many, b = worker;
//     -1 for kAnyThread) just before the event it is emitting. Drops still unreported at
//     finish() are reported then, after everything else.
//   - One consumer merges the rings: the events of one ring are in seq order already, so
//     it repeatedly takes the ring whose oldest event has the next seq. When the smallest
//     visible seq is not the next one, the next one is in flight (taken, not yet
//     published by a worker that the OS preempted between the fetch_add and the publish):
//     the consumer delivers the contiguous prefix it has and tries again later.
//   - Real mode: a consumer thread drains. When idle it sleeps (100 us, growing to 1 ms);
//     a worker whose ring gets more than half full wakes it early. The wake-up is a
//     condition-variable notify done at most once per eighth of a ring and only when the
//     consumer sleeps, so the hot path pays no system call.
//   - One-thread runs (the deterministic mode, real mode with one worker): one thread
//     takes every seq, with a plain load and store instead of the locked fetch_add
//     (~7 ns here, and it waits for the clock read before it). The consumer never reads
//     the counter while the run goes on.
//   - Deterministic mode: no consumer thread, no drops, no locked instruction. A full
//     ring (capped at 4096 events, so that it stays in cache) is drained on the spot by
//     the one thread that runs the program, so the sink sees exactly the same events in
//     exactly the same batches every run.
//   - Two-event records: a record whose `reserved` field is non-zero stands for two events
//     with consecutive seqs, same ts and proc, and the consumer expands it (delivered
//     events always have reserved == 0). The commonest pairs of events there are, each
//     written with one clock read, one seq add and one slot instead of two:
//       switch record: reserved = goroutine id: the record (a GoBlock, GoYield or GoExit),
//         then a GoStart of that goroutine: a goroutine handed its processor straight to
//         the next (switch_out);
//       wake record: reserved = kWakeRecord | goroutine id: a GoUnblock of that goroutine
//         by the record's g, then the record (a ChanSend / ChanRecv): an operation that
//         woke its partner (one-thread runs, where no other thread takes a seq between).
//   - Timestamps: in real mode a producer writes the raw clock stamp (a TSC read) and the
//     consumer converts it to ns (one multiply per event, off the runtime's threads).
//   - Delivery: runs of consecutive seqs from one ring (the whole ring, in the
//     deterministic mode) go to the sink straight from the ring's memory; interleaved
//     events are copied into a batch of up to 4096 first.
//
// Memory ordering: the seq counter is a relaxed fetch_add. All read-modify-writes of one
// atomic are totally ordered and that order agrees with happens-before, so an emit that
// happens before another (same worker, or across a channel handoff / unpark that
// synchronises) gets the smaller seq. In one-thread runs the counter is a relaxed load
// and store: program order on the one thread (and the start / join edges between
// threads that take turns) orders them. Publication is the ring's release/acquire pair.
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
  // kWakeRecord tags a wake record's `reserved` (see above); goroutine ids stay below it.
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
  // a plain load and store do (a locked fetch_add costs ~7 ns here).
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
