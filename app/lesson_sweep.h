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
#include <vector>

#include "lessons/lesson.h"
#include "ui/model/sweep.h"
#include "ui/views/timeline_panels.h"

namespace goscope::app {

// kSweepSeeds are the seeds every point of a plot's sweep runs with: the deterministic
// mode is deterministic per seed, and the median over a few seeds keeps one seed's
// scheduling order from moving the verdict. They are fixed, not the run's seed, so
// every run of a lesson shows the same curve.
inline constexpr uint64_t kSweepSeeds[] = {1, 2, 3};

// measure_run says what the requested run counts as throughput and, for lessons with a
// worker or producer count, the sweep to plot: the parameter's whole slider range
// (1..64), every point the median of the kSweepSeeds runs, capped to keep a point fast.
// The sweep's key names everything its result depends on.
ui::RunMeasures measure_run(const ui::RunRequest& request);

// median_point runs sweep_point once per seed and returns the point with the median
// throughput (its utilisation and length come with it).
SweepPoint median_point(const lessons::Lesson& lesson, const lessons::Params& params, int procs,
                        const std::vector<uint64_t>& seeds);

// sweep_point runs `lesson` once in the deterministic mode with `params`, on `procs`
// processors with `seed`, and measures throughput (the lesson's items per virtual
// second), processor utilisation and the run's virtual length.
SweepPoint sweep_point(const lessons::Lesson& lesson, const lessons::Params& params, int procs, uint64_t seed);

}  // namespace goscope::app
