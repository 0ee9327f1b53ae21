// cli_test.cpp: the command line: what parses, what exits, with which code and message.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "app/cli.h"

namespace goscope::app {
namespace {

ParseResult parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"goscope"};
  argv.insert(argv.end(), args.begin(), args.end());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// ExpectUsageError checks the exit code 2, that stderr names `what`, and that the usage follows.
void ExpectUsageError(const ParseResult& r, const std::string& what) {
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Usage: goscope"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CommandLine, NoArgumentsOpensTheWindowAtTheDefaultSize) {
  const ParseResult r = parse({});
  EXPECT_FALSE(r.exit_code.has_value());
  EXPECT_FALSE(r.options.screenshot.has_value());
  EXPECT_EQ(r.options.size.width, 1600);
  EXPECT_EQ(r.options.size.height, 1000);
  EXPECT_FALSE(r.options.list);
  EXPECT_FALSE(r.options.lesson.has_value());
}

TEST(CommandLine, HelpPrintsUsageOnStdoutAndExitsZero) {
  const ParseResult r = parse({"--help"});
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, 0);
  for (const char* flag : {"--screenshot", "--size", "--frames", "--list", "--lesson", "--run",
                           "--set", "--seed", "--mode", "--procs", "--json", "--sweep",
                           "--trace", "--at", "--bench-frames", "--version"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_TRUE(r.err.empty());
}

TEST(CommandLine, VersionPrintsTheVersionAndExitsZero) {
  const ParseResult r = parse({"--version"});
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, 0);
  EXPECT_EQ(r.out, version_string() + "\n");
  EXPECT_EQ(version_string().rfind("goscope ", 0), 0u);
}

TEST(CommandLine, UnknownFlagExitsTwoNamingIt) { ExpectUsageError(parse({"--bogus"}), "--bogus"); }

TEST(CommandLine, StrayArgumentExitsTwoNamingIt) { ExpectUsageError(parse({"shell.png"}), "shell.png"); }

TEST(CommandLine, ScreenshotTakesAFileSizeAndFrameCount) {
  const ParseResult r = parse({"--screenshot", "out.png", "--size", "800x600", "--frames", "5"});
  ASSERT_FALSE(r.exit_code.has_value()) << r.err;
  ASSERT_TRUE(r.options.screenshot.has_value());
  EXPECT_EQ(*r.options.screenshot, "out.png");
  EXPECT_EQ(r.options.size.width, 800);
  EXPECT_EQ(r.options.size.height, 600);
  EXPECT_TRUE(r.options.size_given);
  EXPECT_EQ(r.options.frames, 5);
}

TEST(CommandLine, ScreenshotWithoutAFileExitsTwo) { ExpectUsageError(parse({"--screenshot"}), "--screenshot"); }

TEST(CommandLine, MalformedSizeExitsTwo) {
  for (const char* size : {"800", "800x", "x600", "0x600", "800x-1", "99999x10", "800x600x3", "ax b"}) {
    SCOPED_TRACE(size);
    ExpectUsageError(parse({"--screenshot", "o.png", "--size", size}), "--size");
  }
}

TEST(CommandLine, FramesOutOfRangeOrNotANumberExitsTwo) {
  for (const char* frames : {"0", "-1", "many", "1.5"}) {
    SCOPED_TRACE(frames);
    ExpectUsageError(parse({"--screenshot", "o.png", "--frames", frames}), "--frames");
  }
}

TEST(CommandLine, FramesWithoutScreenshotExitsTwo) {
  ExpectUsageError(parse({"--frames", "3"}), "--screenshot");
}

TEST(CommandLine, LessonRunTakesSettingsSeedModeAndProcs) {
  const ParseResult r = parse({"--lesson", "fan-out", "--run", "--set", "workers=8", "--set",
                               "kind=io", "--seed", "42", "--mode", "real", "--procs", "4", "--json"});
  ASSERT_FALSE(r.exit_code.has_value()) << r.err;
  const Options& o = r.options;
  EXPECT_EQ(o.lesson.value_or(""), "fan-out");
  EXPECT_TRUE(o.run);
  ASSERT_EQ(o.sets.size(), 2u);
  EXPECT_EQ(o.sets[0].name, "workers");
  EXPECT_EQ(o.sets[0].value, "8");
  EXPECT_EQ(o.sets[1].name, "kind");
  EXPECT_EQ(o.sets[1].value, "io");
  EXPECT_EQ(o.seed.value_or(0), 42u);
  EXPECT_EQ(o.mode.value_or(""), "real");
  EXPECT_EQ(o.procs.value_or(0), 4);
  EXPECT_TRUE(o.json);
}

TEST(CommandLine, RunWithoutALessonExitsTwo) { ExpectUsageError(parse({"--run"}), "--lesson"); }

TEST(CommandLine, UnknownModeExitsTwo) {
  ExpectUsageError(parse({"--lesson", "x", "--run", "--mode", "fast"}), "--mode");
}

TEST(CommandLine, ProcsOutOfRangeExitsTwo) {
  ExpectUsageError(parse({"--lesson", "x", "--run", "--procs", "0"}), "--procs");
  ExpectUsageError(parse({"--lesson", "x", "--run", "--procs", "257"}), "--procs");
}

TEST(CommandLine, NegativeOrNonNumericSeedExitsTwo) {
  ExpectUsageError(parse({"--lesson", "x", "--run", "--seed", "-3"}), "--seed");
  ExpectUsageError(parse({"--lesson", "x", "--run", "--seed", "abc"}), "--seed");
}

TEST(CommandLine, SettingWithoutNameOrValueExitsTwo) {
  for (const char* set : {"workers", "=8", "workers="}) {
    SCOPED_TRACE(set);
    ExpectUsageError(parse({"--lesson", "x", "--run", "--set", set}), "--set");
  }
}

TEST(CommandLine, SweepParsesARange) {
  const ParseResult r = parse({"--lesson", "fan-out", "--sweep", "workers=1..32", "--json"});
  ASSERT_FALSE(r.exit_code.has_value()) << r.err;
  ASSERT_TRUE(r.options.sweep.has_value());
  EXPECT_EQ(r.options.sweep->name, "workers");
  EXPECT_EQ(r.options.sweep->from, 1);
  EXPECT_EQ(r.options.sweep->to, 32);
}

TEST(CommandLine, MalformedSweepExitsTwo) {
  for (const char* sweep : {"workers=5..1", "workers=1-5", "workers=..5", "=1..5", "workers=1..x"}) {
    SCOPED_TRACE(sweep);
    ExpectUsageError(parse({"--lesson", "x", "--sweep", sweep}), "--sweep");
  }
}

TEST(CommandLine, AtTakesAnIndexMidOrEnd) {
  auto at = [](const char* v) {
    return parse({"--lesson", "x", "--screenshot", "o.png", "--at", v}).options.at;
  };
  EXPECT_EQ(at("mid")->kind, At::Kind::mid);
  EXPECT_EQ(at("end")->kind, At::Kind::end);
  ASSERT_EQ(at("120")->kind, At::Kind::index);
  EXPECT_EQ(at("120")->index, 120u);
  ExpectUsageError(parse({"--lesson", "x", "--screenshot", "o.png", "--at", "middle"}), "--at");
}

TEST(CommandLine, JsonNeedsRunOrSweep) { ExpectUsageError(parse({"--lesson", "x", "--json"}), "--json"); }

TEST(CommandLine, ListExcludesALesson) { ExpectUsageError(parse({"--list", "--lesson", "x"}), "--l"); }

TEST(CommandLine, TraceAndBenchFramesNeedALesson) {
  ExpectUsageError(parse({"--trace", "t.json"}), "--lesson");
  ExpectUsageError(parse({"--bench-frames", "10"}), "--lesson");
  const ParseResult r = parse({"--lesson", "fan-out", "--bench-frames", "10", "--size", "1600x1000"});
  ASSERT_FALSE(r.exit_code.has_value()) << r.err;
  EXPECT_EQ(r.options.bench_frames.value_or(0), 10);
}

TEST(ParseSize, AcceptsWidthByHeightOnly) {
  ASSERT_TRUE(parse_size("1x1").has_value());
  EXPECT_EQ(parse_size("1920x1080")->width, 1920);
  EXPECT_EQ(parse_size("1920x1080")->height, 1080);
  EXPECT_FALSE(parse_size("1920X1080").has_value());
  EXPECT_FALSE(parse_size("+1920x1080").has_value());
  EXPECT_FALSE(parse_size("").has_value());
}

}  // namespace
}  // namespace goscope::app
