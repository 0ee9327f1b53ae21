// screenshot_test.cpp: the real goscope executable, run the way a user runs it: with no
// display, with a bad flag, and rendering a screenshot under Xvfb.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include <stb_image.h>

#include "tests/app/process.h"

namespace goscope::test {
namespace {

#if defined(GOSCOPE_ASAN)
// Mesa's llvmpipe leaks about 100 bytes at exit from a library it has already unloaded,
// so LeakSanitizer can neither name nor suppress it. goscope's own code is leak-checked
// by the in-process tests; the GUI process is checked for everything but leaks.
const std::string kEnv = "env ASAN_OPTIONS=detect_leaks=0 ";
#else
const std::string kEnv;
#endif

TEST(Executable, BadFlagExitsTwoWithTheProblemAndUsage) {
  const auto dir = scratch_dir("badflag");
  const Ran ran = run_command("'" + kGoscope + "' --no-such-flag", dir);
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_NE(ran.err.find("--no-such-flag"), std::string::npos) << ran.err;
  EXPECT_NE(ran.err.find("Usage:"), std::string::npos) << ran.err;
  EXPECT_TRUE(ran.out.empty()) << ran.out;
}

TEST(Executable, WithoutADisplaySaysSoInOneLineAndNamesXvfbRun) {
  const auto dir = scratch_dir("nodisplay");
  const Ran ran = run_command("env -u DISPLAY -u WAYLAND_DISPLAY '" + kGoscope + "'", dir);
  EXPECT_NE(ran.exit_code, 0);
  EXPECT_NE(ran.exit_code, -1) << "crashed";
  EXPECT_NE(ran.err.find("xvfb-run -a goscope --screenshot out.png"), std::string::npos) << ran.err;
  ASSERT_FALSE(ran.err.empty());
  EXPECT_EQ(ran.err.find('\n'), ran.err.size() - 1) << "more than one line:\n" << ran.err;
}

TEST(Executable, ScreenshotUnderXvfbHasTheRequestedSizeAndIsNotOneColour) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("screenshot");
  const Ran ran = run_command(
      under_xvfb(kEnv + "'" + kGoscope + "' --screenshot shot.png --size 1024x700 --frames 2"), dir);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;

  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load((dir / "shot.png").c_str(), &width, &height, &channels, 3);
  ASSERT_NE(pixels, nullptr) << "not a PNG stb_image can read: " << stbi_failure_reason();
  EXPECT_EQ(width, 1024);
  EXPECT_EQ(height, 700);
  // The shell draws panels, borders and text: far more than one colour.
  std::set<uint32_t> colours;
  for (int i = 0; i < width * height; ++i) {
    const unsigned char* p = pixels + static_cast<std::ptrdiff_t>(i) * 3;
    colours.insert(uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]);
  }
  stbi_image_free(pixels);
  EXPECT_GT(colours.size(), 16u);
}

}  // namespace
}  // namespace goscope::test
