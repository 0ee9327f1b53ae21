// chan_epoch_test.cpp: the epoch-based reclaimer behind channel segments frees what was
// retired exactly once, and never while a thread that could still see it is inside an
// operation.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/detail/chan_epoch.h"

using namespace goscope::detail;

namespace {

std::atomic<int> freed{0};
void count_free(void* p) {
  delete static_cast<int*>(p);
  freed++;
}

TEST(ChanEpoch, NothingIsFreedWhileAThreadThatMaySeeItIsInside) {
  std::atomic<int> stage{0};
  std::thread reader([&] {
    EpochGuard g;  // an operation that started before the retire
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
  });
  while (stage.load() != 1) std::this_thread::yield();
  std::atomic<bool> gone{false};
  struct Flag {
    std::atomic<bool>* gone;
  };
  {
    EpochGuard g;
    epoch_retire(new Flag{&gone}, [](void* p) {
      auto* f = static_cast<Flag*>(p);
      f->gone->store(true);
      delete f;
    });
  }
  for (int i = 0; i < 10; ++i) epoch_collect();
  EXPECT_FALSE(gone.load()) << "freed under a reader";
  stage = 2;
  reader.join();
  for (int i = 0; i < 10 && !gone.load(); ++i) epoch_collect();
  EXPECT_TRUE(gone.load());
}

TEST(ChanEpoch, EveryRetiredObjectIsFreedExactlyOnce) {
  freed = 0;
  const int kThreads = 4, kEach = 20000;
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([] {
      for (int i = 0; i < kEach; ++i) {
        EpochGuard g;
        epoch_retire(new int(i), count_free);
      }
    });
  }
  for (auto& t : ts) t.join();  // their leftovers become orphans, adopted below
  for (int i = 0; i < 100 && freed.load() < kThreads * kEach; ++i) epoch_collect();
  EXPECT_EQ(freed.load(), kThreads * kEach);
}

}  // namespace
