// timeline_test.cpp: the whole run as lanes, arrows, processor lanes and counters.
#include "ui/model/timeline.h"

#include <gtest/gtest.h>

#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

using testing::TraceBuilder;

void expect_sorted_and_disjoint(const std::vector<TimelineSegment>& segs) {
  for (std::size_t k = 0; k < segs.size(); ++k) {
    EXPECT_LT(segs[k].t0, segs[k].t1) << k;
    if (k > 0) {
      EXPECT_LE(segs[k - 1].t1, segs[k].t0) << k;
    }
  }
}

// The runtime parks a select on whichever case it tried first (here `b`, case 1); the
// timeline names the case that fired (`a`, case 0) and, from every completion of the
// same statement, each case's channel. A select that never completes names none.
TEST(Timeline, ASelectWaitNamesItsCasesAndTheOneThatFired) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, 1, 0, "a");
  t.make_chan(1, 2, 0, "b");
  t.create(1, 2, "sender");
  auto select_on_line = [&](int cases) {
    t.line(1, 7);
    t.select_begin(1, cases, false);
    t.select_ready(1, 0);
  };
  // First: b fires without waiting (teaches the statement that case 1 is b).
  select_on_line(2);
  t.select_chosen(1, 1, 2);
  t.recv(1, 2, 5, 0);
  // Second: waits, parked on b, woken by the sender on a.
  select_on_line(2);
  const int64_t block_at = t.now;
  t.block(1, BlockReason::Select, 2);
  t.run(2, 0);
  t.advance(1000);
  t.send(2, 1, 9, 1);
  t.unblock(1, 2);
  t.exit(2);
  t.run(1, 0);
  t.select_chosen(1, 0, 1);
  t.recv(1, 1, 9, 2);
  // Third: waits forever.
  t.advance(10);
  select_on_line(2);
  const int64_t stuck_at = t.now;
  t.block(1, BlockReason::Select, 2);
  t.advance(1000);
  t.deadlock();
  t.end(2);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);

  const auto& segs = tl.lanes[0].segments;
  std::size_t k = segment_at(segs, block_at);
  ASSERT_LT(k, segs.size());
  ASSERT_EQ(style_of(segs[k]), SegmentStyle::blocked_select);
  EXPECT_EQ(segs[k].obj, 1u);  // a, not b
  EXPECT_EQ(segs[k].select_case, 0);
  EXPECT_EQ(segs[k].partner, 2u);
  SelectWaitText w = select_wait_text(tl, segs[k]);
  EXPECT_EQ(w.cases, "a | b");
  EXPECT_EQ(w.fired, "a (case 0)");

  k = segment_at(segs, stuck_at);
  ASSERT_LT(k, segs.size());
  ASSERT_EQ(style_of(segs[k]), SegmentStyle::blocked_select);
  EXPECT_EQ(segs[k].obj, 0u);
  EXPECT_EQ(segs[k].select_case, -1);
  w = select_wait_text(tl, segs[k]);
  EXPECT_EQ(w.cases, "a | b");
  EXPECT_EQ(w.fired, "");
}

TEST(Timeline, LanesFollowEachGoroutinesStatesWithReasonObjectAndPartner) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, 1, 0, "ch");
  t.create(1, 2, "sender");
  int64_t block_at = t.now;
  t.block(1, BlockReason::Recv, 1);
  t.run(2, 0);
  t.advance(1000);
  t.send(2, 1, 9, 1);
  int64_t unblock_at = t.now;
  t.unblock(1, 2);
  t.exit(2);
  t.run(1, 0);
  t.recv(1, 1, 9, 2);
  t.exit(1);
  t.end(0);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);

  ASSERT_EQ(tl.lanes.size(), 2u);
  EXPECT_EQ(tl.lanes[0].g, 1u);
  EXPECT_STREQ(tl.lanes[1].name, "sender");
  const auto& segs = tl.lanes[0].segments;
  expect_sorted_and_disjoint(segs);
  std::size_t k = segment_at(segs, block_at);
  ASSERT_LT(k, segs.size());
  EXPECT_EQ(segs[k].state, GoState::blocked);
  EXPECT_EQ(segs[k].reason, BlockReason::Recv);
  EXPECT_EQ(segs[k].obj, 1u);
  EXPECT_EQ(segs[k].t0, block_at);
  EXPECT_EQ(segs[k].t1, unblock_at);
  EXPECT_EQ(segs[k].partner, 2u);
  EXPECT_EQ(style_of(segs[k]), SegmentStyle::blocked_recv);
  EXPECT_EQ(m.event(segs[k].event).kind, EventKind::GoBlock);
  EXPECT_EQ(segs.back().state, GoState::done);
  EXPECT_EQ(segs.back().t1, tl.end);

  ASSERT_EQ(tl.handoffs.size(), 1u);
  EXPECT_EQ(tl.handoffs[0].from, 2u);
  EXPECT_EQ(tl.handoffs[0].to, 1u);
  EXPECT_EQ(tl.handoffs[0].obj, 1u);
  ASSERT_EQ(tl.unblocks.size(), 1u);
  EXPECT_EQ(tl.unblocks[0].from, 2u);
  EXPECT_EQ(tl.unblocks[0].to, 1u);
  EXPECT_EQ(tl.unblocks[0].t, unblock_at);
  EXPECT_EQ(tl.unblocks[0].obj, 1u);
}

TEST(Timeline, EveryLaneCoversItsGoroutinesLifeWithoutGapsOrOverlaps) {
  ReplayModel m(testing::random_trace(20000, 5));
  Timeline tl = build_timeline(m);
  ASSERT_FALSE(tl.lanes.empty());
  for (const GoroutineLane& lane : tl.lanes) {
    expect_sorted_and_disjoint(lane.segments);
    ASSERT_FALSE(lane.segments.empty());
    for (std::size_t k = 1; k < lane.segments.size(); ++k) {
      ASSERT_EQ(lane.segments[k - 1].t1, lane.segments[k].t0) << "gap in lane g" << lane.g;
    }
    EXPECT_EQ(lane.segments.back().t1, tl.end);
    EXPECT_EQ(lane.segments.front().t0, m.event(m.final_state().goroutine(lane.g)->created_at).ts);
  }
  for (const auto& proc : tl.processors) expect_sorted_and_disjoint(proc);
}

TEST(Timeline, TimeInStatesMatchesTheModelsAccounting) {
  ReplayModel m(testing::random_trace(20000, 6));
  Timeline tl = build_timeline(m);
  const ReplayState& end = m.final_state();
  for (const GoroutineLane& lane : tl.lanes) {
    std::array<int64_t, kGoStateCount> sum{};
    for (const TimelineSegment& s : lane.segments) sum[static_cast<int>(s.state)] += s.duration();
    const GoroutineInfo& g = *end.goroutine(lane.g);
    for (int k = 0; k < kGoStateCount; ++k) {
      EXPECT_EQ(sum[k], g.time_in_state(static_cast<GoState>(k), end.now)) << "g" << lane.g << " state " << k;
    }
  }
}

TEST(Timeline, ProcessorLanesShowWhoRanWhere) {
  TraceBuilder t;
  t.start(2);
  t.create(0, 1, "main");
  t.create(1, 2, "worker 1");
  int64_t t_main = t.now;
  t.run(1, 0);
  int64_t t_worker = t.now;
  t.run(2, 1);
  t.work_begin(2, 1000);
  t.advance(1000);
  t.work_end(2);
  int64_t t_left = t.now;
  t.preempt(2);
  t.exit(1);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  ASSERT_EQ(tl.processors.size(), 2u);
  ASSERT_EQ(tl.processors[0].size(), 1u);
  EXPECT_EQ(tl.processors[0][0].partner, 1u);
  EXPECT_EQ(tl.processors[0][0].t0, t_main);
  ASSERT_GE(tl.processors[1].size(), 2u);
  EXPECT_EQ(tl.processors[1].front().partner, 2u);
  EXPECT_EQ(tl.processors[1].front().t0, t_worker);
  EXPECT_EQ(tl.processors[1][1].state, GoState::working);
  EXPECT_EQ(tl.processors[1].back().t1, t_left);
}

TEST(Timeline, PreemptionsAreMarkedOnTheLaneAndStartARunnableSegment) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.create(0, 2, "spinner");
  t.run(2, 0);
  t.work_begin(2, 25'000'000);
  t.advance(10'000'000);
  t.work_end(2);
  const int64_t first = t.now;
  const std::size_t first_event = t.events.size();
  t.preempt(2);
  t.run(1, 0);
  t.yield(1);  // a yield is no preemption
  t.run(2, 0);
  t.work_begin(2, 15'000'000);
  t.advance(10'000'000);
  t.work_end(2);
  const int64_t second = t.now;
  t.preempt(2);
  t.run(2, 0);
  t.exit(2);
  t.end();
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  const GoroutineLane* spinner = tl.lane(2);
  ASSERT_NE(spinner, nullptr);
  ASSERT_EQ(spinner->preemptions.size(), 2u);
  EXPECT_EQ(spinner->preemptions[0].t, first);
  EXPECT_EQ(spinner->preemptions[0].event, first_event);
  EXPECT_EQ(spinner->preemptions[1].t, second);
  EXPECT_TRUE(tl.lane(1)->preemptions.empty());
  const std::size_t k = segment_at(spinner->segments, first);
  ASSERT_LT(k, spinner->segments.size());
  EXPECT_EQ(spinner->segments[k].state, GoState::runnable);
  EXPECT_EQ(spinner->segments[k].t0, first);
}

TEST(Timeline, CounterTracksFollowOccupancyAndWaitGroupCounters) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, 1, 2, "jobs");
  t.wg_add(1, 2, 2, 2);
  t.send(1, 1, 1, 0, 1);
  t.send(1, 1, 2, 0, 2);
  t.recv(1, 1, 1, 1, 1);
  t.wg_done(1, 2, 1);
  t.wg_done(1, 2, 0);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  ASSERT_EQ(tl.counters.size(), 2u);
  const CounterTrack& jobs = tl.counters[0];
  EXPECT_TRUE(jobs.is_channel);
  EXPECT_STREQ(jobs.name, "jobs");
  EXPECT_EQ(jobs.capacity, 2);
  EXPECT_EQ(jobs.max, 2);
  std::vector<int64_t> values;
  for (const CounterPoint& p : jobs.points) values.push_back(p.value);
  EXPECT_EQ(values, (std::vector<int64_t>{0, 1, 2, 1}));
  const CounterTrack& wg = tl.counters[1];
  EXPECT_FALSE(wg.is_channel);
  values.clear();
  for (const CounterPoint& p : wg.points) values.push_back(p.value);
  EXPECT_EQ(values, (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(jobs.range(0, 4), (std::pair<int64_t, int64_t>{0, 2}));
  EXPECT_EQ(jobs.range(2, 4), (std::pair<int64_t, int64_t>{1, 2}));
  EXPECT_EQ(jobs.range(3, 4), (std::pair<int64_t, int64_t>{1, 1}));
}

TEST(Timeline, CounterRangeAgreesWithAScanEverywhere) {
  CounterTrack c;
  std::mt19937 rng(3);
  for (int k = 0; k < 1000; ++k) c.points.push_back({k, static_cast<int64_t>(rng() % 100) - 50});
  c.build_levels();
  for (int trial = 0; trial < 2000; ++trial) {
    std::size_t a = rng() % 1000, b = rng() % 1000;
    if (a > b) std::swap(a, b);
    ++b;
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    for (std::size_t q = a; q < b; ++q) {
      mn = std::min(mn, c.points[q].value);
      mx = std::max(mx, c.points[q].value);
    }
    ASSERT_EQ(c.range(a, b), (std::pair<int64_t, int64_t>{mn, mx})) << a << " " << b;
  }
}

TEST(Timeline, LanesGroupByRoleWithMainFirst) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 3, "worker 1");  // made before main appears: main must still come first
  t.create(0, 1, "main");
  t.create(1, 2, "producer 1");
  t.create(1, 4, "worker 2");
  t.create(1, 5, "producer 2");
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  std::vector<LaneGroup> groups = lane_groups(tl);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_STREQ(groups[0].role, "main");
  EXPECT_STREQ(groups[1].role, "worker");
  EXPECT_STREQ(groups[2].role, "producer");
  ASSERT_EQ(groups[1].lanes.size(), 2u);
  EXPECT_EQ(tl.lanes[groups[1].lanes[0]].g, 3u);
  EXPECT_EQ(tl.lanes[groups[1].lanes[1]].g, 4u);
  EXPECT_EQ(tl.lanes[groups[2].lanes[1]].g, 5u);
}

TEST(Timeline, FanInRunHasAnArrowPerHandoffWithBothEnds) {
  ReplayModel m(testing::fan_in_trace());
  Timeline tl = build_timeline(m);
  EXPECT_EQ(tl.handoffs.size(), 4u);
  for (const TimelineArrow& a : tl.handoffs) {
    EXPECT_NE(a.from, 1u);
    EXPECT_EQ(a.to, 1u);
  }
  EXPECT_EQ(tl.lanes.size(), 3u);
  EXPECT_EQ(tl.lane(3)->g, 3u);
  EXPECT_EQ(tl.lane(9), nullptr);
}

}  // namespace
}  // namespace goscope
