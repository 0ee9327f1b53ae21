// headless.cpp: lessons on the command line, no window.
#include "app/headless.h"

#include <algorithm>
#include <limits>

#include "app/output_file.h"
#include "trace/chrome_trace.h"
#include "core/recorder.h"

namespace goscope::app {
namespace {

// describe_range is what a parameter accepts: "1..64" or "cpu|io".
std::string describe_range(const lessons::Param& p) {
  if (p.choices.empty()) return std::to_string(p.min) + ".." + std::to_string(p.max);
  std::string s;
  for (const std::string& c : p.choices) s += (s.empty() ? "" : "|") + c;
  return s;
}

std::string lesson_ids() {
  std::string s;
  for (const lessons::Lesson& l : lessons::all()) s += (s.empty() ? "" : ", ") + l.id;
  return s;
}

std::string param_list(const lessons::Lesson& lesson) {
  if (lesson.params.empty()) return "it has no parameters";
  std::string s = "its parameters are: ";
  bool first = true;
  for (const lessons::Param& p : lesson.params) {
    s += (first ? "" : ", ") + p.name + " (" + describe_range(p) + ")";
    first = false;
  }
  return s;
}

// check_value checks one value of a parameter given by `flag`; an error message, or ""
// when it fits.
std::string check_value(const std::string& flag, const lessons::Lesson& lesson, const lessons::Param& p,
                        int64_t value) {
  if (value >= p.min && value <= p.max) return {};
  return flag + ": " + p.name + "=" + std::to_string(value) + " is out of range for lesson '" + lesson.id +
         "': " + p.name + " takes " + describe_range(p) + " (" + p.description + ")";
}

// parse_value turns --set's text into a value: a choice's text (or its index), or a whole
// number in the command line's one grammar (check_value checks the range).
std::optional<int64_t> parse_value(const lessons::Param& p, const std::string& text) {
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    if (p.choices[i] == text) return static_cast<int64_t>(i);
  }
  return parse_number(text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
}

const lessons::Param* param_or_problem(const std::string& flag, const lessons::Lesson& lesson,
                                       const std::string& name, std::string& problem) {
  const lessons::Param* p = lessons::find_param(lesson, name);
  if (!p) problem = flag + ": lesson '" + lesson.id + "' has no parameter '" + name + "'; " + param_list(lesson);
  return p;
}

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
Outcome run_counted(const LessonRun& run, Recorder* recorder) {
  EventCounter counter;
  Outcome outcome = run_lesson(run, recorder ? static_cast<EventSink*>(recorder) : &counter);
  outcome.events = recorder ? recorder->events().size() : counter.count;
  return outcome;
}

}  // namespace

bool wants_headless(const Options& options) {
  return options.list || options.run || options.sweep.has_value() || options.trace.has_value();
}

std::optional<LessonRun> resolve_lesson_run(const Options& options, std::string& problem) {
  if (!options.lesson) {
    problem = "choose a lesson with --lesson ID; the lessons are: " + lesson_ids();
    return std::nullopt;
  }
  const lessons::Lesson* lesson = lessons::find(*options.lesson);
  if (!lesson) {
    problem = "--lesson: there is no lesson '" + *options.lesson + "'; the lessons are: " + lesson_ids();
    return std::nullopt;
  }
  LessonRun run;
  run.lesson = lesson;
  run.params = lessons::defaults(*lesson);
  for (const Setting& s : options.sets) {
    const std::string flag = "--set " + s.name + "=" + s.value;
    const lessons::Param* p = param_or_problem(flag, *lesson, s.name, problem);
    if (!p) return std::nullopt;
    const std::optional<int64_t> value = parse_value(*p, s.value);
    if (!value) {
      problem = flag + ": '" + s.value + "' is not a value of " + s.name + " (lesson '" + lesson->id + "'): " +
                s.name + " takes " + (p->choices.empty() ? "a whole number in " : "") + describe_range(*p);
      return std::nullopt;
    }
    if (problem = check_value(flag, *lesson, *p, *value); !problem.empty()) return std::nullopt;
    run.params[p->name] = *value;
  }
  if (options.sweep) {
    const std::string flag = "--sweep " + options.sweep->name + "=" + std::to_string(options.sweep->from) +
                             ".." + std::to_string(options.sweep->to);
    const lessons::Param* p = param_or_problem(flag, *lesson, options.sweep->name, problem);
    if (!p) return std::nullopt;
    for (int64_t end : {options.sweep->from, options.sweep->to}) {
      if (problem = check_value(flag, *lesson, *p, end); !problem.empty()) return std::nullopt;
    }
  }
  run.mode = options.mode.value_or("deterministic") == "real" ? Mode::real : Mode::deterministic;
  run.procs = options.procs.value_or(lesson->suggested_procs > 0 ? lesson->suggested_procs : 1);
  run.seed = options.seed.value_or(1);
  return run;
}

Outcome run_lesson(const LessonRun& run, EventSink* sink) {
  Config config;
  config.mode = run.mode;
  config.procs = run.procs;
  config.seed = run.seed;
  config.sink = sink;
  const lessons::Lesson& lesson = *run.lesson;
  const lessons::Params& params = run.params;
  return goscope::run(config, [&lesson, &params] { lesson.program(params); });
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

nlohmann::ordered_json run_json(const LessonRun& run, const Outcome& outcome) {
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
  std::optional<LessonRun> run = resolve_lesson_run(options, problem);
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
