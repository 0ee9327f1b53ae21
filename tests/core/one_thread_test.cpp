// one_thread_test.cpp: real mode with one worker is a one-thread run (RuntimeHot::
// hot_one_thread): the timer thread only keeps time and hands due timers to the worker,
// and channels and the scheduler use plain loads and stores. These tests pin down what
// that hand-over must keep: timers still fire on time (even while the worker computes),
// idle and deadlock bookkeeping stay right after a timer wakes the worker, and the
// channel algorithm gives the same results in its one-thread and shared forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/recorder.h"
#include "core/runtime.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"

using namespace goscope;
using namespace std::chrono;

namespace {

Config OneWorker() {
  Config c;
  c.mode = Mode::real;
  c.procs = 1;
  return c;
}

TEST(OneThreadRun, DeadlockIsStillReportedAfterTimersWokeTheIdleWorker) {
  // Each sleep leaves the only worker idle until the timer thread wakes it; if that wake
  // left the worker counted as idle, the final deadlock would be missed or misreported.
  Outcome out = run(OneWorker(), [] {
    for (int i = 0; i < 3; ++i) sleep(milliseconds(1));
    auto never = make_chan<int>();
    never.recv();
  });
  EXPECT_EQ(out.kind, OutcomeKind::deadlock) << out.report();
}

TEST(OneThreadRun, ATimerFiresWhileTheOnlyWorkerComputes) {
  // The goroutine waiting on after() cannot run before main's work ends (one worker), but
  // its timer must fire during the work, not after it: the TimerFire event comes between
  // WorkBegin and WorkEnd.
  Recorder sink;
  Config c = OneWorker();
  c.sink = &sink;
  Outcome out = run(c, [] {
    auto done = make_chan<bool>(1);
    go([done]() mutable {
      select({recv_case(after(milliseconds(2)))});
      done.send(true);
    });
    yield();  // let it start its select
    work(milliseconds(30));
    done.recv();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
  auto at = [&](EventKind k) {
    return std::find_if(sink.events().begin(), sink.events().end(), [k](const Event& e) { return e.kind == k; });
  };
  auto begin = at(EventKind::WorkBegin), fire = at(EventKind::TimerFire), end = at(EventKind::WorkEnd);
  ASSERT_NE(fire, sink.events().end());
  ASSERT_NE(begin, sink.events().end());
  ASSERT_NE(end, sink.events().end());
  EXPECT_LT(begin->seq, fire->seq);
  EXPECT_LT(fire->seq, end->seq);
}

TEST(OneThreadRun, ATimeoutFiresWhileTwoGoroutinesKeepHandingOff) {
  // A producer and main hand values over forever; the worker switches straight from one
  // to the other and never idles. The timeout's timer must still fire (between two
  // goroutines), so that the select eventually takes it, as in Go. (The deterministic
  // mode too: its virtual clock moves with every operation.)
  Config deterministic;
  deterministic.mode = Mode::deterministic;
  for (const Config& c : {OneWorker(), deterministic}) {
    Outcome out = run(c, [] {
      auto ch = make_chan<int>();
      go([ch]() mutable {
        for (int i = 0;; ++i) ch.send(i);
      });
      auto timeout = after(milliseconds(5));
      int v = 0;
      for (;;) {
        if (select({recv_case(ch, &v), recv_case(timeout)}) == 1) break;
      }
    });
    EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
  }
}

TEST(OneThreadRun, TickerAndSleepersShareTheWorker) {
  // Many sleepers and a ticker at once: every timer is handed over and run exactly once.
  std::atomic<int> woke{0};
  int ticks = 0;
  Outcome out = run(OneWorker(), [&] {
    WaitGroup wg;
    for (int i = 0; i < 50; ++i) {
      wg.Add(1);
      go([&, i] {
        sleep(microseconds(100 * (i % 7)));
        woke.fetch_add(1);
        wg.Done();
      });
    }
    Ticker t(milliseconds(1));
    for (int i = 0; i < 3; ++i) {
      t.C.recv();
      ++ticks;
    }
    t.Stop();
    wg.Wait();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.report();
  EXPECT_EQ(woke.load(), 50);
  EXPECT_EQ(ticks, 3);
}

// Checksum sends 1..n from `producers` goroutines through a channel of capacity cap to
// `consumers` goroutines and returns the sum received.
int64_t Checksum(const Config& c, int producers, int consumers, int n, std::size_t cap) {
  int64_t got = 0;
  Outcome out = run(c, [&] {
    auto ch = make_chan<int>(cap);
    auto sums = make_chan<int64_t>(static_cast<std::size_t>(consumers));
    WaitGroup wg;
    for (int p = 0; p < producers; ++p) {
      wg.Add(1);
      go([=, &wg]() mutable {
        for (int v = p + 1; v <= n; v += producers) ch.send(v);
        wg.Done();
      });
    }
    for (int k = 0; k < consumers; ++k) {
      go([=]() mutable {
        int64_t s = 0;
        for (int v : ch) s += v;
        sums.send(s);
      });
    }
    wg.Wait();
    ch.close();
    for (int k = 0; k < consumers; ++k) got += sums.recv();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
  return got;
}

TEST(OneThreadRun, OneThreadAndSharedChannelsAgreeOnEveryMessage) {
  const int n = 20000;
  const int64_t want = int64_t{n} * (n + 1) / 2;
  for (std::size_t cap : {0u, 1u, 7u, 128u}) {
    Config shared;
    shared.mode = Mode::real;
    shared.procs = 2;
    EXPECT_EQ(Checksum(OneWorker(), 4, 3, n, cap), want) << "one thread, cap " << cap;
    EXPECT_EQ(Checksum(shared, 4, 3, n, cap), want) << "shared, cap " << cap;
  }
}

}  // namespace
