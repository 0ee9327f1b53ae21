// The SPSC ring under the tracer: FIFO order, capacity, wrap-around, and a real producer
// and consumer on two threads.
#include "core/detail/event_ring.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>

namespace goscope::detail {
namespace {

TEST(SpscRing, RoundsCapacityUpToAPowerOfTwo) {
  EXPECT_EQ(SpscRing<uint64_t>(1).capacity(), 2u);
  EXPECT_EQ(SpscRing<uint64_t>(5).capacity(), 8u);
  EXPECT_EQ(SpscRing<uint64_t>(64).capacity(), 64u);
  EXPECT_EQ(SpscRing<uint64_t>(1000).capacity(), 1024u);
}

TEST(SpscRing, PopsInTheOrderItWasPushed) {
  SpscRing<uint64_t> ring(8);
  for (uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(ring.try_push(i * 10));
  uint64_t v = 0;
  for (uint64_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(ring.try_pop(v));
    EXPECT_EQ(v, i * 10);
  }
  EXPECT_FALSE(ring.try_pop(v));
}

TEST(SpscRing, RefusesAPushWhenFullAndAcceptsOneAfterAPop) {
  SpscRing<uint64_t> ring(4);
  for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(ring.try_push(i));
  EXPECT_FALSE(ring.try_push(99));
  EXPECT_FALSE(ring.has_room(1));
  EXPECT_EQ(ring.free_space(), 0u);
  uint64_t v = 0;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ring.has_room(1));
  EXPECT_FALSE(ring.has_room(2));
  EXPECT_TRUE(ring.try_push(4));
  EXPECT_EQ(ring.size_approx(), 4u);
}

TEST(SpscRing, KeepsOrderAcrossManyWrapArounds) {
  SpscRing<uint64_t> ring(4);
  uint64_t next_in = 0, next_out = 0, v = 0;
  for (int round = 0; round < 1000; ++round) {
    const int pushes = round % 4 + 1;
    for (int i = 0; i < pushes; ++i) ASSERT_TRUE(ring.try_push(next_in++));
    while (ring.try_pop(v)) ASSERT_EQ(v, next_out++);
  }
  EXPECT_EQ(next_in, next_out);
}

TEST(SpscRing, PublishesABlockOfSlotsAtOnce) {
  SpscRing<uint64_t> ring(8);
  ASSERT_TRUE(ring.has_room(3));
  ring.slot(0) = 7;
  ring.slot(1) = 8;
  ring.slot(2) = 9;
  EXPECT_EQ(ring.readable(), 0u) << "nothing is visible before publish";
  ring.publish(3);
  ASSERT_EQ(ring.readable(), 3u);
  EXPECT_EQ(ring.peek(0), 7u);
  EXPECT_EQ(ring.peek(2), 9u);
  ring.consume(2);
  ASSERT_EQ(ring.readable(), 1u);
  EXPECT_EQ(ring.peek(0), 9u);
}

TEST(SpscRing, HoldsWholeEvents) {
  EventRing ring(2);
  Event e;
  e.seq = 42;
  e.kind = EventKind::ChanSend;
  e.text = "hi";
  ASSERT_TRUE(ring.try_push(e));
  Event out;
  ASSERT_TRUE(ring.try_pop(out));
  EXPECT_EQ(out.seq, 42u);
  EXPECT_EQ(out.kind, EventKind::ChanSend);
  EXPECT_STREQ(out.text, "hi");
}

TEST(SpscRing, HandsEveryElementAcrossThreadsInOrder) {
  // A small ring forces the producer to find it full again and again while the consumer
  // reads concurrently: every value must arrive, once, in order, with its payload intact.
  constexpr uint64_t kCount = 2'000'000;
  EventRing ring(64);
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount;) {
      Event e;
      e.seq = i;
      e.a = static_cast<int64_t>(i * 3);
      e.b = -static_cast<int64_t>(i);
      if (ring.try_push(e)) {
        ++i;
      } else {
        std::this_thread::yield();
      }
    }
  });
  uint64_t expected = 0;
  bool intact = true;
  while (expected < kCount) {
    const std::size_t n = ring.readable();
    if (n == 0) {
      std::this_thread::yield();
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const Event& e = ring.peek(i);
      intact &= e.seq == expected && e.a == static_cast<int64_t>(expected * 3) &&
                e.b == -static_cast<int64_t>(expected);
      ++expected;
    }
    ring.consume(n);
  }
  producer.join();
  EXPECT_TRUE(intact);
  EXPECT_EQ(expected, kCount);
  EXPECT_EQ(ring.size_approx(), 0u);
}

}  // namespace
}  // namespace goscope::detail
