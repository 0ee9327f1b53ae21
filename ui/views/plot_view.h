// plot_view.h: throughput against workers (or producers), the answer to fan-out's
// question, drawn with ImDrawList: there is no plotting library for ImGui 1.86 in Debian.
//
// draw_sweep_plot draws a SweepResult (ui/model/sweep.h): throughput per series as
// solid lines with points on the left axis, utilisation as thin dashed lines on the
// right axis (0..100%), ticks and labels on both axes, a marker at the current setting,
// a tooltip with the values of the point under the mouse, and under the plot the
// verdict of each series in a sentence (sweep_verdict).
//
// SweepPlotPanel adds the running: the app describes a sweep it can run (SweepSource:
// shape, values, and a function that runs one point), the panel starts it in the
// background the first time it is drawn, draws the curve as it fills in, and keeps the
// result until the source's key changes (another lesson or other settings).
//
// Example:
//
//   goscope::ui::SweepPlotPanel panel;          // keep it across frames
//   goscope::ui::SweepSource src{.key = "fan-out jobs=40 work_ms=10", .shape = shape,
//                                .values = goscope::sweep_values(1, 32), .run = run_point,
//                                .current = workers};
//   panel.draw(&src);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/model/sweep.h"

namespace goscope::ui {

// series_colour returns the colour of a sweep series by its kind (cpu orange, io blue).
ImU32 series_colour(WorkKind kind, std::size_t index);

// PlotHover is the point under the mouse, if any.
struct PlotHover {
  int series = -1;         // index into SweepResult::series, -1 = none
  std::size_t point = 0;   // index into that series' points
  SweepPoint value;        // a copy of the point
};

// PlotFrame is what one draw_sweep_plot did.
struct PlotFrame {
  PlotHover hover;
  ImVec2 plot_min, plot_max;     // the axes' box, screen pixels
  double y_max = 0;              // the throughput at the top of the axis
  std::vector<std::string> verdicts;  // one per series with enough points
  std::size_t points_drawn = 0;
};

// PlotOptions tune draw_sweep_plot.
struct PlotOptions {
  int64_t current = 0;      // the current setting, marked on the x axis (0 = none)
  float height = 0;         // plot height in pixels (0 = what is left in the window, less the verdicts)
  bool utilisation = true;  // draw the utilisation lines
};

// x_of_value and value_of_x map the sweep's parameter to plot pixels and back (for the
// view and its tests): values lo..hi span [x0, x1].
inline float x_of_value(double v, double lo, double hi, float x0, float x1) {
  return hi > lo ? x0 + static_cast<float>((v - lo) / (hi - lo)) * (x1 - x0) : (x0 + x1) * 0.5f;
}

// draw_sweep_plot draws the sweep in the current window.
PlotFrame draw_sweep_plot(const SweepResult& sweep, const PlotOptions& options = {});

// SweepSource is a sweep the app can run for the current lesson.
struct SweepSource {
  std::string key;           // changes when the lesson or any other setting changes
  SweepResult shape;         // param, items, procs and the series (points ignored)
  std::vector<int64_t> values;
  SweepJob::RunPoint run;    // runs one point; called on a background thread
  int64_t current = 0;       // the current value of the swept parameter
};

// SweepPlotPanel runs a SweepSource in the background and draws it as it fills in.
class SweepPlotPanel {
 public:
  // prepare starts the sweep of `source` in the background unless it is already the
  // current one (draw does it too; call it early so the curve is ready when shown).
  void prepare(const SweepSource* source);
  // draw draws the panel for `source` (nullptr: says that this lesson has no sweep).
  PlotFrame draw(const SweepSource* source);
  // job returns the sweep in progress or done (nullptr before the first draw).
  const SweepJob* job() const { return job_.get(); }
  // wait blocks until the current sweep is done (tests and headless screenshots).
  void wait() {
    if (job_) job_->run_here();
  }

 private:
  std::unique_ptr<SweepJob> job_;
  std::string key_;
};

}  // namespace goscope::ui
