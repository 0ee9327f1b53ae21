// player_screenshot_test.cpp: `goscope --lesson ID --screenshot F.png --at mid` under Xvfb
// for every lesson: the stage at the middle of the run is drawn (not blank), and --at
// puts the playhead where it says (start and end differ from the middle).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include <stb_image.h>

#include "lessons/lesson.h"
#include "tests/app/process.h"
#include "ui/views/app_shell.h"

namespace goscope::test {
namespace {

#if defined(GOSCOPE_ASAN)
const std::string kPlayerEnv = "env ASAN_OPTIONS=detect_leaks=0 ";  // see screenshot_test.cpp
#else
const std::string kPlayerEnv;
#endif

// StagePixels is the stage panel's part of a screenshot.
struct StagePixels {
  bool loaded = false;
  std::set<uint32_t> colours;
  std::vector<uint32_t> pixels;
};

StagePixels stage_of(const std::string& png) {
  StagePixels out;
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(png.c_str(), &w, &h, &n, 3);
  if (!data) return out;
  out.loaded = true;
  const ui::ShellLayout layout = ui::layout_shell(ImVec2(static_cast<float>(w), static_cast<float>(h)), 1.0f);
  const ui::PanelRect& r = layout[ui::Panel::stage];
  for (int y = static_cast<int>(r.pos.y) + 30; y < static_cast<int>(r.pos.y + r.size.y); ++y) {
    for (int x = static_cast<int>(r.pos.x); x < static_cast<int>(r.pos.x + r.size.x); ++x) {
      const unsigned char* p = data + (static_cast<std::ptrdiff_t>(y) * w + x) * 3;
      const uint32_t c = uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
      out.colours.insert(c);
      out.pixels.push_back(c);
    }
  }
  stbi_image_free(data);
  return out;
}

class LessonScreenshot : public ::testing::TestWithParam<std::string> {};

TEST_P(LessonScreenshot, TheStageAtTheMiddleIsDrawnAndDiffersFromTheStart) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("player-" + GetParam());
  for (const char* at : {"0", "mid"}) {
    const Ran ran = run_command(under_xvfb(kPlayerEnv + "'" + kGoscope + "' --lesson " + GetParam() +
                                           " --screenshot " + at + ".png --at " + at + " --frames 2"),
                                dir);
    ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  }
  const StagePixels start = stage_of((dir / "0.png").string());
  const StagePixels mid = stage_of((dir / "mid.png").string());
  ASSERT_TRUE(start.loaded && mid.loaded);
  // Figures, pipes, text and their state colours: far more than a background and a border.
  EXPECT_GT(mid.colours.size(), 40u) << GetParam();
  EXPECT_NE(start.pixels, mid.pixels) << GetParam() << ": --at mid drew the same stage as --at 0";
}

std::vector<std::string> ids() {
  std::vector<std::string> out;
  for (const lessons::Lesson& l : lessons::all()) out.push_back(l.id);
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryLesson, LessonScreenshot, ::testing::ValuesIn(ids()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n)
    if (c == '-') c = '_';
  return n;
});

}  // namespace
}  // namespace goscope::test
