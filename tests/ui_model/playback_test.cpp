// playback_test.cpp: the playhead: steps, play at human speed, seeking and flying values.
#include "ui/model/playback.h"

#include <gtest/gtest.h>

#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

Playback loaded() {
  Playback pb;
  pb.load(testing::fan_in_trace());
  return pb;
}

TEST(Playback, ANewRunStandsPausedAtItsStart) {
  const Playback pb = loaded();
  EXPECT_EQ(pb.playhead(), 0u);
  EXPECT_FALSE(pb.playing());
  EXPECT_GT(pb.size(), 0u);
  EXPECT_FALSE(pb.at_end());
  EXPECT_EQ(pb.speed(), 1.0f);
}

TEST(Playback, StepForwardStopsOnlyAfterEventsTheStageShows) {
  Playback pb = loaded();
  pb.play();
  std::size_t last = 0;
  while (!pb.at_end()) {
    pb.step_forward();
    EXPECT_FALSE(pb.playing()) << "stepping pauses";
    ASSERT_GT(pb.playhead(), last);
    EXPECT_TRUE(Playback::is_step(pb.model().event(pb.playhead() - 1)));
    last = pb.playhead();
  }
}

TEST(Playback, GoLinesRideWithTheStepThatFollows) {
  Event line;
  line.kind = EventKind::GoLine;
  Event send;
  send.kind = EventKind::ChanSend;
  EXPECT_FALSE(Playback::is_step(line));
  EXPECT_TRUE(Playback::is_step(send));
}

TEST(Playback, StepBackUndoesStepForward) {
  Playback pb = loaded();
  pb.step_forward();
  pb.step_forward();
  const std::size_t second = pb.playhead();
  pb.step_forward();
  pb.step_back();
  EXPECT_EQ(pb.playhead(), second);
  pb.seek(0);
  pb.step_back();
  EXPECT_EQ(pb.playhead(), 0u);
}

TEST(Playback, PlayTakesFourStepsASecondAtOneXAndScalesWithSpeed) {
  Playback pb = loaded();
  pb.play();
  pb.update(1.0f);
  std::size_t expect = 0;
  for (int i = 0; i < 4; ++i) expect = pb.next_step(expect);
  EXPECT_EQ(pb.playhead(), expect);

  pb.seek(0);
  pb.set_speed(2.0f);
  pb.update(0.5f);
  EXPECT_EQ(pb.playhead(), expect) << "2x: four steps in half a second";
}

TEST(Playback, ALongFrameTakesAtMostEightSteps) {
  Playback pb = loaded();
  pb.play();
  pb.update(100.0f);
  std::size_t expect = 0;
  for (int i = 0; i < Playback::kMaxStepsPerUpdate; ++i) expect = pb.next_step(expect);
  EXPECT_EQ(pb.playhead(), expect);
}

TEST(Playback, PlayStopsAtTheEndAndPlayAgainStartsOver) {
  Playback pb = loaded();
  pb.play();
  for (int i = 0; i < 1000 && pb.playing(); ++i) pb.update(0.25f);
  EXPECT_TRUE(pb.at_end());
  EXPECT_FALSE(pb.playing());
  pb.play();
  EXPECT_EQ(pb.playhead(), 0u);
  EXPECT_TRUE(pb.playing());
}

TEST(Playback, PausedPlaybackDoesNotMove) {
  Playback pb = loaded();
  pb.update(10.0f);
  EXPECT_EQ(pb.playhead(), 0u);
}

TEST(Playback, SpeedIsClamped) {
  Playback pb;
  pb.set_speed(100.0f);
  EXPECT_EQ(pb.speed(), Playback::kMaxSpeed);
  pb.set_speed(0.0f);
  EXPECT_EQ(pb.speed(), Playback::kMinSpeed);
}

TEST(Playback, SeekFractionLandsOnAStep) {
  Playback pb = loaded();
  pb.seek_fraction(0.5);
  EXPECT_GT(pb.playhead(), 0u);
  EXPECT_LT(pb.playhead(), pb.size());
  EXPECT_TRUE(Playback::is_step(pb.model().event(pb.playhead() - 1)));
  EXPECT_NEAR(pb.fraction(), 0.5, 0.2);
  pb.seek_fraction(1.0);
  EXPECT_TRUE(pb.at_end());
  pb.seek_fraction(-3.0);
  EXPECT_EQ(pb.playhead(), 0u);
}

TEST(Playback, HandoffsPassedFlyAndLand) {
  Playback pb = loaded();
  while (!pb.at_end() && pb.flying().empty()) pb.step_forward();
  ASSERT_FALSE(pb.flying().empty()) << "the run hands values over";
  EXPECT_EQ(pb.flying().back().progress, 0.0f);
  pb.update(1.0f);
  EXPECT_TRUE(pb.flying().empty()) << "a second is longer than any flight";
}

TEST(Playback, StepGoroutineStopsAfterThatGoroutinesNextEvent) {
  Playback pb = loaded();
  pb.step_goroutine(3);
  ASSERT_GT(pb.playhead(), 0u);
  const std::size_t k = pb.model().next_event_of(3, 0);
  EXPECT_EQ(pb.playhead(), pb.next_step(k));
}

TEST(Playback, AnEmptyRunIsAtItsEnd) {
  Playback pb;
  EXPECT_TRUE(pb.at_end());
  pb.play();
  pb.update(1.0f);
  EXPECT_FALSE(pb.playing());
  EXPECT_EQ(pb.fraction(), 0.0);
}

}  // namespace
}  // namespace goscope
