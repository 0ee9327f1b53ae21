// headless.h: running lessons with no window: --list, --run, --json, --sweep, --trace.
//
// Output follows Go: the program's lines on stdout, then (for a panic or a deadlock) the
// report Go prints, on stderr. Exit codes: 0 the program ended normally, 1 it panicked or
// deadlocked (the lesson, not a goscope failure), 2 bad usage: an unknown lesson,
// parameter or out-of-range value, named with the valid choices; 3 the trace file could
// not be written (main reports a failed stdout the same way).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/lesson_request.h"
#include "core/runtime.h"
#include "lessons/lesson.h"

namespace goscope::app {

// outcome_name is "ok", "panic" or "deadlock".
const char* outcome_name(OutcomeKind kind);

// run_json describes one run as the --json object, keys in this order: lesson, seed, mode,
// procs, params, outcome, message, output, goroutines, events, events_dropped (0 unless
// real mode's rings overflowed), virtual_time_ms (deterministic mode) or wall_time_ms
// (real mode), and throughput_per_s for lessons that report throughput.
nlohmann::ordered_json run_json(const LessonRequest& run, const Outcome& outcome);

// trace_written is the line --trace prints on success, naming the events the run dropped.
std::string trace_written(const std::string& path, uint64_t events, uint64_t dropped);

// list_lessons writes one lesson a line: id<TAB>title.
void list_lessons(std::ostream& out);

// run_headless does --list, --run, --sweep or --trace and returns the exit code.
// Precondition: wants_headless(options).
int run_headless(const Options& options, std::ostream& out, std::ostream& err);

// wants_headless reports whether the options ask for work without a window.
bool wants_headless(const Options& options);

}  // namespace goscope::app
