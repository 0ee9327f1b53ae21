// sweep.cpp: reading a throughput curve, and filling one in the background.
#include "ui/model/sweep.h"

#include <algorithm>
#include <utility>

namespace goscope {

std::vector<int64_t> sweep_values(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t x = from; x <= to; ++x) v.push_back(x);
  return v;
}

std::size_t knee_index(const std::vector<SweepPoint>& points, double tolerance) {
  const std::size_t n = points.size();
  if (n == 0) return 0;
  // Still rising at the end: the last point beats the one three quarters along by more
  // than the tolerance (one worker more is a small step at 31 workers even on a
  // straight line, so the test spans a quarter of the range).
  double best = 0;
  for (const SweepPoint& p : points) best = std::max(best, p.throughput_per_s);
  // Flat: nothing pays; the first point is as good as any.
  if (best < points[0].throughput_per_s * kFlatSpeedup) return 0;
  const std::size_t quarter_back = (n - 1) * 3 / 4;
  if (n > 1 && points[n - 1].throughput_per_s > points[quarter_back].throughput_per_s * (1.0 + tolerance)) {
    return n - 1;
  }
  // Otherwise the knee is the first point within the tolerance of the best.
  for (std::size_t i = 0; i < n; ++i) {
    if (points[i].throughput_per_s >= best * (1.0 - tolerance)) return i;
  }
  return n - 1;
}

std::vector<double> speedups(const SweepSeries& series) {
  std::vector<double> out;
  if (series.points.empty() || !(series.points[0].throughput_per_s > 0)) return out;
  const double one = series.points[0].throughput_per_s;
  out.reserve(series.points.size());
  for (const SweepPoint& p : series.points) out.push_back(p.throughput_per_s / one);
  return out;
}

namespace {

// count_of says "4 workers" or "1 worker" (the parameter names are plural).
std::string count_of(int64_t value, const std::string& param) {
  std::string noun = param;
  if (value == 1 && noun.size() > 1 && noun.back() == 's') noun.pop_back();
  return std::to_string(value) + " " + noun;
}

}  // namespace

std::string sweep_verdict(const SweepSeries& series, const SweepResult& sweep) {
  if (series.points.size() < 2) return "";
  const std::size_t knee = knee_index(series.points);
  const int64_t at = series.points[knee].value;
  const bool keeps_rising = knee + 1 == series.points.size();
  const std::string& param = sweep.param;
  switch (series.kind) {
    case WorkKind::cpu:
      if (keeps_rising) {
        return "CPU-bound: throughput keeps rising up to " + count_of(at, param) +
               (sweep.procs > 0 ? " (procs = " + std::to_string(sweep.procs) + ")" : std::string()) +
               ": every one still finds a free processor.";
      }
      if (sweep.procs > 0 && at == sweep.procs) {
        return "CPU-bound: throughput stops rising at " + count_of(at, param) +
               " = procs; adding more only adds waiting.";
      }
      return "CPU-bound: throughput stops rising at " + count_of(at, param) +
             (sweep.procs > 0 ? " (procs = " + std::to_string(sweep.procs) + ")" : std::string()) +
             "; adding more only adds waiting.";
    case WorkKind::io:
      if (keeps_rising) {
        return "I/O-bound: throughput keeps rising up to " + count_of(at, param) +
               ": waiting workers hold no processor.";
      }
      return "I/O-bound: throughput stops rising at " + count_of(at, param) +
             "; adding more only adds waiting.";
    case WorkKind::other:
      break;
  }
  std::string who = series.label.empty() ? std::string("Throughput") : series.label + ": throughput";
  if (knee == 0) {
    std::string noun = param;
    if (noun.size() > 1 && noun.back() == 's') noun.pop_back();
    return who + " hardly rises with " + param + " (never twice one " + noun + "'s); adding more only adds waiting.";
  }
  if (keeps_rising) return who + " keeps rising up to " + count_of(at, param) + ".";
  return who + " stops rising at " + count_of(at, param) + "; adding more only adds waiting.";
}

SweepJob::SweepJob(SweepResult shape, std::vector<int64_t> values, RunPoint run)
    : result_(std::move(shape)), values_(std::move(values)), run_(std::move(run)) {
  for (SweepSeries& s : result_.series) {
    s.points.clear();
    s.points.reserve(values_.size());
  }
  total_ = result_.series.size() * values_.size();
}

SweepJob::~SweepJob() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

void SweepJob::start() {
  if (thread_.joinable() || done()) return;
  thread_ = std::thread([this] { work(); });
}

void SweepJob::run_here() {
  if (thread_.joinable()) {
    thread_.join();  // the background run finishes what is left
    return;
  }
  work();
}

void SweepJob::work() {
  while (next_ < total_ && !cancel_.load(std::memory_order_relaxed)) {
    const std::size_t series = next_ / values_.size();
    const int64_t value = values_[next_ % values_.size()];
    SweepPoint p = run_(series, value);
    p.value = value;
    {
      std::lock_guard<std::mutex> lock(mu_);
      result_.series[series].points.push_back(p);
    }
    ++next_;
    finished_.fetch_add(1, std::memory_order_release);
  }
}

double SweepJob::progress() const {
  if (total_ == 0) return 1.0;
  return static_cast<double>(finished_.load(std::memory_order_acquire)) / static_cast<double>(total_);
}

SweepResult SweepJob::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return result_;
}

}  // namespace goscope
