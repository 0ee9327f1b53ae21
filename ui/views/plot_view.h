// plot_view.h: the answer to fan-out's question (how many workers pay?), drawn with
// ImDrawList: there is no plotting library for ImGui 1.86 in Debian.
//
// draw_sweep_plot draws a SweepResult (ui/model/sweep.h) as speed-up over one worker
// (throughput(n) / throughput(1)) per series, solid lines with points, on doubling
// (log 2) axes for both the parameter and the speed-up, beside the ideal y = n (grey,
// dashed): a curve that follows the ideal gains a worker's worth for every worker, one
// that bends away has stopped paying, and the bend (the knee, ringed and named under the
// axis) sits where it is whether the other curve is 1x or 60x higher. Utilisation is a
// thin dashed line per series on the right axis (0..100%, "busy"). Both axes are
// labelled; every text (key, axis titles, "now", knees) sits outside the axes' box, so
// none lies on a curve. The current setting is a dashed vertical line; the mouse shows
// a point's values; under the plot each series' verdict is a sentence (sweep_verdict).
//
// SweepPlotPanel adds the running: the app describes a sweep it can run (SweepSource:
// shape, values, and a function that runs one point), the panel starts it in the
// background the first time it is drawn, draws the curve as it fills in, and keeps the
// result until the source's key changes (another lesson or other settings). Its
// "Enlarge" button opens the same plot in a window of its own.
//
// Example:
//
//   goscope::ui::SweepPlotPanel panel;          // keep it across frames
//   goscope::ui::SweepSource src{.key = "fan-out jobs=40 work_ms=10 workers=1..64", .shape = shape,
//                                .values = goscope::sweep_values(1, 64), .run = run_point,
//                                .current = workers};
//   panel.draw(&src);
#pragma once

#include <cmath>
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

// PlotMark is a knee drawn on the plot: the series and its value.
struct PlotMark {
  std::size_t series = 0;
  int64_t value = 0;
};

// PlotLabel is a text the plot drew (for tests: none may lie on a curve).
struct PlotLabel {
  std::string text;
  ImVec2 min, max;
};

// PlotFrame is what one draw_sweep_plot did.
struct PlotFrame {
  PlotHover hover;
  ImVec2 plot_min, plot_max;     // the axes' box, screen pixels
  double x_lo = 0, x_hi = 0;     // the parameter at the left and right of the box
  double y_lo = 0, y_max = 0;    // the speed-up at the bottom and top of the box
  std::vector<PlotMark> knees;   // one per series with a knee before its last point
  std::vector<PlotLabel> labels; // every text drawn in the plot's area
  std::vector<std::string> verdicts;  // one per series with enough points
  std::size_t points_drawn = 0;
};

// PlotOptions tune draw_sweep_plot.
struct PlotOptions {
  int64_t current = 0;      // the current setting, marked on the x axis (0 = none)
  float height = 0;         // plot height in pixels (0 = what is left in the window, less the verdicts)
  bool utilisation = true;  // draw the utilisation lines
};

// x_of_value maps a value of the sweep's parameter (or a speed-up) to plot pixels on a
// doubling (log 2) axis (for the view and its tests): lo..hi (both > 0) span [x0, x1].
inline float x_of_value(double v, double lo, double hi, float x0, float x1) {
  if (!(hi > lo) || !(lo > 0) || !(v > 0)) return (x0 + x1) * 0.5f;
  return x0 + static_cast<float>(std::log2(v / lo) / std::log2(hi / lo)) * (x1 - x0);
}

// speedup_top returns the top of the speed-up axis: a power of two at least `hi` (the
// ideal at the last value) and the best speed-up.
double speedup_top(double hi, double best);

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
  // enlarged says whether the plot's own window is open; set_enlarged opens or closes it.
  bool enlarged() const { return enlarged_; }
  void set_enlarged(bool on) { enlarged_ = on; }

 private:
  std::unique_ptr<SweepJob> job_;
  std::string key_;
  bool enlarged_ = false;
};

}  // namespace goscope::ui
