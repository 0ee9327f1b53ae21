// player_test.cpp: the lesson player in the window-less ImGui harness, on runs made by
// hand: stepping, playing, re-running on a change, keyboard, and hover linking the stage
// and the code.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/ui/imgui_harness.h"
#include "tests/ui/player_trace.h"
#include "ui/views/code_view.h"
#include "ui/views/console_view.h"
#include "ui/views/player.h"
#include "ui/views/stage_view.h"
#include "ui/views/theme.h"

namespace goscope {
namespace {

using test::ImGuiHarness;
using ui::Player;

// A player whose "runs" replay the handover trace and count the calls.
struct Fixture {
  int calls = 0;
  ui::RunRequest last;
  Player player;

  Fixture()
      : player({test::lesson_info("handover")}, [this](const ui::RunRequest& r) {
          ++calls;
          last = r;
          return ui::RunRecording{test::handover_trace(), {}};
        }) {
    player.select_lesson("handover");
    player.pause();
  }
};

// draw_player draws the player's panels the way the app shell does, each in its window.
void draw_player(Player& p, ImVec2* stage_origin = nullptr) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1600, 90));
  ImGui::Begin("Controls");
  p.draw_controls();
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(0, 100));
  ImGui::SetNextWindowSize(ImVec2(900, 600));
  ImGui::Begin("Stage");
  if (stage_origin) *stage_origin = ImGui::GetCursorScreenPos();
  p.draw_stage();
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(1000, 100));
  ImGui::SetNextWindowSize(ImVec2(600, 400));
  ImGui::Begin("Code");
  p.draw_code();
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(1000, 520));
  ImGui::SetNextWindowSize(ImVec2(600, 200));
  ImGui::Begin("Console");
  p.draw_console();
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(0, 720));
  ImGui::SetNextWindowSize(ImVec2(800, 280));
  ImGui::Begin("Narration");
  p.draw_narration();
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(800, 720));
  ImGui::SetNextWindowSize(ImVec2(800, 280));
  ImGui::Begin("Lessons");
  p.draw_lessons();
  ImGui::End();
}

// white_vertices counts vertices drawn in the highlight colour in one window's draw list.
std::size_t white_vertices(const char* window) {
  ImGuiWindow* w = ImGui::FindWindowByName(window);
  if (!w) return 0;
  std::size_t n = 0;
  for (const ImDrawVert& v : w->DrawList->VtxBuffer)
    if (v.col == ui::kHighlight) ++n;
  return n;
}

TEST(Player, SelectingALessonRunsItOnceWithItsDefaults) {
  Fixture f;
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.last.lesson, "handover");
  EXPECT_EQ(f.last.params.at("workers"), 4);
  EXPECT_EQ(f.last.params.at("kind"), 0);
  EXPECT_EQ(f.player.size(), test::handover_trace().size());
  EXPECT_EQ(f.player.playhead(), 0u);
}

TEST(Player, StepForwardStopsOnlyOnEventsTheStageShows) {
  Fixture f;
  std::vector<std::size_t> stops;
  while (!f.player.at_end()) {
    f.player.step_forward();
    stops.push_back(f.player.playhead());
  }
  ASSERT_FALSE(stops.empty());
  EXPECT_TRUE(std::is_sorted(stops.begin(), stops.end()));
  for (std::size_t at : stops) {
    // The playhead stands after the event it stopped on, and never after a bare GoLine.
    EXPECT_TRUE(Player::is_step(f.player.model().event(at - 1)) || at == f.player.size())
        << describe(f.player.model().event(at - 1));
  }
  const std::size_t lines = std::count_if(f.player.model().events().begin(), f.player.model().events().end(),
                                          [](const Event& e) { return e.kind == EventKind::GoLine; });
  EXPECT_LE(stops.size(), f.player.size() - lines);
}

TEST(Player, StepBackReturnsToThePreviousStop) {
  Fixture f;
  f.player.step_forward();
  f.player.step_forward();
  const std::size_t second = f.player.playhead();
  f.player.step_forward();
  f.player.step_back();
  EXPECT_EQ(f.player.playhead(), second);
  f.player.step_back();
  f.player.step_back();
  f.player.step_back();
  EXPECT_EQ(f.player.playhead(), 0u);
}

TEST(Player, PlayShowsFourStepsASecondAtOneX) {
  Fixture f;
  f.player.play();
  f.player.update(1.0f / 60.0f);
  EXPECT_EQ(f.player.playhead(), 0u) << "a frame is less than a step";
  f.player.update(0.25f);
  const std::size_t one = f.player.playhead();
  EXPECT_EQ(one, f.player.next_step(0));
  f.player.update(0.5f);
  EXPECT_EQ(f.player.playhead(), f.player.next_step(f.player.next_step(one)));
}

TEST(Player, DoubleSpeedStepsTwiceAsOften) {
  Fixture f;
  f.player.set_speed(2.0f);
  f.player.play();
  f.player.update(0.25f);
  EXPECT_EQ(f.player.playhead(), f.player.next_step(f.player.next_step(0)));
  f.player.set_speed(100.0f);
  EXPECT_EQ(f.player.speed(), Player::kMaxSpeed);
  f.player.set_speed(0.0f);
  EXPECT_EQ(f.player.speed(), Player::kMinSpeed);
}

TEST(Player, PlayStopsAtTheEndAndPlayAgainStartsOver) {
  Fixture f;
  f.player.play();
  for (int i = 0; i < 200 && f.player.playing(); ++i) f.player.update(0.25f);
  EXPECT_TRUE(f.player.at_end());
  EXPECT_FALSE(f.player.playing());
  f.player.play();
  EXPECT_EQ(f.player.playhead(), 0u);
  EXPECT_TRUE(f.player.playing());
}

TEST(Player, AHandoffPassedWhilePlayingFlies) {
  Fixture f;
  // Step up to just before the send, then play across it.
  const auto& ev = f.player.model().events();
  const std::size_t send = std::find_if(ev.begin(), ev.end(), [](const Event& e) { return e.kind == EventKind::ChanSend; }) - ev.begin();
  f.player.seek(send);
  f.player.step_forward();
  ASSERT_FALSE(f.player.flying().empty());
  EXPECT_EQ(f.player.flying().front().handoff.value.i, 42);
  f.player.update(1.0f);
  EXPECT_TRUE(f.player.flying().empty()) << "a flight lasts less than a second";
  f.player.seek(0);
  EXPECT_TRUE(f.player.flying().empty());
}

TEST(Player, StepGoroutineJumpsToThatGoroutinesNextEvent) {
  Fixture f;
  f.player.step_goroutine(2);
  ASSERT_GT(f.player.playhead(), 0u);
  const Event& e = f.player.model().event(f.player.playhead() - 1);
  // The stop is the first step at or after the sender's first event.
  const std::size_t first = f.player.model().next_event_of(2, 0);
  EXPECT_EQ(f.player.playhead(), f.player.next_step(first)) << describe(e);
}

TEST(Player, ChangingAParameterRerunsTheLessonAtOnce) {
  Fixture f;
  ASSERT_TRUE(f.player.set_param("workers", 16));
  EXPECT_EQ(f.calls, 2);
  EXPECT_EQ(f.last.params.at("workers"), 16);
  ASSERT_TRUE(f.player.set_param("workers", 1000));
  EXPECT_EQ(f.last.params.at("workers"), 64) << "clamped to the range";
  ASSERT_TRUE(f.player.set_param("kind", 1));
  EXPECT_EQ(f.last.params.at("kind"), 1);
  EXPECT_FALSE(f.player.set_param("nonsense", 1));
  f.player.set_seed(7);
  EXPECT_EQ(f.last.seed, 7u);
  f.player.set_mode(ui::RunMode::real);
  EXPECT_EQ(f.last.mode, ui::RunMode::real);
  f.player.set_procs(3);
  EXPECT_EQ(f.last.procs, 3);
  EXPECT_EQ(f.calls, 7);
}

TEST(Player, RerunKeepsThePlayheadsShareOfTheRun) {
  Fixture f;
  f.player.seek_fraction(0.5);
  const std::size_t mid = f.player.playhead();
  EXPECT_GT(mid, 0u);
  EXPECT_LT(mid, f.player.size());
  f.player.set_param("workers", 8);
  EXPECT_EQ(f.player.playhead(), mid);
}

TEST(Player, SeekFractionLandsOnTheStartAStepOrTheEnd) {
  Fixture f;
  f.player.seek_fraction(0.0);
  EXPECT_EQ(f.player.playhead(), 0u);
  f.player.seek_fraction(1.0);
  EXPECT_TRUE(f.player.at_end());
  for (double x : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    f.player.seek_fraction(x);
    const std::size_t at = f.player.playhead();
    ASSERT_GT(at, 0u);
    EXPECT_TRUE(Player::is_step(f.player.model().event(at - 1)) || at == f.player.size());
  }
}

TEST(PlayerInHarness, SpaceTogglesPlayAndRightStepsAndHomeRestarts) {
  ImGuiHarness ui;
  Fixture f;
  ImGuiIO& io = ui.io();
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_RightArrow] = 262;
  io.KeyMap[ImGuiKey_LeftArrow] = 263;
  io.KeyMap[ImGuiKey_Home] = 268;
  auto draw = [&] { draw_player(f.player); };
  ui.frame(draw);
  auto press = [&](int key) {
    io.KeysDown[key] = true;
    ui.frame(draw);
    io.KeysDown[key] = false;
    ui.frame(draw);
  };
  press(262);
  EXPECT_EQ(f.player.playhead(), f.player.next_step(0));
  press(32);
  EXPECT_TRUE(f.player.playing());
  press(32);
  EXPECT_FALSE(f.player.playing());
  press(268);
  EXPECT_EQ(f.player.playhead(), 0u);
  EXPECT_TRUE(f.player.playing());
}

TEST(PlayerInHarness, QueuedKeysAreEachAppliedOnceOnTheNextFrame) {
  ImGuiHarness ui;
  Fixture f;
  KeyQueue keys;
  f.player.use_key_queue(&keys);
  auto draw = [&] { draw_player(f.player); };
  ui.frame(draw);
  // Two taps of Right that went down and up between two frames: ImGui's key state never
  // saw them, the queue did.
  keys.push(PlayerKey::step_forward);
  keys.push(PlayerKey::step_forward);
  ui.frame(draw);
  EXPECT_EQ(f.player.playhead(), f.player.next_step(f.player.next_step(0)));
  EXPECT_TRUE(keys.empty());
  ui.frame(draw);  // applied once, not again
  EXPECT_EQ(f.player.playhead(), f.player.next_step(f.player.next_step(0)));
  keys.push(PlayerKey::toggle_play);
  ui.frame(draw);
  EXPECT_TRUE(f.player.playing());
  keys.push(PlayerKey::restart);
  ui.frame(draw);
  EXPECT_EQ(f.player.playhead(), 0u);
  // With a queue, ImGui's own key state is not read too (a press would count twice).
  ImGuiIO& io = ui.io();
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeysDown[32] = true;
  ui.frame(draw);
  io.KeysDown[32] = false;
  ui.frame(draw);
  EXPECT_TRUE(f.player.playing());
}

TEST(PlayerInHarness, AFrameAfterAnIdleWaitDoesNotJumpAhead) {
  ImGuiHarness ui;
  Fixture f;
  auto draw = [&] { draw_player(f.player); };
  ui.frame(draw);
  f.player.play();
  // The app slept ten seconds waiting for input, then Space: the first frame's DeltaTime is 10 s.
  ui.io().DeltaTime = 10.0f;
  ui.frame(draw);
  EXPECT_LE(f.player.playhead(), f.player.next_step(0));
}

// seed_field_center is where the controls bar's seed field is: the first item after the
// "seed" label on the second row, as the harness's default style lays it out.
ImVec2 seed_field_center() {
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImGuiWindow* w = ImGui::FindWindowByName("Controls");
  const ImVec2 start = w ? w->DC.CursorStartPos : ImVec2(0, 0);
  const float row = ImGui::GetFrameHeight();
  const float x = start.x + ImGui::CalcTextSize("seed").x + st.ItemSpacing.x + 8.0f;
  const float y = start.y + row + st.ItemSpacing.y + row * 0.5f;
  return ImVec2(x, y);
}

TEST(PlayerInHarness, TheSeedFieldTakesTypingInDeterministicModeOnly) {
  for (ui::RunMode mode : {ui::RunMode::deterministic, ui::RunMode::real}) {
    ImGuiHarness ui;
    Fixture f;
    f.player.set_mode(mode);
    auto draw = [&] { draw_player(f.player); };
    ui.frame(draw);
    ui.click(seed_field_center(), draw);
    ui.frame(draw);
    const bool real = mode == ui::RunMode::real;
    // Deterministic: the click lands in the field and it takes text (which also shows
    // the click found the field). Real: the field is disabled and says why on hover.
    EXPECT_EQ(ui.io().WantTextInput, !real) << (real ? "real" : "deterministic");
    ImGuiWindow* tip = ui.window("##Tooltip_00");
    const bool tip_shown = tip && tip->Active;
    if (real) {
      EXPECT_TRUE(tip_shown);
    }
  }
}

TEST(PlayerInHarness, PlayingAdvancesThePlayheadFrameByFrame) {
  ImGuiHarness ui;
  Fixture f;
  f.player.play();
  auto draw = [&] { draw_player(f.player); };
  for (int i = 0; i < 60; ++i) ui.frame(draw);  // one second at 60 frames a second
  EXPECT_GE(f.player.playhead(), f.player.next_step(f.player.next_step(f.player.next_step(0))));
}

TEST(PlayerInHarness, HoveringACodeLineHighlightsTheGoroutinesOnIt) {
  ImGuiHarness ui;
  Fixture f;
  // Main waits at line 8 once it blocked on the receive.
  const auto& ev = f.player.model().events();
  const std::size_t block = std::find_if(ev.begin(), ev.end(), [](const Event& e) { return e.kind == EventKind::GoBlock; }) - ev.begin();
  f.player.seek(block + 1);
  ASSERT_EQ(f.player.state().goroutine(1)->line, 8);
  auto draw = [&] { draw_player(f.player); };
  ui.move_mouse(ImVec2(-100, -100));
  ui.frame(draw);
  ui.frame(draw);
  const std::size_t plain = white_vertices("Stage");
  EXPECT_FALSE(f.player.highlighted(*f.player.state().goroutine(1)));

  // Line 8 of the listing: the code child starts below the Code window's title bar.
  ImGuiWindow* code = ui.window("Code");
  ASSERT_NE(code, nullptr);
  const float line_h = ui::code_line_height();
  ImGuiWindow* child = nullptr;
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->ParentWindow == code) child = w;
  ASSERT_NE(child, nullptr);
  ui.move_mouse(ImVec2(child->Pos.x + 60, child->ContentRegionRect.Min.y - child->Scroll.y + line_h * 7.5f));
  ui.frame(draw);
  ui.frame(draw);
  EXPECT_EQ(f.player.hovered_line(), 8);
  EXPECT_TRUE(f.player.highlighted(*f.player.state().goroutine(1)));
  EXPECT_FALSE(f.player.highlighted(*f.player.state().goroutine(2)));
  EXPECT_GT(white_vertices("Stage"), plain) << "the stage rings main";
}

TEST(PlayerInHarness, HoveringAFigureOnTheStageLightsItsLine) {
  ImGuiHarness ui;
  Fixture f;
  f.player.seek(f.player.size() / 2);
  ImVec2 origin;
  auto draw = [&] { draw_player(f.player, &origin); };
  ui.frame(draw);
  const ui::StageLayout layout = ui::build_stage_layout(f.player, ImGui::FindWindowByName("Stage")->ContentRegionRect.GetSize());
  const ui::StageLayout::Figure* sender = layout.figure(2);
  ASSERT_NE(sender, nullptr);
  ui.move_mouse(ImVec2(origin.x + sender->center.x, origin.y + sender->center.y));
  ui.frame(draw);
  ui.frame(draw);
  EXPECT_EQ(f.player.hovered_goroutine(), 2u);
  ui.click(ImVec2(origin.x + sender->center.x, origin.y + sender->center.y), draw);
  EXPECT_EQ(f.player.selected(), 2u);
}

TEST(PlayerInHarness, ScreenshotsHoverNothing) {
  ImGuiHarness ui;
  Fixture f;
  f.player.set_interactive(false);
  auto draw = [&] { draw_player(f.player); };
  ui.move_mouse(ImVec2(450, 400));
  for (int i = 0; i < 3; ++i) ui.frame(draw);
  EXPECT_EQ(f.player.hovered_goroutine(), 0u);
  EXPECT_EQ(f.player.hovered_line(), 0);
}

TEST(StageLayout, ReceiversStandRightOfTheChannelAndSendersLeft) {
  ImGuiHarness ui;
  Player p({}, {});
  p.load(test::lesson_info("fan-out"), {test::fan_out_trace(8, 20), {}});
  ui.frame([&] {
    const ui::StageLayout l = ui::build_stage_layout(p, ImVec2(900, 600));
    const auto* producer = l.figure(2);
    const auto* jobs = l.pipe(1);
    const auto* results = l.pipe(2);
    const auto* main = l.figure(1);
    ASSERT_TRUE(producer && jobs && results && main);
    EXPECT_LT(producer->center.x, jobs->center.x);
    for (uint32_t w = 3; w < 11; ++w) {
      ASSERT_NE(l.figure(w), nullptr);
      EXPECT_GT(l.figure(w)->center.x, jobs->center.x) << "worker " << w;
      EXPECT_LT(l.figure(w)->center.x, results->center.x) << "worker " << w;
    }
    EXPECT_GT(main->center.x, results->center.x);
    EXPECT_EQ(l.gauges.size(), 1u);
  });
}

TEST(StageLayout, SixtyFourWorkersBecomeACompactGridThatFits) {
  ImGuiHarness ui;
  Player p({}, {});
  p.load(test::lesson_info("fan-out"), {test::fan_out_trace(64, 100), {}});
  ui.frame([&] {
    const ImVec2 size(900, 560);
    const ui::StageLayout l = ui::build_stage_layout(p, size);
    for (uint32_t w = 3; w < 67; ++w) {
      const auto* f = l.figure(w);
      ASSERT_NE(f, nullptr);
      EXPECT_TRUE(f->compact);
      EXPECT_GE(f->center.y - f->half.y, 0.0f);
      EXPECT_LE(f->center.y + f->half.y, size.y);
      for (uint32_t v = 3; v < w; ++v) {
        const auto* o = l.figure(v);
        const bool apart = std::abs(o->center.x - f->center.x) >= f->half.x * 2 - 0.5f ||
                           std::abs(o->center.y - f->center.y) >= f->half.y * 2 - 0.5f;
        EXPECT_TRUE(apart) << "workers " << v << " and " << w << " overlap";
      }
    }
  });
}

TEST(PlayerInHarness, EveryViewDrawsRunsAtStartMiddleAndEnd) {
  ImGuiHarness ui;
  for (const auto& [name, events] : {std::pair{"handover", test::handover_trace()},
                                     std::pair{"deadlock", test::deadlock_trace()},
                                     std::pair{"fan-out", test::fan_out_trace(64, 300)}}) {
    Player p({}, {});
    p.load(test::lesson_info(name), {events, {}});
    for (double at : {0.0, 0.5, 1.0}) {
      p.seek_fraction(at);
      ui.frame([&] { draw_player(p); });
      EXPECT_GT(ui.vertex_count(), 1000u) << name << " at " << at;
    }
  }
}

TEST(Deadlock, StuckGoroutinesAreShownBlockedAndGoSaysWhy) {
  Player p({}, {});
  p.load(test::lesson_info("deadlock"), {test::deadlock_trace(), {}});
  p.seek_end();
  const GoroutineInfo* main = p.state().goroutine(1);
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->state, GoState::abandoned) << "the runtime abandons it after the deadlock";
  const ui::Shown sh = ui::shown(p.state(), *main);
  EXPECT_EQ(sh.state, GoState::blocked);
  EXPECT_EQ(sh.reason, BlockReason::Send);
  EXPECT_TRUE(sh.culprit);
  const std::string report = ui::end_report(p);
  EXPECT_NE(report.find("fatal error: all goroutines are asleep - deadlock!"), std::string::npos) << report;
  EXPECT_NE(report.find("goroutine 1 [chan send]:"), std::string::npos) << report;
  EXPECT_NE(report.find("waiting on ch"), std::string::npos) << report;
  p.seek(0);
  EXPECT_EQ(ui::end_report(p), "");
}

}  // namespace
}  // namespace goscope
