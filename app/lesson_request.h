// lesson_request.h: a lesson with everything a run needs, parsed from the command line
// and checked against the lesson registry once, in one place.
//
// The command line (app/cli.cpp) checks each flag's grammar; resolve_lesson_request checks
// what needs the registry (does the lesson exist, is the parameter known and in range,
// is the value one of its choices). Everything after takes the LessonRequest: the
// headless runner, the --sweep, the trace writer and the window's player.
//
// Example:
//
//   std::string problem;
//   std::optional<LessonRequest> request = resolve_lesson_request(options, problem);
//   if (!request) { std::fputs(usage_error(problem).c_str(), stderr); return kExitUsage; }
//   const Outcome outcome = run_lesson(*request);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/cli.h"
#include "core/runtime.h"
#include "lessons/lesson.h"

namespace goscope::app {

// LessonRequest is a lesson with everything a run needs, checked against the lesson.
struct LessonRequest {
  const lessons::Lesson* lesson = nullptr;
  lessons::Params params;
  Mode mode = Mode::deterministic;
  int procs = 1;  // the lesson's suggested_procs unless --procs says otherwise
  uint64_t seed = 1;
};

// resolve_lesson_request checks --lesson, --set, --sweep, --seed, --mode and --procs
// against the lesson registry. On bad usage returns nullopt and sets `problem` to a
// message naming the valid lessons, parameters or ranges.
std::optional<LessonRequest> resolve_lesson_request(const Options& options, std::string& problem);

// run_lesson runs it on goscope's runtime; `sink` (optional) receives every event.
Outcome run_lesson(const LessonRequest& request, EventSink* sink = nullptr);

}  // namespace goscope::app
