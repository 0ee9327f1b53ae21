// trace_checks.h: structural checks on a Chrome Trace Event JSON export, shared by the
// exporter's unit tests and the runtime integration tests.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace goscope::testing {

// to_ns reads a Chrome timestamp (us, fractional) back as the event's nanoseconds.
inline int64_t to_ns(const nlohmann::json& us) { return std::llround(us.get<double>() * 1000.0); }

struct Slice {
  int64_t start, end;
  std::string name;
};

// slices_by_thread collects the X events of each tid, in file order.
inline std::map<int64_t, std::vector<Slice>> slices_by_thread(const nlohmann::json& trace) {
  std::map<int64_t, std::vector<Slice>> out;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const int64_t start = to_ns(e["ts"]);
    out[e["tid"].get<int64_t>()].push_back({start, start + to_ns(e["dur"]), e["name"].get<std::string>()});
  }
  return out;
}

// expect_well_formed_trace checks the structure every export must have: the top-level
// object, metadata naming every thread, slices that never overlap on one thread, and
// flows whose halves pair up (one "s" and one "f" with bp "e" per id).
inline void expect_well_formed_trace(const nlohmann::json& trace) {
  ASSERT_TRUE(trace.is_object());
  ASSERT_TRUE(trace.contains("traceEvents"));
  ASSERT_TRUE(trace["traceEvents"].is_array());
  EXPECT_EQ(trace["displayTimeUnit"], "ns");

  std::map<int64_t, std::string> thread_names;
  std::map<int64_t, int> flow_starts, flow_ends;
  for (const auto& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name")) << e.dump();
    EXPECT_EQ(e["pid"], 1) << e.dump();
    const std::string ph = e["ph"];
    if (ph == "M") {
      if (e["name"] == "thread_name") thread_names[e["tid"].get<int64_t>()] = e["args"]["name"];
      continue;
    }
    ASSERT_TRUE(e.contains("ts")) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0.0) << e.dump();
    if (ph == "X") {
      EXPECT_GT(e["dur"].get<double>(), 0.0) << e.dump();
      EXPECT_EQ(e["cat"], "state");
    } else if (ph == "s" || ph == "f") {
      EXPECT_EQ(e["cat"], "handoff") << e.dump();
      const int64_t id = e["id"];
      if (ph == "s") {
        ++flow_starts[id];
      } else {
        ++flow_ends[id];
        EXPECT_EQ(e["bp"], "e") << e.dump();
      }
    } else if (ph == "C") {
      EXPECT_TRUE(e["args"].is_object() && !e["args"].empty()) << e.dump();
    } else if (ph == "i") {
      EXPECT_TRUE(e["s"] == "t" || e["s"] == "g" || e["s"] == "p") << e.dump();
    } else {
      ADD_FAILURE() << "unexpected phase " << ph;
    }
    if (ph == "X" || ph == "s" || ph == "f") {
      EXPECT_TRUE(thread_names.count(e["tid"].get<int64_t>())) << "unnamed thread in " << e.dump();
    }
  }
  for (const auto& [id, n] : flow_starts) EXPECT_EQ(n, 1) << "flow " << id << " starts " << n << " times";
  for (const auto& [id, n] : flow_ends) EXPECT_EQ(n, 1) << "flow " << id << " ends " << n << " times";
  EXPECT_EQ(flow_starts.size(), flow_ends.size());
  for (const auto& [id, n] : flow_starts) EXPECT_TRUE(flow_ends.count(id)) << "flow " << id << " never ends";

  for (auto& [tid, slices] : slices_by_thread(trace)) {
    std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < slices.size(); ++i) {
      EXPECT_LE(slices[i - 1].end, slices[i].start)
          << "tid " << tid << ": '" << slices[i - 1].name << "' [" << slices[i - 1].start << ", " << slices[i - 1].end
          << ") overlaps '" << slices[i].name << "' from " << slices[i].start;
    }
  }
}

}  // namespace goscope::testing
