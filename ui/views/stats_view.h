// stats_view.h: the statistics panel (issue 8): where the run's time went.
//
// Tabs:
//   Run         length, events, goroutines, throughput (the lesson's items per second
//               when it has them, and messages per second), processor utilisation and
//               the share of goroutine time spent blocked;
//   Goroutines  one row per goroutine: time running, runnable, blocked, sleeping,
//               working, a bar of where its life went in the timeline's colours, and
//               the share of the run it spent blocked;
//   Channels    one row per channel: messages passed, mean and max occupancy against
//               its capacity, time its senders and its receivers spent parked;
//   Workers     (when the caller gives one) the throughput-vs-workers plot.
// Long tables are clipped to the rows on screen, so a run of thousands of goroutines
// costs what fits in the panel.
//
// Example:
//
//   goscope::RunStats st = goscope::compute_stats(model, timeline);   // once per run
//   goscope::ui::StatsOptions opt{.items_name = "jobs", .items = 40,
//                                 .workers_tab = [&] { sweep_panel.draw(&source); }};
//   goscope::ui::draw_stats(st, opt);   // every frame, inside the Stats panel
#pragma once

#include <cstdint>
#include <functional>

#include "ui/model/run_stats.h"

namespace goscope::ui {

// StatsOptions says what the lesson counts as throughput, and adds the sweep tab.
struct StatsOptions {
  const char* items_name = nullptr;   // "jobs": what the run moves through (nullptr = none)
  int64_t items = 0;                  // how many of them this run moved
  std::function<void()> workers_tab;  // draws the "Workers" tab's body; empty = no tab
  const char* workers_tab_name = "Workers";
  int open_tab = -1;  // selects a tab this frame: 0 run, 1 goroutines, 2 channels, 3 workers
};

// StatsFrame says what one draw_stats showed (for tests).
struct StatsFrame {
  int goroutine_rows = 0;  // goroutine rows drawn (clipped to the visible ones)
  int channel_rows = 0;
  bool workers_tab = false;  // the workers tab's body was drawn this frame
};

// draw_stats draws the statistics of a run into the current window.
StatsFrame draw_stats(const RunStats& stats, const StatsOptions& options = {});

// blocked_share_of_all returns the share of all goroutine lifetime spent blocked (0..1).
double blocked_share_of_all(const RunStats& stats);

}  // namespace goscope::ui
