// run_stats_test.cpp: where the time went, how busy the channels and processors were.
#include "ui/model/run_stats.h"

#include <gtest/gtest.h>

#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

using testing::TraceBuilder;

TEST(RunStats, BlockedShareUtilisationAndThroughput) {
  // Two processors, 10,000 ns: main runs throughout on p0; the worker works 4,000 ns
  // on p1 then waits on the channel until main receives.
  TraceBuilder t;
  t.step = 0;
  t.start(2);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, 1, 0, "results");
  t.create(1, 2, "worker 1");
  t.run(2, 1);
  t.work_begin(2, 4000);
  t.advance(4000);
  t.work_end(2);
  t.block(2, BlockReason::Send, 1);
  t.advance(6000);
  t.recv(1, 1, 7, 2);
  t.unblock(2, 1);
  t.exit(1);
  t.abandon(2);
  t.end(0);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  RunStats st = compute_stats(m, tl);

  EXPECT_EQ(st.run_ns, 10000);
  EXPECT_EQ(st.procs, 2);
  EXPECT_EQ(st.messages, 1u);
  EXPECT_EQ(st.goroutines, 2u);
  EXPECT_EQ(st.goroutines_done, 1u);
  EXPECT_EQ(st.goroutines_abandoned, 1u);
  EXPECT_DOUBLE_EQ(st.per_second(st.messages), 1e5);  // one message in 10 us
  // Busy: main 10,000 on p0 + the worker's 4,000 of work on p1.
  EXPECT_EQ(st.busy_ns, 14000);
  EXPECT_DOUBLE_EQ(st.utilisation, 14000.0 / 20000.0);

  ASSERT_EQ(st.goroutine_stats.size(), 2u);
  const GoroutineStats& w = st.goroutine_stats[1];
  EXPECT_EQ(w.g, 2u);
  EXPECT_EQ(w.time_in[static_cast<int>(GoState::working)], 4000);
  EXPECT_EQ(w.blocked, 6000);
  EXPECT_EQ(w.time_in_style[static_cast<int>(SegmentStyle::blocked_send)], 6000);
  EXPECT_DOUBLE_EQ(w.blocked_share, 0.6);
  EXPECT_DOUBLE_EQ(st.goroutine_stats[0].blocked_share, 0.0);

  ASSERT_EQ(st.channel_stats.size(), 1u);
  EXPECT_EQ(st.channel_stats[0].senders_parked, 6000);
  EXPECT_EQ(st.channel_stats[0].receivers_parked, 0);
  EXPECT_STREQ(st.channel_stats[0].name, "results");
}

TEST(RunStats, MeanOccupancyIsWeightedByTime) {
  TraceBuilder t;
  t.step = 0;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, 1, 4, "jobs");
  t.send(1, 1, 1, 0, 1);  // occupancy 1 for 1,000 ns
  t.advance(1000);
  t.send(1, 1, 2, 0, 2);
  t.send(1, 1, 3, 0, 3);  // occupancy 3 for 3,000 ns
  t.advance(3000);
  t.exit(1);
  ReplayModel m(t.events);
  Timeline tl = build_timeline(m);
  RunStats st = compute_stats(m, tl);
  ASSERT_EQ(st.channel_stats.size(), 1u);
  EXPECT_EQ(st.channel_stats[0].max_occupancy, 3);
  EXPECT_DOUBLE_EQ(st.channel_stats[0].mean_occupancy, (1.0 * 1000 + 3.0 * 3000) / 4000);
  EXPECT_EQ(st.channel_stats[0].sends, 3u);
}

TEST(RunStats, ShareOfTimeAddsUpForEveryGoroutineOfARandomRun) {
  ReplayModel m(testing::random_trace(10000, 21));
  Timeline tl = build_timeline(m);
  RunStats st = compute_stats(m, tl);
  EXPECT_GE(st.utilisation, 0.0);
  for (const GoroutineStats& g : st.goroutine_stats) {
    int64_t total = 0;
    for (int64_t v : g.time_in) total += v;
    EXPECT_LE(total, st.run_ns);
    EXPECT_GE(g.blocked_share, 0.0);
    EXPECT_LE(g.blocked_share, 1.0);
  }
}

}  // namespace
}  // namespace goscope
