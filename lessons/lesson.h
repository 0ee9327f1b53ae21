// lesson.h: what a lesson is. A lesson is data (id, title, parameters with ranges, its
// Go twin and narration) plus one C++ function that runs as the program's main goroutine
// on goscope's runtime, using core's public API only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goscope::lessons {

// Param is one knob a learner can turn (the UI makes it a slider; the CLI sets it with
// --set name=value). A param with `choices` is an enumeration: its value is the index of
// the choice and --set accepts the choice's text (kind=io).
struct Param {
  std::string name{};         // "workers"
  std::string description{};  // one line: "goroutines taking jobs from the channel"
  int64_t min = 0;
  int64_t max = 0;
  int64_t def = 0;
  std::vector<std::string> choices{};  // empty = integer in [min, max]
};

// Params maps parameter names to values (every parameter of the lesson is present).
using Params = std::map<std::string, int64_t>;

// Lesson is one lesson: what the learner reads (title, summary, narration, the Go twin),
// the knobs they can turn (params) and the program that runs on goscope's runtime.
struct Lesson {
  std::string id{};       // "fan-out": stable, used on the command line
  std::string title{};    // "Fan-out: one producer, many workers"
  std::string summary{};  // one line
  std::vector<Param> params{};
  std::string go_source{};   // assets/lessons/<id>.go, embedded at build time
  std::string narration{};   // assets/lessons/<id>.md, embedded at build time
  bool reports_throughput = false;  // fan-in, fan-out: throughput_per_s is meaningful
  // throughput_items says how many items a run with these parameters moves through the
  // program (fan-in: producers * messages; fan-out: jobs), so that
  // throughput_per_s = throughput_items(params) / elapsed seconds. Set exactly when
  // reports_throughput is.
  std::function<int64_t(const Params&)> throughput_items{};
  // suggested_procs is the Config::procs (GOMAXPROCS) the lesson is best watched with;
  // 0 = the app's default. procs is a setting of the run, not a lesson parameter: the
  // same program runs on any number of processors (fan-out asks 4, so that cpu-bound
  // throughput visibly stops rising at 4 workers).
  int suggested_procs = 0;
  // program runs as goroutine 1 (main) with the given parameters.
  std::function<void(const Params&)> program{};
};

// all returns every lesson, in teaching order.
const std::vector<Lesson>& all();
// find returns the lesson with this id, or nullptr.
const Lesson* find(std::string_view id);
// defaults returns the lesson's parameters at their default values.
Params defaults(const Lesson& lesson);
// find_param returns the lesson's parameter with this name, or nullptr.
const Param* find_param(const Lesson& lesson, std::string_view name);

}  // namespace goscope::lessons
