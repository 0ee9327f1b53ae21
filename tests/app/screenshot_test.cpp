// screenshot_test.cpp: the real goscope executable, run the way a user runs it: with no
// display, with a bad flag, and rendering a screenshot under Xvfb.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

TEST(Executable, BadFlagExitsTwoWithTheProblemInOneLine) {
  const auto dir = scratch_dir("badflag");
  const Ran ran = run_command("'" + kGoscope + "' --no-such-flag", dir);
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err, "goscope: unknown option '--no-such-flag' (see --help)\n");
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

TEST(Executable, ScreenshotToAFullDeviceExitsThreeAndSaysWhy) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("screenshot-full");
  const Ran ran = run_command(under_xvfb(kEnv + "'" + kGoscope + "' --screenshot /dev/full --size 320x200"), dir);
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("goscope: cannot write /dev/full: No space left on device\n"), std::string::npos) << ran.err;
  EXPECT_EQ(ran.out.find("wrote"), std::string::npos) << ran.out;
}

TEST(Executable, AFailedScreenshotKeepsTheOldFileAndLeavesNoPartOfTheNewOne) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("screenshot-fails");
  write_file(dir / "shot.png", "the old picture");
  const Ran ran = run_command(
      under_xvfb("sh -c \"" + kFileSizeLimit + "exec " + kEnv + "'" + kGoscope + "' --screenshot shot.png\""), dir);
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("goscope: cannot write shot.png: File too large\n"), std::string::npos) << ran.err;
  EXPECT_EQ(slurp(dir / "shot.png"), "the old picture");
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"shot.png", "stderr.txt", "stdout.txt"}));
}

TEST(Executable, AtPastTheLastEventSaysSoAndShowsTheEnd) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("at-past-end");
  // The run's event count, as --json reports it.
  const Ran counted = run_command("'" + kGoscope + "' --lesson waitgroup --run --json", dir);
  const std::string events = std::to_string(nlohmann::json::parse(counted.out)["events"].get<uint64_t>());
  const Ran ran = run_command(
      under_xvfb(kEnv + "'" + kGoscope + "' --lesson waitgroup --screenshot shot.png --size 320x200 --at 99999"), dir);
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("goscope: --at 99999: the run has only " + events + " events; showing the last\n"),
            std::string::npos)
      << ran.err;
  const Ran fits = run_command(
      under_xvfb(kEnv + "'" + kGoscope + "' --lesson waitgroup --screenshot shot.png --size 320x200 --at " + events),
      dir);
  EXPECT_EQ(fits.exit_code, 0) << fits.out << fits.err;
  EXPECT_EQ(fits.err.find("--at"), std::string::npos) << fits.err;
}

}  // namespace
}  // namespace goscope::test
