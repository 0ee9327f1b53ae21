// sparse_id_test.cpp: ids from outside a run (objects made before the run get ids from
// 2^40 up) replay like any other id: no table is sized by an id.
#include <gtest/gtest.h>

#include <cstdint>

#include "ui/model/id_index.h"
#include "ui/model/replay.h"
#include "ui/model/run_stats.h"
#include "ui/model/stage_layout.h"
#include "ui/model/timeline.h"
#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

using testing::TraceBuilder;

constexpr uint64_t kOutsideRun = uint64_t{1} << 40;  // core/go.cpp: new_object_id outside a run

TEST(IdIndex, FindsSmallAndHugeIdsAlike) {
  IdIndex pos;
  EXPECT_EQ(pos.find(3), IdIndex::kAbsent);
  pos.insert(3, 0);
  pos.insert(kOutsideRun + 1, 1);
  pos.insert(kOutsideRun, 2);
  EXPECT_EQ(pos.find(3), 0u);
  EXPECT_EQ(pos.find(kOutsideRun), 2u);
  EXPECT_EQ(pos.find(kOutsideRun + 1), 1u);
  EXPECT_EQ(pos.find(kOutsideRun + 2), IdIndex::kAbsent);
  EXPECT_EQ(pos.find(UINT64_MAX), IdIndex::kAbsent);
  bool added = true;
  EXPECT_EQ(pos.find_or_add(kOutsideRun, 9, &added), 2u);
  EXPECT_FALSE(added);
}

TEST(SparseIds, AWaitGroupMadeOutsideTheRunReplaysFine) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.create(1, 2, "worker");
  t.wg_add(1, kOutsideRun, 1, 1);
  t.block(1, BlockReason::WaitGroup, kOutsideRun);
  const std::size_t waiting = t.events.size();
  t.run(2, 0);
  t.wg_done(2, kOutsideRun, 0);
  t.unblock(1, 2);
  t.exit(2);
  t.run(1, 0);
  t.exit(1);
  t.end();

  ReplayModel m(t.events);
  const ReplayState at_wait = m.state_at(waiting);
  const WaitGroupInfo* w = at_wait.waitgroup(kOutsideRun);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->counter, 1);
  ASSERT_EQ(w->waiters.size(), 1u);
  EXPECT_EQ(w->waiters[0], 1u);
  const WaitGroupInfo* end = m.final_state().waitgroup(kOutsideRun);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->counter, 0);
  EXPECT_TRUE(end->waiters.empty());
  EXPECT_EQ(m.final_state().waitgroup(kOutsideRun + 1), nullptr);

  const Timeline tl = build_timeline(m);
  ASSERT_EQ(tl.counters.size(), 1u);
  EXPECT_EQ(tl.counters[0].obj, kOutsideRun);
  compute_stats(m, tl);
}

TEST(SparseIds, AChannelMadeOutsideTheRunCarriesItsValues) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, kOutsideRun + 7, 1, "early");
  t.send(1, kOutsideRun + 7, 42, 0, 1);
  t.recv(1, kOutsideRun + 7, 42, 1, 0);
  t.exit(1);
  t.end();

  ReplayModel m(t.events);
  const ChannelInfo* c = m.final_state().channel(kOutsideRun + 7);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->messages, 1u);
  EXPECT_TRUE(c->buffer.empty());
  ASSERT_EQ(m.handoffs().size(), 2u);
  EXPECT_EQ(m.handoffs()[1].kind, HandoffKind::from_buffer);
  const Timeline tl = build_timeline(m);
  const RunStats st = compute_stats(m, tl);
  ASSERT_EQ(st.channel_stats.size(), 1u);
  EXPECT_EQ(st.channel_stats[0].messages, 1u);
  // The stage lays it out like any channel.
  const StageLayout L = build_stage_layout(m, 1, {900, 600}, 1.0f);
  ASSERT_NE(L.pipe(kOutsideRun + 7), nullptr);
  EXPECT_EQ(L.pipe(kOutsideRun + 7)->id, kOutsideRun + 7);
  EXPECT_NE(L.figure(1), nullptr);
}

TEST(SparseIds, AHugeGoroutineIdReplaysFine) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.create(1, 0x80000000u, "far");
  ReplayModel m(t.events);
  ASSERT_NE(m.final_state().goroutine(0x80000000u), nullptr);
  EXPECT_EQ(m.next_event_of(0x80000000u, 0), t.events.size() - 1);
}

}  // namespace
}  // namespace goscope
