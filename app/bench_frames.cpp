// bench_frames.cpp: timing frames of the whole app between ImGui's NewFrame and Render.
#include "app/bench_frames.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/app_panels.h"
#include "app/gui.h"
#include "app/lesson_player.h"

namespace goscope::app {
namespace {

// thread_cpu_ns is the CPU time this thread has used: what drawing costs, without the
// time the scheduler gave to other processes.
int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// FrameClock is filled by ImGui context hooks at NewFrame (start) and after Render (end).
struct FrameClock {
  int64_t start = 0;
  std::vector<int64_t> frames;
  std::vector<int> vertices;
  bool timing = false;
};

void on_new_frame(ImGuiContext*, ImGuiContextHook* hook) {
  static_cast<FrameClock*>(hook->UserData)->start = thread_cpu_ns();
}

void on_render(ImGuiContext*, ImGuiContextHook* hook) {
  auto* clock = static_cast<FrameClock*>(hook->UserData);
  if (!clock->timing) return;
  clock->frames.push_back(thread_cpu_ns() - clock->start);
  const ImDrawData* data = ImGui::GetDrawData();
  clock->vertices.push_back(data ? data->TotalVtxCount : 0);
}

}  // namespace

int run_bench_frames(const Options& options, const LessonRequest& request) {
  std::string problem;
  const int frames = std::max(1, options.bench_frames.value_or(1));

  GuiOptions gui_options;
  gui_options.size = options.size;
  gui_options.vsync = false;  // as fast as it can: the time is measured, not waited for
  gui_options.save_settings = false;
  std::unique_ptr<Gui> gui = Gui::open(gui_options, problem);
  if (!gui) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return 1;
  }

  // The whole app, as run_gui draws it, paused so every timed frame draws the same.
  const std::unique_ptr<AppPanels> app = make_app_panels(&request, view_request(options));
  ui::Player& player = *app->player;
  ui::RunPanels& panels = *app->panels;
  if (!options.at) player.seek_fraction(0.5);
  player.pause();

  FrameClock clock;
  ImGuiContextHook start_hook;
  start_hook.Type = ImGuiContextHookType_NewFramePre;
  start_hook.Callback = on_new_frame;
  start_hook.UserData = &clock;
  ImGuiContextHook end_hook;
  end_hook.Type = ImGuiContextHookType_RenderPost;
  end_hook.Callback = on_render;
  end_hook.UserData = &clock;
  ImGui::AddContextHook(ImGui::GetCurrentContext(), &start_hook);
  ImGui::AddContextHook(ImGui::GetCurrentContext(), &end_hook);

  auto frame = [&] {
    gui->begin_frame();
    app->draw(*gui);
    gui->render();
  };
  // Untimed: the first frame lays the run out (timeline, stats) and starts the sweep of
  // the throughput tab; the sweep finishes before timing so it does not share the CPU.
  panels.open_stats_tab(3);
  const auto sweep_start = std::chrono::steady_clock::now();
  frame();
  gui->present();
  panels.sweep_panel().wait();
  const double sweep_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sweep_start).count();
  frame();
  gui->present();

  clock.timing = true;
  for (int i = 0; i < frames; ++i) {
    frame();
    gui->present();
  }
  clock.timing = false;
  const std::vector<int64_t> still = clock.frames;
  const std::vector<int> still_vertices = clock.vertices;

  // The same frames while the view moves (a pixel right, a pixel left: a drag), so no
  // frame can reuse the last frame's lane rectangles: what panning and zooming cost.
  clock.frames.clear();
  clock.vertices.clear();
  clock.timing = true;
  for (int i = 0; i < frames; ++i) {
    panels.timeline_view().viewport.pan(i % 2 == 0 ? 1.0 : -1.0);
    frame();
    gui->present();
  }
  clock.timing = false;
  std::vector<int64_t> moving = clock.frames;
  std::sort(moving.begin(), moving.end());
  clock.frames = still;
  clock.vertices = still_vertices;

  std::vector<int64_t> sorted = clock.frames;
  std::sort(sorted.begin(), sorted.end());
  const double median_ms = sorted.empty() ? 0.0 : static_cast<double>(sorted[sorted.size() / 2]) / 1e6;
  const int vertices = clock.vertices.empty() ? 0 : *std::max_element(clock.vertices.begin(), clock.vertices.end());
  std::printf("median %.2f ms/frame, %d vertices\n", median_ms, vertices);
  const ui::TimelineFrame& tf = panels.last_timeline_frame();
  std::fprintf(stderr,
               "goscope: %s, %zu events, %zu goroutine lanes; %d frames at %dx%d, min %.2f max %.2f ms; "
               "timeline: %d rows, %zu rectangles, %zu arrows drawn of %zu in view\n",
               request.lesson->id.c_str(), player.size(), panels.timeline().lanes.size(), frames,
               options.size.width, options.size.height,
               sorted.empty() ? 0.0 : static_cast<double>(sorted.front()) / 1e6,
               sorted.empty() ? 0.0 : static_cast<double>(sorted.back()) / 1e6, tf.rows_drawn, tf.rects, tf.arrows,
               tf.arrows_on_screen);
  if (const SweepJob* job = panels.sweep_panel().job()) {
    const SweepResult r = job->snapshot();
    std::size_t points = 0;
    for (const SweepSeries& series : r.series) points += series.points.size();
    std::fprintf(stderr, "goscope: the throughput sweep (%zu runs) took %.0f ms before the first timed frame\n", points,
                 sweep_ms);
  }
  if (!moving.empty()) {
    std::fprintf(stderr, "goscope: while panning: median %.2f ms/frame (max %.2f)\n",
                 static_cast<double>(moving[moving.size() / 2]) / 1e6, static_cast<double>(moving.back()) / 1e6);
  }
  return 0;
}

}  // namespace goscope::app
