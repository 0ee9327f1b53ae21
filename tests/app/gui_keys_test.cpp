// gui_keys_test.cpp: which GLFW key events the window queues for the player (no window).
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>

#include "app/gui.h"

namespace goscope::app {
namespace {

std::optional<PlayerKey> key(int k, int action, int mods = 0) {
  PlayerKey out;
  if (!player_key(k, action, mods, out)) return std::nullopt;
  return out;
}

TEST(PlayerKeys, SpaceLeftRightHomeArePlayerKeys) {
  EXPECT_EQ(key(GLFW_KEY_SPACE, GLFW_PRESS), PlayerKey::toggle_play);
  EXPECT_EQ(key(GLFW_KEY_LEFT, GLFW_PRESS), PlayerKey::step_back);
  EXPECT_EQ(key(GLFW_KEY_RIGHT, GLFW_PRESS), PlayerKey::step_forward);
  EXPECT_EQ(key(GLFW_KEY_HOME, GLFW_PRESS), PlayerKey::restart);
  EXPECT_EQ(key(GLFW_KEY_A, GLFW_PRESS), std::nullopt);
}

TEST(PlayerKeys, ArrowsRepeatWhenHeldSpaceAndHomeDoNotAndReleasesDoNothing) {
  EXPECT_EQ(key(GLFW_KEY_RIGHT, GLFW_REPEAT), PlayerKey::step_forward);
  EXPECT_EQ(key(GLFW_KEY_LEFT, GLFW_REPEAT), PlayerKey::step_back);
  EXPECT_EQ(key(GLFW_KEY_SPACE, GLFW_REPEAT), std::nullopt);
  EXPECT_EQ(key(GLFW_KEY_HOME, GLFW_REPEAT), std::nullopt);
  for (int k : {GLFW_KEY_SPACE, GLFW_KEY_LEFT, GLFW_KEY_RIGHT, GLFW_KEY_HOME}) EXPECT_EQ(key(k, GLFW_RELEASE), std::nullopt);
}

TEST(PlayerKeys, WithCtrlAltOrSuperTheyAreNotThePlayers) {
  for (int mod : {GLFW_MOD_CONTROL, GLFW_MOD_ALT, GLFW_MOD_SUPER}) EXPECT_EQ(key(GLFW_KEY_SPACE, GLFW_PRESS, mod), std::nullopt);
  EXPECT_EQ(key(GLFW_KEY_RIGHT, GLFW_PRESS, GLFW_MOD_SHIFT), PlayerKey::step_forward);
}

}  // namespace
}  // namespace goscope::app
