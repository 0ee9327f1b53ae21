// lesson_test_support.h: what the lesson tests share: running a lesson, the output each
// lesson must print for given parameters, and comparing outputs the way Go's
// guarantees allow.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/runtime.h"
#include "lessons/lesson.h"

namespace goscope::lessons::testing {

// kLessonIds lists the lessons in teaching order (issue 6).
inline const std::vector<std::string> kLessonIds = {
    "hello-goroutine", "waitgroup", "unbuffered-channel", "buffered-channel", "fan-in",
    "fan-out",         "select",    "pipeline",           "deadlock"};

// test_name turns a lesson id into a GoogleTest parameter name ("fan-out" -> "fan_out").
inline std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

// lesson_or_die returns the registered lesson with this id (the test fails without it).
inline const Lesson& lesson_or_die(const std::string& id) {
  const Lesson* lesson = find(id);
  if (lesson == nullptr) throw std::runtime_error("no lesson " + id);
  return *lesson;
}

// with overrides some of a lesson's default parameters.
inline Params with(const Lesson& lesson, const Params& overrides) {
  Params params = defaults(lesson);
  for (const auto& [name, value] : overrides) params[name] = value;
  return params;
}

// run_lesson runs the lesson's program with params under config.
inline Outcome run_lesson(const Lesson& lesson, const Params& params, Config config) {
  return run(config, [&lesson, params] { lesson.program(params); });
}

inline Config deterministic(int procs, uint64_t seed) {
  Config config;
  config.mode = Mode::deterministic;
  config.procs = procs;
  config.seed = seed;
  return config;
}

inline Config real(int procs) {
  Config config;
  config.mode = Mode::real;
  config.procs = procs;
  return config;
}

// lines splits text into lines (a final newline does not start another line).
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// read_file returns the file's text ("" if it cannot be read).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// recorded_output returns assets/lessons/<id>.expected: what the Go twin printed with
// the default parameters.
inline std::vector<std::string> recorded_output(const std::string& id) {
  return lines(read_file(std::string(GOSCOPE_SOURCE_DIR) + "/assets/lessons/" + id + ".expected"));
}

// expected_output returns what the lesson prints with these parameters, derived from
// the program's synchronisation (and, for buffered-channel and select, its sleeps).
inline std::vector<std::string> expected_output(const std::string& id, const Params& p) {
  std::vector<std::string> out;
  if (id == "waitgroup") return {"async thing"};
  if (id == "unbuffered-channel") return {"received Hello!!!", "received Bye!!!"};
  if (id == "select") {
    return {"nothing ready yet", "got fast 1", "got fast 2", "got slow 1", "got fast 3", "timeout"};
  }
  if (id == "deadlock") return {"sending Hello!!!"};
  if (id == "buffered-channel") {
    // At 0 ms the producer completes buffer + 1 sends (buffer values wait in the
    // buffer, main took one); after that each receive lets exactly one more send in.
    const int64_t messages = 6, buffer = p.at("buffer");
    for (int64_t i = 0; i <= std::min(buffer, messages - 1); i++) out.push_back("sent " + std::to_string(i));
    for (int64_t k = 0; k < messages; k++) {
      out.push_back("received " + std::to_string(k));
      if (k + buffer + 1 < messages) out.push_back("sent " + std::to_string(k + buffer + 1));
    }
    return out;
  }
  if (id == "fan-in") {
    const int64_t producers = p.at("producers"), messages = p.at("messages");
    out.push_back("received " + std::to_string(producers * messages) + " messages");
    for (int64_t i = 1; i <= producers; i++) {
      out.push_back("producer " + std::to_string(i) + " sent " + std::to_string(messages));
    }
    return out;
  }
  if (id == "fan-out") {
    const int64_t jobs = p.at("jobs");
    out.push_back("processed " + std::to_string(jobs) + " jobs");
    out.push_back("sum of squares " + std::to_string(jobs * (jobs + 1) * (2 * jobs + 1) / 6));
    return out;
  }
  if (id == "pipeline") {
    for (int64_t x = 1; x <= p.at("numbers"); x++) out.push_back(std::to_string(x * x));
    return out;
  }
  return out;  // hello-goroutine prints nothing
}

// order_fixed_by_synchronization says whether Go's guarantees alone fix the order of
// the lesson's output lines. buffered-channel and select also rely on their sleeps
// (50 ms apart or more): a real run that stalls that long may reorder them, so real
// runs compare those two as the same lines in any order. Deterministic runs (virtual
// time) always compare the exact order.
inline bool order_fixed_by_synchronization(const std::string& id) {
  return id != "buffered-channel" && id != "select";
}

// same_lines compares outputs: exactly, or as the same lines in any order.
inline ::testing::AssertionResult same_lines(std::vector<std::string> actual,
                                             std::vector<std::string> expected, bool ordered) {
  if (!ordered) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  if (actual == expected) return ::testing::AssertionSuccess();
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& line : v) s += "  " + line + "\n";
    return s;
  };
  return ::testing::AssertionFailure() << (ordered ? "in order" : "in any order") << ", expected:\n"
                                       << join(expected) << "got:\n" << join(actual);
}

// expected_kind is how each lesson's run ends.
inline OutcomeKind expected_kind(const std::string& id) {
  return id == "deadlock" ? OutcomeKind::deadlock : OutcomeKind::ok;
}

}  // namespace goscope::lessons::testing
