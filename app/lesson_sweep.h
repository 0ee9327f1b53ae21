// lesson_sweep.h: what the timeline and stats panels need from the lessons that the ui
// layer cannot know: what a lesson counts as throughput, and the sweep behind the
// throughput-vs-workers plot (fan-out: cpu-bound and io-bound series over workers;
// fan-in: one series over producers), run in the deterministic mode as --sweep does.
//
// Example:
//
//   goscope::ui::RunPanels panels(*player, goscope::app::measure_run);
#pragma once

#include <cstdint>
#include <optional>

#include "lessons/lesson.h"
#include "ui/model/sweep.h"
#include "ui/views/timeline_panels.h"

namespace goscope::app {

// kSweepMax is the largest value a plot sweeps to (fan-out's question is answered by 32).
inline constexpr int64_t kSweepMax = 32;

// measure_run says what the requested run counts as throughput and, for lessons with a
// worker or producer count, the sweep to plot (values 1..32, capped to keep a point fast).
ui::RunMeasures measure_run(const ui::RunRequest& request);

// sweep_point runs `lesson` once in the deterministic mode with `params`, on `procs`
// processors with `seed`, and measures throughput (the lesson's items per virtual
// second), processor utilisation and the run's virtual length.
SweepPoint sweep_point(const lessons::Lesson& lesson, const lessons::Params& params, int procs, uint64_t seed);

}  // namespace goscope::app
