// timeline_panels.cpp: the player's run, laid out once per run, drawn every frame.
#include "ui/views/timeline_panels.h"

#include <cctype>
#include <utility>

namespace goscope::ui {

RunPanels::RunPanels(Player& player, MeasureRun measure) : player_(player), measure_(std::move(measure)) {}

void RunPanels::attach(AppShell& shell) {
  shell.timeline = [this] { draw_timeline(); };
  shell.stats = [this] { draw_stats(); };
}

void RunPanels::refresh() {
  if (run_id_ == player_.run_id()) return;
  run_id_ = player_.run_id();
  timeline_ = build_timeline(player_.model());
  stats_ = compute_stats(player_.model(), timeline_);
  measures_ = measure_ ? measure_(player_.request()) : RunMeasures{};
  view_.reset();  // the timeline was rebuilt in place
  if (measures_.sweep) sweep_panel_.prepare(&*measures_.sweep);
  // A lesson with a sweep opens on its plot: how many workers pay is its question.
  if (player_.request().lesson != lesson_) {
    lesson_ = player_.request().lesson;
    if (measures_.sweep) open_tab_ = 3;
  }
}

void RunPanels::draw_timeline() {
  refresh();
  if (player_.size() == 0) {
    ImGui::TextDisabled("No run yet: pick a lesson.");
    return;
  }
  std::size_t playhead = player_.playhead();
  last_frame_ = view_.draw(timeline_, player_.model().events(), playhead);
  if (last_frame_.playhead_moved) player_.seek(playhead);
  if (last_frame_.hover.g) player_.hover_goroutine(last_frame_.hover.g);
}

void RunPanels::draw_stats() {
  refresh();
  if (player_.size() == 0) {
    ImGui::TextDisabled("No run yet: pick a lesson.");
    return;
  }
  StatsOptions o;
  if (!measures_.items_name.empty()) {
    o.items_name = measures_.items_name.c_str();
    o.items = measures_.items;
  }
  if (measures_.sweep) {
    o.workers_tab = [this] { sweep_panel_.draw(&*measures_.sweep); };
    tab_name_ = measures_.sweep->shape.param;
    if (!tab_name_.empty()) tab_name_[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(tab_name_[0])));
    o.workers_tab_name = tab_name_.c_str();
  }
  o.open_tab = open_tab_;
  open_tab_ = -1;
  ui::draw_stats(stats_, o);
}

}  // namespace goscope::ui
