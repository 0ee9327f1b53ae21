// lesson_request.cpp: the command line's lesson settings, checked against the registry.
#include "app/lesson_request.h"

#include <limits>

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

}  // namespace

std::optional<LessonRequest> resolve_lesson_request(const Options& options, std::string& problem) {
  if (!options.lesson) {
    problem = "choose a lesson with --lesson ID; the lessons are: " + lesson_ids();
    return std::nullopt;
  }
  const lessons::Lesson* lesson = lessons::find(*options.lesson);
  if (!lesson) {
    problem = "--lesson: there is no lesson '" + *options.lesson + "'; the lessons are: " + lesson_ids();
    return std::nullopt;
  }
  LessonRequest run;
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

Outcome run_lesson(const LessonRequest& request, EventSink* sink) {
  Config config;
  config.mode = request.mode;
  config.procs = request.procs;
  config.seed = request.seed;
  config.sink = sink;
  const lessons::Lesson& lesson = *request.lesson;
  const lessons::Params& params = request.params;
  return goscope::run(config, [&lesson, &params] { lesson.program(params); });
}

}  // namespace goscope::app
