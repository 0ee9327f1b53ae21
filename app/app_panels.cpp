// app_panels.cpp
#include "app/app_panels.h"

#include "app/lesson_player.h"
#include "app/lesson_sweep.h"
#include "app/version.h"

namespace goscope::app {

std::unique_ptr<AppPanels> make_app_panels(const LessonRequest* request, const ViewRequest& view) {
  auto app = std::make_unique<AppPanels>();
  app->shell.version = kVersion;
  app->player = make_player(request, view);
  app->player->attach(app->shell);
  app->panels = std::make_unique<ui::RunPanels>(*app->player, measure_run);
  app->panels->attach(app->shell);
  return app;
}

void AppPanels::draw(const Gui& gui) {
  shell.fonts = gui.fonts();
  shell.scale = gui.scale();
  player->set_fonts(gui.fonts());
  ui::draw_app_shell(shell);
}

}  // namespace goscope::app
