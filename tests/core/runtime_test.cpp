// runtime_test.cpp: goroutines, the two schedulers, WaitGroup, sleep, work, panics,
// deadlocks and the end of a program. Every test runs in the deterministic mode (1 and 4
// virtual processors) and in real mode with 1, 2 and 4 workers (modes.h).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#if defined(GOSCOPE_ASAN)
#include <sanitizer/lsan_interface.h>
#endif

#include "core/detail/stack_pool.h"
#include "core/chan.h"
#include "core/go.h"
#include "core/recorder.h"
#include "core/runtime.h"
#include "core/time.h"
#include "core/waitgroup.h"
#include "tests/core/modes.h"

using namespace goscope;

namespace {

#if defined(GOSCOPE_TSAN)
constexpr int kScale = 50;  // TSan keeps a shadow state per goroutine (fiber); keep CI quick
#elif defined(GOSCOPE_ASAN)
constexpr int kScale = 10;  // ASan is several times slower
#else
constexpr int kScale = 1;
#endif

// WithRuntime runs each test in every mode; Run returns however the program ended.
class WithRuntime : public modes::ModeTest {
 protected:
  Outcome Run(std::function<void()> fn, uint64_t seed = 1) { return RunAny(std::move(fn), seed); }
};

}  // namespace

TEST_P(WithRuntime, MainRunsAsGoroutineOne) {
  uint32_t id = 0;
  Outcome out = Run([&] { id = goid(); });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(out.goroutines, 1u);
}

TEST_P(WithRuntime, WaitGroupLetsMainSeeTheGoroutinesOutput) {
  Outcome out = Run([] {
    WaitGroup wg;
    wg.Add(1);
    go([wg]() mutable {
      println("async thing");
      wg.Done();
    });
    wg.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(out.output, std::vector<std::string>{"async thing"});
}

TEST_P(WithRuntime, MainReturningAbandonsGoroutinesThatNeverRan) {
  Recorder keep;
  Config c = config();
  c.sink = &keep;
  Outcome out = run(c, [] { go("async", [] { println("async thing"); }); });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  if (GetParam().mode == Mode::deterministic) {
    // No preemption: main runs to its end before the new goroutine gets a processor.
    EXPECT_TRUE(out.output.empty());
    bool abandoned = false;
    for (const Event& e : keep.events())
      if (e.kind == EventKind::GoAbandon && e.g == 2) abandoned = true;
    EXPECT_TRUE(abandoned);
  }
}

TEST_P(WithRuntime, SpawnAndJoinManyGoroutines) {
  const int n = 100000 / kScale;
  std::atomic<int> ran{0};
  Outcome out = Run([&] {
    WaitGroup wg;
    wg.Add(n);
    for (int i = 0; i < n; ++i) {
      go([&ran, wg]() mutable {
        ran.fetch_add(1, std::memory_order_relaxed);
        wg.Done();
      });
    }
    wg.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(ran.load(), n);
  EXPECT_EQ(out.goroutines, static_cast<uint64_t>(n) + 1);
}

TEST_P(WithRuntime, GoroutinesSpawnGoroutinesInADeepChain) {
  const int depth = 10000 / kScale;
  std::atomic<int> deepest{0};
  Outcome out = Run([&] {
    WaitGroup wg;
    wg.Add(1);
    std::function<void(int)> step = [&](int level) {
      deepest.store(level);
      if (level == depth) {
        wg.Done();
        return;
      }
      go([&step, level] { step(level + 1); });
    };
    go([&step] { step(1); });
    wg.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(deepest.load(), depth);
}

TEST_P(WithRuntime, ATreeOfGoroutinesJoinsThroughNestedWaitGroups) {
  std::atomic<int> leaves{0};
  std::function<void(int)> tree = [&](int d) {
    if (d == 0) {
      leaves.fetch_add(1);
      return;
    }
    WaitGroup wg;
    wg.Add(2);
    for (int i = 0; i < 2; ++i)
      go([&tree, wg, d]() mutable {
        tree(d - 1);
        wg.Done();
      });
    wg.Wait();
  };
  Outcome out = Run([&] { tree(10); });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(leaves.load(), 1024);
}

TEST_P(WithRuntime, WaitGroupReleasesManyWaitersAndCanBeReused) {
  std::atomic<int> released{0};
  Outcome out = Run([&] {
    for (int round = 0; round < 3; ++round) {
      WaitGroup gate, done;
      gate.Add(1);
      done.Add(20);
      for (int i = 0; i < 20; ++i)
        go([gate, done, &released]() mutable {
          gate.Wait();
          released.fetch_add(1);
          done.Done();
        });
      yield();
      gate.Done();
      done.Wait();
    }
    // The same group, reused after Wait returned.
    WaitGroup wg;
    for (int round = 0; round < 5; ++round) {
      wg.Add(2);
      go([wg]() mutable { wg.Done(); });
      go([wg]() mutable { wg.Done(); });
      wg.Wait();
      EXPECT_EQ(wg.counter(), 0);
    }
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(released.load(), 60);
}

TEST_P(WithRuntime, NegativeWaitGroupCounterPanicsWithGosMessage) {
  Outcome out = Run([] {
    WaitGroup wg;
    wg.Done();
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "sync: negative WaitGroup counter");
  EXPECT_EQ(out.goroutine, 1u);
  EXPECT_EQ(out.report().rfind("panic: sync: negative WaitGroup counter\n\ngoroutine 1 [running]:", 0), 0u);
}

TEST_P(WithRuntime, PanicInAnotherGoroutineEndsTheProgramNamingIt) {
  Outcome out = Run([] {
    WaitGroup wg;
    wg.Add(1);
    go("boom", [] { panic("something broke"); });
    wg.Wait();  // never returns: the panic ends the program
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "something broke");
  EXPECT_EQ(out.goroutine, 2u);
}

TEST_P(WithRuntime, CppExceptionEscapingAGoroutineIsAPanic) {
  Outcome out = Run([] { throw std::runtime_error("bad input"); });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "bad input");
}

TEST_P(WithRuntime, EveryoneAsleepIsADeadlockWithEachGoroutinesReason) {
  Outcome out = Run([] {
    WaitGroup never;
    never.Add(1);
    go("waiter", [never]() mutable { never.Wait(); });
    never.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::deadlock);
  EXPECT_EQ(out.message, "all goroutines are asleep - deadlock!");
  ASSERT_EQ(out.blocked.size(), 2u);
  EXPECT_EQ(out.blocked[0].id, 1u);
  EXPECT_EQ(out.blocked[0].wait_reason, "semacquire");
  EXPECT_EQ(out.blocked[1].name, "waiter");
  EXPECT_EQ(out.report().rfind("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [semacquire]:", 0), 0u);
}

TEST_P(WithRuntime, SleepingGoroutinesAreNotADeadlock) {
  Outcome out = Run([] {
    WaitGroup wg;
    wg.Add(1);
    go([wg]() mutable {
      sleep(2ms);
      println("woke");
      wg.Done();
    });
    wg.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(out.output, std::vector<std::string>{"woke"});
  EXPECT_GE(out.elapsed_ns, 2'000'000);
}

TEST_P(WithRuntime, SleepersWakeInDeadlineOrder) {
  Outcome out = Run([] {
    WaitGroup wg;
    for (int ms : {30, 10, 20}) {
      wg.Add(1);
      go([wg, ms]() mutable {
        sleep(std::chrono::milliseconds(ms));
        println(std::to_string(ms));
        wg.Done();
      });
    }
    wg.Wait();
  });
  EXPECT_EQ(out.output, (std::vector<std::string>{"10", "20", "30"}));
}

TEST_P(WithRuntime, YieldLetsOthersRun) {
  std::atomic<int> turns{0};
  Outcome out = Run([&] {
    WaitGroup wg;
    wg.Add(2);
    for (int k = 0; k < 2; ++k)
      go([&turns, wg]() mutable {
        for (int i = 0; i < 1000; ++i) {
          turns.fetch_add(1);
          yield();
        }
        wg.Done();
      });
    wg.Wait();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(turns.load(), 2000);
}

TEST_P(WithRuntime, MainReturningWhileOthersRunEndsTheProgram) {
  Outcome out = Run([] {
    for (int i = 0; i < 8; ++i)
      go([] {
        for (;;) {
          yield();
        }
      });
    for (int i = 0; i < 8; ++i)
      go([] {
        WaitGroup never;
        never.Add(1);
        never.Wait();
      });
    yield();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_EQ(out.goroutines, 17u);
}

TEST_P(WithRuntime, AbandonedGoroutinesRunTheirDestructors) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  Outcome out = Run([held = std::move(alive)] {
    WaitGroup never;
    never.Add(1);
    go([held, never]() mutable {
      auto local = held;  // a copy on the abandoned goroutine's stack
      never.Wait();
    });
    go([held] {});  // never runs
    yield();
  });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_TRUE(watch.expired());
}

// Go runs nothing of a goroutine abandoned at exit. goscope unwinds its stack so that
// C++ destructors free what it held; a destructor that calls the runtime then gets a
// runtime that gives up quietly, never an exception thrown during unwinding.
TEST_P(WithRuntime, AbandonedGoroutinesDestructorsMayCallTheRuntime) {
  struct CallsTheRuntime {
    WaitGroup wg;
    Chan<int> ch;
    ~CallsTheRuntime() {
      println("never printed");
      yield();
      sleep(std::chrono::milliseconds(1));
      work(std::chrono::milliseconds(1));
      go([] { println("never runs"); });
      ch.send(1);
      (void)ch.recv();
      wg.Wait();
    }
  };
  WaitGroup outlives;
  outlives.Add(1);
  for (int round = 0; round < 2; ++round) {
    Outcome out = Run([outlives] {
      WaitGroup started;
      started.Add(2);
      for (int i = 0; i < 2; ++i) {
        go([started, outlives]() mutable {
          CallsTheRuntime c{outlives, make_chan<int>(0)};
          started.Done();
          WaitGroup never;
          never.Add(1);
          never.Wait();
        });
      }
      started.Wait();
    });
    EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
    EXPECT_TRUE(out.output.empty());
  }
  // The destructors' Wait gave up and left no waiter behind on the WaitGroup that
  // outlives the runs: releasing it now wakes no one (a stale waiter would be a dangling
  // pointer into a stack that is gone).
  Outcome out = Run([outlives]() mutable { outlives.Done(); });
  EXPECT_EQ(out.kind, OutcomeKind::ok);
}

// A panic raised while a goroutine unwinds for another panic (a destructor panics) is
// reported with the first, as Go reports a panic in a deferred call.
TEST_P(WithRuntime, APanicDuringAPanicIsReportedWithIt) {
  struct PanicsToo {
    ~PanicsToo() { panic("second"); }
  };
#if defined(GOSCOPE_ASAN)
  // The first panic's exception object is lost with the goroutine's stack (Go runs no
  // more of it either). LeakSanitizer would report it; its switch is per thread, and only
  // one-thread runs keep every goroutine on this one.
  if (GetParam().mode == Mode::real && GetParam().procs > 1) GTEST_SKIP() << "leak check is per thread";
  __lsan_disable();
#endif
  Outcome out = Run([] {
    PanicsToo p;
    panic("first");
  });
  ASSERT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "first\n\tpanic: second");
  EXPECT_EQ(out.report().rfind("panic: first\n\tpanic: second\n\ngoroutine 1 [running]:", 0), 0u);
#if defined(GOSCOPE_ASAN)
  __lsan_enable();
#endif
  // The process and the next run are fine.
  EXPECT_EQ(Run([] { println("next"); }).output, std::vector<std::string>{"next"});
}

// Go preempts a goroutine that has run for 10 ms while others wait. Without that, main
// (asleep for 1 ms) would never get a processor back from goroutines that only compute.
TEST_P(WithRuntime, ComputingGoroutinesArePreemptedSoMainGetsToRun) {
  for (bool long_work : {false, true}) {
    Recorder keep;
    Config c = config();
    c.sink = &keep;
    std::atomic<int> started{0};
    Outcome out = run(c, [n = GetParam().procs, long_work, &started] {
      // One computing goroutine per processor: once all of them run, every wake-up of
      // main needs a processor that one of them must give up.
      for (int i = 0; i < n; ++i) {
        go("busy", [long_work, &started] {
          started.fetch_add(1);
          if (long_work) work(std::chrono::hours(1));  // preempted inside one long work()
          for (;;) work(std::chrono::milliseconds(1));  // preempted between short ones
        });
      }
      while (started.load() < n) sleep(std::chrono::milliseconds(1));
      sleep(std::chrono::milliseconds(1));
      println("main is back");
    });
    EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
    EXPECT_EQ(out.output, std::vector<std::string>{"main is back"});
    int preempts = 0;
    for (const Event& e : keep.events())
      if (e.kind == EventKind::GoPreempt) {
        ++preempts;
        EXPECT_NE(e.g, 1u);  // main sleeps, it never computes
      }
    EXPECT_GT(preempts, 0) << (long_work ? "one long work()" : "short work() calls");
  }
}

// A preempted goroutine's work still takes its whole time: preemption splits it, and in
// the deterministic mode n computing goroutines on p processors take n/p as long.
TEST(Deterministic, PreemptedWorkStillTakesItsWholeTime) {
  Config c;
  c.mode = Mode::deterministic;
  c.procs = 2;
  Outcome out = run(c, [] {
    WaitGroup wg;
    wg.Add(4);
    for (int i = 0; i < 4; ++i) {
      go([wg]() mutable {
        work(std::chrono::milliseconds(100));
        wg.Done();
      });
    }
    wg.Wait();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok);
  EXPECT_GE(out.elapsed_ns, 200'000'000);
  EXPECT_LT(out.elapsed_ns, 201'000'000);
}

// With nobody waiting for a processor, a long work() runs on without a preemption.
TEST(Deterministic, NoOneWaitingNoPreemption) {
  Recorder keep;
  Config c;
  c.mode = Mode::deterministic;
  c.sink = &keep;
  run(c, [] { work(std::chrono::milliseconds(50)); });
  int preempts = 0, work_begins = 0;
  for (const Event& e : keep.events()) {
    preempts += e.kind == EventKind::GoPreempt;
    work_begins += e.kind == EventKind::WorkBegin;
  }
  EXPECT_EQ(preempts, 0);
  EXPECT_EQ(work_begins, 1);
}

TEST_P(WithRuntime, ManyRunsInOneProcessLeaveNothingBehind) {
  const int runs = 1000 / kScale;
  for (int i = 0; i < runs; ++i) {
    Outcome out = Run([] {
      WaitGroup wg;
      wg.Add(4);
      for (int k = 0; k < 4; ++k) go([wg]() mutable { wg.Done(); });
      go([] {
        WaitGroup never;
        never.Add(1);
        never.Wait();
      });
      wg.Wait();
    });
    ASSERT_EQ(out.kind, OutcomeKind::ok);
  }
  // Every stack went back to the pool: nothing is held by a finished run.
  EXPECT_EQ(detail::StackPool::pooled(), detail::StackPool::mapped());
}

TEST_P(WithRuntime, EventsTellEachBlockAndItsUnblock) {
  Recorder keep;
  Config c = config();
  c.sink = &keep;
  Outcome out = run(c, [] {
    WaitGroup wg;
    wg.Add(1);
    go("worker", [wg]() mutable { wg.Done(); });
    wg.Wait();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok);
  ASSERT_FALSE(keep.events().empty());
  for (std::size_t i = 0; i < keep.events().size(); ++i) EXPECT_EQ(keep.events()[i].seq, i);
  EXPECT_EQ(keep.events().front().kind, EventKind::ProgramStart);
  EXPECT_EQ(keep.events().back().kind, EventKind::ProgramEnd);
  int blocks = 0, unblocks = 0;
  for (const Event& e : keep.events()) {
    if (e.kind == EventKind::GoBlock) ++blocks;
    if (e.kind == EventKind::GoUnblock) {
      ++unblocks;
      EXPECT_EQ(e.g, 1u);
      EXPECT_EQ(e.other, 2u);  // woken by the worker's Done
    }
  }
  EXPECT_EQ(blocks, unblocks);
}

INSTANTIATE_TEST_SUITE_P(Modes, WithRuntime,
                         testing::Values(modes::RunMode{Mode::deterministic, 1}, modes::RunMode{Mode::deterministic, 4},
                                         modes::RunMode{Mode::real, 1}, modes::RunMode{Mode::real, 2},
                                         modes::RunMode{Mode::real, 4}),
                         modes::Name);

// --- the deterministic mode only -------------------------------------------------------

namespace {

std::vector<std::string> Schedule(uint64_t seed) {
  Recorder keep;
  Config c;
  c.mode = Mode::deterministic;
  c.procs = 2;
  c.seed = seed;
  c.sink = &keep;
  run(c, [] {
    WaitGroup wg;
    for (int i = 0; i < 6; ++i) {
      wg.Add(1);
      go([wg, i]() mutable {
        println("g" + std::to_string(i));
        wg.Done();
      });
    }
    wg.Wait();
  });
  std::vector<std::string> s;
  for (const Event& e : keep.events()) s.push_back(describe(e));
  return s;
}

}  // namespace

TEST(Deterministic, SameSeedSameSchedule) { EXPECT_EQ(Schedule(42), Schedule(42)); }

TEST(Deterministic, AnotherSeedAnotherSchedule) {
  std::set<std::vector<std::string>> seen;
  for (uint64_t seed = 1; seed <= 8; ++seed) seen.insert(Schedule(seed));
  EXPECT_GT(seen.size(), 1u);
}

TEST(Deterministic, ChooserDecidesWhoRunsNext) {
  Config c;
  c.mode = Mode::deterministic;
  c.chooser = [](std::span<const uint32_t> ids) { return ids.size() - 1; };  // newest first
  Outcome out = run(c, [] {
    WaitGroup wg;
    wg.Add(3);
    for (int i = 0; i < 3; ++i)
      go([wg, i]() mutable {
        println(std::to_string(i));
        wg.Done();
      });
    wg.Wait();
  });
  EXPECT_EQ(out.output, (std::vector<std::string>{"2", "1", "0"}));
}

TEST(Deterministic, CpuWorkSaturatesAtProcsWhileSleepKeepsScaling) {
  auto elapsed = [](int procs, int workers, bool cpu) {
    Config c;
    c.mode = Mode::deterministic;
    c.procs = procs;
    return run(c, [=] {
             WaitGroup wg;
             wg.Add(workers);
             for (int i = 0; i < workers; ++i)
               go([=]() mutable {
                 if (cpu) work(10ms); else sleep(10ms);
                 wg.Done();
               });
             wg.Wait();
           })
        .elapsed_ns;
  };
  // 8 jobs of 10 ms CPU on 2 processors take 40 ms; on 8, 10 ms.
  EXPECT_NEAR(elapsed(2, 8, true), 40e6, 1e6);
  EXPECT_NEAR(elapsed(8, 8, true), 10e6, 1e6);
  // Sleeping needs no processor: 8 sleepers on 2 processors take 10 ms.
  EXPECT_NEAR(elapsed(2, 8, false), 10e6, 1e6);
}

// Work stealing waits a little before taking queued work (a pair that talks stays on one
// worker), but goroutines that compute must still spread over the workers: a busy worker's
// queued goroutines are taken by the idle ones.
TEST(RealMode, ComputingGoroutinesSpreadOverTheWorkers) {
  for (int procs : {2, 4}) {
    Config c;
    c.mode = Mode::real;
    c.procs = procs;
    std::mutex mu;
    std::set<std::thread::id> threads;
    Outcome out = run(c, [&] {
      WaitGroup wg;
      wg.Add(2 * procs);
      for (int i = 0; i < 2 * procs; ++i)
        go([&, wg]() mutable {
          // Where it starts and where it ends: a preempted goroutine may move.
          auto note = [&] {
            std::lock_guard<std::mutex> lock(mu);
            threads.insert(std::this_thread::get_id());
          };
          note();
          work(30ms);
          note();
          wg.Done();
        });
      wg.Wait();
    });
    ASSERT_EQ(out.kind, OutcomeKind::ok) << out.message;
    // 2 x procs jobs of 30 ms: an idle worker that never stole would leave one thread.
    EXPECT_GE(threads.size(), 2u) << procs << " workers";
  }
}

TEST(RealMode, ABacklogOfShortJobsSpreadsOverTheWorkers) {
  // 200 jobs of 100 us (fewer than a ring holds, so none overflow to the global queue,
  // which idle workers take from at once): the busy worker starts one every 100 us, so
  // its ring moves, but it is a backlog (far longer than a group taking turns), and the
  // idle worker takes part.
  Config c;
  c.mode = Mode::real;
  c.procs = 2;
  std::mutex mu;
  std::set<std::thread::id> threads;
  Outcome out = run(c, [&] {
    WaitGroup wg;
    wg.Add(200);
    for (int i = 0; i < 200; ++i)
      go([&, wg]() mutable {
        work(100us);
        {
          std::lock_guard<std::mutex> lock(mu);
          threads.insert(std::this_thread::get_id());
        }
        wg.Done();
      });
    wg.Wait();
  });
  ASSERT_EQ(out.kind, OutcomeKind::ok) << out.message;
  EXPECT_EQ(threads.size(), 2u);
}

namespace {

// start_pairs_handing_off starts n pairs of goroutines that pass a value back and forth
// forever (each handoff puts the partner in runnext, so a pair can hold a worker).
void start_pairs_handing_off(int n) {
  for (int p = 0; p < n; ++p) {
    auto ping = make_chan<int>();
    auto pong = make_chan<int>();
    go([ping, pong]() mutable {
      for (;;) pong.send(ping.recv() + 1);
    });
    go([ping, pong]() mutable {
      for (int v = 0;; v = pong.recv()) ping.send(v);
    });
  }
}

}  // namespace

TEST(RealMode, ASleeperWakesWhileEveryWorkerIsBusyHandingOff) {
  // Every worker runs a pair of goroutines that hand off to each other forever, switching
  // straight from one to the other. main's sleep ends on the timer thread, which queues it
  // globally; the workers must still look there now and then (Go: every 61st schedule),
  // or main never runs again and the program never ends.
  for (int procs : {1, 2, 4}) {
    Config c;
    c.mode = Mode::real;
    c.procs = procs;
    Outcome out = run(c, [procs] {
      start_pairs_handing_off(procs);
      sleep(5ms);
    });
    EXPECT_EQ(out.kind, OutcomeKind::ok) << procs << " workers: " << out.report();
  }
}

TEST(RealMode, AYieldingGoroutineIsNotStarvedByPairsHandingOff) {
  // The same pairs; main yields, so it waits in a worker's ring behind runnext, where the
  // pairs' partners keep arriving. Every so often the ring must come first.
  for (int procs : {1, 2}) {
    Config c;
    c.mode = Mode::real;
    c.procs = procs;
    Outcome out = run(c, [procs] {
      start_pairs_handing_off(procs);
      for (int i = 0; i < 100; ++i) yield();
    });
    EXPECT_EQ(out.kind, OutcomeKind::ok) << procs << " workers: " << out.report();
  }
}
