// headless.cpp: lessons on the command line, no window.
#include "app/headless.h"

#include <algorithm>

#include "app/output_file.h"
#include "trace/chrome_trace.h"
#include "core/recorder.h"

namespace goscope::app {
namespace {

void print_text(const Outcome& outcome, std::ostream& out, std::ostream& err) {
  for (const std::string& line : outcome.output) out << line << '\n';
  flush_stream(out);
  // Go prints its panic and deadlock reports on stderr, after the program's output.
  const std::string report = outcome.report();
  if (!report.empty()) err << report << (report.back() == '\n' ? "" : "\n");
}

int exit_code(const Outcome& outcome) { return outcome.kind == OutcomeKind::ok ? 0 : 1; }

// EventCounter counts a run's events for --json. Outcome::events stays 0 when no sink is
// attached (the runtime skips its tracer then), so a JSON run always attaches one.
class EventCounter : public EventSink {
 public:
  void on_events(std::span<const Event> events) override { count += events.size(); }
  uint64_t count = 0;
};

// run_counted runs the lesson with a sink that counts (and, if given, keeps) its events.
Outcome run_counted(const LessonRequest& run, Recorder* recorder) {
  EventCounter counter;
  Outcome outcome = run_lesson(run, recorder ? static_cast<EventSink*>(recorder) : &counter);
  outcome.events = recorder ? recorder->events().size() : counter.count;
  return outcome;
}

}  // namespace

bool wants_headless(const Options& options) {
  return options.list || options.run || options.sweep.has_value() || options.trace.has_value();
}

const char* outcome_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::ok: return "ok";
    case OutcomeKind::panic: return "panic";
    case OutcomeKind::deadlock: return "deadlock";
    case OutcomeKind::fatal: return "fatal";
  }
  return "?";
}

nlohmann::ordered_json run_json(const LessonRequest& run, const Outcome& outcome) {
  const lessons::Lesson& lesson = *run.lesson;
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const lessons::Param& p : lesson.params) {
    const int64_t v = run.params.at(p.name);
    if (!p.choices.empty() && v >= 0 && static_cast<std::size_t>(v) < p.choices.size()) {
      params[p.name] = p.choices[static_cast<std::size_t>(v)];
    } else {
      params[p.name] = v;
    }
  }
  nlohmann::ordered_json j;
  j["lesson"] = lesson.id;
  j["seed"] = run.seed;
  j["mode"] = run.mode == Mode::real ? "real" : "deterministic";
  j["procs"] = run.procs;
  j["params"] = params;
  j["outcome"] = outcome_name(outcome.kind);
  j["message"] = outcome.message;
  j["output"] = outcome.output;
  j["goroutines"] = outcome.goroutines;
  j["events"] = outcome.events;
  j["events_dropped"] = outcome.events_dropped;
  const double elapsed_ms = static_cast<double>(outcome.elapsed_ns) / 1e6;
  j[run.mode == Mode::deterministic ? "virtual_time_ms" : "wall_time_ms"] = elapsed_ms;
  if (lesson.reports_throughput && lesson.throughput_items) {
    // Items through the program per second of its (virtual or wall) time.
    const double seconds = static_cast<double>(outcome.elapsed_ns) / 1e9;
    const double items = static_cast<double>(lesson.throughput_items(run.params));
    j["throughput_per_s"] = seconds > 0 ? items / seconds : 0.0;
  }
  return j;
}

std::string trace_written(const std::string& path, uint64_t events, uint64_t dropped) {
  std::string s = "goscope: wrote " + path + " (" + std::to_string(events) + " events";
  if (dropped > 0) s += ", " + std::to_string(dropped) + " dropped";
  return s + "; open it in https://ui.perfetto.dev)\n";
}

void list_lessons(std::ostream& out) {
  for (const lessons::Lesson& l : lessons::all()) out << l.id << '\t' << l.title << '\n';
}

int run_headless(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.list) {
    list_lessons(out);
    return 0;
  }
  std::string problem;
  std::optional<LessonRequest> run = resolve_lesson_request(options, problem);
  if (!run) {
    err << usage_error(problem);
    return kExitUsage;
  }

  if (options.sweep) {
    int code = 0;
    out << "[\n";
    for (int64_t v = options.sweep->from; v <= options.sweep->to; ++v) {
      run->params[options.sweep->name] = v;
      const Outcome outcome = run_counted(*run, nullptr);
      code = std::max(code, exit_code(outcome));
      out << "  " << run_json(*run, outcome).dump() << (v < options.sweep->to ? ",\n" : "\n");
      // Nobody gets the rest when stdout fails: stop; main reports it.
      if (!flush_stream(out)) return code;
    }
    out << "]\n";
    return code;
  }

  Recorder recorder;
  // Plain --run attaches no sink: it prints what the program prints, at full speed.
  const bool need_events = options.trace || options.json;
  const Outcome outcome =
      need_events ? run_counted(*run, options.trace ? &recorder : nullptr) : run_lesson(*run);
  int code = 0;
  if (options.run) {
    if (options.json) {
      out << run_json(*run, outcome).dump() << '\n';
    } else {
      print_text(outcome, out, err);
    }
    code = exit_code(outcome);
  }
  if (options.trace) {
    ChromeTraceOptions trace_options;
    trace_options.process_name = "goscope: " + run->lesson->title;
    if (!write_output_file(*options.trace, chrome_trace_json(recorder.events(), trace_options), problem)) {
      err << "goscope: " << problem << '\n';
      return kExitOutput;
    }
    err << trace_written(*options.trace, recorder.events().size(), outcome.events_dropped);
  }
  return code;
}

}  // namespace goscope::app
