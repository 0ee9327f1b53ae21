// timeline_view_test.cpp: the timeline view in the window-less harness: what it draws
// for runs of every shape, how input moves the viewport and the playhead, what hovering
// reports, and that a million segments cost what the pixels cost.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/ui/imgui_harness.h"
#include "tests/ui/timeline_fixtures.h"
#include "ui/views/app_shell.h"
#include "ui/views/timeline_view.h"

namespace goscope {
namespace {

using test::ImGuiHarness;
using ui::TimelineFrame;
using ui::TimelineHover;
using ui::TimelineView;

// TimelineWindow draws a TimelineView in a fixed window, the way the app's panel does.
struct TimelineWindow {
  ImGuiHarness ui;
  TimelineView view;
  Timeline tl;
  std::vector<Event> events;
  std::size_t playhead = 0;
  TimelineFrame last;
  ImVec2 pos, size;

  explicit TimelineWindow(Timeline t, ImVec2 display = ImVec2(1600, 1000), ImVec2 window_pos = ImVec2(0, 0),
                          ImVec2 window_size = ImVec2(1600, 500))
      : ui(display), tl(std::move(t)), pos(window_pos), size(window_size) {}

  std::function<void()> draw() {
    return [this] {
      ImGui::SetNextWindowPos(pos);
      ImGui::SetNextWindowSize(size);
      ImGui::Begin("Timeline", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings);
      last = view.draw(tl, events, playhead);
      ImGui::End();
    };
  }
  void frame() { ui.frame(draw()); }
  void hover(ImVec2 p) {
    ui.move_mouse(p);
    frame();
  }
  void click(ImVec2 p) { ui.click(p, draw()); }
  void wheel(ImVec2 p, float amount) {
    ui.move_mouse(p);
    ui.io().MouseWheel = amount;
    frame();
    ui.io().MouseWheel = 0;
  }
  void drag(ImVec2 from, ImVec2 to) {
    ui.move_mouse(from);
    frame();
    ui.io().MouseDown[0] = true;
    frame();
    for (int i = 1; i <= 4; ++i) {
      ui.move_mouse(ImVec2(from.x + (to.x - from.x) * i / 4, from.y + (to.y - from.y) * i / 4));
      frame();
    }
    ui.io().MouseDown[0] = false;
    frame();
  }
  // x_at returns the pixel of time t, floored as ImGui floors the mouse position.
  float x_at(double t) const { return std::floor(static_cast<float>(view.viewport.x_of(t))); }
};

TEST(TimelineView, FitsTheWholeRunIntoTheCanvasOnItsFirstFrame) {
  TimelineWindow w(test::small_run());
  w.frame();
  EXPECT_DOUBLE_EQ(w.view.viewport.t0, 0);
  EXPECT_DOUBLE_EQ(w.view.viewport.t1, 1000);
  EXPECT_FLOAT_EQ(static_cast<float>(w.view.viewport.x0), w.last.canvas_min.x);
  EXPECT_FLOAT_EQ(static_cast<float>(w.view.viewport.x1), w.last.canvas_max.x);
  EXPECT_GT(w.last.canvas_max.x - w.last.canvas_min.x, 1000);
}

TEST(TimelineView, DrawsEveryLaneArrowAndCounterOfASmallRun) {
  TimelineWindow w(test::small_run());
  w.frame();
  for (int lane = 0; lane < 4; ++lane) EXPECT_GT(w.view.lane_center_y(lane), 0) << "lane " << lane;
  // Main first, then the producers' group in creation order.
  EXPECT_LT(w.view.lane_center_y(0), w.view.lane_center_y(1));
  EXPECT_LT(w.view.lane_center_y(1), w.view.lane_center_y(2));
  EXPECT_EQ(w.last.arrows, 4u);  // two handoffs, two unblocks
  // 4 lanes of 3-5 segments (with merges) and two counters of a few steps.
  EXPECT_GE(w.last.rects, 15u);
  EXPECT_GT(w.ui.vertex_count(), 100u);
}

TEST(TimelineView, HoverReportsTheSegmentUnderTheMouse) {
  TimelineWindow w(test::small_run());
  w.frame();
  w.hover(ImVec2(w.x_at(250), w.view.lane_center_y(0)));
  const TimelineHover& h = w.last.hover;
  ASSERT_EQ(h.kind, TimelineHover::Kind::segment);
  EXPECT_EQ(h.lane, 0);
  EXPECT_EQ(h.g, 1u);
  EXPECT_EQ(h.segment, 1u);
  EXPECT_EQ(h.seg.state, GoState::blocked);
  EXPECT_EQ(h.seg.reason, BlockReason::Recv);
  EXPECT_EQ(h.seg.obj, 7u);
  EXPECT_EQ(h.seg.partner, 2u);  // woken by producer 1
  EXPECT_NEAR(static_cast<double>(h.t), 250, 2);

  w.hover(ImVec2(w.x_at(700), w.view.lane_center_y(2)));
  EXPECT_EQ(w.last.hover.kind, TimelineHover::Kind::segment);
  EXPECT_EQ(w.last.hover.g, 3u);
  EXPECT_EQ(w.last.hover.seg.state, GoState::working);
}

TEST(TimelineView, HoverOutsideTheLanesReportsNothing) {
  TimelineWindow w(test::small_run());
  w.frame();
  w.hover(ImVec2(5, 5));  // the window's title bar
  EXPECT_EQ(w.last.hover.kind, TimelineHover::Kind::none);
}

TEST(TimelineView, ClickMovesThePlayheadToTheClickedTime) {
  TimelineWindow w(test::small_run());
  w.events = test::events_at({0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000});
  w.frame();
  w.click(ImVec2(w.x_at(450), w.view.lane_center_y(1)));
  EXPECT_TRUE(w.last.playhead_moved);
  EXPECT_EQ(w.playhead, 5u);  // the events at 0..400 have happened at 450
  w.click(ImVec2(w.x_at(999), w.view.lane_center_y(3)));
  EXPECT_EQ(w.playhead, 10u);
}

TEST(TimelineView, DragPansTheViewAndLeavesThePlayheadAlone) {
  TimelineWindow w(test::small_run());
  w.events = test::events_at({0, 500, 1000});
  w.playhead = 1;
  w.frame();
  const double ns_per_px = w.view.viewport.ns_per_px();
  const ImVec2 from(w.x_at(500), w.view.lane_center_y(0));
  w.drag(from, ImVec2(from.x + 200, from.y));
  EXPECT_NEAR(w.view.viewport.t0, -200 * ns_per_px, 1e-6);
  EXPECT_NEAR(w.view.viewport.t1, 1000 - 200 * ns_per_px, 1e-6);
  EXPECT_EQ(w.playhead, 1u);
  EXPECT_FALSE(w.last.playhead_moved);
}

TEST(TimelineView, WheelZoomsAroundTheCursor) {
  TimelineWindow w(test::small_run());
  w.frame();
  const float x = w.x_at(250);
  const double before = w.view.viewport.t_of(x);
  w.wheel(ImVec2(x, w.view.lane_center_y(0)), 1.0f);
  EXPECT_NEAR(w.view.viewport.t1 - w.view.viewport.t0, 1000 / 1.25, 1e-6);
  EXPECT_NEAR(w.view.viewport.t_of(x), before, 1e-6);
  w.wheel(ImVec2(x, w.view.lane_center_y(0)), -2.0f);
  EXPECT_NEAR(w.view.viewport.t1 - w.view.viewport.t0, 1000 * 1.25, 1e-6);
  EXPECT_NEAR(w.view.viewport.t_of(x), before, 1e-6);
}

TEST(TimelineView, FitButtonShowsTheWholeRunAgain) {
  TimelineWindow w(test::small_run());
  w.frame();
  w.wheel(ImVec2(w.x_at(300), w.view.lane_center_y(0)), 3.0f);
  ASSERT_LT(w.view.viewport.t1 - w.view.viewport.t0, 600);
  w.click(w.last.fit_button);
  w.frame();
  EXPECT_DOUBLE_EQ(w.view.viewport.t0, 0);
  EXPECT_DOUBLE_EQ(w.view.viewport.t1, 1000);
}

TEST(TimelineView, ClickingAGroupHeaderCollapsesAndReopensItsLanes) {
  TimelineWindow w(test::small_run());
  w.frame();
  const float lane_h = w.view.lane_center_y(2) - w.view.lane_center_y(1);
  const ImVec2 header(w.last.canvas_min.x - 40, w.view.lane_center_y(1) - lane_h);
  w.click(header);
  EXPECT_TRUE(w.view.collapsed("producer"));
  w.frame();
  EXPECT_LT(w.view.lane_center_y(1), 0);
  EXPECT_LT(w.view.lane_center_y(2), 0);
  EXPECT_GT(w.view.lane_center_y(3), 0);  // the closer moved up
  EXPECT_EQ(w.last.arrows, 0u);           // every arrow of this run has a producer at one end
  w.click(header);
  EXPECT_FALSE(w.view.collapsed("producer"));
  w.frame();
  EXPECT_GT(w.view.lane_center_y(1), 0);
}

TEST(TimelineView, HoverOnACounterTrackReadsTheCounterThen) {
  TimelineWindow w(test::small_run());
  w.frame();
  ASSERT_GT(w.view.counter_center_y(0), 0);  // "ch", capacity 2
  w.hover(ImVec2(w.x_at(400), w.view.counter_center_y(0)));
  ASSERT_EQ(w.last.hover.kind, TimelineHover::Kind::counter);
  EXPECT_EQ(w.last.hover.counter, 0);
  EXPECT_EQ(w.last.hover.value, 2);  // 1 at 300, 2 at 350, 0 at 600
  w.hover(ImVec2(w.x_at(700), w.view.counter_center_y(1)));  // "wg": 1 from 600 to 800
  EXPECT_EQ(w.last.hover.counter, 1);
  EXPECT_EQ(w.last.hover.value, 1);
}

TEST(TimelineView, UnbufferedChannelsGetNoCounterTrack) {
  Timeline tl = test::small_run();
  tl.counters[0].capacity = 0;
  tl.counters[0].max = 0;
  TimelineWindow w(std::move(tl));
  w.frame();
  EXPECT_LT(w.view.counter_center_y(0), 0);
  EXPECT_GT(w.view.counter_center_y(1), 0);  // the WaitGroup's counter stays
}

TEST(TimelineView, ProcessorLanesShowWhoRanWhereWhenAskedFor) {
  TimelineWindow w(test::small_run());
  w.frame();
  const std::size_t without = w.last.rects;
  w.view.options.processors = true;
  w.frame();
  EXPECT_EQ(w.last.rects, without + 4);  // two runs on each of the two processors
}

TEST(TimelineView, AnEmptyOrInstantRunDrawsWithoutTrouble) {
  TimelineWindow empty{Timeline{}};
  empty.frame();
  EXPECT_EQ(empty.last.rects, 0u);
  EXPECT_EQ(empty.last.hover.kind, TimelineHover::Kind::none);

  Timeline instant;
  auto& m = test::add_lane(instant, 1, "main", "main");
  m.segments = {test::seg(5, 5, GoState::running)};
  instant.begin = instant.end = 5;
  TimelineWindow w(std::move(instant));
  w.frame();
  EXPECT_GT(w.view.viewport.t1, w.view.viewport.t0);
  w.click(ImVec2(w.x_at(5), w.view.lane_center_y(0)));  // no events: the playhead stays
  EXPECT_EQ(w.playhead, 0u);
}

TEST(TimelineView, ThousandsOfLanesDrawOnlyTheRowsOnScreen) {
  Timeline tl;
  for (uint32_t g = 1; g <= 5000; ++g) {
    auto& l = test::add_lane(tl, g, g == 1 ? "main" : "worker", g == 1 ? "main" : "worker " + std::to_string(g));
    l.segments = {test::seg(0, g, GoState::running), test::seg(g, 6000, GoState::done)};
  }
  tl.end = 6000;
  TimelineWindow w(std::move(tl));
  w.frame();
  EXPECT_LT(w.last.rows_drawn, 60);
  EXPECT_LT(w.ui.vertex_count(), 20000u);
  // Scrolling with shift+wheel brings later lanes on screen.
  const float first = w.view.lane_center_y(1);
  w.ui.io().KeyShift = true;
  w.wheel(ImVec2(w.x_at(100), first), -5.0f);
  w.ui.io().KeyShift = false;
  EXPECT_GT(w.view.scroll_y(), 0);
  EXPECT_LT(w.view.lane_center_y(1), first);
}

// The aim: a million-event run, fitted, in the app's timeline panel at 1600x1000.
TEST(TimelineView, AMillionSegmentsCostWhatThePixelsCost) {
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(1600, 1000), 1.0f);
  const ui::PanelRect& panel = layout[ui::Panel::timeline];
  TimelineWindow w(test::huge_run(64, 15625), ImVec2(1600, 1000), panel.pos, panel.size);
  std::size_t segments = 0;
  for (const auto& l : w.tl.lanes) segments += l.segments.size();
  ASSERT_GE(segments, 1000000u);
  w.frame();
  const float width = w.last.canvas_max.x - w.last.canvas_min.x;
  // Every drawn lane costs at most one rectangle per pixel, whatever its segment count.
  EXPECT_LE(w.last.rects, static_cast<std::size_t>(w.last.rows_drawn) * static_cast<std::size_t>(width + 2));
  EXPECT_LT(w.ui.vertex_count(), 200000u);
  // 250,000 handoffs in view cannot be told apart: none is drawn, the ruler says so.
  EXPECT_EQ(w.last.arrows, 0u);
  EXPECT_GT(w.last.arrows_on_screen, 100000u);

  // Zoomed in far enough, the arrows come back, and the vertex count stays bounded.
  for (int i = 0; i < 40; ++i) w.wheel(ImVec2(w.x_at(w.tl.end / 2.0), w.view.lane_center_y(1)), 1.0f);
  EXPECT_GT(w.last.arrows, 0u);
  EXPECT_LT(w.ui.vertex_count(), 200000u);
}

TEST(TimelineView, FoldedPixelsTakeTheColourOfTheStateAtTheirMiddle) {
  // One lane alternating 1 ns of running and 3 ns of blocked: zoomed out, most pixels
  // are blocked, and a hover says how many states share the pixel.
  Timeline tl;
  auto& l = test::add_lane(tl, 1, "main", "main");
  for (int64_t t = 0; t < 400000; t += 4) {
    l.segments.push_back(test::seg(t, t + 1, GoState::running));
    l.segments.push_back(test::seg(t + 1, t + 4, GoState::blocked, BlockReason::Recv, 7));
  }
  tl.end = 400000;
  TimelineWindow w(std::move(tl));
  w.view.options.counters = false;
  w.frame();
  // A pixel whose time falls in a blocked stretch (t mod 4 in [1, 4)).
  float x = w.x_at(200000);
  while (static_cast<int64_t>(w.view.viewport.t_of(x)) % 4 == 0) x += 1;
  w.hover(ImVec2(x, w.view.lane_center_y(0)));
  const TimelineHover& h = w.last.hover;
  ASSERT_EQ(h.kind, TimelineHover::Kind::folded);
  EXPECT_GT(h.folded, 10u);
  EXPECT_EQ(h.seg.state, GoState::blocked);  // the state at the cursor's time
  EXPECT_LE(h.seg.t0, h.t);
  EXPECT_LT(h.t, h.seg.t1);
}

TEST(TimelineView, FormatsDurationsForReaders) {
  EXPECT_EQ(ui::format_duration(850), "850 ns");
  EXPECT_EQ(ui::format_duration(12500), "12.5 \xC2\xB5s");
  EXPECT_EQ(ui::format_duration(3250000), "3.25 ms");
  EXPECT_EQ(ui::format_duration(1500000000), "1.5 s");
}

}  // namespace
}  // namespace goscope
