// harness_test.cpp: the app shell drawn in the window-less ImGui harness, and the
// layout maths behind it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/ui/imgui_harness.h"
#include "ui/views/app_shell.h"

namespace goscope {
namespace {

using test::ImGuiHarness;
using ui::AppShell;
using ui::Panel;

float area(const ui::PanelRect& r) { return r.size.x * r.size.y; }

bool overlap(const ui::PanelRect& a, const ui::PanelRect& b) {
  return a.pos.x < b.pos.x + b.size.x && b.pos.x < a.pos.x + a.size.x &&
         a.pos.y < b.pos.y + b.size.y && b.pos.y < a.pos.y + a.size.y;
}

class ShellLayoutAt : public ::testing::TestWithParam<std::tuple<float, float, float>> {};

TEST_P(ShellLayoutAt, PanelsTileTheDisplayWithoutGapsOrOverlaps) {
  const auto [w, h, scale] = GetParam();
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(w, h), scale);
  float total = 0;
  for (int i = 0; i < ui::kPanelCount; ++i) {
    const ui::PanelRect& a = layout.rects[i];
    EXPECT_GT(a.size.x, 0) << ui::panel_title(static_cast<Panel>(i));
    EXPECT_GT(a.size.y, 0) << ui::panel_title(static_cast<Panel>(i));
    EXPECT_GE(a.pos.x, 0);
    EXPECT_GE(a.pos.y, 0);
    EXPECT_LE(a.pos.x + a.size.x, w + 0.01f);
    EXPECT_LE(a.pos.y + a.size.y, h + 0.01f);
    total += area(a);
    for (int j = i + 1; j < ui::kPanelCount; ++j) {
      EXPECT_FALSE(overlap(a, layout.rects[j]))
          << ui::panel_title(static_cast<Panel>(i)) << " overlaps "
          << ui::panel_title(static_cast<Panel>(j));
    }
  }
  EXPECT_NEAR(total, w * h, 1.0f);
}

TEST_P(ShellLayoutAt, StageIsTheBiggestPanel) {
  const auto [w, h, scale] = GetParam();
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(w, h), scale);
  for (int i = 0; i < ui::kPanelCount; ++i) {
    const Panel p = static_cast<Panel>(i);
    if (p == Panel::stage) continue;
    EXPECT_GE(area(layout[Panel::stage]), area(layout[p])) << ui::panel_title(p);
  }
}

INSTANTIATE_TEST_SUITE_P(DisplaySizes, ShellLayoutAt,
                         ::testing::Values(std::make_tuple(1600.f, 1000.f, 1.f),
                                           std::make_tuple(1280.f, 720.f, 1.f),
                                           std::make_tuple(3200.f, 2000.f, 2.f),
                                           std::make_tuple(2560.f, 1440.f, 1.5f),
                                           std::make_tuple(800.f, 600.f, 1.f)));

TEST(AppShell, LayoutFollowsTheDisplayWhenTheWindowResizes) {
  const ui::ShellLayout small = ui::layout_shell(ImVec2(1280, 720), 1);
  const ui::ShellLayout large = ui::layout_shell(ImVec2(1920, 1200), 1);
  EXPECT_GT(large[Panel::stage].size.x, small[Panel::stage].size.x);
  EXPECT_GT(large[Panel::stage].size.y, small[Panel::stage].size.y);
  EXPECT_FLOAT_EQ(large[Panel::controls].size.x, 1920);
}

TEST(AppShell, DrawsEveryPanelWhereTheLayoutPutsIt) {
  ImGuiHarness ui(ImVec2(1600, 1000));
  AppShell shell;
  shell.version = "0.1.0";
  auto draw = [&] { ui::draw_app_shell(shell); };
  ui.frame(draw);
  ui.frame(draw);
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(1600, 1000), 1);
  for (int i = 0; i < ui::kPanelCount; ++i) {
    const Panel p = static_cast<Panel>(i);
    const std::string title(ui::panel_title(p));
    ImGuiWindow* w = ui.window(title.c_str());
    ASSERT_NE(w, nullptr) << title;
    EXPECT_FLOAT_EQ(w->Pos.x, layout[p].pos.x) << title;
    EXPECT_FLOAT_EQ(w->Pos.y, layout[p].pos.y) << title;
    EXPECT_FLOAT_EQ(w->Size.x, layout[p].size.x) << title;
    EXPECT_FLOAT_EQ(w->Size.y, layout[p].size.y) << title;
    // An unfilled panel still says something: its placeholder sentence is drawn.
    EXPECT_GT(w->DrawList->VtxBuffer.Size, 100) << title;
  }
  EXPECT_GT(ui.vertex_count(), 1000u);
}

TEST(AppShell, ResizingTheDisplayMovesThePanels) {
  ImGuiHarness ui(ImVec2(1600, 1000));
  AppShell shell;
  auto draw = [&] { ui::draw_app_shell(shell); };
  ui.frame(draw);
  ui.io().DisplaySize = ImVec2(1024, 700);
  ui.frame(draw);
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(1024, 700), 1);
  ImGuiWindow* stats = ui.window("Stats");
  ASSERT_NE(stats, nullptr);
  EXPECT_FLOAT_EQ(stats->Pos.x, layout[Panel::stats].pos.x);
  EXPECT_FLOAT_EQ(stats->Pos.x + stats->Size.x, 1024);
  EXPECT_FLOAT_EQ(stats->Pos.y + stats->Size.y, 700);
}

TEST(AppShell, AFilledPanelDrawsItsContentAndTakesClicks) {
  ImGuiHarness ui(ImVec2(1600, 1000));
  AppShell shell;
  int stage_draws = 0, clicks = 0;
  ImVec2 button_at(-1, -1);
  shell.stage = [&] {
    ++stage_draws;
    if (ImGui::Button("Step")) ++clicks;
    button_at = ImGuiHarness::last_item_center();
  };
  auto draw = [&] { ui::draw_app_shell(shell); };
  ui.frame(draw);
  EXPECT_EQ(stage_draws, 1);
  const ui::PanelRect stage = ui::layout_shell(ImVec2(1600, 1000), 1)[Panel::stage];
  EXPECT_GT(button_at.x, stage.pos.x);
  EXPECT_LT(button_at.x, stage.pos.x + stage.size.x);
  EXPECT_GT(button_at.y, stage.pos.y);

  ui.click(button_at, draw);
  EXPECT_EQ(clicks, 1);
  EXPECT_EQ(stage_draws, 4);

  // A click anywhere else does not reach the button.
  ui.click(ImVec2(stage.pos.x + stage.size.x - 20, stage.pos.y + stage.size.y - 20), draw);
  EXPECT_EQ(clicks, 1);
}

TEST(AppShell, EveryPanelHasATitleAndAPlaceholderSentence) {
  for (int i = 0; i < ui::kPanelCount; ++i) {
    const Panel p = static_cast<Panel>(i);
    EXPECT_FALSE(ui::panel_title(p).empty());
    EXPECT_GT(ui::panel_placeholder(p).size(), 40u) << ui::panel_title(p);
  }
}

TEST(AppShell, StyleScalesWithTheMonitorWithoutCompounding) {
  ImGuiHarness ui;
  ui::apply_style(1.0f);
  const float padding_at_1 = ImGui::GetStyle().WindowPadding.x;
  ui::apply_style(2.0f);
  EXPECT_FLOAT_EQ(ImGui::GetStyle().WindowPadding.x, std::floor(padding_at_1 * 2.0f));
  ui::apply_style(2.0f);
  EXPECT_FLOAT_EQ(ImGui::GetStyle().WindowPadding.x, std::floor(padding_at_1 * 2.0f));
}

}  // namespace
}  // namespace goscope
