// chan_gospec_test.cpp: corners where the cell algorithm has to work to give Go's answer,
// each checked against Go 1.19 (the same program under `go run`): len after a send gave
// up on a full buffer, and a select with a send and a receive case on one channel.
#include <atomic>
#include <cstdint>
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"
#include "tests/core/chan_peer.h"

using namespace goscope;
using namespace goscope::chantest;
using Peer = goscope::detail::ChanCoreTestPeer;

namespace {

// GiveUpASend fills ch, has a goroutine block in select { case ch <- 99: case <-other: }
// and wakes it through other: the select gives up its send on the full buffer.
void GiveUpASend(Chan<int> ch, std::size_t cap) {
  for (std::size_t i = 0; i < cap; ++i) ch.send(static_cast<int>(i));
  auto other = make_chan<int>();
  auto done = make_chan<std::size_t>();
  const uint64_t s0 = Peer::senders(ch);
  go([=]() mutable { done.send(select({send_case(ch, 99), recv_case(other)})); });
  while (Peer::senders(ch) == s0) yield();  // its send case has taken a cell
  other.send(1);
  EXPECT_EQ(done.recv(), 1u);
}

// len counts only the values a receive could take (Go's qcount): a send that gave up on
// a full buffer is not one of them, and `for len(ch) > 0 { <-ch }` ends.
TEST_P(ChanTest, LenAfterASelectGaveUpItsSendCountsOnlyValues) {
  Run([] {
    for (std::size_t cap : {1, 2, 3, 32, 33}) {
      auto ch = make_chan<int>(cap);
      GiveUpASend(ch, cap);
      EXPECT_EQ(ch.len(), cap);
      std::size_t n = 0;
      while (ch.len() > 0) {
        ASSERT_LT(n, cap) << "len counts a value that is not there, cap " << cap;
        EXPECT_EQ(ch.recv(), static_cast<int>(n));
        ++n;
        EXPECT_EQ(ch.len(), cap - n) << "cap " << cap;
      }
      EXPECT_EQ(n, cap);
      // and the channel goes on as before
      ch.send(5);
      EXPECT_EQ(ch.len(), 1u);
      EXPECT_EQ(ch.recv(), 5);
      EXPECT_EQ(ch.len(), 0u);
    }
  });
}

// Several sends given up in a row, then a close: len and the drain agree with Go (len
// counts the buffered values through the close; cap does not change).
TEST_P(ChanTest, LenThroughCloseAfterGivenUpSends) {
  Run([] {
    for (std::size_t cap : {1, 3}) {
      auto ch = make_chan<int>(cap);
      GiveUpASend(ch, cap);
      for (int k = 0; k < 3; ++k) GiveUpASend(ch, 0);
      EXPECT_EQ(ch.len(), cap);
      EXPECT_EQ(ch.recv(), 0);
      EXPECT_EQ(ch.len(), cap - 1);
      ch.close();
      EXPECT_EQ(ch.len(), cap - 1);
      EXPECT_EQ(ch.cap(), cap);
      std::size_t n = 0;
      while (ch.len() > 0) {
        ASSERT_LT(n, cap - 1) << "cap " << cap;
        EXPECT_EQ(ch.recv(), static_cast<int>(n + 1));
        ++n;
      }
      auto [v, ok] = ch.recv_ok();
      EXPECT_FALSE(ok);
      EXPECT_EQ(v, 0);
      EXPECT_EQ(ch.len(), 0u);
      EXPECT_EQ(ch.cap(), cap);
    }
  });
}

// WaitBothWays starts a goroutine blocked in select { case c <- 1: case v, ok := <-c: }
// (cases in the given order) on an idle unbuffered channel and waits until both of its
// cases took their turn in the channel; the goroutine then reports on `done` which case
// completed, with the value received and ok.
struct BothWays {
  std::size_t which = 99;
  int v = -1;
  bool ok = false;
};
Chan<BothWays> WaitBothWays(Chan<int> c, bool send_first) {
  auto done = make_chan<BothWays>();
  const uint64_t s0 = Peer::senders(c), r0 = Peer::receivers(c);
  go([=]() mutable {
    BothWays b;
    if (send_first) {
      b.which = select({send_case(c, 1), recv_case(c, &b.v, &b.ok)}) == 0 ? 0 : 1;
    } else {
      b.which = select({recv_case(c, &b.v, &b.ok), send_case(c, 1)}) == 1 ? 0 : 1;
    }
    done.send(b);
  });
  while (Peer::senders(c) == s0 || Peer::receivers(c) == r0) yield();
  sleep(std::chrono::microseconds(200));  // let it park
  return done;
}

// Go waits in both directions: whichever partner comes, plain send or plain receive, the
// select completes with it (Go: always; it never takes its own value).
TEST_P(ChanTest, SelectWithSendAndReceiveOnOneChannelWaitsBothWays) {
  Run([] {
    for (int round = 0; round < 24; ++round) {
      auto c = make_chan<int>();
      auto done = WaitBothWays(c, round % 4 < 2);
      if (round % 2 == 0) {
        c.send(7);
        BothWays b = done.recv();
        EXPECT_EQ(b.which, 1u) << "round " << round;
        EXPECT_EQ(b.v, 7);
        EXPECT_TRUE(b.ok);
      } else {
        EXPECT_EQ(c.recv(), 1) << "round " << round;
        EXPECT_EQ(done.recv().which, 0u) << "round " << round;
      }
      // Nothing of the select is left in the channel.
      go([c]() mutable { c.send(3); });
      EXPECT_EQ(c.recv(), 3);
    }
  });
}

// A non-blocking send or receive finds such a select ready (Go: select with default on
// the other side completes).
TEST_P(ChanTest, TryOperationsFindASelectWaitingBothWays) {
  Run([] {
    for (int round = 0; round < 8; ++round) {
      auto c = make_chan<int>();
      auto done = WaitBothWays(c, round % 4 < 2);
      if (round % 2 == 0) {
        EXPECT_TRUE(c.try_send(5)) << "round " << round;
        BothWays b = done.recv();
        EXPECT_EQ(b.which, 1u);
        EXPECT_EQ(b.v, 5);
      } else {
        TryRecv<int> r = c.try_recv();
        EXPECT_TRUE(r.ready) << "round " << round;
        EXPECT_EQ(r.value, 1);
        EXPECT_EQ(done.recv().which, 0u);
      }
    }
  });
}

// close wakes such a select through its receive case (Go's close releases the receivers
// first): zero value, ok == false, and no "send on closed channel".
TEST_P(ChanTest, CloseCompletesTheReceiveCaseOfASelectWaitingBothWays) {
  Run([] {
    for (int round = 0; round < 8; ++round) {
      auto c = make_chan<int>();
      auto done = WaitBothWays(c, round % 2 == 0);
      c.close();
      BothWays b = done.recv();
      EXPECT_EQ(b.which, 1u) << "round " << round;
      EXPECT_EQ(b.v, 0);
      EXPECT_FALSE(b.ok);
    }
  });
}

// Two such selects on one channel find each other (Go: one sends, the other receives).
TEST_P(ChanTest, TwoSelectsWaitingBothWaysPairUp) {
  Run([] {
    for (int round = 0; round < 8; ++round) {
      auto c = make_chan<int>();
      auto done = WaitBothWays(c, round % 2 == 0);
      int v = -1;
      std::size_t k = select({send_case(c, 2), recv_case(c, &v)});
      BothWays b = done.recv();
      if (k == 0) {
        EXPECT_EQ(b.which, 1u);
        EXPECT_EQ(b.v, 2);
      } else {
        EXPECT_EQ(v, 1);
        EXPECT_EQ(b.which, 0u);
      }
    }
  });
}

// Several cases on one channel, in both directions: each direction waits, any case of
// the partner's direction may be chosen (Go picks among them), and the channel is clean
// afterwards.
TEST_P(ChanTest, SelectWithSeveralCasesOnOneChannelInBothDirections) {
  Run([] {
    int picked[4] = {0, 0, 0, 0};
    for (int round = 0; round < 40; ++round) {
      auto c = make_chan<int>();
      auto done = make_chan<std::size_t>();
      const uint64_t s0 = Peer::senders(c), r0 = Peer::receivers(c);
      int v1 = -1, v2 = -1;
      go([=, &v1, &v2]() mutable {
        done.send(select({send_case(c, 1), recv_case(c, &v1), send_case(c, 2), recv_case(c, &v2)}));
      });
      while (Peer::senders(c) == s0 || Peer::receivers(c) == r0) yield();
      sleep(std::chrono::microseconds(200));
      if (round % 2 == 0) {
        c.send(9);
        std::size_t k = done.recv();
        ASSERT_TRUE(k == 1 || k == 3) << k;
        EXPECT_EQ(k == 1 ? v1 : v2, 9);
        ++picked[k];
      } else {
        int got = c.recv();
        std::size_t k = done.recv();
        ASSERT_TRUE(k == 0 || k == 2) << k;
        EXPECT_EQ(got, k == 0 ? 1 : 2);
        ++picked[k];
      }
      go([c]() mutable { c.send(3); });
      EXPECT_EQ(c.recv(), 3);
      c.close();
    }
    for (int k = 0; k < 4; ++k) EXPECT_GT(picked[k], 0) << "case " << k << " never chosen";
  });
}

// A buffered channel with a send and a receive case in one select: the send while there
// is room, the receive while the buffer is full (Go: sent 0, recv 0, sent 2, recv 2).
TEST_P(ChanTest, SelectWithSendAndReceiveOnOneBufferedChannel) {
  Run([] {
    auto b = make_chan<int>(1);
    for (int i = 0; i < 4; ++i) {
      int v = -1;
      std::size_t k = select({send_case(b, i), recv_case(b, &v)});
      if (i % 2 == 0) {
        EXPECT_EQ(k, 0u);
        EXPECT_EQ(b.len(), 1u);
      } else {
        EXPECT_EQ(k, 1u);
        EXPECT_EQ(v, i - 1);
        EXPECT_EQ(b.len(), 0u);
      }
    }
  });
}

// Two cases of one direction on one channel (unbuffered, and buffered and full): a
// partner completes one of them, and the other leaves nothing behind (Go: s1 or s2).
TEST_P(ChanTest, SelectWithTwoCasesOfOneDirectionOnOneChannel) {
  Run([] {
    int picked[2] = {0, 0};
    for (int round = 0; round < 40; ++round) {
      const std::size_t cap = round % 2 == 0 ? 0 : 2;
      auto c = make_chan<int>(cap);
      for (std::size_t i = 0; i < cap; ++i) c.send(100);
      auto done = make_chan<std::size_t>(1);
      const uint64_t s0 = Peer::senders(c);
      go([=]() mutable { done.send(select({send_case(c, 1), send_case(c, 2)})); });
      while (Peer::senders(c) < s0 + 2) yield();
      for (std::size_t i = 0; i < cap; ++i) EXPECT_EQ(c.recv(), 100);
      const int v = c.recv();
      std::size_t k = done.recv();
      ASSERT_LT(k, 2u);
      ++picked[k];
      EXPECT_EQ(v, static_cast<int>(k) + 1);
      EXPECT_EQ(c.len(), 0u);
      go([c]() mutable { c.send(3); });
      EXPECT_EQ(c.recv(), 3);
      EXPECT_EQ(c.len(), 0u);
    }
    EXPECT_GT(picked[0], 0);
    EXPECT_GT(picked[1], 0);
  });
}

}  // namespace
