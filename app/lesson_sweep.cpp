// lesson_sweep.cpp: throughput measures and sweeps for the plot, from the real lessons.
#include "app/lesson_sweep.h"

#include <algorithm>
#include <string>

#include "app/lesson_request.h"
#include "core/recorder.h"
#include "ui/model/replay.h"
#include "ui/model/run_stats.h"
#include "ui/model/timeline.h"

namespace goscope::app {
namespace {

// kSweepCaps keep one point of a sweep to a few thousand events: the curve's shape does
// not need the 100,000 jobs a learner may ask of one run.
struct Cap {
  const char* param;
  int64_t most;
};
constexpr Cap kSweepCaps[] = {{"messages", 32}};
// kSweepJobs is how many jobs every point of a fan-out sweep runs: enough that 32
// workers each get several, so the io-bound curve is not a staircase of rounds.
constexpr int64_t kSweepJobs = 256;

const char* items_name(const lessons::Lesson& lesson) {
  if (lessons::find_param(lesson, "jobs")) return "jobs";
  if (lessons::find_param(lesson, "messages")) return "messages";
  return "items";
}

}  // namespace

SweepPoint sweep_point(const lessons::Lesson& lesson, const lessons::Params& params, int procs, uint64_t seed) {
  LessonRequest run;
  run.lesson = &lesson;
  run.params = params;
  run.mode = Mode::deterministic;
  run.procs = procs;
  run.seed = seed;
  Recorder recorder;
  const Outcome outcome = run_lesson(run, &recorder);
  SweepPoint p;
  p.elapsed_ns = outcome.elapsed_ns;
  const double seconds = static_cast<double>(outcome.elapsed_ns) / 1e9;
  const int64_t items = lesson.throughput_items ? lesson.throughput_items(params) : 0;
  p.throughput_per_s = seconds > 0 ? static_cast<double>(items) / seconds : 0.0;
  const ReplayModel model(recorder.take());
  const Timeline tl = build_timeline(model);
  p.utilisation = compute_stats(model, tl).utilisation;
  return p;
}

SweepPoint median_point(const lessons::Lesson& lesson, const lessons::Params& params, int procs,
                        const std::vector<uint64_t>& seeds) {
  std::vector<SweepPoint> runs;
  runs.reserve(seeds.size());
  for (uint64_t seed : seeds) runs.push_back(sweep_point(lesson, params, procs, seed));
  if (runs.empty()) return {};
  std::sort(runs.begin(), runs.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.throughput_per_s < b.throughput_per_s; });
  return runs[(runs.size() - 1) / 2];
}

ui::RunMeasures measure_run(const ui::RunRequest& request) {
  ui::RunMeasures m;
  const lessons::Lesson* lesson = lessons::find(request.lesson);
  if (!lesson || !lesson->reports_throughput || !lesson->throughput_items) return m;
  lessons::Params params = lessons::defaults(*lesson);
  for (const auto& [name, value] : request.params) params[name] = value;
  m.items_name = items_name(*lesson);
  m.items = lesson->throughput_items(params);

  const char* swept = lessons::find_param(*lesson, "workers") ? "workers"
                      : lessons::find_param(*lesson, "producers") ? "producers"
                                                                   : nullptr;
  if (!swept) return m;
  const lessons::Param& p = *lessons::find_param(*lesson, swept);
  const int procs = std::max(1, request.procs);

  ui::SweepSource src;
  src.shape.param = swept;
  src.shape.items = m.items_name;
  src.shape.procs = procs;
  // The slider's whole range, so moving it never leaves the curve behind.
  src.values = sweep_values(std::max<int64_t>(1, p.min), std::max<int64_t>(1, p.max));
  src.current = params.at(swept);

  lessons::Params base = params;
  if (auto jobs = base.find("jobs"); jobs != base.end() && jobs->second != kSweepJobs) {
    src.shape.note = "Each point of the sweep runs " + std::to_string(kSweepJobs) + " jobs (this run has " +
                     std::to_string(jobs->second) + "), in the deterministic mode.";
    jobs->second = kSweepJobs;
  }
  for (const Cap& cap : kSweepCaps) {
    auto it = base.find(cap.param);
    if (it != base.end() && it->second > cap.most) {
      src.shape.note = "Each point of the sweep runs " + std::to_string(cap.most) + " " + cap.param + " (this run has " +
                       std::to_string(it->second) + "), in the deterministic mode.";
      it->second = cap.most;
    }
  }
  // One series per kind of work when the lesson has a `kind` choice (fan-out), else one.
  std::vector<int64_t> kinds;
  if (const lessons::Param* kind = lessons::find_param(*lesson, "kind"); kind && !kind->choices.empty()) {
    for (std::size_t i = 0; i < kind->choices.size(); ++i) {
      const std::string& c = kind->choices[i];
      src.shape.series.push_back({c + "-bound", c == "cpu" ? WorkKind::cpu : c == "io" ? WorkKind::io : WorkKind::other, {}});
      kinds.push_back(static_cast<int64_t>(i));
    }
  } else {
    src.shape.series.push_back({lesson->id, WorkKind::other, {}});
  }

  // The key: everything the result depends on (the lesson, procs, the seeds, every
  // parameter as the sweep runs it, the swept range and the series), and nothing else
  // (the swept parameter's current value and the run's own seed do not change it).
  const std::vector<uint64_t> seeds(std::begin(kSweepSeeds), std::end(kSweepSeeds));
  src.key = lesson->id + " procs=" + std::to_string(procs) + " seeds=";
  for (uint64_t s : seeds) src.key += std::to_string(s) + ",";
  for (const auto& [name, value] : base) {
    if (name != swept && name != "kind") src.key += " " + name + "=" + std::to_string(value);
  }
  src.key += " " + std::string(swept) + "=" + std::to_string(src.values.front()) + ".." +
             std::to_string(src.values.back()) + " series=";
  for (const SweepSeries& s : src.shape.series) src.key += s.label + ",";
  src.run = [lesson, base, kinds, swept = std::string(swept), procs, seeds](std::size_t series, int64_t value) {
    lessons::Params q = base;
    q[swept] = value;
    if (!kinds.empty()) q["kind"] = kinds[series];
    return median_point(*lesson, q, procs, seeds);
  };
  m.sweep = std::move(src);
  return m;
}

}  // namespace goscope::app
