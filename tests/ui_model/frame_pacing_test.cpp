// frame_pacing_test.cpp: when the app draws (frame_pacing.h) and the queue of key presses
// applied once each on the next frame (key_queue.h), without a window.
#include <gtest/gtest.h>

#include "ui/model/frame_pacing.h"
#include "ui/model/key_queue.h"

namespace goscope {
namespace {

TEST(NeedsAnotherFrame, OnlyWhenSomethingMoves) {
  EXPECT_FALSE(needs_another_frame(Activity{}));
  EXPECT_TRUE(needs_another_frame(Activity{.playing = true}));
  EXPECT_TRUE(needs_another_frame(Activity{.values_in_flight = 1}));
  EXPECT_TRUE(needs_another_frame(Activity{.keys_queued = 2}));
  EXPECT_TRUE(needs_another_frame(Activity{.background_work = true}));
  EXPECT_TRUE(needs_another_frame(Activity{.text_input = true}));
}

TEST(FramePacer, DrawsAtStartThenSleepsWhenNothingMoves) {
  FramePacer p;
  int drawn = 0;
  for (int i = 0; i < 100; ++i) {
    if (!p.should_draw()) {
      EXPECT_GT(p.wait_seconds(), 0.0);
      continue;
    }
    EXPECT_EQ(p.wait_seconds(), 0.0);
    ++drawn;
    p.frame_drawn(false);
  }
  // The first frames settle the layout; after that a paused app draws nothing.
  EXPECT_EQ(drawn, FramePacer::kSettleFrames);
  EXPECT_FALSE(p.should_draw());
}

TEST(FramePacer, InputDrawsAFewFramesThenSleepsAgain) {
  FramePacer p;
  for (int i = 0; i < FramePacer::kSettleFrames; ++i) p.frame_drawn(false);
  ASSERT_FALSE(p.should_draw());
  p.on_input();
  int drawn = 0;
  while (p.should_draw() && drawn < 100) {
    ++drawn;
    p.frame_drawn(false);
  }
  EXPECT_EQ(drawn, FramePacer::kSettleFrames);
}

TEST(FramePacer, PlayingDrawsEveryFrameUntilItStops) {
  FramePacer p;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(p.should_draw()) << i;
    p.frame_drawn(true);
  }
  // Paused: values still flying finish their flight, then it sleeps.
  p.frame_drawn(needs_another_frame(Activity{.values_in_flight = 1}));
  EXPECT_TRUE(p.should_draw());
  p.frame_drawn(needs_another_frame(Activity{}));
  EXPECT_FALSE(p.should_draw());
}

TEST(KeyQueue, KeepsEveryPressInOrderAndAppliesEachOnce) {
  KeyQueue q;
  EXPECT_TRUE(q.empty());
  // Two taps of Right and a Space between two frames: ImGui's key state would see at
  // most one of them.
  q.push(PlayerKey::step_forward);
  q.push(PlayerKey::step_forward);
  q.push(PlayerKey::toggle_play);
  EXPECT_EQ(q.size(), 3u);
  const std::vector<PlayerKey> first = q.take();
  EXPECT_EQ(first, (std::vector<PlayerKey>{PlayerKey::step_forward, PlayerKey::step_forward, PlayerKey::toggle_play}));
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.take().empty());  // the next frame applies nothing again
}

TEST(KeyQueue, IsBoundedAndClears) {
  KeyQueue q;
  for (std::size_t i = 0; i < 3 * KeyQueue::kMax; ++i) q.push(PlayerKey::step_back);
  EXPECT_EQ(q.size(), KeyQueue::kMax);
  q.clear();
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace goscope
