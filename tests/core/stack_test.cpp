// stack_test.cpp: goroutine stacks: an overflow ends the run with Go's fatal error and
// harms no one else, every stack has a guard however many there are, and a large run
// gives its stack memory back. Every test runs in every mode (modes.h).
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/chan.h"
#include "core/detail/stack_pool.h"
#include "core/go.h"
#include "core/runtime.h"
#include "core/waitgroup.h"
#include "tests/core/modes.h"

using namespace goscope;

namespace {

#if defined(GOSCOPE_ASAN)
constexpr int kScale = 10;
#else
constexpr int kScale = 1;
#endif

class Stacks : public modes::ModeTest {
 protected:
  void SetUp() override {
#if defined(GOSCOPE_TSAN)
    // TSan runs its own bookkeeping on the faulting thread before any handler and cannot
    // follow a handler that leaves by switching stacks.
    GTEST_SKIP() << "stack overflows are tested without ThreadSanitizer";
#endif
  }

 public:
  Outcome Run(std::function<void()> fn) { return RunAny(std::move(fn)); }
};

// Recurse never returns: 1 KiB frames until the stack runs out. Not a tail call (the
// frame is used after the call), so the compiler cannot turn it into a loop.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
[[gnu::noinline]] int Recurse(int depth) {
  volatile char frame[1024];
  frame[depth % 1024] = static_cast<char>(depth);
  return Recurse(depth + 1) + frame[depth % 1024];
}
#pragma GCC diagnostic pop

// Canary sits on a parked goroutine's stack and checks, when that goroutine is unwound
// at the end of the run, that no one wrote over it.
struct Canary {
  explicit Canary(std::atomic<int>* damaged) : damaged_(damaged) {
    for (int i = 0; i < 256; ++i) bytes_[i] = static_cast<char>(i * 7 + 1);
  }
  ~Canary() {
    for (int i = 0; i < 256; ++i)
      if (bytes_[i] != static_cast<char>(i * 7 + 1)) {
        damaged_->fetch_add(1);
        return;
      }
  }
  std::atomic<int>* damaged_;
  volatile char bytes_[256];
};

// OverflowAmong parks `parked` goroutines with canaries, then lets one more overflow.
Outcome OverflowAmong(Stacks& t, int parked, std::atomic<int>& damaged, std::atomic<int>& unwound) {
  return t.Run([&, parked] {
    WaitGroup ready, never;
    never.Add(1);
    ready.Add(parked);
    for (int i = 0; i < parked; ++i) {
      go([&, ready, never]() mutable {
        Canary canary(&damaged);
        struct Count {
          std::atomic<int>* n;
          ~Count() { n->fetch_add(1); }
        } count{&unwound};
        ready.Done();
        never.Wait();
      });
    }
    ready.Wait();
    go("deep", [] { Recurse(0); });
    never.Wait();
  });
}

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

TEST_P(Stacks, AStackOverflowEndsTheRunWithGosFatalError) {
  Outcome out = Run([] {
    WaitGroup wg;
    wg.Add(1);
    go("deep", [wg]() mutable {
      Recurse(0);
      wg.Done();
    });
    wg.Wait();
  });
  ASSERT_EQ(out.kind, OutcomeKind::fatal);
  EXPECT_EQ(out.message, "stack overflow");
  EXPECT_EQ(out.goroutine, 2u);
  const std::string limit = std::to_string(detail::Stack::usable());
  EXPECT_EQ(out.detail, "runtime: goroutine stack exceeds " + limit + "-byte limit");
  EXPECT_EQ(out.report().rfind("runtime: goroutine stack exceeds " + limit +
                                   "-byte limit\nfatal error: stack overflow\n\ngoroutine 2 [running]:\n",
                               0),
            0u)
      << out.report();
}

TEST_P(Stacks, MainOverflowingItsStackIsAFatalErrorToo) {
  Outcome out = Run([] { Recurse(0); });
  ASSERT_EQ(out.kind, OutcomeKind::fatal);
  EXPECT_EQ(out.goroutine, 1u);
}

TEST_P(Stacks, TheProcessAndLaterRunsGoOnAfterAnOverflow) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Run([] { Recurse(0); }).kind, OutcomeKind::fatal);
    Outcome ok = Run([] {
      auto ch = make_chan<int>(0);
      go([ch]() mutable { ch.send(42); });
      if (ch.recv() != 42) panic("wrong value");
      println("fine");
    });
    ASSERT_EQ(ok.kind, OutcomeKind::ok) << ok.report();
    EXPECT_EQ(ok.output, std::vector<std::string>{"fine"});
  }
}

TEST_P(Stacks, AnOverflowLeavesTheOtherGoroutinesStacksIntact) {
  std::atomic<int> damaged{0}, unwound{0};
  const int parked = 200;
  Outcome out = OverflowAmong(*this, parked, damaged, unwound);
  ASSERT_EQ(out.kind, OutcomeKind::fatal) << out.report();
  EXPECT_EQ(out.goroutine, static_cast<uint32_t>(parked + 2));
  EXPECT_EQ(unwound.load(), parked);  // every parked goroutine was unwound at the end
  EXPECT_EQ(damaged.load(), 0);
}

// More stacks than vm.max_map_count could give an mprotect guard each: every one of them
// still has a guard, so the overflow past them all is caught and hurts no neighbour.
TEST_P(Stacks, StacksPastTheMappingLimitStillHaveGuards) {
  if (GetParam().procs > 2) GTEST_SKIP() << "one real-mode and one deterministic run cover it";
  if (!detail::StackPool::guard_install()) GTEST_SKIP() << "this kernel has no MADV_GUARD_INSTALL";
  std::atomic<int> damaged{0}, unwound{0};
  const int parked = 30000 / kScale;
  Outcome out = OverflowAmong(*this, parked, damaged, unwound);
  ASSERT_EQ(out.kind, OutcomeKind::fatal) << out.report();
  EXPECT_EQ(out.message, "stack overflow");
  EXPECT_EQ(unwound.load(), parked);
  EXPECT_EQ(damaged.load(), 0);
}

// Where guards cost a mapping each (kernels without MADV_GUARD_INSTALL), running out of
// that budget is Go's "fatal error: out of memory", never an unguarded stack.
TEST_P(Stacks, NoGuardedStackLeftIsAFatalErrorNotAnUnguardedStack) {
  detail::StackPool::limit_own_mappings_for_testing(40);
  std::atomic<int> damaged{0}, unwound{0};
  Outcome overflow = OverflowAmong(*this, 10, damaged, unwound);
  Outcome exhausted = Run([] {
    WaitGroup never;
    never.Add(1);
    for (int i = 0; i < 1000; ++i) go([never]() mutable { never.Wait(); });
    never.Wait();
  });
  detail::StackPool::limit_own_mappings_for_testing(0);
  EXPECT_EQ(overflow.kind, OutcomeKind::fatal);
  EXPECT_EQ(overflow.message, "stack overflow");
  EXPECT_EQ(damaged.load(), 0);
  ASSERT_EQ(exhausted.kind, OutcomeKind::fatal) << exhausted.report();
  EXPECT_EQ(exhausted.message, "out of memory");
  EXPECT_NE(exhausted.detail.find("guard"), std::string::npos) << exhausted.detail;
  EXPECT_EQ(Run([] { println("after"); }).kind, OutcomeKind::ok);
}

TEST_P(Stacks, ALargeRunGivesItsStackMemoryBack) {
  if (GetParam().procs > 2) GTEST_SKIP() << "one real-mode and one deterministic run cover it";
  auto touch_and_wait = [] {
    const int n = 20000 / kScale;
    WaitGroup all, never;
    never.Add(1);
    all.Add(n);
    for (int i = 0; i < n; ++i) {
      go([all, never]() mutable {
        volatile char used[16 * 1024];  // four pages of this goroutine's stack
        for (std::size_t k = 0; k < sizeof used; k += 1024) used[k] = 1;
        all.Done();
        never.Wait();
      });
    }
    all.Wait();
  };
  Run([] {});
  const long before = ResidentBytes();
  ASSERT_EQ(Run(touch_and_wait).kind, OutcomeKind::ok);
  const long after = ResidentBytes();
  // The run touched 20,000 x 16 KiB = 320 MB of stacks; the warm pool keeps a few.
  const long warm = static_cast<long>(detail::StackPool::kWarmStacks * detail::Stack::usable());
  EXPECT_LT(after - before, warm + (32L << 20)) << "resident before " << before << ", after " << after;
}

INSTANTIATE_TEST_SUITE_P(Modes, Stacks, modes::AllModes(), modes::Name);
