// sweep.h: throughput against a parameter (workers, producers), for the plot that
// answers fan-out's question: how many workers make this program efficient?
//
// The UI cannot run lessons (ui/ never links the runtime), so a sweep is data: a
// SweepResult holds one series of SweepPoints per kind of work (cpu-bound, io-bound),
// filled by whoever can run the lesson (the app) through a SweepJob, which calls the
// app's function once per (series, value), on a thread of its own so the window stays
// responsive. sweep_verdict reads the curve and says in a sentence where adding
// workers stops paying.
//
// Example:
//
//   goscope::SweepResult shape{.param = "workers", .procs = 4,
//                              .series = {{.label = "cpu-bound", .kind = goscope::WorkKind::cpu},
//                                         {.label = "io-bound", .kind = goscope::WorkKind::io}}};
//   goscope::SweepJob job(shape, goscope::sweep_values(1, 32),
//                         [&](std::size_t series, int64_t workers) { return run_fan_out(series, workers); });
//   job.start();                       // runs in the background
//   goscope::SweepResult now = job.snapshot();   // every frame: what is known so far
//   std::string why = goscope::sweep_verdict(now.series[0], now);
//   // "CPU-bound: throughput stops rising at 4 workers = procs; adding more only adds waiting."
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace goscope {

// SweepPoint is one run of the sweep: the parameter's value and what the run measured.
struct SweepPoint {
  int64_t value = 0;              // the swept parameter (e.g. workers)
  double throughput_per_s = 0;    // items per (virtual) second
  double utilisation = 0;         // share of processor time busy, 0..1
  int64_t elapsed_ns = 0;         // the run's length (virtual time in the deterministic mode)
};

// WorkKind says what a series' work does to a processor: cpu-bound work holds one,
// io-bound work (waiting) holds none.
enum class WorkKind : uint8_t { cpu, io, other };

// SweepSeries is one curve: throughput against the parameter for one kind of work.
struct SweepSeries {
  std::string label;               // "cpu-bound"
  WorkKind kind = WorkKind::other;
  std::vector<SweepPoint> points;  // ascending value
};

// SweepResult is a whole sweep: the parameter, the processors the runs had, the series.
struct SweepResult {
  std::string param = "workers";  // the swept parameter's name
  std::string items = "items";    // what throughput counts ("jobs")
  int procs = 0;                  // GOMAXPROCS of every run (0 = unknown)
  std::string note{};             // how the sweep's runs differ from the current run, if they do
  std::vector<SweepSeries> series;
};

// sweep_values returns from..to inclusive (empty when from > to).
std::vector<int64_t> sweep_values(int64_t from, int64_t to);

// knee_index returns the index of the point where throughput stops rising: the first
// point within `tolerance` (5%: the virtual clock is exact, but a run's start-up cost
// makes small differences) of the best throughput. The last point when the curve keeps
// rising (its last point beats the one three quarters along by more than the
// tolerance); 0 when there are no points, and 0 when the curve is flat: no point reaches
// kFlatSpeedup times the first (two workers' ideal, less 5%). A flat curve's best point
// is a matter of a few per cent of start-up cost and of how far the range goes, so its
// "knee" would move from sweep to sweep; "it does not rise" does not.
inline constexpr double kFlatSpeedup = 1.9;
std::size_t knee_index(const std::vector<SweepPoint>& points, double tolerance = 0.05);

// speedups returns throughput(n) / throughput(first point) for every point of `series`
// (the first point is one worker or producer, so this is the speed-up over one; the
// ideal is n). Empty when the series has no points or its first measured nothing.
std::vector<double> speedups(const SweepSeries& series);

// sweep_verdict says in one sentence where adding more of the parameter stops paying
// for this series, from its data: "CPU-bound: throughput stops rising at 4 workers =
// procs; adding more only adds waiting." or "I/O-bound: throughput keeps rising up to
// 64 workers: waiting workers hold no processor." or, for a flat curve of another kind,
// "fan-in: throughput hardly rises with producers (never twice one producer's); adding
// more only adds waiting." Empty when the series has fewer than two points.
std::string sweep_verdict(const SweepSeries& series, const SweepResult& sweep);

// SweepJob fills a SweepResult one run at a time by calling `run(series, value)` for
// every series and value (series by series, values in order). start() does it on a
// thread of its own; snapshot() shows the progress at any time. The destructor asks the
// thread to stop after the run in progress and joins it.
class SweepJob {
 public:
  // RunPoint runs the lesson for one series (index into SweepResult::series) at one
  // value and reports what it measured. Called on the job's thread.
  using RunPoint = std::function<SweepPoint(std::size_t series, int64_t value)>;

  // SweepJob prepares a sweep of `values` for every series of `shape` (its points are
  // replaced).
  SweepJob(SweepResult shape, std::vector<int64_t> values, RunPoint run);
  ~SweepJob();
  SweepJob(const SweepJob&) = delete;
  SweepJob& operator=(const SweepJob&) = delete;

  // start runs the sweep on a background thread (once; later calls do nothing).
  void start();
  // run_here runs what is left of the sweep on the calling thread (tests, headless use).
  void run_here();
  // done reports whether every point has been measured.
  bool done() const { return finished_.load(std::memory_order_acquire) == total_; }
  // progress returns the share of points measured, 0..1.
  double progress() const;
  // snapshot returns the sweep as far as it has got.
  SweepResult snapshot() const;
  // cancel asks the job to stop after the run in progress.
  void cancel() { cancel_.store(true, std::memory_order_relaxed); }

 private:
  void work();

  mutable std::mutex mu_;
  SweepResult result_;  // guarded by mu_
  std::vector<int64_t> values_;
  RunPoint run_;
  std::size_t total_ = 0;
  std::size_t next_ = 0;                // next (series, value) to run; only the runner touches it
  std::atomic<std::size_t> finished_{0};  // release: the point it counts is in result_
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace goscope
