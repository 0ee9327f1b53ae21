// app.cpp: the window loop and the choice between window and headless work.
#include "app/app.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <imgui.h>

#include "app/app_panels.h"
#include "app/bench_frames.h"
#include "app/gui.h"
#include "app/headless.h"
#include "app/lesson_player.h"
#include "app/png.h"
#include "ui/model/frame_pacing.h"
#include "ui/model/sweep.h"

namespace goscope::app {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// exit_after_seconds reads GOSCOPE_EXIT_AFTER (a check of idle drawing, for tests): the
// window opens paused, as if the learner had pressed Space, runs the ordinary loop,
// closes itself after that many seconds and reports on stderr the frames it drew.
double exit_after_seconds() {
  const char* v = std::getenv("GOSCOPE_EXIT_AFTER");
  if (!v || !*v) return 0;
  const double s = std::strtod(v, nullptr);
  return s > 0 && s < 3600 ? s : 0;
}

// screenshot_loop draws options.frames frames as fast as it can and writes the last.
int screenshot_loop(const Options& options, Gui& gui_ref, AppPanels& app_ref) {
  Gui* gui = &gui_ref;
  AppPanels* app = &app_ref;
  std::string problem;
  for (int frame = 1;; ++frame) {
    gui->begin_frame();
    app->draw(*gui);
    gui->render();
    // A screenshot shows the throughput plot whole: its sweep runs in the background.
    if (frame == 1) app->panels->sweep_panel().wait();
    if (frame >= options.frames) {
      int width = 0, height = 0;
      const std::vector<unsigned char> rgb = gui->read_back(width, height);
      if (!write_png(*options.screenshot, width, height, rgb, problem)) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        return kExitOutput;
      }
      std::printf("goscope: wrote %s (%dx%d)\n", options.screenshot->c_str(), width, height);
      return 0;
    }
    gui->present();
  }
}

}  // namespace

int run_gui(const Options& options, const LessonRequest* request) {
  GuiOptions gui_options;
  gui_options.size = options.size;
  // A screenshot renders as fast as it can and leaves the user's settings alone, so
  // it looks the same on every machine.
  gui_options.vsync = !options.screenshot;
  gui_options.save_settings = !options.screenshot;
  std::string problem;
  std::unique_ptr<Gui> gui = Gui::open(gui_options, problem);
  if (!gui) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return 1;
  }

  const std::unique_ptr<AppPanels> app = make_app_panels(request, view_request(options));
  std::fputs(at_past_end(options, *app->player).c_str(), stderr);
  if (options.screenshot) return screenshot_loop(options, *gui, *app);

  // The window draws while something moves or input arrives, and otherwise sleeps in
  // glfwWaitEventsTimeout (ui/model/frame_pacing.h): a paused app costs no CPU.
  app->player->use_key_queue(&gui->keys());
  const double exit_after = exit_after_seconds();
  if (exit_after > 0) app->player->pause();
  const double start = now_seconds();
  double last_frame = 0;
  int frames = 0;
  FramePacer pacer;
  for (;;) {
    if (gui->should_close()) break;
    if (exit_after > 0 && now_seconds() - start >= exit_after) break;
    double wait = pacer.wait_seconds();
    if (exit_after > 0 && wait > 0) wait = std::min(wait, std::max(0.01, exit_after - (now_seconds() - start)));
    gui->wait_events(wait);
    if (gui->take_events() > 0) pacer.on_input();
    if (!pacer.should_draw()) continue;
    gui->begin_frame();
    app->draw(*gui);
    gui->render();
    gui->present();
    // Events that came while drawing (begin_frame polls) are input for the next frame.
    if (gui->take_events() > 0) pacer.on_input();
    ++frames;
    last_frame = now_seconds() - start;
    Activity activity = app->player->activity();
    const SweepJob* sweep = app->panels->sweep_panel().job();
    activity.background_work = sweep && !sweep->done();
    activity.text_input = ImGui::GetIO().WantTextInput;
    pacer.frame_drawn(needs_another_frame(activity));
  }
  if (exit_after > 0) {
    std::fprintf(stderr, "goscope: drew %d frames in %.2f s, the last at %.2f s\n", frames, now_seconds() - start,
                 last_frame);
  }
  return 0;
}

int run_options(const Options& options) {
  if (wants_headless(options)) return run_headless(options, std::cout, std::cerr);
  if (options.bench_frames && !options.lesson) {
    std::fputs(usage_error("--bench-frames needs --lesson ID").c_str(), stderr);
    return kExitUsage;
  }
  // Check the lesson and its settings once, now, so a typo exits 2 instead of opening a
  // window; the window and --bench-frames take the checked request.
  std::optional<LessonRequest> request;
  if (options.lesson) {
    std::string problem;
    request = resolve_lesson_request(options, problem);
    if (!request) {
      std::fputs(usage_error(problem).c_str(), stderr);
      return kExitUsage;
    }
  }
  if (options.bench_frames) return run_bench_frames(options, *request);
  return run_gui(options, request ? &*request : nullptr);
}

}  // namespace goscope::app
