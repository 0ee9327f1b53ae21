// compare_test.cpp: the logic of `goscope-bench --compare`: medians, ratios, the JSON
// contract, reading what measuring processes print, and a quick smoke run of the real
// executable (tiny iteration counts; it proves the plumbing, not the speed).
#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "bench/compare.h"
#include "bench/compare_run.h"

using namespace goscope::bench;

namespace {

const std::vector<std::string> kContractMetrics = {
    "pingpong_unbuffered_rt_ns",    "pingpong_buffered1_rt_ns", "spsc_cap128_ns",
    "mpmc_4x4_cap128_ns",           "select2_pingpong_rt_ns",   "yield_ns",
    "spawn_join_ns",                "parked_bytes_per_goroutine", "pingpong_unbuffered_rt_ns_2t",
    "spsc_cap128_ns_2t",            "mpmc_4x4_cap128_ns_2t",    "event_emit_ns",
    "pingpong_traced_over_untraced"};

const std::set<std::string> kContractKeys = {"metric", "unit", "goscope", "go", "boost_fiber"};

// expect_contract_shape checks a --json result: an array with one object per contract
// metric, in order, each with exactly the five keys, numbers or null.
void expect_contract_shape(const nlohmann::json& j) {
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), kContractMetrics.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const nlohmann::json& o = j[i];
    ASSERT_TRUE(o.is_object());
    std::set<std::string> keys;
    for (auto it = o.begin(); it != o.end(); ++it) keys.insert(it.key());
    EXPECT_EQ(keys, kContractKeys);
    EXPECT_EQ(o["metric"], kContractMetrics[i]);
    EXPECT_TRUE(o["unit"].is_string());
    for (const char* peer : {"goscope", "go", "boost_fiber"})
      EXPECT_TRUE(o[peer].is_number() || o[peer].is_null()) << o["metric"] << " " << peer;
  }
}

}  // namespace

TEST(Median, OfAnOddCountIsTheMiddleValue) {
  EXPECT_EQ(median({5.0, 1.0, 3.0}), 3.0);
  EXPECT_EQ(median({7.0}), 7.0);
  EXPECT_EQ(median({9.0, 2.0, 4.0, 100.0, 3.0}), 4.0);
}

TEST(Median, OfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(median({4.0, 1.0}), 2.5);
  EXPECT_EQ(median({10.0, 1.0, 3.0, 2.0}), 2.5);
}

TEST(Median, OfNothingIsMissing) { EXPECT_FALSE(median({}).has_value()); }

TEST(Ratio, DividesOursByTheBetterPeer) {
  EXPECT_DOUBLE_EQ(*ratio(100.0, 200.0, 400.0), 0.5);
  EXPECT_DOUBLE_EQ(*ratio(100.0, 400.0, 50.0), 2.0);
}

TEST(Ratio, SkipsAMissingPeer) {
  EXPECT_DOUBLE_EQ(*ratio(30.0, std::nullopt, 60.0), 0.5);
  EXPECT_DOUBLE_EQ(*ratio(30.0, 10.0, std::nullopt), 3.0);
}

TEST(Ratio, IsMissingWithoutOursOrWithoutAnyPeer) {
  EXPECT_FALSE(ratio(std::nullopt, 1.0, 2.0).has_value());
  EXPECT_FALSE(ratio(5.0, std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(ratio(5.0, 0.0, std::nullopt).has_value());
}

TEST(Metrics, AreExactlyTheContractNamesInOrder) {
  std::vector<std::string> names;
  for (const Metric& m : metrics()) names.emplace_back(m.name);
  EXPECT_EQ(names, kContractMetrics);
  for (const Metric& m : metrics()) {
    EXPECT_TRUE(m.unit == "ns" || m.unit == "bytes" || m.unit == "x") << m.name;
    EXPECT_EQ(m.procs, std::string_view(m.name).ends_with("_2t") ? 2 : 1) << m.name;
    EXPECT_GT(m.quick_iterations, 0) << m.name;
    EXPECT_LE(m.quick_iterations, m.iterations) << m.name;
  }
}

TEST(Samples, BecomeOneRowPerMetricWithMediansAndNotes) {
  Samples s;
  for (double v : {300.0, 100.0, 200.0}) s.add("yield_ns", Peer::goscope, v);
  for (double v : {70.0, 80.0}) s.add("yield_ns", Peer::go, v);
  s.note("select2_pingpong_rt_ns", "boost_fiber: no select");
  s.note("select2_pingpong_rt_ns", "boost_fiber: no select");  // kept once
  std::vector<Row> rows = s.rows();
  ASSERT_EQ(rows.size(), kContractMetrics.size());
  const Row& yield = rows[5];
  EXPECT_EQ(yield.metric, "yield_ns");
  EXPECT_EQ(yield.goscope, 200.0);
  EXPECT_EQ(yield.go, 75.0);
  EXPECT_FALSE(yield.boost_fiber.has_value());
  EXPECT_EQ(yield.rounds, 3);
  EXPECT_DOUBLE_EQ(*yield.ratio(), 200.0 / 75.0);
  EXPECT_EQ(rows[4].note, "boost_fiber: no select");
  EXPECT_FALSE(rows[0].goscope.has_value());
}

TEST(Json, IsAnArrayOfObjectsWithExactlyTheContractKeys) {
  Samples s;
  s.add("spawn_join_ns", Peer::goscope, 250.0);
  s.add("spawn_join_ns", Peer::go, 315.0);
  s.add("spawn_join_ns", Peer::boost_fiber, 290.0);
  nlohmann::json j = nlohmann::json::parse(to_json(s.rows()));
  expect_contract_shape(j);
  EXPECT_EQ(j[6]["goscope"], 250.0);
  EXPECT_EQ(j[6]["go"], 315.0);
  EXPECT_EQ(j[6]["boost_fiber"], 290.0);
  EXPECT_EQ(j[6]["unit"], "ns");
  EXPECT_TRUE(j[0]["goscope"].is_null());
}

TEST(Json, KeepsFourSignificantDigits) {
  Row r{"yield_ns", "ns", 123.456789, 0.0123456, std::nullopt, "", 1};
  nlohmann::json j = nlohmann::json::parse(to_json({r}));
  EXPECT_DOUBLE_EQ(j[0]["goscope"].get<double>(), 123.5);
  EXPECT_DOUBLE_EQ(j[0]["go"].get<double>(), 0.01235);
}

TEST(Table, ShowsEveryMetricTheMachineAndTheRatio) {
  Samples s;
  s.add("yield_ns", Peer::goscope, 50.0);
  s.add("yield_ns", Peer::go, 100.0);
  Machine m;
  m.date = "2026-01-01 00:00 UTC";
  m.uname = "Linux 6.1 x86_64";
  m.cpu = "Some CPU";
  m.cpus = 2;
  std::string t = to_table(s.rows(), m, "goscope-bench --compare");
  for (const std::string& name : kContractMetrics) EXPECT_NE(t.find(name), std::string::npos) << name;
  EXPECT_NE(t.find("Some CPU"), std::string::npos);
  EXPECT_NE(t.find("2026-01-01"), std::string::npos);
  EXPECT_NE(t.find("0.50"), std::string::npos);  // goscope / best peer
  std::string md = to_markdown(s.rows(), m, "goscope-bench --compare");
  EXPECT_NE(md.find("| yield_ns | ns | 50.0 | 100 | - | 0.50 |"), std::string::npos) << md;
}

TEST(Measurements, ParseTheGoProgramsJsonLines) {
  // What tests/go_bench prints (encoding/json sorts map keys), with a blank line between.
  std::string out =
      "{\"metric\":\"pingpong_unbuffered_rt_ns\",\"value\":245.25}\n\n"
      "{\"metric\":\"event_emit_ns\",\"note\":\"runtime/trace\",\"value\":1200}\n"
      "{\"metric\":\"select2_pingpong_rt_ns\",\"value\":null}";
  std::string error;
  auto got = parse_measurements(out, &error);
  ASSERT_TRUE(got.has_value()) << error;
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].metric, "pingpong_unbuffered_rt_ns");
  EXPECT_EQ((*got)[0].value, 245.25);
  EXPECT_EQ((*got)[1].note, "runtime/trace");
  EXPECT_EQ((*got)[1].value, 1200.0);
  EXPECT_FALSE((*got)[2].value.has_value());
}

TEST(Measurements, RejectALineThatIsNotAMeasurement) {
  std::string error;
  EXPECT_FALSE(parse_measurements("panic: runtime error\n", &error).has_value());
  EXPECT_NE(error.find("panic: runtime error"), std::string::npos);
  EXPECT_FALSE(parse_measurements("{\"metric\":\"yield_ns\"}\n", &error).has_value());
  EXPECT_FALSE(parse_measurements("{\"metric\":3,\"value\":1}\n", &error).has_value());
  EXPECT_FALSE(parse_measurements("{\"metric\":\"yield_ns\",\"value\":\"fast\"}\n", &error).has_value());
}

TEST(Measurements, RoundTripThroughTheChildsJsonLine) {
  Measurement m{"yield_ns", 41.5, "two goroutines"};
  auto got = parse_measurements(to_json_line(m) + "\n", nullptr);
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].metric, "yield_ns");
  EXPECT_EQ((*got)[0].value, 41.5);
  EXPECT_EQ((*got)[0].note, "two goroutines");
}

TEST(CompareArgs, DefaultToFiveRoundsAndQuickToOne) {
  std::string error;
  auto o = parse_compare_args({"--compare"}, &error);
  ASSERT_TRUE(o.has_value()) << error;
  EXPECT_EQ(o->rounds, 5);
  EXPECT_FALSE(o->json);
  o = parse_compare_args({"--compare", "--quick", "--json"}, &error);
  ASSERT_TRUE(o.has_value()) << error;
  EXPECT_EQ(o->rounds, 1);
  EXPECT_TRUE(o->quick);
  EXPECT_TRUE(o->json);
  o = parse_compare_args({"--compare", "--rounds", "7", "--only", "yield_ns,spawn_join_ns"}, &error);
  ASSERT_TRUE(o.has_value()) << error;
  EXPECT_EQ(o->rounds, 7);
  EXPECT_EQ(o->only, (std::vector<std::string>{"yield_ns", "spawn_join_ns"}));
  o = parse_compare_args({"--compare", "--markdown", "--cpu-time"}, &error);
  ASSERT_TRUE(o.has_value()) << error;
  EXPECT_TRUE(o->markdown);
  EXPECT_TRUE(o->cpu_time);
  EXPECT_EQ(o->rounds, 5);
}

TEST(CompareArgs, RejectUnknownFlagsAndBadValues) {
  std::string error;
  EXPECT_FALSE(parse_compare_args({"--compare", "--fast"}, &error).has_value());
  EXPECT_FALSE(parse_compare_args({"--compare", "--rounds", "0"}, &error).has_value());
  EXPECT_FALSE(parse_compare_args({"--compare", "--rounds"}, &error).has_value());
  EXPECT_FALSE(parse_compare_args({"--compare", "--only", "nope_ns"}, &error).has_value());
}

TEST(RunProcess, CollectsOutputAndExitCode) {
  ProcessResult r = run_process({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, {"X=1"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  r = run_process({"/bin/sh", "-c", "echo $GOSCOPE_BENCH_TEST_VAR"}, {"GOSCOPE_BENCH_TEST_VAR=seen"});
  EXPECT_EQ(r.out, "seen\n");
}

TEST(RunProcess, KillsAChildPastItsDeadline) {
  ProcessResult r = run_process({"/bin/sh", "-c", "exec sleep 30"}, {}, 1);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, -1);
}

#ifdef GOSCOPE_BENCH_EXE
// The CI smoke run: the real executable, every workload with tiny counts, one round.
TEST(CompareSmoke, QuickJsonRunExitsZeroAndPrintsTheContract) {
  ProcessResult r = run_process({GOSCOPE_BENCH_EXE, "--compare", "--quick", "--json"}, {}, 600);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  expect_contract_shape(j);
  // goscope and Boost.Fiber always run; their runtime-only lines must have numbers.
  for (std::size_t i : {5u, 6u, 7u}) {
    EXPECT_TRUE(j[i]["goscope"].is_number()) << j[i]["metric"] << "\n" << r.err;
    EXPECT_TRUE(j[i]["boost_fiber"].is_number()) << j[i]["metric"] << "\n" << r.err;
  }
  EXPECT_TRUE(j[4]["boost_fiber"].is_null());  // Boost.Fiber has no select
  // The Go column only where Go is installed; without it the run must still succeed.
  if (access("/usr/bin/go", X_OK) == 0) {
    EXPECT_TRUE(j[5]["go"].is_number()) << r.err;
  }
}
#endif

#ifdef GOSCOPE_BENCH_EXE
// Without Go the comparison still runs: the Go column is null and a note says why.
TEST(CompareSmoke, RunsWithoutGoAndLeavesItsColumnEmpty) {
  ProcessResult r = run_process({GOSCOPE_BENCH_EXE, "--compare", "--quick", "--json", "--only", "yield_ns"},
                                {"GOSCOPE_BENCH_GO=/nonexistent/go"}, 600);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["metric"], "yield_ns");
  EXPECT_TRUE(j[0]["go"].is_null());
  EXPECT_TRUE(j[0]["goscope"].is_number()) << r.err;
  EXPECT_NE(r.err.find("go not found at /nonexistent/go"), std::string::npos) << r.err;
}
#endif

#ifdef GOSCOPE_BENCH_EXE
// --workload runs each workload of bench/count_instructions.sh to completion, and turns
// a name it does not know, or a bad count, into a usage error (exit 2).
TEST(Workload, RunsEveryNamedWorkloadAndRejectsOthers) {
  for (const char* name : {"pingpong", "pingpong_traced", "spsc", "mpmc", "select2"}) {
    ProcessResult r = run_process({GOSCOPE_BENCH_EXE, "--workload", name, "1000"}, {}, 60);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
  }
  ProcessResult unknown = run_process({GOSCOPE_BENCH_EXE, "--workload", "pingpang", "1000"}, {}, 60);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown workload pingpang"), std::string::npos) << unknown.err;
  ProcessResult bad_count = run_process({GOSCOPE_BENCH_EXE, "--workload", "spsc", "lots"}, {}, 60);
  EXPECT_EQ(bad_count.exit_code, 2);
  EXPECT_NE(bad_count.err.find("usage: goscope-bench --workload"), std::string::npos) << bad_count.err;
}
#endif
