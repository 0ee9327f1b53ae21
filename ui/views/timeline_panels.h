// timeline_panels.h: the timeline and stats panels of the app shell, fed by the player.
//
// RunPanels watches the player's recording: when it changes (another lesson, a slider,
// a seed), it lays the run out once (build_timeline, compute_stats: O(events)) and asks
// the app what the ui cannot know (MeasureRun: what the lesson counts as throughput, and
// a sweep it can run for the throughput-vs-workers plot). Every frame it draws the
// timeline with the player's playhead (a click seeks the player) and the stats with
// the plot in their "Workers" tab, which a lesson with a sweep opens on.
//
// Example:
//
//   goscope::ui::RunPanels panels(*player, measure_run);   // measure_run: app/lesson_sweep.h
//   panels.attach(shell);                                  // after player->attach(shell)
//   // every frame: goscope::ui::draw_app_shell(shell)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ui/model/run_stats.h"
#include "ui/model/timeline.h"
#include "ui/views/app_shell.h"
#include "ui/views/player.h"
#include "ui/views/plot_view.h"
#include "ui/views/stats_view.h"
#include "ui/views/timeline_view.h"

namespace goscope::ui {

// RunMeasures is what the app knows about a run that the ui cannot.
struct RunMeasures {
  std::string items_name;            // "jobs" (empty: the lesson counts no throughput)
  int64_t items = 0;                 // how many the run moves
  std::optional<SweepSource> sweep;  // the plot's sweep, for lessons that have one
};

// MeasureRun answers RunMeasures for a run request (called once per run, on the UI thread).
using MeasureRun = std::function<RunMeasures(const RunRequest&)>;

// RunPanels draws the timeline and stats panels for a player.
class RunPanels {
 public:
  // RunPanels shows `player`'s runs; `measure` may be empty (no throughput, no sweep).
  explicit RunPanels(Player& player, MeasureRun measure = {});

  // attach fills the shell's timeline and stats panels.
  void attach(AppShell& shell);
  // draw_timeline and draw_stats draw one panel's contents into the current window.
  void draw_timeline();
  void draw_stats();

  // open_stats_tab selects a stats tab on the next frame (0 run .. 3 workers).
  void open_stats_tab(int tab) { open_tab_ = tab; }
  TimelineView& timeline_view() { return view_; }
  SweepPlotPanel& sweep_panel() { return sweep_panel_; }
  const Timeline& timeline() {
    refresh();
    return timeline_;
  }
  const RunStats& stats() {
    refresh();
    return stats_;
  }
  const TimelineFrame& last_timeline_frame() const { return last_frame_; }

 private:
  void refresh();

  Player& player_;
  MeasureRun measure_;
  uint64_t run_id_ = UINT64_MAX;
  Timeline timeline_;
  RunStats stats_;
  RunMeasures measures_;
  TimelineView view_;
  TimelineFrame last_frame_;
  SweepPlotPanel sweep_panel_;
  int open_tab_ = -1;
  std::string tab_name_;
  std::string lesson_;  // the lesson of the last run (a new one opens the sweep's tab)
};

}  // namespace goscope::ui
