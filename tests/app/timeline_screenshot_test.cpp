// timeline_screenshot_test.cpp: the timeline and the throughput plot in the real app
// under Xvfb: a screenshot whose timeline and stats panels hold the colours they should
// draw, and --bench-frames printing its one line.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <regex>
#include <set>
#include <string>

#include <stb_image.h>

#include "tests/app/process.h"
#include "ui/model/sweep.h"
#include "ui/model/timeline.h"
#include "ui/views/app_shell.h"
#include "ui/views/plot_view.h"
#include "ui/views/theme.h"

namespace goscope::test {
namespace {

#if defined(GOSCOPE_ASAN)
const std::string kEnv = "env ASAN_OPTIONS=detect_leaks=0 ";  // see screenshot_test.cpp
#else
const std::string kEnv;
#endif

// Image is a decoded RGB screenshot.
struct Image {
  int width = 0, height = 0;
  unsigned char* pixels = nullptr;
  ~Image() { std::free(pixels); }
  uint32_t at(int x, int y) const {
    const unsigned char* p = pixels + (static_cast<std::ptrdiff_t>(y) * width + x) * 3;
    return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
  }
};

uint32_t rgb_of(ImU32 c) {
  return ((c >> IM_COL32_R_SHIFT) & 0xFF) << 16 | ((c >> IM_COL32_G_SHIFT) & 0xFF) << 8 | ((c >> IM_COL32_B_SHIFT) & 0xFF);
}

// pixels_of counts the pixels of colour `rgb` inside a panel.
int pixels_of(const Image& img, const ui::PanelRect& r, uint32_t rgb) {
  int n = 0;
  for (int y = static_cast<int>(r.pos.y); y < static_cast<int>(r.pos.y + r.size.y) && y < img.height; ++y)
    for (int x = static_cast<int>(r.pos.x); x < static_cast<int>(r.pos.x + r.size.x) && x < img.width; ++x)
      n += img.at(x, y) == rgb;
  return n;
}

int colours_in(const Image& img, const ui::PanelRect& r) {
  std::set<uint32_t> colours;
  for (int y = static_cast<int>(r.pos.y); y < static_cast<int>(r.pos.y + r.size.y) && y < img.height; ++y)
    for (int x = static_cast<int>(r.pos.x); x < static_cast<int>(r.pos.x + r.size.x) && x < img.width; ++x)
      colours.insert(img.at(x, y));
  return static_cast<int>(colours.size());
}

TEST(TimelineScreenshot, FanOutShowsWorkingLanesAndBothSweepCurves) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("timeline-shot");
  const Ran ran = run_command(
      under_xvfb(kEnv + "'" + kGoscope + "' --lesson fan-out --screenshot shot.png --size 1600x1000 --frames 3"), dir);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  Image img;
  int channels = 0;
  img.pixels = stbi_load((dir / "shot.png").c_str(), &img.width, &img.height, &channels, 3);
  ASSERT_NE(img.pixels, nullptr) << stbi_failure_reason();
  ASSERT_EQ(img.width, 1600);

  const ui::ShellLayout layout = ui::layout_shell(ImVec2(1600, 1000), 1.0f);
  const ui::PanelRect& timeline = layout[ui::Panel::timeline];
  const ui::PanelRect& stats = layout[ui::Panel::stats];
  EXPECT_GT(colours_in(img, timeline), 30);
  EXPECT_GT(colours_in(img, stats), 30);
  // Cpu-bound fan-out: the four workers' lanes are mostly simulated work, and main waits
  // on a receive; both colours fill thousands of pixels of the timeline.
  EXPECT_GT(pixels_of(img, timeline, rgb_of(ui::style_color(SegmentStyle::working))), 5000);
  EXPECT_GT(pixels_of(img, timeline, rgb_of(ui::style_color(SegmentStyle::blocked_recv))), 1000);
  // The stats panel opens on the sweep: both curves are drawn in their colours.
  EXPECT_GT(pixels_of(img, stats, rgb_of(ui::series_colour(WorkKind::cpu, 0))), 100);
  EXPECT_GT(pixels_of(img, stats, rgb_of(ui::series_colour(WorkKind::io, 1))), 100);
}

TEST(BenchFrames, PrintsTheMedianFrameTimeAndVertexCount) {
  if (!have_program("xvfb-run")) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb xauth)";
  const auto dir = scratch_dir("bench-frames");
  const Ran ran = run_command(
      under_xvfb(kEnv + "'" + kGoscope + "' --lesson fan-out --bench-frames 5 --size 1280x800"), dir);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(ran.out, m, std::regex("median ([0-9]+\\.[0-9]{2}) ms/frame, ([0-9]+) vertices\n")))
      << ran.out;
  EXPECT_GT(std::stod(m[1].str()), 0.0);
  EXPECT_GT(std::stoi(m[2].str()), 1000);
  EXPECT_NE(ran.err.find("goroutine lanes"), std::string::npos) << ran.err;
}

TEST(BenchFrames, NeedsALesson) {
  const auto dir = scratch_dir("bench-frames-usage");
  const Ran ran = run_command("'" + kGoscope + "' --bench-frames 5", dir);
  EXPECT_EQ(ran.exit_code, 2);
}

}  // namespace
}  // namespace goscope::test
