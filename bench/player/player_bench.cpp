// player_bench.cpp: what one frame of the lesson player costs to build, NewFrame to
// Render, in a window-less ImGui context (CPU only: under Xvfb the software rasteriser,
// not ImGui, is the cost of drawing; HEADLESS.md). The panels are the player's (controls,
// lessons, stage, narration, code, console) in the app shell at 1600x1000 with the app's
// fonts; the timeline and stats panels show their placeholders.
//
//   goscope-player-bench                      # all
//   goscope-player-bench --benchmark_filter=Jump
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include <imgui.h>

#include "app/cli.h"
#include "app/lesson_player.h"
#include "ui/views/app_shell.h"
#include "ui/views/player.h"

namespace goscope {
namespace {

// Ui is a window-less ImGui context with goscope's fonts and style.
class Ui {
 public:
  Ui() {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60.0f;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    const char* dir = "/usr/share/fonts/truetype/dejavu/";
    auto font = [&](const char* file, float px) -> ImFont* {
      const std::string path = std::string(dir) + file;
      return std::filesystem::exists(path) ? io.Fonts->AddFontFromFileTTF(path.c_str(), px) : nullptr;
    };
    fonts_.ui = font("DejaVuSans.ttf", 16);
    fonts_.mono = font("DejaVuSansMono.ttf", 15);
    fonts_.heading = font("DejaVuSans-Bold.ttf", 19);
    if (!fonts_.ui) fonts_.ui = io.Fonts->AddFontDefault();
    io.FontDefault = fonts_.ui;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    ui::apply_style(1.0f);
  }
  ~Ui() { ImGui::DestroyContext(ctx_); }
  const ui::Fonts& fonts() const { return fonts_; }

  void frame(const ui::AppShell& shell) {
    ImGui::NewFrame();
    ui::draw_app_shell(shell);
    ImGui::Render();
  }

 private:
  ImGuiContext* ctx_ = nullptr;
  ui::Fonts fonts_;
};

// FanOut64 is fan-out with 64 workers and 1,000 jobs, in the shell, paused.
struct FanOut64 {
  Ui ui;
  std::unique_ptr<ui::Player> player;
  ui::AppShell shell;

  FanOut64() {
    app::Options options;
    options.lesson = "fan-out";
    options.sets = {{"workers", "64"}, {"jobs", "1000"}};
    options.screenshot = "unused.png";  // still: no hover, paused
    options.at = app::At{app::At::Kind::mid, 0};
    player = app::make_player(options);
    player->set_fonts(ui.fonts());
    player->attach(shell);
    shell.fonts = ui.fonts();
    ui.frame(shell);  // lays the stage out once, as the first frame of the app does
  }
};

void BM_FrameFanOut64AtTheMiddle(benchmark::State& state) {
  FanOut64 f;
  for (auto _ : state) {
    f.ui.frame(f.shell);
    benchmark::DoNotOptimize(ImGui::GetDrawData()->TotalVtxCount);
  }
  state.counters["events"] = static_cast<double>(f.player->size());
  state.counters["vertices"] = ImGui::GetDrawData()->TotalVtxCount;
}
BENCHMARK(BM_FrameFanOut64AtTheMiddle)->Unit(benchmark::kMillisecond);

// The frame after Home at the end of the run: the jump (a snapshot copy and a short
// fold) plus drawing the start.
void BM_FrameJumpFromTheEndToTheStart(benchmark::State& state) {
  FanOut64 f;
  for (auto _ : state) {
    state.PauseTiming();
    f.player->seek_end();
    f.ui.frame(f.shell);
    state.ResumeTiming();
    f.player->seek(0);
    f.ui.frame(f.shell);
  }
  state.counters["events"] = static_cast<double>(f.player->size());
}
BENCHMARK(BM_FrameJumpFromTheEndToTheStart)->Unit(benchmark::kMillisecond);

// A step back at the end: the jump that folds the most from a snapshot.
void BM_FrameStepBackAtTheEnd(benchmark::State& state) {
  FanOut64 f;
  for (auto _ : state) {
    state.PauseTiming();
    f.player->seek_end();
    state.ResumeTiming();
    f.player->step_back();
    f.ui.frame(f.shell);
  }
}
BENCHMARK(BM_FrameStepBackAtTheEnd)->Unit(benchmark::kMillisecond);

// Playing at 8x: the frames a learner sees most, with values in flight.
void BM_FramePlayingAt8x(benchmark::State& state) {
  FanOut64 f;
  f.player->set_speed(8.0f);
  f.player->play();
  for (auto _ : state) {
    if (f.player->at_end()) f.player->seek_fraction(0.5), f.player->play();
    f.ui.frame(f.shell);
  }
}
BENCHMARK(BM_FramePlayingAt8x)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace goscope

BENCHMARK_MAIN();
