// snapshot_test.cpp: jumping anywhere through snapshots gives exactly the folded state,
// and the fold keeps its queues consistent whatever it is fed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "ui/model/replay.h"
#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

// expect_consistent checks what the stage relies on: every parked goroutine in a queue
// is there once, is blocked (or died) on that object for that reason.
void expect_consistent(const ReplayState& s, std::size_t at) {
  std::map<uint32_t, int> seen;  // goroutine id -> queues it is in
  auto check = [&](uint32_t g, BlockReason r, uint64_t obj) {
    const GoroutineInfo* gi = s.goroutine(g);
    ASSERT_NE(gi, nullptr) << at;
    EXPECT_TRUE(gi->state == GoState::blocked || gi->state == GoState::abandoned) << at << " g" << g;
    EXPECT_EQ(gi->reason, r) << at << " g" << g;
    EXPECT_EQ(gi->obj, obj) << at << " g" << g;
    EXPECT_EQ(++seen[g], 1) << at << " g" << g << " is in two queues";
  };
  for (const ChannelInfo& c : s.channels) {
    for (const ParkedSender& p : c.senders) check(p.g, BlockReason::Send, c.id);
    for (uint32_t g : c.receivers) check(g, BlockReason::Recv, c.id);
  }
  for (const WaitGroupInfo& w : s.waitgroups) {
    for (uint32_t g : w.waiters) check(g, BlockReason::WaitGroup, w.id);
  }
  // And the other way round: a goroutine blocked on a channel or WaitGroup is queued there.
  for (const GoroutineInfo& g : s.goroutines) {
    bool queued_reason = g.reason == BlockReason::Send || g.reason == BlockReason::Recv || g.reason == BlockReason::WaitGroup;
    if (g.state == GoState::blocked && queued_reason && g.obj != 0) {
      EXPECT_EQ(seen[g.id], 1) << at << " g" << g.id << " blocked but in no queue";
    }
  }
  for (std::size_t p = 0; p < s.processors.size(); ++p) {
    if (s.processors[p].g == 0) continue;
    const GoroutineInfo* g = s.goroutine(s.processors[p].g);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->proc, static_cast<int>(p)) << at;
  }
}

TEST(Snapshots, StateAtEveryIndexEqualsFoldingFromTheStart) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    for (std::size_t every : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
      ReplayModel m(testing::random_trace(1500, seed), {every, false});
      EXPECT_GT(m.snapshot_count(), 1u);
      ReplayState folded;
      for (std::size_t i = 0; i <= m.size(); ++i) {
        ASSERT_EQ(m.state_at(i), folded) << "seed " << seed << " every " << every << " index " << i;
        if (i < m.size()) m.step(folded);
      }
      EXPECT_EQ(m.fold_from_start(m.size()), m.final_state());
    }
  }
}

TEST(Snapshots, FanInTraceAgreesAtEveryIndex) {
  ReplayModel m(testing::fan_in_trace(), {4, false});
  for (std::size_t i = 0; i <= m.size(); ++i) ASSERT_EQ(m.state_at(i), m.fold_from_start(i)) << i;
}

TEST(Snapshots, SeekForwardBackwardAndFarAwayAgreesWithFolding) {
  ReplayModel m(testing::random_trace(5000, 9), {128, true});
  std::vector<ReplayState> reference;
  ReplayState s;
  for (std::size_t i = 0; i <= m.size(); ++i) {
    reference.push_back(s);
    if (i < m.size()) m.step(s);
  }
  std::mt19937 rng(4);
  ReplayState cursor;
  std::size_t at = 0;
  for (int k = 0; k < 2000; ++k) {
    switch (rng() % 3) {
      case 0: at = std::min(m.size(), at + 1 + rng() % 5); break;       // playing
      case 1: at = at > 0 ? at - 1 : 0; break;                           // step back
      default: at = rng() % (m.size() + 1); break;                       // scrub
    }
    m.seek(cursor, at);
    ASSERT_EQ(cursor, reference[at]) << "jump " << k << " to " << at;
  }
}

TEST(Snapshots, TheFoldStaysConsistentOnNonsense) {
  for (uint32_t seed : {11u, 12u, 13u, 14u}) {
    ReplayModel m(testing::random_trace(3000, seed, 6, 4));
    ReplayState s;
    std::size_t queued = 0, permits = 0;
    for (std::size_t i = 0; i < m.size(); ++i) {
      m.step(s);
      expect_consistent(s, i);
      if (::testing::Test::HasFailure()) return;
      for (const ChannelInfo& c : s.channels) queued += c.senders.size() + c.receivers.size();
      for (const WaitGroupInfo& w : s.waitgroups) queued += w.waiters.size();
      for (const GoroutineInfo& g : s.goroutines) permits += g.wake_permit;
    }
    // The nonsense did exercise the queues and the early-unpark permits.
    EXPECT_GT(queued, m.size() / 10) << seed;
    EXPECT_GT(permits, 0u) << seed;
  }
}

TEST(Snapshots, AdaptiveSpacingKeepsFewSnapshotsWhenTheStateIsBig) {
  // 5,000 goroutines that each start and finish: the state grows, snapshots spread out.
  testing::TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  for (uint32_t g = 2; g < 5002; ++g) t.create(1, g, "worker");
  for (uint32_t g = 2; g < 5002; ++g) {
    t.run(g, 0);
    t.exit(g);
  }
  ReplayModel fixed(t.events, {64, false});
  ReplayModel adaptive(t.events, {64, true});
  EXPECT_LT(adaptive.snapshot_count() * 4, fixed.snapshot_count());
  for (std::size_t i = 0; i <= t.events.size(); i += 997) EXPECT_EQ(adaptive.state_at(i), fixed.state_at(i)) << i;
}

}  // namespace
}  // namespace goscope
