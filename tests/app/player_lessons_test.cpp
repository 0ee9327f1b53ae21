// player_lessons_test.cpp: the lesson player on every real lesson, recorded by the
// runtime, drawn whole (the app shell with every player panel) in the window-less harness.
#include <gtest/gtest.h>

#include <string>

#include "app/cli.h"
#include "app/lesson_player.h"
#include "lessons/lesson.h"
#include "tests/ui/imgui_harness.h"
#include "ui/views/app_shell.h"
#include "ui/views/player.h"

namespace goscope {
namespace {

using test::ImGuiHarness;

class EveryLesson : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryLesson, EveryPanelDrawsAtTheStartTheMiddleAndTheEnd) {
  ImGuiHarness ui;
  app::Options options;
  options.lesson = GetParam();
  std::unique_ptr<ui::Player> player = app::make_player(options);
  ASSERT_NE(player->lesson(), nullptr);
  EXPECT_EQ(player->lesson()->id, GetParam());
  EXPECT_TRUE(player->run_error().empty()) << player->run_error();
  ASSERT_GT(player->size(), 0u);
  ui::AppShell shell;
  player->attach(shell);
  for (double at : {0.0, 0.5, 1.0}) {
    player->seek_fraction(at);
    player->pause();
    for (int frame = 0; frame < 2; ++frame) ui.frame([&] { ui::draw_app_shell(shell); });
    EXPECT_GT(ui.vertex_count(), 2000u) << GetParam() << " at " << at;
  }
  // And while playing, with values in flight.
  player->seek(0);
  player->play();
  for (int frame = 0; frame < 30; ++frame) ui.frame([&] { ui::draw_app_shell(shell); });
  EXPECT_GT(player->playhead(), 0u);
}

std::vector<std::string> lesson_ids() {
  std::vector<std::string> ids;
  for (const lessons::Lesson& l : lessons::all()) ids.push_back(l.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Lessons, EveryLesson, ::testing::ValuesIn(lesson_ids()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(LessonPlayer, ScreenshotOptionsPutThePlayheadWhereAsked) {
  app::Options options;
  options.lesson = "fan-in";
  options.screenshot = "/tmp/unused.png";
  options.at = app::At{app::At::Kind::mid, 0};
  std::unique_ptr<ui::Player> player = app::make_player(options);
  EXPECT_FALSE(player->playing());
  EXPECT_FALSE(player->interactive());
  EXPECT_GT(player->playhead(), player->size() / 4);
  EXPECT_LT(player->playhead(), player->size() * 3 / 4);
  options.at = app::At{app::At::Kind::index, 7};
  EXPECT_EQ(app::make_player(options)->playhead(), 7u);
  options.at = app::At{app::At::Kind::end, 0};
  EXPECT_TRUE(app::make_player(options)->at_end());
}

TEST(LessonPlayer, AtPastTheLastEventIsNotedOnce) {
  app::Options options;
  options.lesson = "waitgroup";
  options.screenshot = "/tmp/unused.png";
  options.at = app::At{app::At::Kind::index, 99999};
  std::unique_ptr<ui::Player> player = app::make_player(options);
  EXPECT_TRUE(player->at_end());
  const std::string n = std::to_string(player->size());
  EXPECT_EQ(app::at_past_end(options, *player),
            "goscope: --at 99999: the run has only " + n + " events; showing the last\n");
  options.at->index = player->size();
  EXPECT_EQ(app::at_past_end(options, *player), "") << "the end itself is a valid index";
  options.at = app::At{app::At::Kind::end, 0};
  EXPECT_EQ(app::at_past_end(options, *player), "");
}

TEST(LessonPlayer, CommandLineSettingsReachTheRun) {
  app::Options options;
  options.lesson = "fan-out";
  options.sets = {{"workers", "64"}, {"jobs", "200"}};
  options.seed = 5;
  std::unique_ptr<ui::Player> player = app::make_player(options);
  EXPECT_EQ(player->request().params.at("workers"), 64);
  EXPECT_EQ(player->request().params.at("jobs"), 200);
  EXPECT_EQ(player->request().seed, 5u);
  EXPECT_EQ(player->runs(), 1) << "one run with every setting, not one per setting";
  // 64 workers plus producer, closer and main were on stage.
  EXPECT_EQ(player->model().final_state().goroutines.size(), 67u);
}

TEST(LessonPlayer, MovingASliderRerunsTheRealLesson) {
  app::Options options;
  options.lesson = "fan-in";
  std::unique_ptr<ui::Player> player = app::make_player(options);
  const std::size_t before = player->size();
  ASSERT_TRUE(player->set_param("producers", 6));
  EXPECT_EQ(player->runs(), 2);
  EXPECT_GT(player->size(), before) << "more producers, more events";
  EXPECT_EQ(player->model().final_state().goroutines.size(), 8u) << "main, closer and six producers";
}

}  // namespace
}  // namespace goscope
