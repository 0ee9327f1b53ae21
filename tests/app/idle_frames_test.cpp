// idle_frames_test.cpp: the real window, under Xvfb, draws nothing while nothing moves.
// GOSCOPE_EXIT_AFTER=S opens it paused, runs the ordinary window loop for S seconds and
// reports on stderr "goscope: drew N frames in S s, the last at T s".
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/app/process.h"

namespace goscope::test {
namespace {

#if defined(GOSCOPE_ASAN)
const std::string kEnv = "env ASAN_OPTIONS=detect_leaks=0 GOSCOPE_EXIT_AFTER=2.5 ";
#else
const std::string kEnv = "env GOSCOPE_EXIT_AFTER=2.5 ";
#endif

TEST(IdleWindow, PausedWithNoInputItDrawsNoFrameForASecond) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("idle");
  const Ran ran = run_command(under_xvfb(kEnv + "'" + kGoscope + "' --lesson select --size 1024x700"), dir);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  int frames = 0;
  double total = 0, last = 0;
  const auto at = ran.err.find("goscope: drew ");
  ASSERT_NE(at, std::string::npos) << ran.err;
  ASSERT_EQ(std::sscanf(ran.err.c_str() + at, "goscope: drew %d frames in %lf s, the last at %lf s", &frames, &total,
                        &last),
            3)
      << ran.err;
  EXPECT_GE(total, 2.5);
  // A few frames at the start lay the window out; then nothing until input comes, which
  // under Xvfb never does. Redrawing all the time would be a frame every few tens of ms.
  EXPECT_GE(frames, 1);
  EXPECT_LE(frames, 10) << ran.err;
  EXPECT_LE(last, total - 1.0) << ran.err;
}

}  // namespace
}  // namespace goscope::test
