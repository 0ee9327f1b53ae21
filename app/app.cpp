// app.cpp: the window loop and the choice between window and headless work.
#include "app/app.h"

#include <cstdio>
#include <iostream>

#include "app/app_panels.h"
#include "app/bench_frames.h"
#include "app/gui.h"
#include "app/headless.h"
#include "app/lesson_player.h"
#include "app/png.h"

namespace goscope::app {

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
  for (int frame = 1;; ++frame) {
    if (!options.screenshot && gui->should_close()) return 0;
    gui->begin_frame();
    app->draw(*gui);
    gui->render();
    // A screenshot shows the throughput plot whole: its sweep runs in the background.
    if (options.screenshot && frame == 1) app->panels->sweep_panel().wait();
    if (options.screenshot && frame >= options.frames) {
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
