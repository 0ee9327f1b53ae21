// timeline_layout_test.cpp: time <-> pixels, zoom and pan, culling and folding.
#include "ui/model/timeline_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace goscope {
namespace {

TimelineViewport viewport(double t0, double t1, double x0, double x1) {
  TimelineViewport vp;
  vp.set_pixels(x0, x1);
  vp.t0 = t0;
  vp.t1 = t1;
  return vp;
}

// lane makes n contiguous segments of the given widths (ns), alternating running and blocked.
std::vector<TimelineSegment> lane(const std::vector<int64_t>& widths, int64_t start = 0) {
  std::vector<TimelineSegment> out;
  int64_t t = start;
  for (std::size_t k = 0; k < widths.size(); ++k) {
    TimelineSegment s;
    s.t0 = t;
    s.t1 = t + widths[k];
    s.state = k % 2 ? GoState::blocked : GoState::running;
    s.reason = k % 2 ? BlockReason::Send : BlockReason::None;
    s.event = static_cast<uint32_t>(k);
    out.push_back(s);
    t = s.t1;
  }
  return out;
}

TEST(TimelineViewport, MapsTimeToPixelsAndBack) {
  TimelineViewport vp = viewport(1000, 2000, 100, 600);
  EXPECT_DOUBLE_EQ(vp.x_of(1000), 100);
  EXPECT_DOUBLE_EQ(vp.x_of(2000), 600);
  EXPECT_DOUBLE_EQ(vp.x_of(1500), 350);
  EXPECT_DOUBLE_EQ(vp.t_of(350), 1500);
  EXPECT_DOUBLE_EQ(vp.ns_per_px(), 2.0);
  for (double x : {100.0, 123.5, 599.0}) EXPECT_NEAR(vp.x_of(vp.t_of(x)), x, 1e-9);
}

TEST(TimelineViewport, ZoomKeepsTheTimeUnderTheCursorUnderIt) {
  TimelineViewport vp = viewport(0, 1e9, 0, 1000);
  for (double x : {0.0, 250.0, 731.0, 1000.0}) {
    TimelineViewport z = vp;
    double t = z.t_of(x);
    z.zoom(x, 4.0);
    EXPECT_NEAR(z.t_of(x), t, 1e-3);
    EXPECT_NEAR(z.t1 - z.t0, 0.25e9, 1e-3);
    z.zoom(x, 0.5);
    EXPECT_NEAR(z.t_of(x), t, 1e-3);
    EXPECT_NEAR(z.t1 - z.t0, 0.5e9, 1e-3);
  }
}

TEST(TimelineViewport, ZoomStopsAtTheSmallestSpan) {
  TimelineViewport vp = viewport(0, 1000, 0, 100);
  vp.min_span = 10;
  for (int k = 0; k < 50; ++k) vp.zoom(50, 2.0);
  EXPECT_NEAR(vp.t1 - vp.t0, 10, 1e-9);
  EXPECT_NEAR(vp.t_of(50), 500, 1e-6);
}

TEST(TimelineViewport, PanMovesContentWithTheDragAndFitShowsAll) {
  TimelineViewport vp = viewport(1000, 2000, 0, 100);
  double t = vp.t_of(40);
  vp.pan(10);  // drag right by 10 px: what was at 40 is now at 50
  EXPECT_NEAR(vp.x_of(t), 50, 1e-9);
  EXPECT_NEAR(vp.t1 - vp.t0, 1000, 1e-9);
  vp.fit(5, 505);
  EXPECT_EQ(vp.t0, 5);
  EXPECT_EQ(vp.t1, 505);
  vp.fit(7, 7);
  EXPECT_GT(vp.t1, vp.t0);
}

TEST(LaneDrawList, WideSegmentsAreDrawnOneEachClippedToTheView) {
  auto segs = lane({100, 100, 100, 100, 100});  // [0, 500)
  TimelineViewport vp = viewport(150, 350, 0, 200);  // 1 ns per px
  std::vector<LaneRect> out;
  lane_draw_list(segs, vp, out);
  ASSERT_EQ(out.size(), 3u);  // segments 1, 2, 3 are visible
  EXPECT_EQ(out[0].first, 1u);
  EXPECT_FLOAT_EQ(out[0].x0, 0);    // clipped at the left edge
  EXPECT_FLOAT_EQ(out[0].x1, 50);
  EXPECT_EQ(out[0].style, SegmentStyle::blocked_send);
  EXPECT_EQ(out[1].style, SegmentStyle::running);
  EXPECT_FLOAT_EQ(out[1].x0, 50);
  EXPECT_FLOAT_EQ(out[1].x1, 150);
  EXPECT_FLOAT_EQ(out[2].x1, 200);  // clipped at the right edge
}

TEST(LaneDrawList, SegmentsOffScreenAreCulled) {
  auto segs = lane(std::vector<int64_t>(1000, 10));  // [0, 10000)
  std::vector<LaneRect> out;
  lane_draw_list(segs, viewport(20000, 30000, 0, 100), out);
  EXPECT_TRUE(out.empty());
  lane_draw_list(segs, viewport(-5000, -1, 0, 100), out);
  EXPECT_TRUE(out.empty());
  lane_draw_list(segs, viewport(5000, 5100, 0, 1000), out);
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(out.front().first, 500u);
}

TEST(LaneDrawList, SegmentsNarrowerThanAPixelFoldIntoMixedRectangles) {
  // 100 segments of 1 ns on a 10-px lane showing 100 ns: 10 segments per pixel.
  auto segs = lane(std::vector<int64_t>(100, 1));
  std::vector<LaneRect> out;
  lane_draw_list(segs, viewport(0, 100, 0, 10), out);
  ASSERT_FALSE(out.empty());
  EXPECT_LE(out.size(), 10u);
  uint32_t covered = 0;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const LaneRect& r = out[k];
    EXPECT_EQ(r.style == SegmentStyle::mixed, r.count > 1);
    if (k + 1 < out.size()) {
      EXPECT_GE(r.x1 - r.x0, 1.0f - 1e-4f);  // the last one is clipped at the edge
    }
    EXPECT_EQ(r.first, covered);  // consecutive, none skipped
    covered += r.count;
  }
  EXPECT_EQ(covered, 100u);
  EXPECT_GT(out.front().count, 1u);
}

TEST(LaneDrawList, AFoldedStretchKnowsItsMainColour) {
  // Running 1 ns, blocked 9 ns, over and over; 100 ns per pixel.
  std::vector<int64_t> widths;
  for (int k = 0; k < 1000; ++k) {
    widths.push_back(1);
    widths.push_back(9);
  }
  auto segs = lane(widths);
  std::vector<LaneRect> out;
  lane_draw_list(segs, viewport(0, 10000, 0, 100), out);
  ASSERT_FALSE(out.empty());
  for (const LaneRect& r : out) {
    if (r.count > 1) {
      EXPECT_EQ(r.dominant, SegmentStyle::blocked_send);
    }
  }
}

TEST(LaneDrawList, ALoneNarrowSegmentKeepsItsStyleAtOnePixel) {
  auto segs = lane({1000, 1, 1000});
  std::vector<LaneRect> out;
  lane_draw_list(segs, viewport(0, 2001, 0, 200), out);  // ~10 ns per px
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].style, SegmentStyle::blocked_send);
  EXPECT_EQ(out[1].count, 1u);
  EXPECT_NEAR(out[1].x1 - out[1].x0, 1.0, 1e-4);
}

TEST(LaneDrawList, AMillionSegmentsDrawWithinTheLanesWidth) {
  std::mt19937 rng(1);
  std::vector<int64_t> widths(1'000'000);
  for (auto& w : widths) w = 1 + static_cast<int64_t>(rng() % 2000);
  auto segs = lane(widths);
  std::vector<LaneRect> out;
  const double width = 1600;
  TimelineViewport vp = viewport(0, static_cast<double>(segs.back().t1), 0, width);
  lane_draw_list(segs, vp, out);
  EXPECT_LE(out.size(), static_cast<std::size_t>(2 * width + 2));
  uint64_t covered = 0;
  for (const LaneRect& r : out) covered += r.count;
  EXPECT_EQ(covered, segs.size());
  // Zoomed in on a busy stretch, segments wide enough are drawn one each again.
  vp.zoom(800, 5000);
  lane_draw_list(segs, vp, out);
  EXPECT_LE(out.size(), static_cast<std::size_t>(2 * width + 2));
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const LaneRect& r) { return r.count == 1; }));
}

TEST(LaneDrawList, RectanglesNeverGoBackwards) {
  std::mt19937 rng(2);
  std::vector<int64_t> widths(50000);
  for (auto& w : widths) w = 1 + static_cast<int64_t>(rng() % 3 == 0 ? rng() % 100000 : rng() % 50);
  auto segs = lane(widths, 12345);
  std::vector<LaneRect> out;
  TimelineViewport vp = viewport(static_cast<double>(segs[100].t0), static_cast<double>(segs[40000].t1), 10, 810);
  lane_draw_list(segs, vp, out);
  ASSERT_FALSE(out.empty());
  for (std::size_t k = 0; k < out.size(); ++k) {
    EXPECT_GE(out[k].x0, 10.0f);
    EXPECT_LE(out[k].x1, 810.0f);
    if (k > 0) {
      EXPECT_GE(out[k].x1, out[k - 1].x1 - 1e-3f);
      EXPECT_EQ(out[k].first, out[k - 1].first + out[k - 1].count);
    }
  }
  EXPECT_LE(out.size(), 2u * 800 + 2);
}

TEST(CounterDrawList, StepsWiderThanAPixelAreColumnsOfOneValue) {
  CounterTrack c;
  c.points = {{0, 0}, {100, 3}, {200, 1}};
  c.build_levels();
  std::vector<CounterColumn> out;
  counter_draw_list(c, 300, viewport(0, 300, 0, 300), out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].min, 3);
  EXPECT_EQ(out[1].max, 3);
  EXPECT_FLOAT_EQ(out[1].x0, 100);
  EXPECT_FLOAT_EQ(out[2].x1, 300);
}

TEST(CounterDrawList, NarrowStepsFoldIntoMinMaxColumnsBoundedByWidth) {
  CounterTrack c;
  std::mt19937 rng(5);
  for (int k = 0; k < 1'000'000; ++k) c.points.push_back({k * 10, static_cast<int64_t>(rng() % 64)});
  c.points[500'000].value = 1000;  // a spike must survive folding
  c.build_levels();
  std::vector<CounterColumn> out;
  counter_draw_list(c, 10'000'000, viewport(0, 10'000'000, 0, 1000), out);
  EXPECT_LE(out.size(), 2u * 1000 + 2);
  int64_t top = 0;
  for (const CounterColumn& col : out) top = std::max(top, col.max);
  EXPECT_EQ(top, 1000);
  for (std::size_t k = 1; k < out.size(); ++k) EXPECT_GE(out[k].x0, out[k - 1].x0);
}

}  // namespace
}  // namespace goscope

namespace goscope {
namespace {

std::vector<TimelineSegment> random_lane(std::size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int64_t> widths(n);
  for (auto& w : widths) w = 1 + static_cast<int64_t>(rng() % 7 == 0 ? rng() % 200000 : rng() % 300);
  return lane(widths, 1000);
}

TEST(LaneLod, EveryLevelCoversEverySegmentInOrderWithNarrowChunks) {
  auto segs = random_lane(200000, 3);
  LaneLod lod = build_lane_lod(segs);
  ASSERT_GE(lod.levels.size(), 2u);
  for (std::size_t k = 0; k < lod.levels.size(); ++k) {
    const auto& level = lod.levels[k];
    EXPECT_LT(level.size(), k == 0 ? segs.size() : lod.levels[k - 1].size());
    uint64_t next = 0;
    for (const TimelineSegment& c : level) {
      ASSERT_EQ(c.event, next) << "level " << k;
      EXPECT_EQ(c.t0, segs[c.event].t0);
      EXPECT_EQ(c.t1, segs[c.event + c.partner - 1].t1);
      if (c.partner > 1) {
        EXPECT_LT(c.duration(), 2 * lod.widths[k]) << "level " << k;
      }
      next += c.partner;
    }
    EXPECT_EQ(next, segs.size());
  }
  EXPECT_TRUE(build_lane_lod(lane({5, 5, 5})).levels.empty());
}

TEST(LaneLod, DrawsTheSamePictureFromFewerEntries) {
  auto segs = random_lane(300000, 4);
  LaneLod lod = build_lane_lod(segs);
  std::vector<LaneRect> plain, coarse;
  TimelineViewport vp = viewport(static_cast<double>(segs.front().t0), static_cast<double>(segs.back().t1), 0, 1200);
  for (int step = 0; step < 12; ++step) {
    lane_draw_list(segs, vp, plain);
    lane_draw_list(segs, lod, vp, coarse);
    ASSERT_FALSE(coarse.empty());
    EXPECT_LE(coarse.size(), 2u * 1200 + 2);
    // Rectangles name consecutive segments and cover what the plain list covers.
    for (std::size_t k = 1; k < coarse.size(); ++k) {
      EXPECT_EQ(coarse[k].first, coarse[k - 1].first + coarse[k - 1].count);
      EXPECT_GE(coarse[k].x1, coarse[k - 1].x1 - 1e-3f);
    }
    // At the edges a chunk may reach a little past the view: by less than a pixel.
    const double px = vp.ns_per_px();
    uint32_t a = std::min(coarse.front().first, plain.front().first);
    uint32_t b = std::max(coarse.front().first, plain.front().first);
    for (uint32_t q = a; q < b; ++q) EXPECT_GE(static_cast<double>(segs[q].t1), vp.t0 - px) << "step " << step;
    a = std::min(coarse.back().first + coarse.back().count, plain.back().first + plain.back().count);
    b = std::max(coarse.back().first + coarse.back().count, plain.back().first + plain.back().count);
    for (uint32_t q = a; q < b; ++q) EXPECT_LE(static_cast<double>(segs[q].t0), vp.t1 + px) << "step " << step;
    // A segment wide enough to be drawn alone is drawn alone, in the same place, by both.
    std::vector<std::pair<uint32_t, float>> wide_plain, wide_coarse;
    for (const LaneRect& r : plain) {
      if (r.count == 1 && r.x1 - r.x0 >= 2) wide_plain.push_back({r.first, r.x0});
    }
    for (const LaneRect& r : coarse) {
      if (r.count == 1 && r.x1 - r.x0 >= 2) wide_coarse.push_back({r.first, r.x0});
    }
    EXPECT_EQ(wide_plain, wide_coarse) << "step " << step;
    vp.zoom(300 + 50 * step, 2.0);
  }
}

}  // namespace
}  // namespace goscope

namespace goscope {
namespace {

std::vector<TimelineArrow> arrows_every(int64_t dt, std::size_t n) {
  std::vector<TimelineArrow> a(n);
  for (std::size_t k = 0; k < n; ++k) {
    a[k].t = static_cast<int64_t>(k) * dt;
    a[k].from = 1;
    a[k].to = 2;
  }
  return a;
}

TEST(ArrowDrawList, SparseArrowsAreAllDrawnAndOffScreenOnesCulled) {
  auto arrows = arrows_every(100, 50);  // t = 0, 100, ..., 4900
  std::vector<uint32_t> out;
  arrow_draw_list(arrows, viewport(1000, 2000, 0, 1000), out);
  EXPECT_EQ(out, (std::vector<uint32_t>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
  EXPECT_EQ(visible_arrows(arrows, viewport(1000, 2000, 0, 1000)), (std::pair<std::size_t, std::size_t>{10, 21}));
  arrow_draw_list(arrows, viewport(6000, 7000, 0, 1000), out);
  EXPECT_TRUE(out.empty());
}

TEST(ArrowDrawList, DenseArrowsAreBoundedPerPixelColumn) {
  auto arrows = arrows_every(1, 1'000'000);
  std::vector<uint32_t> out;
  arrow_draw_list(arrows, viewport(0, 1'000'000, 0, 1400), out, 2);
  EXPECT_LE(out.size(), 2u * 1401);
  EXPECT_GE(out.size(), 2u * 1399);
  for (std::size_t k = 1; k < out.size(); ++k) EXPECT_LT(out[k - 1], out[k]);
}

}  // namespace
}  // namespace goscope
