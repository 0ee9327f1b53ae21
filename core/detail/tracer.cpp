// detail/tracer.cpp: per-worker lock-free rings merged into one seq-ordered stream.
// The design and its memory ordering are described in tracer.h; the common case of
// emit() is inline there.
#include "core/detail/tracer.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <functional>
#include <new>

namespace goscope::detail {

namespace {

// kBatch is how many events the consumer hands to the sink at once when it has to copy
// them (events of several rings interleaved): large enough that the virtual call and the
// sink's own bookkeeping are amortised, small enough (256 KB) that a live view sees
// events promptly.
constexpr std::size_t kBatch = 4096;

// kDirectRun: a run of at least this many consecutive seqs in one ring is handed to the
// sink straight from the ring's memory instead of being copied into the batch first.
constexpr std::size_t kDirectRun = 64;

// kDeterministicRing caps the ring in the deterministic mode. There the emitting thread
// drains the ring itself whenever it is full, so a small ring loses nothing, and 256 KB
// stays in the L2 cache between the write and the drain (a 4 MB ring does not).
constexpr std::size_t kDeterministicRing = 4096;

// The consumer thread's sleep when it found nothing to do: short at first (events tend to
// come in bursts), growing while the run stays quiet.
constexpr std::chrono::microseconds kMinIdleSleep{100};
constexpr std::chrono::microseconds kMaxIdleSleep{1000};

}  // namespace

std::size_t consecutive_run(const EventRing& ring, std::size_t from, std::size_t n, uint64_t first_seq) {
  // The seqs of one ring strictly increase, so "slot from + k holds first_seq + k" holds
  // for k = 0 (the caller's precondition), for every k up to some point, and for none
  // after it. Look at the last slot first: when one worker emitted everything since the
  // last pass (a single busy worker; always in the deterministic mode), that settles it
  // without reading the events in between, which the sink will read anyway. Otherwise
  // gallop (1, 2, 4, ... slots on) to the first slot that fails and binary-search the
  // last step: O(log run) reads near `from`, however much more the ring holds (with
  // several workers, or switch records, runs are short and rings are not).
  if (n == 0) return 0;
  if (ring.peek(from + n - 1).seq == first_seq + n - 1) return n;
  std::size_t lo = 0, hi = n - 1;  // holds at lo, fails at hi
  for (std::size_t step = 1; lo + step < hi; step *= 2) {
    if (ring.peek(from + lo + step).seq != first_seq + lo + step) {
      hi = lo + step;
      break;
    }
    lo += step;
  }
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    (ring.peek(from + mid).seq == first_seq + mid ? lo : hi) = mid;
  }
  return lo + 1;
}

// Merger is the consumer's state: where the merged stream is, and a reusable batch.
struct Tracer::Merger {
  uint64_t next = 0;    // the seq the sink gets next
  int64_t last_ts = 0;  // ts of the last event delivered (for drops reported at the end)
  std::vector<Event> batch;
  std::vector<std::size_t> avail, pos;  // per lane: visible events this pass, taken so far
  std::vector<std::pair<uint64_t, int>> heap;  // (seq of a lane's oldest untaken event, lane)
};

Tracer::Tracer(EventSink* sink, int workers, bool deterministic, std::size_t ring_capacity, bool one_thread)
    : sink_(sink),
      workers_(workers < 1 ? 1 : workers),
      deterministic_(deterministic),
      one_thread_(deterministic || one_thread),
      drops_(sink && sink->drops_when_behind()) {
  if (!sink_) return;
  ring_capacity = std::max<std::size_t>(ring_capacity, 16);
  if (deterministic_) ring_capacity = std::min(ring_capacity, kDeterministicRing);
  // Lanes are neither movable nor default-constructible (a ring's size is fixed), so they
  // are built in place in one array: the hot path reaches its lane with one index.
  lanes_ = static_cast<Lane*>(::operator new(sizeof(Lane) * (workers_ + 1), std::align_val_t{alignof(Lane)}));
  for (int i = 0; i <= workers_; ++i) new (&lanes_[i]) Lane(ring_capacity);
  merger_ = std::make_unique<Merger>();
  merger_->batch.reserve(kBatch);
  merger_->avail.resize(workers_ + 1);
  merger_->pos.resize(workers_ + 1);
  merger_->heap.reserve(workers_ + 1);
  if (!deterministic_) consumer_ = std::thread([this] { consumer_loop(); });
}

Tracer::~Tracer() {
  stop_consumer();
  if (lanes_) {
    for (int i = 0; i <= workers_; ++i) lanes_[i].~Lane();
    ::operator delete(lanes_, std::align_val_t{alignof(Lane)});
  }
}

void Tracer::emit_slow(int worker, const Event& e, int64_t ts, uint16_t proc) {
  const int index = worker < 0 ? workers_ : worker;
  assert(sink_ && index <= workers_);
  Lane& lane = lanes_[index];
  std::unique_lock<std::mutex> shared_lane;
  if (worker < 0) shared_lane = std::unique_lock<std::mutex>(lane.mu);

  // A Dropped report, if one is owed, goes out just before this event. A switch record
  // (reserved != 0) stands for two events: it takes two seqs, or counts as two drops.
  const uint64_t events = e.reserved ? 2 : 1;
  const std::size_t need = lane.pending_drops ? 2 : 1;
  if (!lane.ring.has_room(need)) {
    if (deterministic_) {
      // One thread runs everything: drain on the spot instead of losing the event.
      while (drain_pass() > 0) {
      }
    } else if (!drops_) {
      wait_for_room(lane, need);
    } else {
      // A live sink: never block a worker; lose the event, remember to say so.
      lane.pending_drops += events;
      dropped_.fetch_add(events, std::memory_order_relaxed);
      wake_consumer();
      return;
    }
  }
  const uint64_t seq = take_seq(need - 1 + events);
  if (need == 2) {
    Event& report = lane.ring.slot(0);
    report = Event{};
    report.seq = seq;
    report.ts = ts;
    report.proc = proc;
    report.kind = EventKind::Dropped;
    report.a = static_cast<int64_t>(lane.pending_drops);
    report.b = worker;
    lane.pending_drops = 0;
    markers_.fetch_add(1, std::memory_order_relaxed);
  }
  Event& slot = lane.ring.slot(need - 1);
  slot = e;
  slot.seq = seq + need - 1;
  slot.ts = ts;
  slot.proc = proc;
  lane.ring.publish(need);
  lane.cursor = lane.limit = nullptr;  // the fast path's window moved on: open a new one
}

Event* Tracer::refill(Lane& lane) {
  if (lane.pending_drops) return nullptr;
  // Every eighth of a ring, look at the real backlog (one read of the consumer's line)
  // and wake a sleeping consumer if the ring is more than half full.
  std::span<Event> free = lane.ring.writable();
  const std::size_t capacity = lane.ring.capacity();
  if (!deterministic_ && lane.ring.free_space() < capacity / 2) wake_consumer();
  if (free.empty()) return nullptr;
  const std::size_t window = std::min(free.size(), std::max<std::size_t>(1, capacity / 8));
  lane.cursor = free.data();
  lane.limit = free.data() + window;
  return lane.cursor;
}

void Tracer::wait_for_room(Lane& lane, std::size_t need) {
  // The consumer frees slots as it delivers; it never waits for this producer (every seq
  // taken is published at once), so the room comes. Spin briefly, then give the core
  // away: on a small machine the consumer may need this very core.
  for (int round = 0; !lane.ring.has_room(need); ++round) {
    wake_cv_.notify_one();
    if (round < 64) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }
}

void Tracer::wake_consumer() {
  // Notify without the mutex: a wake-up lost to the race with the consumer going to sleep
  // costs at most one idle sleep (kMaxIdleSleep), and the consumer re-checks on waking.
  if (consumer_sleeping_.load(std::memory_order_relaxed)) wake_cv_.notify_one();
}

void Tracer::flush() {
  if (!sink_ || finished_) return;
  if (deterministic_) {
    while (drain_pass() > 0) {
    }
  } else {
    wake_cv_.notify_one();
  }
}

std::size_t Tracer::drain_pass() {
  Merger& m = *merger_;
  const int lanes = workers_ + 1;
  m.heap.clear();
  for (int i = 0; i < lanes; ++i) {
    m.avail[i] = lanes_[i].ring.readable();
    m.pos[i] = 0;
    if (m.avail[i]) m.heap.emplace_back(lanes_[i].ring.peek(0).seq, i);
  }
  auto later = std::greater<>();  // min-heap on (seq, lane)
  std::make_heap(m.heap.begin(), m.heap.end(), later);

  // release frees the slots taken so far (copied, or delivered in place), so producers
  // get room as soon as possible.
  auto release = [&] {
    for (int i = 0; i < lanes; ++i) {
      if (m.pos[i]) {
        lanes_[i].ring.consume(m.pos[i]);
        m.avail[i] -= m.pos[i];
        m.pos[i] = 0;
      }
    }
  };
  auto deliver_batch = [&] {
    if (m.batch.empty()) return;
    release();
    m.last_ts = m.batch.back().ts;
    sink_->on_events(m.batch);
    m.batch.clear();
  };

  std::size_t delivered = 0;
  while (!m.heap.empty() && m.heap.front().first == m.next) {
    std::pop_heap(m.heap.begin(), m.heap.end(), later);
    const int i = m.heap.back().second;
    m.heap.pop_back();
    EventRing& ring = lanes_[i].ring;
    // One worker often emits several events in a row (and in the deterministic mode one
    // ring holds them all): measure the whole run of consecutive seqs in this ring. A
    // two-event record (two seqs) can only end such a run: the record after it skips one.
    std::size_t run = consecutive_run(ring, m.pos[i], m.avail[i] - m.pos[i], m.next);
    if (ring.peek(m.pos[i] + run - 1).reserved != 0) {
      if (run > 1) {
        --run;  // the singles before it now, the two-event record on the next turn
      } else {
        // A two-event record: a switch record is the event, then the GoStart it stands
        // for; a wake record is the GoUnblock it stands for, then the event.
        Event rec = ring.peek(m.pos[i]);
        rec.ts = to_ns(rec.ts);
        const bool wake = rec.reserved & kWakeRecord;
        Event implied;
        implied.ts = rec.ts;
        implied.proc = rec.proc;
        if (wake) {
          implied.seq = rec.seq;
          implied.kind = EventKind::GoUnblock;
          implied.g = rec.reserved & ~kWakeRecord;
          implied.other = rec.g;
          rec.seq += 1;
        } else {
          implied.seq = rec.seq + 1;
          implied.kind = EventKind::GoStart;
          implied.g = rec.reserved;
        }
        rec.reserved = 0;
        if (m.batch.size() + 2 > kBatch) deliver_batch();
        m.batch.push_back(wake ? implied : rec);
        m.batch.push_back(wake ? rec : implied);
        ++m.pos[i];
        m.next += 2;
        delivered += 2;
        if (m.pos[i] < m.avail[i]) {
          m.heap.emplace_back(ring.peek(m.pos[i]).seq, i);
          std::push_heap(m.heap.begin(), m.heap.end(), later);
        }
        continue;
      }
    }
    if (run >= kDirectRun) {
      // Long run: hand the sink the ring's own memory (at most two spans, the ring may
      // wrap), its stamps converted in place (the slots are ours until released). The
      // slots are freed only after the sink returns.
      deliver_batch();
      if (convert_ts_) {
        for (std::size_t k = 0; k < run; ++k) {
          Event& ev = ring.peek_mut(m.pos[i] + k);
          ev.ts = to_ns(ev.ts);
        }
      }
      for (std::size_t left = run; left > 0;) {
        std::span<const Event> piece = ring.contiguous(m.pos[i], left);
        m.last_ts = piece.back().ts;
        sink_->on_events(piece);
        m.pos[i] += piece.size();
        left -= piece.size();
      }
      release();
    } else {
      for (std::size_t k = 0; k < run; ++k) {
        m.batch.push_back(ring.peek(m.pos[i]));
        m.batch.back().ts = to_ns(m.batch.back().ts);
        ++m.pos[i];
        if (m.batch.size() == kBatch) deliver_batch();
      }
    }
    m.next += run;
    delivered += run;
    if (m.pos[i] < m.avail[i]) {
      m.heap.emplace_back(ring.peek(m.pos[i]).seq, i);
      std::push_heap(m.heap.begin(), m.heap.end(), later);
    }
  }
  // The heap's smallest seq is not the next one (or nothing is visible): the next seq is
  // still in flight. Deliver the prefix; the rest waits for the next pass.
  deliver_batch();
  release();
  return delivered;
}

void Tracer::stop_consumer() {
  if (!consumer_.joinable()) return;
  {
    // Under the mutex, so the consumer cannot miss the flag between its check and its wait.
    std::lock_guard<std::mutex> lock(wake_mu_);
    stop_.store(true, std::memory_order_release);
  }
  wake_cv_.notify_one();
  consumer_.join();
}

void Tracer::consumer_loop() {
  auto sleep = kMinIdleSleep;
  while (!stop_.load(std::memory_order_acquire)) {
    const std::size_t delivered = drain_pass();
    if (delivered >= kBatch) {
      sleep = kMinIdleSleep;
      continue;  // a busy run: keep up
    }
    // Little or nothing to do: let events pile up into bigger batches and give the core
    // back to the workers (these machines have two cores).
    sleep = delivered ? kMinIdleSleep : std::min(sleep * 2, kMaxIdleSleep);
    std::unique_lock<std::mutex> lock(wake_mu_);
    consumer_sleeping_.store(true, std::memory_order_relaxed);
    wake_cv_.wait_for(lock, sleep, [this] { return stop_.load(std::memory_order_acquire); });
    consumer_sleeping_.store(false, std::memory_order_relaxed);
  }
}

void Tracer::finish() {
  if (!sink_ || finished_) return;
  finished_ = true;
  stop_consumer();  // from here on this thread is the only consumer
  // The workers have stopped, so every seq taken is published: drain to the end.
  while (drain_pass() > 0) {
  }
  assert(merger_->next == next_seq_.load(std::memory_order_relaxed) && "an emit raced finish()");

  // Drops that no later emit of their worker got to report.
  Merger& m = *merger_;
  for (int i = 0; i <= workers_; ++i) {
    Lane& lane = lanes_[i];
    if (!lane.pending_drops) continue;
    Event report;
    report.seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
    report.ts = m.last_ts;
    report.kind = EventKind::Dropped;
    report.a = static_cast<int64_t>(lane.pending_drops);
    report.b = i == workers_ ? kAnyThread : i;
    lane.pending_drops = 0;
    markers_.fetch_add(1, std::memory_order_relaxed);
    m.batch.push_back(report);
    ++m.next;
  }
  if (!m.batch.empty()) {
    sink_->on_events(m.batch);
    m.batch.clear();
  }
  sink_->on_run_end();
}

}  // namespace goscope::detail
