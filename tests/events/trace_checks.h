// trace_checks.h: structural checks on a Chrome Trace Event JSON export, shared by the
// exporter's unit tests and the runtime integration tests.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace goscope::testing {

// to_ns reads a Chrome timestamp (us, fractional) back as the event's nanoseconds.
inline int64_t to_ns(const nlohmann::json& us) { return std::llround(us.get<double>() * 1000.0); }

struct Slice {
  int64_t start, end;
  std::string name;
};

// slices_by_thread collects the X events of each tid of process pid, in file order.
inline std::map<int64_t, std::vector<Slice>> slices_by_thread(const nlohmann::json& trace, int pid = 1) {
  std::map<int64_t, std::vector<Slice>> out;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X" || e["pid"] != pid) continue;
    const int64_t start = to_ns(e["ts"]);
    out[e["tid"].get<int64_t>()].push_back({start, start + to_ns(e["dur"]), e["name"].get<std::string>()});
  }
  return out;
}

// covers reports whether one of the slices starts at or before ts and ends after it: what
// an arrow end needs to bind to (an "s", or an "f" with bp "e", binds to the enclosing slice).
inline bool covers(const std::vector<Slice>& slices, int64_t ts) {
  return std::any_of(slices.begin(), slices.end(), [&](const Slice& s) { return s.start <= ts && ts < s.end; });
}

// expect_flows_bind_forwards checks every handoff arrow: both ends bind to a slice of
// their (named) thread, and none ends before it starts.
inline void expect_flows_bind_forwards(const nlohmann::json& trace) {
  const auto slices = slices_by_thread(trace);
  std::map<int64_t, nlohmann::json> starts, ends;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "s" && e["ph"] != "f") continue;
    (e["ph"] == "s" ? starts : ends)[e["id"].get<int64_t>()] = e;
    auto it = slices.find(e["tid"].get<int64_t>());
    EXPECT_TRUE(it != slices.end() && covers(it->second, to_ns(e["ts"]))) << "binds to no slice: " << e.dump();
  }
  for (const auto& [id, s] : starts) {
    auto f = ends.find(id);
    if (f == ends.end()) continue;
    EXPECT_LE(to_ns(s["ts"]), to_ns(f->second["ts"])) << "flow " << id << " goes back in time: " << s.dump() << " -> "
                                                    << f->second.dump();
  }
}

// expect_well_formed_trace checks the structure every export must have: the top-level
// object with the number of events dropped, goroutines in pid 1 and processors in pid 2,
// metadata naming every thread, slices that never overlap on one thread, and flows whose
// halves pair up (one "s" and one "f" with bp "e" per id), bind to slices and go forwards.
inline void expect_well_formed_trace(const nlohmann::json& trace) {
  ASSERT_TRUE(trace.is_object());
  ASSERT_TRUE(trace.contains("traceEvents"));
  ASSERT_TRUE(trace["traceEvents"].is_array());
  EXPECT_EQ(trace["displayTimeUnit"], "ns");
  ASSERT_TRUE(trace.contains("otherData")) << "the trace must say whether events were dropped";
  EXPECT_TRUE(trace["otherData"]["events_dropped"].is_number_unsigned()) << trace["otherData"].dump();

  std::map<std::pair<int64_t, int64_t>, std::string> thread_names;  // (pid, tid) -> name
  std::map<int64_t, int> flow_starts, flow_ends;
  for (const auto& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name")) << e.dump();
    const std::string ph = e["ph"];
    const std::pair<int64_t, int64_t> thread{e["pid"].get<int64_t>(), e["tid"].get<int64_t>()};
    if (ph == "M") {
      EXPECT_TRUE(thread.first == 1 || thread.first == 2) << e.dump();
    } else if (ph == "X" && e["cat"] == "proc") {
      EXPECT_EQ(thread.first, 2) << e.dump();
    } else {
      EXPECT_EQ(thread.first, 1) << e.dump();
    }
    if (ph == "M") {
      if (e["name"] == "thread_name") thread_names[thread] = e["args"]["name"];
      continue;
    }
    ASSERT_TRUE(e.contains("ts")) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0.0) << e.dump();
    if (ph == "X") {
      EXPECT_GT(e["dur"].get<double>(), 0.0) << e.dump();
      EXPECT_TRUE(e["cat"] == "state" || e["cat"] == "proc" || e["cat"] == "timer") << e.dump();
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
      EXPECT_TRUE(thread_names.count(thread)) << "unnamed thread in " << e.dump();
    }
  }
  for (const auto& [id, n] : flow_starts) EXPECT_EQ(n, 1) << "flow " << id << " starts " << n << " times";
  for (const auto& [id, n] : flow_ends) EXPECT_EQ(n, 1) << "flow " << id << " ends " << n << " times";
  EXPECT_EQ(flow_starts.size(), flow_ends.size());
  for (const auto& [id, n] : flow_starts) EXPECT_TRUE(flow_ends.count(id)) << "flow " << id << " never ends";

  expect_flows_bind_forwards(trace);

  for (int pid : {1, 2}) {
    for (auto& [tid, slices] : slices_by_thread(trace, pid)) {
      std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.start < b.start; });
      for (std::size_t i = 1; i < slices.size(); ++i) {
        EXPECT_LE(slices[i - 1].end, slices[i].start)
            << "pid " << pid << " tid " << tid << ": '" << slices[i - 1].name << "' [" << slices[i - 1].start << ", "
            << slices[i - 1].end << ") overlaps '" << slices[i].name << "' from " << slices[i].start;
      }
    }
  }
}

}  // namespace goscope::testing
