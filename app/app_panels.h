// app_panels.h: the window's content, one way for everything that draws the app.
//
// The shell (ui/views/app_shell.h) with the lesson player's panels and the run panels
// (timeline, stats, throughput plot) attached. The app's window loop and --bench-frames
// both draw this, so what is timed is exactly what a learner sees.
#pragma once

#include <memory>

#include "app/cli.h"
#include "app/gui.h"
#include "app/lesson_player.h"
#include "app/lesson_request.h"
#include "ui/views/app_shell.h"
#include "ui/views/player.h"
#include "ui/views/timeline_panels.h"

namespace goscope::app {

struct AppPanels {
  ui::AppShell shell;
  std::unique_ptr<ui::Player> player;      // fills the panels; app/lesson_player.cpp runs lessons for it
  std::unique_ptr<ui::RunPanels> panels;   // follow the player's runs

  // draw lays out one frame with the window's fonts and scale (between begin_frame and render).
  void draw(const Gui& gui);
};

// make_app_panels builds the window's content for a checked lesson request (null: the
// first lesson, as a learner starts) shown as `view` says. The panels point into each
// other: keep them where they are made.
std::unique_ptr<AppPanels> make_app_panels(const LessonRequest* request, const ViewRequest& view);

}  // namespace goscope::app
