// chan_stress_test.cpp: many goroutines on shared channels, with checksums: nothing is
// lost, nothing is duplicated; close racing with sends and receives; selects racing on
// shared channels; segment memory is reclaimed as messages flow.
#include <atomic>
#include <vector>

#include "core/chan.h"
#include "core/detail/chan_epoch.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"
#include "tests/core/chan_peer.h"

using namespace goscope;
using namespace goscope::chantest;

namespace {

// Tally is what consumers saw: count, sum and xor of the values (distinct per producer).
struct Tally {
  std::atomic<int64_t> count{0}, sum{0}, xr{0};
  void add(int64_t n, int64_t s, int64_t x) {
    count += n;
    sum += s;
    xr ^= x;
  }
};

void ProducersConsumers(int producers, int consumers, std::size_t cap, int per_producer) {
  auto ch = make_chan<int64_t>(cap);
  Tally got;
  WaitGroup prod, cons;
  for (int p = 0; p < producers; ++p) {
    prod.Add(1);
    go([=]() mutable {
      for (int i = 0; i < per_producer; ++i) ch.send(int64_t{p} * per_producer + i + 1);
      prod.Done();
    });
  }
  for (int c = 0; c < consumers; ++c) {
    cons.Add(1);
    go([=, &got]() mutable {
      int64_t n = 0, s = 0, x = 0;
      for (int64_t v : ch) {
        ++n;
        s += v;
        x ^= v;
      }
      got.add(n, s, x);
      cons.Done();
    });
  }
  prod.Wait();
  ch.close();
  cons.Wait();
  const int64_t total = int64_t{producers} * per_producer;
  int64_t want_x = 0;
  for (int64_t v = 1; v <= total; ++v) want_x ^= v;
  EXPECT_EQ(got.count.load(), total) << "cap " << cap;
  EXPECT_EQ(got.sum.load(), total * (total + 1) / 2) << "cap " << cap;
  EXPECT_EQ(got.xr.load(), want_x) << "cap " << cap;
}

TEST_P(ChanTest, ManyProducersAndConsumersLoseAndDuplicateNothing) {
  const int per = 20000 / kScale;
  Run([per] {
    for (std::size_t cap : {0, 1, 16, 128}) {
      ProducersConsumers(1, 1, cap, per);
      ProducersConsumers(4, 4, cap, per / 4);
      ProducersConsumers(8, 2, cap, per / 8);
      ProducersConsumers(2, 8, cap, per / 2);
    }
  });
}

// Every one of ten million messages arrives exactly once (each value is marked as it is
// received: a duplicate finds its mark set, a loss leaves one unset), buffered and
// unbuffered, at every worker count of the fixture.
void ExactlyOnce(std::size_t cap, int64_t total) {
  constexpr int kProducers = 4, kConsumers = 4;
  auto ch = make_chan<int64_t>(cap);
  std::vector<std::atomic<uint8_t>> seen(static_cast<std::size_t>(total));
  std::atomic<int64_t> received{0}, duplicates{0};
  WaitGroup prod, cons;
  for (int p = 0; p < kProducers; ++p) {
    prod.Add(1);
    go([=]() mutable {
      for (int64_t v = p; v < total; v += kProducers) ch.send(v);
      prod.Done();
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    cons.Add(1);
    go([=, &seen, &received, &duplicates]() mutable {
      int64_t n = 0;
      for (int64_t v : ch) {
        ++n;
        if (seen[static_cast<std::size_t>(v)].exchange(1, std::memory_order_relaxed)) duplicates.fetch_add(1);
      }
      received.fetch_add(n);
      cons.Done();
    });
  }
  prod.Wait();
  ch.close();
  cons.Wait();
  int64_t missing = 0;
  for (const auto& s : seen) missing += s.load(std::memory_order_relaxed) == 0;
  EXPECT_EQ(received.load(), total) << "cap " << cap;
  EXPECT_EQ(duplicates.load(), 0) << "cap " << cap;
  EXPECT_EQ(missing, 0) << "cap " << cap;
}

TEST_P(ChanTest, TenMillionMessagesArriveExactlyOnce) {
  Run([] {
    ExactlyOnce(128, 10'000'000 / kScale);
    ExactlyOnce(0, 1'000'000 / kScale);
  });
}

// Receivers parked in numbers when the channel closes: each value sent before close is
// received exactly once and every receiver gets ok == false afterwards.
TEST_P(ChanTest, CloseRacingWithReceiversDeliversEverythingThenReleasesAll) {
  const int rounds = 200 / kScale;
  Run([rounds] {
    for (int round = 0; round < rounds; ++round) {
      for (std::size_t cap : {0, 3}) {
        auto ch = make_chan<int>(cap);
        Tally got;
        WaitGroup wg;
        for (int r = 0; r < 6; ++r) {
          wg.Add(1);
          go([=, &got]() mutable {
            int64_t n = 0, s = 0;
            for (;;) {
              auto [v, ok] = ch.recv_ok();
              if (!ok) break;
              ++n;
              s += v;
            }
            got.add(n, s, 0);
            wg.Done();
          });
        }
        for (int i = 1; i <= 10; ++i) ch.send(i);
        ch.close();
        wg.Wait();
        EXPECT_EQ(got.count.load(), 10);
        EXPECT_EQ(got.sum.load(), 55);
      }
    }
  });
}

// Senders race with close: the program ends with Go's panic, never with a crash or a
// hang, whichever side wins each race.
TEST_P(ChanTest, CloseRacingWithSendersPanicsTheSenders) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    for (std::size_t cap : {0, 2}) {
      Outcome out = RunAny(
          [cap] {
            auto ch = make_chan<int>(cap);
            for (int s = 0; s < 4; ++s) {
              go([ch]() mutable {
                for (int i = 0;; ++i) ch.send(i);
              });
            }
            for (int i = 0; i < 1000; ++i) ch.recv();
            ch.close();
            sleep(std::chrono::seconds(5));  // a sender panics long before
          },
          seed);
      EXPECT_EQ(out.kind, OutcomeKind::panic) << out.report();
      EXPECT_EQ(out.message, "send on closed channel");
    }
  }
}

// Selects on both ends of shared channels, mixed with plain operations and a timeout
// case that keeps losing: every value arrives exactly once.
TEST_P(ChanTest, SelectsRacingOnSharedChannelsKeepTheChecksum) {
  const int per = 5000 / kScale;
  Run([per] {
    auto a = make_chan<int64_t>();
    auto b = make_chan<int64_t>(4);
    auto idle = make_chan<int64_t>();  // never ready: its registrations all lose
    Tally got;
    WaitGroup prod, cons;
    for (int p = 0; p < 4; ++p) {
      prod.Add(1);
      go([=]() mutable {
        for (int i = 0; i < per; ++i) {
          int64_t v = int64_t{p} * per + i + 1;
          if (p == 0) {
            a.send(v);  // plain
          } else {
            select({send_case(a, v), send_case(b, v)});
          }
        }
        prod.Done();
      });
    }
    for (int c = 0; c < 4; ++c) {
      cons.Add(1);
      go([=, &got]() mutable {
        int64_t n = 0, s = 0, x = 0;
        for (;;) {
          int64_t v = 0;
          bool ok = false;
          std::size_t k = c == 0 ? select({recv_case(a, &v, &ok), recv_case(b, &v, &ok)})
                                 : select({recv_case(a, &v, &ok), recv_case(idle), recv_case(b, &v, &ok)});
          if (k == 1 && c != 0) continue;
          if (!ok) {  // a closed: drain b
            for (int64_t w : b) {
              ++n;
              s += w;
              x ^= w;
            }
            break;
          }
          ++n;
          s += v;
          x ^= v;
        }
        got.add(n, s, x);
        cons.Done();
      });
    }
    prod.Wait();
    a.close();
    b.close();
    cons.Wait();
    const int64_t total = 4 * int64_t{per};
    int64_t want_x = 0;
    for (int64_t v = 1; v <= total; ++v) want_x ^= v;
    EXPECT_EQ(got.count.load(), total);
    EXPECT_EQ(got.sum.load(), total * (total + 1) / 2);
    EXPECT_EQ(got.xr.load(), want_x);
  });
}

// A channel's segments are freed as the counters move on: a long stream through a
// channel keeps only a few segments alive.
TEST_P(ChanTest, SegmentsAreReclaimedAsMessagesFlow) {
  const int n = 200000 / kScale;
  Run([n] {
    for (std::size_t cap : {0, 8, 100}) {
      auto ch = make_chan<int>(cap);
      std::size_t most = 0;
      go([ch, n]() mutable {
        for (int i = 0; i < n; ++i) ch.send(i);
      });
      for (int i = 0; i < n; ++i) {
        EXPECT_EQ(ch.recv(), i);
        if (i % 1000 == 0) most = std::max(most, detail::core_of(ch)->live_segments());
      }
      EXPECT_LE(most, 3 + cap / detail::kSegmentSize * 2) << "cap " << cap;
      EXPECT_LE(detail::core_of(ch)->live_segments(), 3 + cap / detail::kSegmentSize * 2) << "cap " << cap;
    }
  });
  detail::epoch_collect();
  EXPECT_LT(detail::epoch_pending(), 1000u);  // retired segments get freed too
}

// Losing select registrations (the timeout pattern) do not pin memory either.
TEST_P(ChanTest, LosingSelectRegistrationsAreReclaimed) {
  const int n = 20000 / kScale;
  Run([n] {
    auto quiet = make_chan<int>();
    auto busy = make_chan<int>();
    go([busy, n]() mutable {
      for (int i = 0; i < n; ++i) busy.send(i);
    });
    for (int i = 0; i < n; ++i) {
      int v = -1;
      EXPECT_EQ(select({recv_case(quiet), recv_case(busy, &v)}), 1u);
      EXPECT_EQ(v, i);
    }
    // quiet saw up to n losing receive registrations; a sender now skips them all
    go([quiet]() mutable { quiet.send(7); });
    EXPECT_EQ(quiet.recv(), 7);
    EXPECT_LE(detail::core_of(quiet)->live_segments(), 3u);
  });
}

// Sends given up on a full buffer (selects woken by another case, try_sends that lost a
// race) are not values: at every quiet moment len is what a receive can take, and
// `for len(ch) > 0 { <-ch }` ends.
TEST_P(ChanTest, LenStaysExactWhileSendsGiveUp) {
  const int rounds = 400 / kScale + 4;
  Run([rounds] {
    using Peer = detail::ChanCoreTestPeer;
    for (int round = 0; round < rounds; ++round) {
      const std::size_t cap = 1 + static_cast<std::size_t>(round % 5);
      const int quitters = 1 + round % 3;
      auto ch = make_chan<int>(cap);
      auto other = make_chan<int>();
      auto done = make_chan<std::size_t>(static_cast<std::size_t>(quitters));
      int sent = 0, got = 0;
      for (std::size_t i = 0; i < cap; ++i) ch.send(sent++);
      const uint64_t s0 = Peer::senders(ch);
      for (int q = 0; q < quitters; ++q) {
        go([=]() mutable { done.send(select({send_case(ch, -1), recv_case(other)})); });
      }
      while (Peer::senders(ch) < s0 + static_cast<uint64_t>(quitters)) yield();
      other.close();
      for (int q = 0; q < quitters; ++q) ASSERT_EQ(done.recv(), 1u);
      ASSERT_EQ(ch.len(), cap);
      ASSERT_EQ(ch.recv(), got++);
      ASSERT_EQ(ch.len(), cap - 1) << "round " << round;
      // try_sends racing with each other and a receiver: with several workers, the
      // loser of a race for the last free cell gives up after taking a cell
      WaitGroup wg;
      std::atomic<int> sent_more{0};
      for (int p = 0; p < 2; ++p) {
        wg.Add(1);
        go([=, &sent_more]() mutable {
          for (int i = 0; i < 200; ++i) {
            if (ch.try_send(1000 + i)) sent_more++;
            if (i % 16 == 0) yield();
          }
          wg.Done();
        });
      }
      for (int i = 0; i < 60; ++i) {
        TryRecv<int> r = ch.try_recv();
        if (r.ready) ++got;
        if (i % 4 == 0) yield();
      }
      wg.Wait();
      const int left = sent + sent_more.load() - got;
      ASSERT_EQ(ch.len(), static_cast<std::size_t>(left)) << "round " << round;
      int drained = 0;
      while (ch.len() > 0) {
        TryRecv<int> r = ch.try_recv();
        ASSERT_TRUE(r.ready) << "len counts a value that is not there, round " << round;
        ++drained;
      }
      EXPECT_EQ(drained, left) << "round " << round;
    }
  });
}

// A select with a send and a receive case on one unbuffered channel meets a partner of
// either direction, whether the partner comes while it registers or after it parked.
TEST_P(ChanTest, SelectsWaitingBothWaysMeetEveryPartner) {
  const int rounds = 2000 / kScale + 20;
  Run([rounds] {
    using Peer = detail::ChanCoreTestPeer;
    for (int round = 0; round < rounds; ++round) {
      auto c = make_chan<int>();
      auto done = make_chan<int>(1);
      const uint64_t s0 = Peer::senders(c), r0 = Peer::receivers(c);
      go([=]() mutable {
        int v = -1;
        std::size_t k = round % 3 == 0 ? select({send_case(c, 1), recv_case(c, &v)})
                                       : 1 - select({recv_case(c, &v), send_case(c, 1)});
        done.send(k == 0 ? -1 : v);
      });
      if (round % 4 != 0) {
        while (Peer::senders(c) == s0 || Peer::receivers(c) == r0) yield();
      }
      if (round % 2 == 0) {
        c.send(round);
        ASSERT_EQ(done.recv(), round);
      } else {
        ASSERT_EQ(c.recv(), 1);
        ASSERT_EQ(done.recv(), -1);
      }
    }
  });
}

// Selects that send and receive on one unbuffered channel, among plain senders and
// receivers: every value sent is received once, none by the select that sent it.
TEST_P(ChanTest, BothWaySelectsAndPlainOperationsKeepTheChecksum) {
  const int per = 20000 / kScale;
  Run([per] {
    auto c = make_chan<int64_t>();
    auto quit = make_chan<int>();
    Tally sent, got;
    std::atomic<int> self{0};
    WaitGroup plain, selects;
    for (int p = 0; p < 2; ++p) {
      plain.Add(1);
      go([=, &sent]() mutable {
        int64_t n = 0, s = 0, x = 0;
        for (int i = 0; i < per; ++i) {
          int64_t v = (int64_t{p} + 1) * 10000000 + i;
          c.send(v);
          ++n;
          s += v;
          x ^= v;
        }
        sent.add(n, s, x);
        plain.Done();
      });
      plain.Add(1);
      go([=, &got]() mutable {
        int64_t n = 0, s = 0, x = 0;
        for (int i = 0; i < per; ++i) {
          int64_t v = c.recv();
          ++n;
          s += v;
          x ^= v;
        }
        got.add(n, s, x);
        plain.Done();
      });
    }
    for (int w = 0; w < 3; ++w) {
      selects.Add(1);
      go([=, &sent, &got, &self]() mutable {
        int64_t sn = 0, ss = 0, sx = 0, gn = 0, gs = 0, gx = 0;
        int64_t mine = (int64_t{w} + 10) * 10000000;
        for (;;) {
          int64_t v = -1;
          std::size_t k = select({send_case(c, mine), recv_case(c, &v), recv_case(quit)});
          if (k == 2) break;
          if (k == 0) {
            ++sn;
            ss += mine;
            sx ^= mine;
            ++mine;
          } else {
            if (v == mine) self++;
            ++gn;
            gs += v;
            gx ^= v;
          }
        }
        sent.add(sn, ss, sx);
        got.add(gn, gs, gx);
        selects.Done();
      });
    }
    plain.Wait();
    quit.close();
    selects.Wait();
    EXPECT_EQ(self.load(), 0) << "a select received its own value";
    EXPECT_EQ(got.count.load(), sent.count.load());
    EXPECT_EQ(got.sum.load(), sent.sum.load());
    EXPECT_EQ(got.xr.load(), sent.xr.load());
  });
}

}  // namespace
