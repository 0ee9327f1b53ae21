// solo_test.cpp: real mode with several workers, when one worker runs alone ("solo",
// Config::solo): its channel operations take the plain form until another worker or the
// timer thread joins, which first waits until the lone worker is outside any operation.
// These tests check that solo engages, and that values are neither lost nor duplicated
// while workers keep joining and leaving in the middle of a stream of operations.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/runtime.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "core/waitgroup.h"

using namespace goscope;
using namespace std::chrono;

namespace {

#if defined(GOSCOPE_TSAN) || defined(GOSCOPE_ASAN)
constexpr int kScale = 10;
#else
constexpr int kScale = 1;
#endif

Config Workers(int procs, bool solo) {
  Config c;
  c.mode = Mode::real;
  c.procs = procs;
  c.solo = solo;
  return c;
}

class Solo : public testing::TestWithParam<int> {};

TEST_P(Solo, APairOnOneWorkerGoesSolo) {
  // A producer and its consumer stay on one worker; the others idle, so it goes solo.
  const int n = 200000 / kScale;
  int64_t sum = 0;
  Outcome out = run(Workers(GetParam(), true), [&] {
    auto ch = make_chan<int>(128);
    go([ch, n]() mutable {
      for (int i = 0; i < n; ++i) ch.send(i);
    });
    for (int i = 0; i < n; ++i) sum += ch.recv();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
  EXPECT_EQ(sum, int64_t{n} * (n - 1) / 2);
  if (solo_available()) {
    EXPECT_GE(out.solo_phases, 1u);
  } else {
    EXPECT_EQ(out.solo_phases, 0u) << "no membarrier here, yet solo engaged";
  }
}

TEST_P(Solo, OffMeansNeverSolo) {
  Outcome out = run(Workers(GetParam(), false), [&] {
    auto ch = make_chan<int>(8);
    go([ch]() mutable {
      for (int i = 0; i < 1000; ++i) ch.send(i);
    });
    for (int i = 0; i < 1000; ++i) ch.recv();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
  EXPECT_EQ(out.solo_phases, 0u);
}

// Producers compute now and then (work()), so their worker looks stuck and idle workers
// steal the goroutines queued behind them and join, clearing the solo of whoever runs
// alone at that moment, in the middle of its stream of sends and receives; sleepers'
// timers make the timer thread join too. Every value must arrive exactly once.
TEST_P(Solo, WorkersJoiningMidStreamLoseNothing) {
  // Eight runs with solo (joins are many but the window is narrow), one without.
  for (bool solo : {true, true, true, true, true, true, true, true, false}) {
    const int producers = 4, consumers = 3, per = 20000 / kScale;
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(producers * per));
    Outcome out = run(Workers(GetParam(), solo), [&] {
      auto ch = make_chan<int>(16);
      auto unbuffered = make_chan<int>();
      WaitGroup prod, cons;
      prod.Add(producers);
      for (int p = 0; p < producers; ++p) {
        go([=]() mutable {
          for (int i = 0; i < per; ++i) {
            const int v = p * per + i;
            if (i % 2) ch.send(v); else unbuffered.send(v);
            if (i % 997 == 0) work(microseconds(120));
            if (i % 1999 == 0) sleep(microseconds(50));
          }
          prod.Done();
        });
      }
      cons.Add(consumers);
      for (int c = 0; c < consumers; ++c) {
        go([&, ch, unbuffered, cons]() mutable {
          int v = 0;
          bool ok = true;
          for (;;) {
            const std::size_t k = select({recv_case(ch, &v, &ok), recv_case(unbuffered, &v)});
            if (k == 0 && !ok) break;
            seen[static_cast<std::size_t>(v)].fetch_add(1, std::memory_order_relaxed);
          }
          cons.Done();
        });
      }
      go([=]() mutable {
        prod.Wait();
        // Everything sent on the unbuffered channel was received (send returned); what
        // is left sits in ch's buffer, which close leaves for the consumers to drain.
        ch.close();
      });
      cons.Wait();
    });
    ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
    int lost = 0, twice = 0;
    for (auto& s : seen) {
      lost += s.load() == 0;
      twice += s.load() > 1;
    }
    EXPECT_EQ(lost, 0) << (solo ? "solo" : "shared");
    EXPECT_EQ(twice, 0) << (solo ? "solo" : "shared");
  }
}

TEST_P(Solo, ATimeoutStillFiresForALonePair) {
  // The timer thread joins to fire after()'s timer while a pair hands off on a solo
  // worker; the select must see it.
  Outcome out = run(Workers(GetParam(), true), [] {
    auto ch = make_chan<int>();
    go([ch]() mutable {
      for (int i = 0;; ++i) ch.send(i);
    });
    auto timeout = after(milliseconds(3));
    int v = 0;
    for (;;) {
      if (select({recv_case(ch, &v), recv_case(timeout)}) == 1) break;
    }
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
}

INSTANTIATE_TEST_SUITE_P(Workers, Solo, testing::Values(2, 4), [](const testing::TestParamInfo<int>& info) {
  return std::to_string(info.param) + "Workers";
});

}  // namespace
