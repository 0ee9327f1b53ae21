// stage_layout_test.cpp: the stage's graph layout, without ImGui.
#include "ui/model/stage_layout.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

using testing::TraceBuilder;

// worker_pool: main makes jobs and results, a producer fills jobs, `workers` workers
// take from jobs and send on results, main receives; a WaitGroup counts the workers.
//
//   producer --> jobs --> worker 1..n --> results --> main
std::vector<Event> worker_pool(int workers) {
  static std::vector<std::string> names(65);
  TraceBuilder t;
  const uint64_t jobs = 1, results = 2, wg = 1;
  t.start(2);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, jobs, 4, "jobs");
  t.make_chan(1, results, 0, "results");
  t.create(1, 2, "producer");
  t.wg_add(1, wg, workers, workers);
  for (int w = 1; w <= workers; ++w) {
    names[w] = "worker " + std::to_string(w);
    t.create(1, static_cast<uint32_t>(2 + w), names[w].c_str());
  }
  t.block(1, BlockReason::Recv, results);
  t.run(2, 0);
  for (int w = 1; w <= workers; ++w) t.send(2, jobs, w, 0, 1);
  t.exit(2);
  for (int w = 1; w <= workers; ++w) {
    const uint32_t g = static_cast<uint32_t>(2 + w);
    t.run(g, 1);
    t.recv(g, jobs, w, 0, 0);
    t.send(g, results, w * 10, 1);
    t.wg_done(g, wg, workers - w);
    t.exit(g);
  }
  t.run(1, 0);
  for (int w = 1; w <= workers; ++w) t.recv(1, results, w * 10, static_cast<uint32_t>(2 + w));
  t.exit(1);
  t.end(0);
  return std::move(t.events);
}

TEST(StageLayout, SendersStandLeftOfTheirChannelAndReceiversRight) {
  const ReplayModel model(testing::fan_in_trace());
  const StageLayout L = build_stage_layout(model, 7, {900, 600}, 1.0f);
  EXPECT_EQ(L.run_id, 7u);
  const auto* results = L.pipe(1);
  const auto* main = L.figure(1);
  ASSERT_TRUE(results && main);
  for (uint32_t p : {2u, 3u}) {
    ASSERT_NE(L.figure(p), nullptr);
    EXPECT_LT(L.figure(p)->center.x, results->center.x) << "producer " << p;
  }
  EXPECT_GT(main->center.x, results->center.x);
  EXPECT_TRUE(results->has_senders);
  EXPECT_TRUE(results->has_receivers);
  EXPECT_EQ(L.columns, 3);
  EXPECT_TRUE(L.gauges.empty());
}

TEST(StageLayout, AWorkerPoolIsFiveColumnsWithItsGaugeInTheBottomBand) {
  const ReplayModel model(worker_pool(4));
  const StageVec size{1000, 700};
  const StageLayout L = build_stage_layout(model, 1, size, 1.0f);
  EXPECT_EQ(L.columns, 5);
  const auto* producer = L.figure(2);
  const auto* jobs = L.pipe(1);
  const auto* results = L.pipe(2);
  ASSERT_TRUE(producer && jobs && results);
  EXPECT_LT(producer->center.x, jobs->center.x);
  for (uint32_t w = 3; w < 7; ++w) {
    ASSERT_NE(L.figure(w), nullptr);
    EXPECT_FALSE(L.figure(w)->compact);
    EXPECT_GT(L.figure(w)->center.x, jobs->center.x);
    EXPECT_LT(L.figure(w)->center.x, results->center.x);
  }
  EXPECT_EQ(jobs->slots, 4);
  EXPECT_EQ(results->slots, 0);
  ASSERT_EQ(L.gauges.size(), 1u);
  EXPECT_EQ(L.gauges[0].max, 4);
  EXPECT_GT(L.gauges[0].center.y, size.y - kStageGaugeBand);
  EXPECT_NE(L.gauge(1), nullptr);
  EXPECT_EQ(L.gauge(2), nullptr);
}

TEST(StageLayout, ManyWorkersBecomeACompactGridInsideTheStage) {
  const ReplayModel model(worker_pool(64));
  const StageVec size{900, 560};
  const StageLayout L = build_stage_layout(model, 1, size, 1.0f);
  for (uint32_t w = 3; w < 67; ++w) {
    const auto* f = L.figure(w);
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->compact);
    EXPECT_GE(f->center.y - f->half.y, 0.0f);
    EXPECT_LE(f->center.y + f->half.y, size.y);
    for (uint32_t v = 3; v < w; ++v) {
      const auto* o = L.figure(v);
      const bool apart = std::abs(o->center.x - f->center.x) >= f->half.x * 2 - 0.5f ||
                         std::abs(o->center.y - f->center.y) >= f->half.y * 2 - 0.5f;
      EXPECT_TRUE(apart) << "workers " << v << " and " << w << " overlap";
    }
  }
}

TEST(StageLayout, ScaleGrowsCards) {
  const ReplayModel model(testing::fan_in_trace());
  const StageLayout small = build_stage_layout(model, 1, {1600, 1000}, 1.0f);
  const StageLayout big = build_stage_layout(model, 1, {1600, 1000}, 1.5f);
  EXPECT_FLOAT_EQ(big.figure(1)->half.y, small.figure(1)->half.y * 1.5f);
}

TEST(StageLayout, AnEmptyRunHasOneColumnAndNothingOnIt) {
  const ReplayModel model(std::vector<Event>{});
  const StageLayout L = build_stage_layout(model, 1, {400, 300}, 1.0f);
  EXPECT_EQ(L.columns, 1);
  EXPECT_TRUE(L.figures.empty());
  EXPECT_EQ(L.figure(1), nullptr);
  EXPECT_EQ(L.pipe(1), nullptr);
}

TEST(StageLayoutCache, RebuildsOnlyWhenTheRunTheSizeOrTheScaleChanges) {
  const ReplayModel model(testing::fan_in_trace());
  StageLayoutCache cache;
  cache.get(model, 1, {900, 600}, 1.0f);
  cache.get(model, 1, {900.2f, 600}, 1.0f);
  EXPECT_EQ(cache.builds(), 1) << "under half a pixel is the same stage";
  cache.get(model, 1, {901, 600}, 1.0f);
  EXPECT_EQ(cache.builds(), 2);
  cache.get(model, 2, {901, 600}, 1.0f);
  EXPECT_EQ(cache.builds(), 3);
  const StageLayout& L = cache.get(model, 2, {901, 600}, 1.25f);
  EXPECT_EQ(cache.builds(), 4);
  EXPECT_EQ(L.run_id, 2u);
}

}  // namespace
}  // namespace goscope
