// The tracer: per-worker rings merged into one gap-free seq order, drops counted and
// reported, deterministic delivery. Threads call the Tracer directly, as workers do.
#include "core/detail/tracer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "core/recorder.h"

namespace goscope::detail {
namespace {

Event event_of(uint32_t g, int64_t a) {
  Event e;
  e.kind = EventKind::GoLine;
  e.g = g;
  e.a = a;
  e.ts = a;
  return e;
}

// Checks what every delivered stream must satisfy: seq 0, 1, 2, ... with no gap, and the
// events of each producer (g) in the order it emitted them (a increasing). Returns how
// many events each g got, Dropped reports excluded.
std::vector<int64_t> check_stream(const std::vector<Event>& events, int producers, uint64_t* drops_reported) {
  std::vector<int64_t> last(producers + 1, -1), count(producers + 1, 0);
  *drops_reported = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    EXPECT_EQ(e.seq, i) << "seq gap or disorder at index " << i;
    if (e.seq != i) break;
    if (e.kind == EventKind::Dropped) {
      *drops_reported += static_cast<uint64_t>(e.a);
      continue;
    }
    EXPECT_GT(e.a, last[e.g]) << "producer " << e.g << " out of order at seq " << e.seq;
    last[e.g] = e.a;
    ++count[e.g];
  }
  return count;
}

TEST(Tracer, WithoutASinkIsDisabledAndFinishDoesNothing) {
  Tracer tracer(nullptr, 2, false, 1024);
  EXPECT_FALSE(tracer.enabled());
  tracer.finish();
  EXPECT_EQ(tracer.emitted(), 0u);
}

TEST(Tracer, DeterministicModeDeliversEverythingThroughATinyRing) {
  Recorder rec;
  Tracer tracer(&rec, 1, /*deterministic=*/true, 16);
  ASSERT_TRUE(tracer.enabled());
  for (int i = 0; i < 1000; ++i) tracer.emit(0, event_of(1, i));
  tracer.finish();
  EXPECT_TRUE(rec.ended());
  ASSERT_EQ(rec.events().size(), 1000u);
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), 1, &drops);
  EXPECT_EQ(count[1], 1000);
  EXPECT_EQ(drops, 0u);
  EXPECT_EQ(tracer.dropped(), 0u);
  EXPECT_EQ(tracer.emitted(), 1000u);
  EXPECT_GT(rec.batches(), 1u) << "a full ring is drained on the spot";
}

TEST(Tracer, DeterministicModeDeliversTheSameBatchesEveryTime) {
  auto record = [] {
    std::vector<std::size_t> batch_sizes;
    std::vector<Event> all;
    StreamingSink sink([&](std::span<const Event> b) {
      batch_sizes.push_back(b.size());
      all.insert(all.end(), b.begin(), b.end());
    });
    Tracer tracer(&sink, 3, true, 32);
    for (int i = 0; i < 500; ++i) tracer.emit(i % 3, event_of(static_cast<uint32_t>(i % 3 + 1), i));
    tracer.finish();
    return std::make_pair(batch_sizes, all);
  };
  auto [sizes1, events1] = record();
  auto [sizes2, events2] = record();
  EXPECT_EQ(sizes1, sizes2);
  ASSERT_EQ(events1.size(), events2.size());
  EXPECT_EQ(std::memcmp(events1.data(), events2.data(), events1.size() * sizeof(Event)), 0);
}

TEST(Tracer, FlushDeliversWhatIsBufferedInDeterministicMode) {
  Recorder rec;
  Tracer tracer(&rec, 1, true, 1024);
  for (int i = 0; i < 10; ++i) tracer.emit(0, event_of(1, i));
  EXPECT_TRUE(rec.events().empty()) << "buffered until the ring fills, a flush or finish";
  tracer.flush();
  EXPECT_EQ(rec.events().size(), 10u);
  tracer.finish();
  EXPECT_EQ(rec.events().size(), 10u);
}

TEST(Tracer, FinishEndsTheRunForTheSinkOnce) {
  int ends = 0;
  StreamingSink sink([](std::span<const Event>) {}, [&] { ++ends; });
  Tracer tracer(&sink, 2, false, 64);
  tracer.emit(0, event_of(1, 0));
  tracer.finish();
  tracer.finish();
  EXPECT_EQ(ends, 1);
}

TEST(Tracer, EmitStampedWritesTheGivenTimeAndProcessorOverTheEvents) {
  for (bool deterministic : {true, false}) {
    Recorder rec;
    Tracer tracer(&rec, 2, deterministic, 64);
    Event e = event_of(3, 41);
    e.ts = 999;
    e.proc = 5;
    e.obj = 77;
    e.text = "hello";
    e.b = -8;
    e.other = 4;
    e.reason = 0x81;
    tracer.emit_stamped(1, e, 1234, 1);
    tracer.emit_stamped(Tracer::kAnyThread, e, 1300, 2);  // the shared ring's slow path
    tracer.finish();
    ASSERT_EQ(rec.events().size(), 2u) << "deterministic " << deterministic;
    EXPECT_EQ(rec.events()[0].ts, 1234);
    EXPECT_EQ(rec.events()[0].proc, 1);
    EXPECT_EQ(rec.events()[1].ts, 1300);
    EXPECT_EQ(rec.events()[1].proc, 2);
    for (const Event& got : rec.events()) {
      EXPECT_EQ(got.g, 3u);
      EXPECT_EQ(got.a, 41);
      EXPECT_EQ(got.obj, 77u);
      EXPECT_EQ(got.kind, EventKind::GoLine);
      EXPECT_STREQ(got.text, "hello");
      EXPECT_EQ(got.b, -8);
      EXPECT_EQ(got.other, 4u);
      EXPECT_EQ(got.reason, 0x81);
      EXPECT_EQ(got.reserved, 0u);
    }
  }
}

// A switch record (reserved = the goroutine that starts next) comes out as two events
// with consecutive seqs: the record's own, then that goroutine's GoStart, same ts and
// proc; it is merged in seq order with the other lanes like any event.
TEST(Tracer, ASwitchRecordIsDeliveredAsTheEventAndAGoStart) {
  for (bool deterministic : {true, false}) {
    Recorder rec;
    Tracer tracer(&rec, 2, deterministic, 64);
    Event block = event_of(3, 0);
    block.kind = EventKind::GoBlock;
    block.reason = static_cast<uint8_t>(BlockReason::Recv);
    block.obj = 9;
    block.reserved = 4;                         // GoBlock(g3), then GoStart(g4)
    tracer.emit(0, event_of(1, 10));            // seq 0
    tracer.emit_stamped(1, block, 500, 1);      // seqs 1, 2
    tracer.emit(0, event_of(1, 11));            // seq 3
    Event* slot = tracer.begin(1);              // the in-place form: seqs 4, 5
    ASSERT_NE(slot, nullptr);
    *slot = Event{};
    slot->kind = EventKind::GoYield;
    slot->g = 4;
    slot->reserved = 3;
    slot->ts = 600;
    slot->proc = 1;
    tracer.commit(1, slot, 2);
    tracer.emit_stamped(1, event_of(3, 12), 700, 1);  // seq 6
    tracer.finish();
    const auto& ev = rec.events();
    ASSERT_EQ(ev.size(), 7u) << "deterministic " << deterministic;
    for (std::size_t i = 0; i < ev.size(); ++i) {
      EXPECT_EQ(ev[i].seq, i);
      EXPECT_EQ(ev[i].reserved, 0u);
    }
    EXPECT_EQ(ev[1].kind, EventKind::GoBlock);
    EXPECT_EQ(ev[1].g, 3u);
    EXPECT_EQ(ev[1].obj, 9u);
    EXPECT_EQ(ev[1].reason, static_cast<uint8_t>(BlockReason::Recv));
    EXPECT_EQ(ev[2].kind, EventKind::GoStart);
    EXPECT_EQ(ev[2].g, 4u);
    EXPECT_EQ(ev[2].ts, 500);
    EXPECT_EQ(ev[2].proc, 1);
    EXPECT_EQ(ev[2].obj, 0u);
    EXPECT_EQ(ev[4].kind, EventKind::GoYield);
    EXPECT_EQ(ev[5].kind, EventKind::GoStart);
    EXPECT_EQ(ev[5].g, 3u);
    EXPECT_EQ(ev[5].ts, 600);
    EXPECT_EQ(ev[6].a, 12);
    EXPECT_EQ(tracer.emitted(), 7u);
  }
}

// A wake record (reserved = kWakeRecord | the woken goroutine) comes out as the GoUnblock
// it stands for (by the record's goroutine), then the record itself.
TEST(Tracer, AWakeRecordIsDeliveredAsAGoUnblockAndTheEvent) {
  for (bool deterministic : {true, false}) {
    Recorder rec;
    Tracer tracer(&rec, 1, deterministic, 64);
    tracer.set_tick_clock(100, uint64_t{1} << 32);
    tracer.emit(0, event_of(1, 10));  // seq 0 (ts 10: before the origin, delivered as 0)
    Event send = event_of(1, 0);
    send.kind = EventKind::ChanSend;
    send.other = 2;
    send.obj = 5;
    send.reserved = Tracer::kWakeRecord | 2;  // GoUnblock(g2 by g1), then g1's ChanSend
    tracer.emit_stamped(0, send, 400, 0);       // seqs 1, 2
    tracer.emit_stamped(0, event_of(2, 11), 450, 0);  // seq 3
    tracer.finish();
    const auto& ev = rec.events();
    ASSERT_EQ(ev.size(), 4u) << "deterministic " << deterministic;
    for (std::size_t i = 0; i < ev.size(); ++i) {
      EXPECT_EQ(ev[i].seq, i);
      EXPECT_EQ(ev[i].reserved, 0u);
    }
    EXPECT_EQ(ev[1].kind, EventKind::GoUnblock);
    EXPECT_EQ(ev[1].g, 2u);
    EXPECT_EQ(ev[1].other, 1u);
    EXPECT_EQ(ev[1].ts, 300);
    EXPECT_EQ(ev[2].kind, EventKind::ChanSend);
    EXPECT_EQ(ev[2].g, 1u);
    EXPECT_EQ(ev[2].other, 2u);
    EXPECT_EQ(ev[2].obj, 5u);
    EXPECT_EQ(ev[2].ts, 300);
    EXPECT_EQ(ev[3].ts, 350);
  }
}

// Long runs of one lane go to the sink straight from the ring; a switch record in the
// middle of such a run splits it, and nothing is lost or reordered either way.
TEST(Tracer, SwitchRecordsInsideLongRunsKeepTheStreamContiguous) {
  Recorder rec;
  Tracer tracer(&rec, 1, /*deterministic=*/true, 4096);
  uint64_t expect = 0;
  for (int i = 0; i < 3000; ++i) {
    Event e = event_of(1, i);
    if (i % 500 == 7) {
      e.kind = EventKind::GoExit;
      e.reserved = 2;
      expect += 2;
    } else {
      expect += 1;
    }
    tracer.emit(0, e);
  }
  tracer.finish();
  ASSERT_EQ(rec.events().size(), expect);
  for (std::size_t i = 0; i < rec.events().size(); ++i) ASSERT_EQ(rec.events()[i].seq, i);
  int starts = 0;
  for (std::size_t i = 0; i < rec.events().size(); ++i) {
    if (rec.events()[i].kind != EventKind::GoStart) continue;
    ++starts;
    ASSERT_GT(i, 0u);
    EXPECT_EQ(rec.events()[i - 1].kind, EventKind::GoExit);
    EXPECT_EQ(rec.events()[i].g, 2u);
  }
  EXPECT_EQ(starts, 6);
}

// A switch record dropped by a full ring counts as the two events it stands for.
TEST(Tracer, ADroppedSwitchRecordCountsTwoEvents) {
  // The consumer is held in its first batch (as above) while a burst overfills the ring.
  std::atomic<bool> go_on{false};
  Recorder rec;
  StreamingSink held([&](std::span<const Event> b) {
    while (!go_on.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    rec.on_events(b);
  });
  Tracer tracer(&held, 1, /*deterministic=*/false, 16);
  for (int i = 0; i < 200; ++i) {
    Event e = event_of(1, i);
    e.kind = EventKind::GoYield;
    e.reserved = 2;
    tracer.emit(0, e);
  }
  ASSERT_GT(tracer.dropped(), 0u);
  go_on = true;
  tracer.finish();
  EXPECT_EQ(tracer.emitted(), 400u);
  EXPECT_EQ(tracer.dropped() % 2, 0u) << "a switch record is dropped whole";
  uint64_t delivered = 0, reported = 0;
  for (const Event& e : rec.events()) {
    if (e.kind == EventKind::Dropped) {
      reported += static_cast<uint64_t>(e.a);
    } else {
      ++delivered;
    }
  }
  EXPECT_EQ(reported, tracer.dropped());
  EXPECT_EQ(delivered + tracer.dropped(), 400u);
}

// With a tick clock set, the stamps producers write are raw readings: the sink gets ns
// since the origin (a reading before the origin counts as 0).
TEST(Tracer, RawStampsAreConvertedToNanosecondsSinceTheOrigin) {
  for (bool deterministic : {true, false}) {
    Recorder rec;
    Tracer tracer(&rec, 2, deterministic, 64);
    tracer.set_tick_clock(1000, uint64_t{3} << 31);  // 1.5 ns per tick
    tracer.emit_stamped(0, event_of(1, 0), 1000, 0);
    tracer.emit_stamped(0, event_of(1, 1), 1100, 0);
    Event sw = event_of(1, 2);
    sw.kind = EventKind::GoBlock;
    sw.reserved = 2;
    tracer.emit_stamped(0, sw, 3000, 0);
    tracer.emit_stamped(1, event_of(1, 3), 10, 0);  // the other lane, before the origin
    tracer.finish();
    ASSERT_EQ(rec.events().size(), 5u);
    EXPECT_EQ(rec.events()[0].ts, 0);
    EXPECT_EQ(rec.events()[1].ts, 150);
    EXPECT_EQ(rec.events()[2].ts, 3000);
    EXPECT_EQ(rec.events()[3].ts, 3000);
    EXPECT_EQ(rec.events()[4].ts, 0);
  }
}

TEST(Tracer, ADropReportCarriesTheStampOfTheEventItPrecedes) {
  // A sink that holds the consumer in its first batch until told to go on: the worker's
  // 16-event ring fills and the rest of the burst is dropped.
  std::atomic<bool> go_on{false};
  Recorder rec;
  StreamingSink held([&](std::span<const Event> b) {
    while (!go_on.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    rec.on_events(b);
  });
  Tracer tracer(&held, 1, false, 16);
  for (int i = 0; i < 200; ++i) tracer.emit_stamped(0, event_of(1, i), 1000 + i, 3);
  ASSERT_GT(tracer.dropped(), 0u);
  go_on = true;
  // Emit slowly while the consumer catches up: once the ring has room again, the next
  // event carries the report of the drops in front of it.
  for (int i = 0; i < 50; ++i) {
    tracer.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    tracer.emit_stamped(0, event_of(1, 1000 + i), 5000 + i, 9);
  }
  tracer.finish();

  const std::vector<Event>& got = rec.events();
  uint64_t reported = 0;
  int in_line = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].kind != EventKind::Dropped) continue;
    reported += static_cast<uint64_t>(got[i].a);
    if (i + 1 == got.size()) continue;  // reported by finish(): no event after it
    ++in_line;
    EXPECT_EQ(got[i].ts, got[i + 1].ts) << "the report takes the time of the event it precedes";
    EXPECT_EQ(got[i].proc, got[i + 1].proc);
    EXPECT_EQ(got[i + 1].kind, EventKind::GoLine);
  }
  EXPECT_GE(in_line, 1) << "the ring had room again within 50 ms";
  EXPECT_EQ(reported, tracer.dropped());
}

// A ring whose visible events carry the given seqs.
void fill_ring(EventRing& ring, std::initializer_list<uint64_t> seqs) {
  for (uint64_t seq : seqs) {
    Event e;
    e.seq = seq;
    ASSERT_TRUE(ring.try_push(e));
  }
  ASSERT_EQ(ring.readable(), seqs.size());
}

TEST(ConsecutiveRun, TakesTheWholeRingWhenItsLastSeqFollowsOnWithoutAGap) {
  EventRing ring(16);
  fill_ring(ring, {7, 8, 9, 10, 11});
  EXPECT_EQ(consecutive_run(ring, 0, 5, 7), 5u);
  EXPECT_EQ(consecutive_run(ring, 2, 3, 9), 3u);
  EXPECT_EQ(consecutive_run(ring, 4, 1, 11), 1u);
  EXPECT_EQ(consecutive_run(ring, 0, 0, 7), 0u);
}

TEST(ConsecutiveRun, StopsAtTheFirstGapWhereverItIs) {
  EventRing ring(64);
  fill_ring(ring, {0, 2, 3, 4});
  EXPECT_EQ(consecutive_run(ring, 0, 4, 0), 1u);
  EXPECT_EQ(consecutive_run(ring, 1, 3, 2), 3u);
  EventRing longer(64);
  // 0..39 then a jump: every gap position of a 40-long run, found by binary search.
  std::vector<uint64_t> seqs;
  for (uint64_t s = 0; s < 40; ++s) seqs.push_back(s);
  for (uint64_t s = 100; s < 110; ++s) seqs.push_back(s);
  for (uint64_t s : seqs) {
    Event e;
    e.seq = s;
    ASSERT_TRUE(longer.try_push(e));
  }
  ASSERT_EQ(longer.readable(), 50u);
  for (std::size_t from = 0; from < 40; ++from)
    EXPECT_EQ(consecutive_run(longer, from, 50 - from, from), 40u - from) << "from " << from;
}

TEST(ConsecutiveRun, ReadsAcrossTheRingsWrapAround) {
  EventRing ring(8);
  Event e;
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(ring.try_push(e));
  ASSERT_EQ(ring.readable(), 6u);
  ring.consume(6);  // the next elements start at slot 6 and wrap after two
  fill_ring(ring, {20, 21, 22, 23, 25});
  EXPECT_EQ(consecutive_run(ring, 0, 5, 20), 4u);
  EXPECT_EQ(consecutive_run(ring, 0, 4, 20), 4u);
}

TEST(Tracer, MergesRunsOfEveryLengthFromSeveralRingsInOrder) {
  // Rings take turns emitting runs of 1 to 150 events (long runs are handed to the sink
  // straight from the ring, short ones are copied): the merge must keep seq order.
  for (bool deterministic : {true, false}) {
    Recorder rec;
    Tracer tracer(&rec, 3, deterministic, 1 << 12);
    int i = 0;
    for (int run = 1; run <= 150; run += 7) {
      const int ring = run % 3;
      for (int k = 0; k < run; ++k, ++i) tracer.emit(ring, event_of(static_cast<uint32_t>(ring + 1), i));
    }
    tracer.finish();
    ASSERT_EQ(rec.events().size(), static_cast<std::size_t>(i));
    uint64_t drops = 0;
    check_stream(rec.events(), 3, &drops);
    EXPECT_EQ(drops, 0u);
  }
}

TEST(Tracer, OneThreadModeNumbersTheEventsOfThreadsThatTakeTurnsWithoutAGap) {
  // A one-worker run: the thread that calls run() emits, then the worker thread, then the
  // calling thread again after the join; the consumer thread drains meanwhile.
  Recorder rec;
  Tracer tracer(&rec, 2, /*deterministic=*/false, 1 << 12, /*one_thread=*/true);
  int a = 0;
  for (int i = 0; i < 1000; ++i) tracer.emit(1, event_of(1, a++));
  std::thread worker([&] {
    for (int i = 0; i < 50'000; ++i) tracer.emit(0, event_of(1, a++));
  });
  worker.join();
  for (int i = 0; i < 1000; ++i) tracer.emit(1, event_of(1, a++));
  tracer.finish();
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), 1, &drops);
  EXPECT_EQ(drops, tracer.dropped());
  EXPECT_EQ(static_cast<uint64_t>(count[1]) + tracer.dropped(), 52'000u);
  EXPECT_EQ(tracer.emitted(), 52'000u);
}

TEST(Tracer, OneThreadModeCountsAndReportsDrops) {
  std::atomic<bool> go_on{false};
  Recorder rec;
  StreamingSink held([&](std::span<const Event> b) {
    while (!go_on.load()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    rec.on_events(b);
  });
  Tracer tracer(&held, 1, /*deterministic=*/false, 16, /*one_thread=*/true);
  for (int i = 0; i < 1000; ++i) tracer.emit(0, event_of(1, i));
  go_on = true;
  tracer.finish();
  EXPECT_GT(tracer.dropped(), 0u);
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), 1, &drops);
  EXPECT_EQ(drops, tracer.dropped());
  EXPECT_EQ(static_cast<uint64_t>(count[1]) + drops, 1000u);
}

class TracerUnderStress : public ::testing::TestWithParam<int> {};

// EmitFromWorkers has `workers` threads emit `per_worker` events each as workers 0..n-1,
// goroutine w + 1 numbering its events 0, 1, 2, ... (what check_stream expects).
static void EmitFromWorkers(Tracer& tracer, int workers, int per_worker) {
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_worker; ++i) tracer.emit(w, event_of(static_cast<uint32_t>(w + 1), i));
    });
  }
  for (auto& t : threads) t.join();
}

TEST_P(TracerUnderStress, MergesEveryWorkerIntoOneGapFreeOrder) {
  const int workers = GetParam();
  constexpr int kPerWorker = 200'000;
  Recorder rec(static_cast<std::size_t>(workers) * kPerWorker);
  // Rings as large as all a worker emits: nothing can be dropped, so all must arrive.
  Tracer tracer(&rec, workers, false, kPerWorker);
  EmitFromWorkers(tracer, workers, kPerWorker);
  tracer.finish();

  EXPECT_EQ(tracer.dropped(), 0u);
  EXPECT_EQ(tracer.emitted(), static_cast<uint64_t>(workers) * kPerWorker);
  ASSERT_EQ(rec.events().size(), static_cast<std::size_t>(workers) * kPerWorker);
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), workers, &drops);
  EXPECT_EQ(drops, 0u);
  for (int w = 1; w <= workers; ++w) EXPECT_EQ(count[w], kPerWorker) << "worker " << w;
}

TEST_P(TracerUnderStress, CountsAndReportsDropsWhenRingsAreTooSmall) {
  const int workers = GetParam();
  constexpr int kPerWorker = 100'000;
  Recorder rec;
  // A sink that takes its time and a 16-event ring: the workers must outrun the consumer.
  StreamingSink slow([&](std::span<const Event> b) {
    rec.on_events(b);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  });
  Tracer tracer(&slow, workers, false, 16);
  EmitFromWorkers(tracer, workers, kPerWorker);
  tracer.finish();

  const uint64_t total = static_cast<uint64_t>(workers) * kPerWorker;
  EXPECT_GT(tracer.dropped(), 0u);
  EXPECT_EQ(tracer.emitted(), total);
  uint64_t drops_reported = 0;
  auto count = check_stream(rec.events(), workers, &drops_reported);
  EXPECT_EQ(drops_reported, tracer.dropped()) << "every drop is reported in a Dropped event";
  uint64_t delivered = 0;
  for (int w = 1; w <= workers; ++w) delivered += static_cast<uint64_t>(count[w]);
  EXPECT_EQ(delivered + tracer.dropped(), total);
}

// A sink that does not ask for drops (a Recorder) gets every event, however slow it is
// and however small the rings: the workers wait for it.
TEST_P(TracerUnderStress, ARecordingSinkLosesNothingWhenRingsAreTooSmall) {
  const int workers = GetParam();
  constexpr int kPerWorker = 50'000;
  struct SlowRecorder : Recorder {
    void on_events(std::span<const Event> b) override {
      Recorder::on_events(b);
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  } rec;
  ASSERT_FALSE(rec.drops_when_behind());
  Tracer tracer(&rec, workers, false, 16);
  EmitFromWorkers(tracer, workers, kPerWorker);
  tracer.finish();
  EXPECT_EQ(tracer.dropped(), 0u);
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), workers, &drops);
  EXPECT_EQ(drops, 0u);
  for (int w = 1; w <= workers; ++w) EXPECT_EQ(count[w], kPerWorker) << "worker " << w;
}

TEST_P(TracerUnderStress, DeliversWhileWorkersRunWithoutWaitingForFinish) {
  const int workers = GetParam();
  constexpr int kPerWorker = 10'000;
  std::atomic<uint64_t> seen{0};
  StreamingSink live([&](std::span<const Event> b) { seen.fetch_add(b.size()); });
  Tracer tracer(&live, workers, false, 1 << 15);
  EmitFromWorkers(tracer, workers, kPerWorker);
  // The consumer thread must get to everything on its own (it polls at least every ms).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (seen.load() < static_cast<uint64_t>(workers) * kPerWorker && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(seen.load(), static_cast<uint64_t>(workers) * kPerWorker);
  tracer.finish();
  EXPECT_EQ(seen.load(), static_cast<uint64_t>(workers) * kPerWorker);
}

TEST_P(TracerUnderStress, SerialisesThreadsThatAreNotWorkers) {
  const int workers = GetParam();
  constexpr int kPerThread = 50'000;
  Recorder rec;
  Tracer tracer(&rec, workers, false, 1 << 17);
  std::vector<std::thread> threads;
  // Every worker, plus two outside threads sharing the kAnyThread ring.
  for (int w = 0; w < workers + 2; ++w) {
    threads.emplace_back([&, w] {
      const int ring = w < workers ? w : Tracer::kAnyThread;
      for (int i = 0; i < kPerThread; ++i) tracer.emit(ring, event_of(static_cast<uint32_t>(w + 1), i));
    });
  }
  for (auto& t : threads) t.join();
  tracer.finish();
  EXPECT_EQ(tracer.dropped(), 0u);
  uint64_t drops = 0;
  auto count = check_stream(rec.events(), workers + 2, &drops);
  for (int w = 1; w <= workers + 2; ++w) EXPECT_EQ(count[w], kPerThread) << "thread " << w;
}

INSTANTIATE_TEST_SUITE_P(Workers, TracerUnderStress, ::testing::Values(2, 3, 4),
                         [](const auto& info) { return std::to_string(info.param) + "Workers"; });

}  // namespace
}  // namespace goscope::detail
