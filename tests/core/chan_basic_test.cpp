// chan_basic_test.cpp: what a channel does, one behaviour per test.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"
#include "tests/core/chan_peer.h"

using namespace goscope;
using namespace goscope::chantest;

namespace {

TEST_P(ChanTest, UnbufferedSendWaitsForTheReceiver) {
  Run([] {
    auto ch = make_chan<int>();
    auto done = make_chan<bool>();
    bool received = false;
    go([=, &received]() mutable {
      sleep(std::chrono::milliseconds(2));
      received = true;
      EXPECT_EQ(ch.recv(), 42);
      done.send(true);
    });
    ch.send(42);
    EXPECT_TRUE(received);
    done.recv();
  });
}

TEST_P(ChanTest, BufferedSendDoesNotBlockUntilFull) {
  Run([] {
    auto ch = make_chan<int>(3);
    ch.send(1);
    ch.send(2);
    ch.send(3);
    EXPECT_EQ(ch.len(), 3u);
    EXPECT_EQ(ch.cap(), 3u);
    EXPECT_FALSE(ch.try_send(4));
    EXPECT_EQ(ch.recv(), 1);
    EXPECT_EQ(ch.len(), 2u);
    EXPECT_TRUE(ch.try_send(4));
    EXPECT_EQ(ch.recv(), 2);
    EXPECT_EQ(ch.recv(), 3);
    EXPECT_EQ(ch.recv(), 4);
    EXPECT_EQ(ch.len(), 0u);
  });
}

TEST_P(ChanTest, ReceiveFromClosedChannelDrainsThenGivesZeroAndNotOk) {
  Run([] {
    auto ch = make_chan<std::string>(2);
    ch.send("a");
    ch.send("b");
    ch.close();
    EXPECT_EQ(ch.recv_ok(), std::make_pair(std::string("a"), true));
    EXPECT_EQ(ch.recv_ok(), std::make_pair(std::string("b"), true));
    EXPECT_EQ(ch.recv_ok(), std::make_pair(std::string(), false));
    EXPECT_EQ(ch.recv_ok(), std::make_pair(std::string(), false));
  });
}

TEST_P(ChanTest, RangeStopsWhenClosedAndDrained) {
  Run([] {
    auto ch = make_chan<int>();
    go([ch]() mutable {
      for (int i = 0; i < 10; ++i) ch.send(i);
      ch.close();
    });
    std::vector<int> got;
    for (int v : ch) got.push_back(v);
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  });
}

TEST_P(ChanTest, CloseWakesEveryParkedReceiver) {
  Run([] {
    auto ch = make_chan<int>();
    WaitGroup wg;
    std::atomic<int> closed_seen{0};
    for (int i = 0; i < 5; ++i) {
      wg.Add(1);
      go([ch, wg, &closed_seen]() mutable {
        auto [v, ok] = ch.recv_ok();
        if (!ok && v == 0) closed_seen++;
        wg.Done();
      });
    }
    sleep(std::chrono::milliseconds(2));
    ch.close();
    wg.Wait();
    EXPECT_EQ(closed_seen.load(), 5);
  });
}

TEST_P(ChanTest, CloseMakesAParkedSenderPanic) {
  Outcome out = RunAny([] {
    auto ch = make_chan<int>();
    go([ch]() mutable { ch.send(1); });
    sleep(std::chrono::milliseconds(2));
    ch.close();
    sleep(std::chrono::milliseconds(2));
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "send on closed channel");
  EXPECT_EQ(out.goroutine, 2u);
}

TEST_P(ChanTest, SendOnClosedChannelPanics) {
  Outcome out = RunAny([] {
    auto ch = make_chan<int>(1);
    ch.close();
    ch.send(1);
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "send on closed channel");
}

TEST_P(ChanTest, CloseOfClosedChannelPanics) {
  Outcome out = RunAny([] {
    auto ch = make_chan<int>();
    ch.close();
    ch.close();
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "close of closed channel");
}

TEST_P(ChanTest, CloseOfNilChannelPanics) {
  Outcome out = RunAny([] {
    Chan<int> ch;
    ch.close();
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "close of nil channel");
}

TEST_P(ChanTest, NilChannelBlocksForever) {
  Outcome out = RunAny([] {
    Chan<int> ch;
    EXPECT_TRUE(ch.is_nil());
    EXPECT_FALSE(ch.try_send(1));
    EXPECT_FALSE(ch.try_recv().ready);
    ch.recv();
  });
  EXPECT_EQ(out.kind, OutcomeKind::deadlock);
  ASSERT_EQ(out.blocked.size(), 1u);
  EXPECT_EQ(out.blocked[0].wait_reason, "chan receive (nil chan)");
}

TEST_P(ChanTest, BlockedSenderIsADeadlockWithGosWords) {
  Outcome out = RunAny([] {
    auto ch = make_chan<int>();
    ch.send(1);
  });
  EXPECT_EQ(out.kind, OutcomeKind::deadlock);
  ASSERT_EQ(out.blocked.size(), 1u);
  EXPECT_EQ(out.blocked[0].wait_reason, "chan send");
}

TEST_P(ChanTest, ParkedSendersAreServedFirstComeFirstServed) {
  // The order of arrival is the test's input. A sender's place in line is the cell its
  // fetch-and-add on S gave it, so main lets sender i start only once sender i - 1 holds
  // its cell: the order is fixed with any number of workers.
  Run([] {
    auto ch = make_chan<int>();
    for (int i = 0; i < 5; ++i) {
      go([ch, i]() mutable { ch.send(i); });
      while (detail::ChanCoreTestPeer::senders(ch) < static_cast<uint64_t>(i) + 1) yield();
    }
    for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), i);
  });
}

TEST_P(ChanTest, ParkedReceiversAreServedFirstComeFirstServed) {
  // As above, with receivers: receiver i starts once receiver i - 1 holds its cell.
  Run([] {
    auto ch = make_chan<int>();
    auto order = make_chan<int>(5);
    for (int i = 0; i < 5; ++i) {
      go([ch, order, i]() mutable { order.send(i * 100 + ch.recv()); });
      while (detail::ChanCoreTestPeer::receivers(ch) < static_cast<uint64_t>(i) + 1) yield();
    }
    for (int i = 0; i < 5; ++i) ch.send(i);
    std::vector<int> got;
    for (int i = 0; i < 5; ++i) got.push_back(order.recv());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<int>{0, 101, 202, 303, 404}));
  });
}

TEST_P(ChanTest, TryReceiveReportsWouldBlockClosedAndValues) {
  Run([] {
    auto ch = make_chan<int>(1);
    EXPECT_FALSE(ch.try_recv().ready);
    ch.send(7);
    TryRecv<int> r = ch.try_recv();
    EXPECT_TRUE(r.ready);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.value, 7);
    ch.close();
    r = ch.try_recv();
    EXPECT_TRUE(r.ready);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.value, 0);
  });
}

TEST_P(ChanTest, HandlesCompareByIdentity) {
  Run([] {
    auto a = make_chan<int>();
    auto b = a;
    auto c = make_chan<int>();
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == c);
    EXPECT_NE(a.id(), c.id());
    EXPECT_TRUE(Chan<int>() == Chan<int>());
  });
}

TEST_P(ChanTest, MoveOnlyAndLargeValuesTravel) {
  Run([] {
    auto ch = make_chan<std::unique_ptr<std::vector<int>>>(2);
    go([ch]() mutable {
      for (int i = 0; i < 100; ++i) ch.send(std::make_unique<std::vector<int>>(1000, i));
      ch.close();
    });
    int n = 0;
    for (auto& p : ch) {
      ASSERT_TRUE(p);
      EXPECT_EQ((*p)[999], n);
      ++n;
    }
    EXPECT_EQ(n, 100);
  });
}

// A buffered channel against a model (a deque): values of a type with a destructor,
// sends and receives in uneven bursts across many segments (32 cells each), len() after
// every step, then a close with values left that the receiver still drains in order.
// One-thread runs take the buffered shortcuts here (chan_core.cpp); the others the
// general path: the answers must be the same.
TEST_P(ChanTest, BufferedChannelAgreesWithAQueueModel) {
  Run([] {
    for (int cap : {1, 5, 31, 32, 33, 100}) {
      auto ch = make_chan<std::string>(static_cast<std::size_t>(cap));
      std::deque<std::string> model;
      int next = 0;
      for (int round = 0; round < 60; ++round) {
        const int sends = (round * 7 + cap) % (cap + 1);
        for (int i = 0; i < sends && static_cast<int>(model.size()) < cap; ++i) {
          std::string v = "value " + std::to_string(next++);
          model.push_back(v);
          ch.send(std::move(v));
          ASSERT_EQ(ch.len(), model.size()) << "cap " << cap;
        }
        const int recvs = (round * 5) % (cap + 2);
        for (int i = 0; i < recvs && !model.empty(); ++i) {
          ASSERT_EQ(ch.recv(), model.front()) << "cap " << cap;
          model.pop_front();
          ASSERT_EQ(ch.len(), model.size()) << "cap " << cap;
        }
      }
      ch.close();
      while (!model.empty()) {
        auto [v, ok] = ch.recv_ok();
        ASSERT_TRUE(ok);
        ASSERT_EQ(v, model.front());
        model.pop_front();
      }
      auto [v, ok] = ch.recv_ok();
      EXPECT_FALSE(ok);
      EXPECT_EQ(v, "");
      EXPECT_EQ(ch.len(), 0u);
    }
  });
}

TEST_P(ChanTest, SelectPicksTheReadyCase) {
  Run([] {
    auto a = make_chan<int>(1);
    auto b = make_chan<int>(1);
    b.send(5);
    int v = 0;
    bool ok = false;
    EXPECT_EQ(select({recv_case(a, &v), recv_case(b, &v, &ok)}), 1u);
    EXPECT_EQ(v, 5);
    EXPECT_TRUE(ok);
    EXPECT_EQ(select({recv_case(a, &v), default_case()}), 1u);
    EXPECT_EQ(select({send_case(a, 9), recv_case(b, &v)}), 0u);
    EXPECT_EQ(a.recv(), 9);
  });
}

TEST_P(ChanTest, SelectWaitsForTheFirstPartner) {
  Run([] {
    auto a = make_chan<int>();
    auto b = make_chan<std::string>();
    go([b]() mutable { b.send("hello"); });
    int x = 0;
    std::string s;
    EXPECT_EQ(select({recv_case(a, &x), recv_case(b, &s)}), 1u);
    EXPECT_EQ(s, "hello");
    // a's registration was withdrawn: a send on a now parks until a real receiver comes.
    go([a]() mutable { a.send(3); });
    EXPECT_EQ(a.recv(), 3);
  });
}

TEST_P(ChanTest, SelectWithNoCasesBlocksForever) {
  Outcome out = RunAny([] { select({}); });
  EXPECT_EQ(out.kind, OutcomeKind::deadlock);
  ASSERT_EQ(out.blocked.size(), 1u);
  EXPECT_EQ(out.blocked[0].wait_reason, "select (no cases)");
}

TEST_P(ChanTest, AfterFiresOnce) {
  Run([] {
    auto t0 = now();
    auto c = after(std::chrono::milliseconds(3));
    Duration at = c.recv();
    EXPECT_GE(at - t0, std::chrono::milliseconds(3));
    EXPECT_GE(now() - t0, std::chrono::milliseconds(3));
    EXPECT_FALSE(c.try_recv().ready);
  });
}

TEST_P(ChanTest, SelectTimesOutWithAfter) {
  Run([] {
    auto never = make_chan<int>();
    int v = 0;
    EXPECT_EQ(select({recv_case(never, &v), recv_case(after(std::chrono::milliseconds(2)))}), 1u);
  });
}

TEST_P(ChanTest, TickerTicksUntilStopped) {
  Run([] {
    Ticker t(std::chrono::milliseconds(1));
    Duration last{0};
    for (int i = 0; i < 3; ++i) {
      Duration d = t.C.recv();
      EXPECT_GT(d, last);
      last = d;
    }
    t.Stop();
    sleep(std::chrono::milliseconds(3));
    t.C.try_recv();  // at most one tick was buffered before Stop
    sleep(std::chrono::milliseconds(3));
    EXPECT_FALSE(t.C.try_recv().ready);
  });
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Modes, ChanTest, modes::AllModes(), modes::Name);
