// headless_test.cpp: lessons on the command line: --list, --run, --json, --sweep, --trace,
// and the exit code and message for each kind of bad usage.
#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/headless.h"
#include "lessons/lesson.h"
#include "tests/app/process.h"

namespace goscope::app {
namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

// headless parses args as the command line and runs them without a window.
Result headless(std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"goscope"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ParseResult parsed = parse_command_line(static_cast<int>(argv.size()), argv.data());
  EXPECT_FALSE(parsed.exit_code.has_value()) << parsed.err;
  EXPECT_TRUE(wants_headless(parsed.options));
  std::ostringstream out, err;
  Result r;
  r.code = run_headless(parsed.options, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(Headless, ListPrintsEveryLessonAsIdTabTitleInTeachingOrder) {
  const Result r = headless({"--list"});
  EXPECT_EQ(r.code, 0);
  std::string expected;
  for (const lessons::Lesson& l : lessons::all()) expected += l.id + "\t" + l.title + "\n";
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.out.rfind("hello-goroutine\t", 0), 0u);
}

TEST(Headless, RunPrintsExactlyTheProgramsOutputAndExitsZero) {
  const Result r = headless({"--lesson", "waitgroup", "--run"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "async thing\n");
  EXPECT_EQ(r.err, "");
}

TEST(Headless, HelloGoroutinePrintsNothingBecauseMainReturnsFirst) {
  const Result r = headless({"--lesson", "hello-goroutine", "--run"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(Headless, DeadlockExitsOneWithGosReportOnStderr) {
  const Result r = headless({"--lesson", "deadlock", "--run"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("fatal error: all goroutines are asleep - deadlock!\n", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("goroutine 1 [chan send]:"), std::string::npos) << r.err;
}

TEST(Headless, JsonHasEveryDocumentedKeyInOrder) {
  const Result r = headless({"--lesson", "fan-out", "--run", "--json", "--set", "workers=2",
                             "--set", "kind=io", "--seed", "9", "--procs", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"lesson", "seed", "mode", "procs", "params", "outcome",
                                            "message", "output", "goroutines", "events", "events_dropped",
                                            "virtual_time_ms", "throughput_per_s"}));
  EXPECT_EQ(j["events_dropped"], 0) << "deterministic runs drop nothing";
  EXPECT_EQ(j["lesson"], "fan-out");
  EXPECT_EQ(j["seed"], 9);
  EXPECT_EQ(j["mode"], "deterministic");
  EXPECT_EQ(j["procs"], 2);
  EXPECT_EQ(j["params"]["workers"], 2);
  EXPECT_EQ(j["params"]["kind"], "io");
  EXPECT_EQ(j["outcome"], "ok");
  EXPECT_EQ(j["message"], "");
  ASSERT_TRUE(j["output"].is_array());
  EXPECT_FALSE(j["output"].empty());
  EXPECT_GE(j["goroutines"].get<int>(), 4);  // main, producer, two workers at least
  EXPECT_GT(j["events"].get<int>(), 0);
  // Throughput is jobs per second of virtual time.
  const double jobs = j["params"]["jobs"].get<double>();
  EXPECT_NEAR(j["throughput_per_s"].get<double>(), jobs / (j["virtual_time_ms"].get<double>() / 1000), 1e-6);
}

TEST(Headless, JsonForALessonWithoutThroughputLeavesItOut) {
  const Result r = headless({"--lesson", "deadlock", "--run", "--json"});
  EXPECT_EQ(r.code, 1);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["outcome"], "deadlock");
  EXPECT_EQ(j["message"], "all goroutines are asleep - deadlock!");
  EXPECT_FALSE(j.contains("throughput_per_s"));
}

TEST(Headless, JsonInRealModeReportsWallTime) {
  const Result r = headless({"--lesson", "waitgroup", "--run", "--json", "--mode", "real", "--procs", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mode"], "real");
  EXPECT_TRUE(j.contains("wall_time_ms"));
  EXPECT_FALSE(j.contains("virtual_time_ms"));
  EXPECT_EQ(j["output"], nlohmann::json::array({"async thing"}));
}

TEST(Headless, SweepRunsOncePerValueAndPrintsAnArray) {
  const Result r = headless({"--lesson", "fan-out", "--sweep", "workers=1..4", "--set", "kind=cpu", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(j[i]["params"]["workers"], i + 1);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(j[i]["events_dropped"], 0);
  // CPU-bound fan-out on 4 processors: four workers move jobs faster than one.
  EXPECT_GT(j[3]["throughput_per_s"].get<double>(), 2 * j[0]["throughput_per_s"].get<double>());
}

TEST(Headless, JsonAndTheTraceMessageNameDroppedEvents) {
  LessonRequest run;
  run.lesson = lessons::find("waitgroup");
  ASSERT_NE(run.lesson, nullptr);
  run.params = lessons::defaults(*run.lesson);
  run.mode = Mode::real;
  Outcome outcome;
  outcome.events = 100;
  outcome.events_dropped = 7;
  EXPECT_EQ(run_json(run, outcome)["events_dropped"], 7);
  EXPECT_EQ(trace_written("t.json", 100, 7),
            "goscope: wrote t.json (100 events, 7 dropped; open it in https://ui.perfetto.dev)\n");
  EXPECT_EQ(trace_written("t.json", 100, 0),
            "goscope: wrote t.json (100 events; open it in https://ui.perfetto.dev)\n");
}

TEST(Headless, SameSeedGivesTheSameJson) {
  const Result a = headless({"--lesson", "fan-in", "--run", "--json", "--seed", "5"});
  const Result b = headless({"--lesson", "fan-in", "--run", "--json", "--seed", "5"});
  EXPECT_EQ(a.out, b.out);
}

TEST(Headless, TraceWritesChromeTraceJson) {
  const auto dir = test::scratch_dir("trace");
  const std::string path = (dir / "trace.json").string();
  const Result r = headless({"--lesson", "unbuffered-channel", "--trace", path.c_str()});
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(test::slurp(path));
  ASSERT_TRUE(j.contains("traceEvents"));
  EXPECT_GT(j["traceEvents"].size(), 5u);
}

TEST(Headless, TraceReplacesTheOldFileAndLeavesNothingElse) {
  const auto dir = test::scratch_dir("trace-replace");
  const std::string path = (dir / "trace.json").string();
  test::write_file(path, "old");
  const Result r = headless({"--lesson", "waitgroup", "--trace", path.c_str()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::parse(test::slurp(path)).contains("traceEvents"));
  EXPECT_EQ(test::files_in(dir), std::vector<std::string>{"trace.json"}) << "no temporary file left";
}

// ExpectOneLineUsageError checks exit 2 and one line on stderr naming `what`.
void ExpectOneLineUsageError(const Result& r, const std::string& what) {
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line:\n" << r.err;
  EXPECT_TRUE(r.err.ends_with(" (see --help)\n")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Headless, LessonErrorsAreOneLineNamingTheFlag) {
  ExpectOneLineUsageError(headless({"--lesson", "nope", "--run"}), "--lesson: there is no lesson 'nope'");
  ExpectOneLineUsageError(headless({"--lesson", "fan-out", "--run", "--set", "wrokers=3"}), "--set wrokers=3:");
  ExpectOneLineUsageError(headless({"--lesson", "fan-out", "--run", "--set", "workers=65"}), "--set workers=65:");
  ExpectOneLineUsageError(headless({"--lesson", "fan-out", "--sweep", "workers=0..3"}), "--sweep workers=0..3:");
}

TEST(Headless, SetValuesFollowTheNumberGrammar) {
  for (const char* v : {"workers=0x4", "workers=+4", "workers= 4", "workers=4.0", "workers=99999999999999999999"}) {
    SCOPED_TRACE(v);
    ExpectOneLineUsageError(headless({"--lesson", "fan-out", "--run", "--set", v}), "takes a whole number in 1..64");
  }
  const Result r = headless({"--lesson", "fan-out", "--run", "--json", "--set", "workers=04"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["params"]["workers"], 4);
}

TEST(Headless, UnknownLessonExitsTwoNamingTheLessons) {
  const Result r = headless({"--lesson", "fan-outt", "--run"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("fan-outt"), std::string::npos);
  for (const lessons::Lesson& l : lessons::all()) EXPECT_NE(r.err.find(l.id), std::string::npos) << l.id;
}

TEST(Headless, UnknownParameterExitsTwoNamingTheParametersAndRanges) {
  const Result r = headless({"--lesson", "fan-out", "--run", "--set", "wrokers=3"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("wrokers"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("workers (1..64)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kind (cpu|io)"), std::string::npos) << r.err;
}

TEST(Headless, OutOfRangeValueExitsTwoNamingTheRange) {
  const Result r = headless({"--lesson", "fan-out", "--run", "--set", "workers=65"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("1..64"), std::string::npos) << r.err;
  const Result s = headless({"--lesson", "fan-out", "--sweep", "workers=1..65"});
  EXPECT_EQ(s.code, kExitUsage);
  EXPECT_NE(s.err.find("1..64"), std::string::npos) << s.err;
  EXPECT_EQ(s.out, "");
}

TEST(Headless, ChoiceParameterRejectsAnUnknownChoice) {
  const Result r = headless({"--lesson", "fan-out", "--run", "--set", "kind=gpu"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("cpu|io"), std::string::npos) << r.err;
}

// goscope runs the executable with `args` (shell words) in `dir`.
test::Ran goscope(const std::string& args, const std::filesystem::path& dir) {
  return test::run_command("'" + test::kGoscope + "' " + args, dir);
}

TEST(Headless, OutputToAFullDeviceExitsThreeAndSaysWhy) {
  const auto dir = test::scratch_dir("stdout-full");
  for (const char* args : {"--list", "--help", "--version", "--lesson waitgroup --run",
                           "--lesson waitgroup --run --json", "--lesson fan-out --sweep workers=1..3",
                           "--lesson fan-out --sweep workers=1..3 --json"}) {
    SCOPED_TRACE(args);
    const test::Ran ran = goscope(std::string(args) + " >/dev/full", dir);
    EXPECT_EQ(ran.exit_code, kExitOutput);
    EXPECT_EQ(ran.err, "goscope: cannot write to stdout: No space left on device\n");
  }
  // A usage error writes nothing to stdout: it stays a usage error.
  EXPECT_EQ(goscope("--procs 0x4 --lesson waitgroup --run >/dev/full", dir).exit_code, kExitUsage);
}

TEST(Headless, TraceToAFullDeviceExitsThreeAndSaysWhy) {
  const auto dir = test::scratch_dir("trace-full");
  const test::Ran ran = goscope("--lesson waitgroup --trace /dev/full", dir);
  EXPECT_EQ(ran.exit_code, kExitOutput);
  EXPECT_EQ(ran.err, "goscope: cannot write /dev/full: No space left on device\n");
}

TEST(Headless, AFailedTraceKeepsTheOldFile) {
  const auto dir = test::scratch_dir("trace-fails");
  test::write_file(dir / "trace.json", "the old trace");
  // A file size limit makes the write fail part way (EFBIG) without root or a full disk.
  const test::Ran ran = test::run_command(test::kFileSizeLimit + "'" + test::kGoscope +
                                              "' --lesson fan-out --trace trace.json",
                                          dir);
  EXPECT_EQ(ran.exit_code, kExitOutput);
  EXPECT_EQ(ran.err, "goscope: cannot write trace.json: File too large\n");
  EXPECT_EQ(test::slurp(dir / "trace.json"), "the old trace");
  EXPECT_EQ(test::files_in(dir), (std::vector<std::string>{"stderr.txt", "stdout.txt", "trace.json"}))
      << "no temporary file left";
}

TEST(Headless, TheExecutableExitsOneOnADeadlock) {
  const auto dir = test::scratch_dir("deadlock");
  const test::Ran ran = test::run_command("'" + test::kGoscope + "' --lesson deadlock --run", dir);
  EXPECT_EQ(ran.exit_code, 1);
  EXPECT_EQ(ran.out, "sending Hello!!!\n");
  EXPECT_NE(ran.err.find("fatal error: all goroutines are asleep - deadlock!"), std::string::npos);
}

}  // namespace
}  // namespace goscope::app
