// stage_notices_test.cpp: what the stage and the timeline say beyond the goroutines'
// states: a preemption (a badge on the figure, a mark on its lane) and a run that lost
// events (a warning over the stage).
#include <gtest/gtest.h>

#include "tests/ui/imgui_harness.h"
#include "tests/ui/player_trace.h"
#include "ui/model/timeline.h"
#include "ui/views/player.h"
#include "ui/views/stage_view.h"
#include "ui/views/theme.h"
#include "ui/views/timeline_view.h"

namespace goscope {
namespace {

using test::ImGuiHarness;
using ui::Player;

// vertices_of counts the vertices drawn in `color` in one window's draw list.
std::size_t vertices_of(const char* window, ImU32 color) {
  ImGuiWindow* w = ImGui::FindWindowByName(window);
  if (!w) return 0;
  std::size_t n = 0;
  for (const ImDrawVert& v : w->DrawList->VtxBuffer)
    if (v.col == color) ++n;
  return n;
}

void draw_stage(Player& p) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1100, 700));
  ImGui::Begin("Stage");
  p.draw_stage();
  ImGui::End();
}

// stage_vertices_of draws the player's stage at event `at` and counts `color` in it.
std::size_t stage_vertices_of(Player& p, std::size_t at, ImU32 color) {
  ImGuiHarness ui;
  p.seek(at);
  ui.frame([&] { draw_stage(p); });
  return vertices_of("Stage", color);
}

TEST(StageNotices, APreemptedGoroutineWearsABadgeUntilItRunsAgain) {
  std::size_t preempted = 0;
  Player p({}, {});
  p.load(test::lesson_info("preempt"), {test::preempt_trace(&preempted), {}});
  p.pause();
  // The legend explains the mark in every frame of a run that has one.
  const std::size_t legend = stage_vertices_of(p, preempted - 1, ui::kPreempted);
  EXPECT_GT(legend, 0u);
  EXPECT_GT(stage_vertices_of(p, preempted, ui::kPreempted), legend) << "just preempted";
  EXPECT_GT(stage_vertices_of(p, preempted + 2, ui::kPreempted), legend) << "still waiting for a processor";
  EXPECT_EQ(stage_vertices_of(p, preempted + 4, ui::kPreempted), legend) << "running again";
}

TEST(StageNotices, NoPreemptionNoMark) {
  Player p({}, {});
  p.load(test::lesson_info("handover"), {test::handover_trace(), {}});
  for (std::size_t at : {std::size_t{0}, p.size() / 2, p.size()}) EXPECT_EQ(stage_vertices_of(p, at, ui::kPreempted), 0u);
}

TEST(StageNotices, DroppedEventsPutAWarningOverTheStageAtEveryMoment) {
  Player p({}, {});
  p.load(test::lesson_info("handover"), {test::with_dropped(test::handover_trace(), 8, 12), {}});
  EXPECT_EQ(p.model().final_state().dropped, 12u);
  for (std::size_t at : {std::size_t{0}, p.size() / 2, p.size()}) {
    EXPECT_GT(stage_vertices_of(p, at, ui::kDropped), 0u) << "at " << at << ": the whole picture is incomplete";
  }
  Player whole({}, {});
  whole.load(test::lesson_info("handover"), {test::handover_trace(), {}});
  EXPECT_EQ(stage_vertices_of(whole, whole.size() / 2, ui::kDropped), 0u);
}

TEST(StageNotices, TheDroppedWarningSaysHowMany) {
  EXPECT_EQ(ui::dropped_banner_text(0), "");
  EXPECT_EQ(ui::dropped_banner_text(1), "1 event was dropped: the picture is incomplete");
  EXPECT_EQ(ui::dropped_banner_text(4096), "4096 events were dropped: the picture is incomplete");
}

TEST(TimelineNotices, PreemptionsAreMarkedOnTheirLanes) {
  ImGuiHarness ui;
  ReplayModel model(test::preempt_trace());
  const Timeline tl = build_timeline(model);
  ui::TimelineView view;
  std::size_t playhead = 0;
  ui::TimelineFrame f;
  auto draw = [&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1600, 400));
    ImGui::Begin("Timeline");
    f = view.draw(tl, model.events(), playhead);
    ImGui::End();
  };
  ui.frame(draw);
  ui.frame(draw);
  EXPECT_EQ(f.marks, 1u);
  EXPECT_GT(vertices_of("Timeline", ui::kPreempted), 0u);

  ReplayModel plain(test::handover_trace());
  const Timeline none = build_timeline(plain);
  auto draw_none = [&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1600, 400));
    ImGui::Begin("Timeline");
    f = view.draw(none, plain.events(), playhead);
    ImGui::End();
  };
  ui.frame(draw_none);
  ui.frame(draw_none);
  EXPECT_EQ(f.marks, 0u);
  EXPECT_EQ(vertices_of("Timeline", ui::kPreempted), 0u);
}

}  // namespace
}  // namespace goscope
