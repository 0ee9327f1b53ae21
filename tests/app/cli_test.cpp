// cli_test.cpp: the command line: what parses, what exits, with which code and message.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
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

// ExpectUsageError checks the exit code 2 and that stderr is one line naming `what`:
// "goscope: ... (see --help)", with no help text after it.
void ExpectUsageError(const ParseResult& r, const std::string& what) {
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("goscope: ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line:\n" << r.err;
  EXPECT_TRUE(r.err.ends_with(" (see --help)\n")) << r.err;
  EXPECT_TRUE(r.out.empty());
}

// ExpectNotANumber checks that `flag VALUE` after `args` is refused as malformed.
void ExpectNotANumber(std::vector<const char*> args, const char* flag, const char* value) {
  SCOPED_TRACE(std::string(flag) + " '" + value + "'");
  args.push_back(flag);
  args.push_back(value);
  std::vector<const char*> argv{"goscope"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ParseResult r = parse_command_line(static_cast<int>(argv.size()), argv.data());
  ExpectUsageError(r, std::string(flag) + ": '" + value + "'");
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

TEST(CommandLine, NumbersAreDecimalDigitsInRangeAndNothingElse) {
  const std::vector<const char*> run{"--lesson", "x", "--run"};
  for (const char* v : {"18446744073709551616", "99999999999999999999999", "-1", "0x10", "+1", " 1", "1 ", "",
                        "1e3", "1.0", "abc"}) {
    ExpectNotANumber(run, "--seed", v);
  }
  for (const char* v : {"0x4", " 4", "+4", "4 ", "", "0", "257", "4.0", "-4", "4294967297"}) {
    ExpectNotANumber(run, "--procs", v);
  }
  const std::vector<const char*> shot{"--screenshot", "o.png"};
  for (const char* v : {"0x3", "+3", " 3", "", "10001", "3.0"}) ExpectNotANumber(shot, "--frames", v);
  for (const char* v : {"0x10", "+10", " 10", "-1", "", "18446744073709551616"}) {
    ExpectNotANumber({"--lesson", "x", "--screenshot", "o.png"}, "--at", v);
  }
  for (const char* v : {"0x10", "+10", " 10", "", "0", "1000001"}) {
    ExpectNotANumber({"--lesson", "x"}, "--bench-frames", v);
  }
  for (const char* v : {"+800x600", "0x320x200", " 800x600", "800x 600", "800x+600"}) {
    ExpectNotANumber(shot, "--size", v);
  }
  for (const char* v : {"workers=0x1..2", "workers=+1..2", "workers= 1..2", "workers=1..99999999999999999999"}) {
    ExpectNotANumber({"--lesson", "x"}, "--sweep", v);
  }
}

TEST(CommandLine, SeedTakesEveryUnsignedSixtyFourBitValue) {
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--seed", "18446744073709551615"}).options.seed,
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--seed", "0"}).options.seed, 0u);
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--seed", "007"}).options.seed, 7u) << "decimal digits, not octal";
}

TEST(CommandLine, UsageErrorsNameTheFlagAndWhatItAccepts) {
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--procs", "0x4"}).err,
            "goscope: --procs: '0x4' is not a whole number in 1..256 (see --help)\n");
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--procs", ""}).err,
            "goscope: --procs: '' is not a whole number in 1..256 (see --help)\n");
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--seed", "-1"}).err,
            "goscope: --seed: '-1' is not a whole number in 0..18446744073709551615 (see --help)\n");
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--mode", "fast"}).err,
            "goscope: --mode: 'fast' is not deterministic or real (see --help)\n");
  EXPECT_EQ(parse({"--bogus"}).err, "goscope: unknown option '--bogus' (see --help)\n");
  ExpectUsageError(parse({"--lesson", "x", "--run", "--seed", "1", "--seed", "2"}), "--seed");
  ExpectUsageError(parse({"--lesson", "x", "--screenshot", "o.png", "--at"}), "--at");
  EXPECT_EQ(parse({"--lesson", "x", "--run=no"}).err, "goscope: --run takes no value (see --help)\n");
  EXPECT_EQ(parse({"--lesson", "x", "--run", "--set", "workers=2", "kind=io"}).err,
            "goscope: unexpected argument 'kind=io'; options start with -- (see --help)\n");
}

TEST(CommandLine, AnEmptyOutputFileNameIsBadUsage) {
  ExpectUsageError(parse({"--lesson", "x", "--trace", ""}), "--trace");
  ExpectUsageError(parse({"--screenshot", ""}), "--screenshot");
}

TEST(CommandLine, SizeIsRefusedWhereThereIsNoWindow) {
  ExpectUsageError(parse({"--lesson", "x", "--run", "--size", "800x600"}), "--size");
  ExpectUsageError(parse({"--lesson", "x", "--sweep", "workers=1..2", "--size", "800x600"}), "--size");
  ExpectUsageError(parse({"--lesson", "x", "--trace", "t.json", "--size", "800x600"}), "--size");
  ExpectUsageError(parse({"--list", "--size", "800x600"}), "--size");
  EXPECT_FALSE(parse({"--lesson", "x", "--size", "800x600"}).exit_code.has_value()) << "the window has a size";
}

TEST(CommandLine, TraceGoesWithoutAWindow) {
  ExpectUsageError(parse({"--lesson", "x", "--trace", "t.json", "--screenshot", "o.png"}), "--screenshot");
  ExpectUsageError(parse({"--lesson", "x", "--trace", "t.json", "--bench-frames", "3"}), "--bench-frames");
  EXPECT_FALSE(parse({"--lesson", "x", "--trace", "t.json", "--run"}).exit_code.has_value());
}

TEST(CommandLine, SettingTheSweptParameterIsBadUsage) {
  ExpectUsageError(parse({"--lesson", "x", "--sweep", "workers=1..2", "--set", "workers=9"}), "workers");
  EXPECT_FALSE(parse({"--lesson", "x", "--sweep", "workers=1..2", "--set", "kind=io"}).exit_code.has_value());
}

TEST(CommandLine, HelpNamesEveryExitStatus) {
  const std::string help = parse({"--help"}).out;
  EXPECT_NE(help.find("2 bad usage"), std::string::npos) << help;
  EXPECT_NE(help.find("3 could not write an output file or stdout"), std::string::npos) << help;
}

TEST(ParseNumber, DecimalDigitsInRangeOnly) {
  EXPECT_EQ(parse_number<int64_t>("-5", -10, 10), -5);
  EXPECT_EQ(parse_number<int64_t>("10", -10, 10), 10);
  EXPECT_FALSE(parse_number<int64_t>("11", -10, 10).has_value());
  EXPECT_FALSE(parse_number<int64_t>("-11", -10, 10).has_value());
  EXPECT_FALSE(parse_number<int>("-1", 0, 10).has_value());
  EXPECT_FALSE(parse_number<int>("+1", 0, 10).has_value());
  EXPECT_FALSE(parse_number<int>("-", -10, 10).has_value());
  EXPECT_FALSE(parse_number<int>("", 0, 10).has_value());
  EXPECT_FALSE(parse_number<uint64_t>("18446744073709551616", 0, std::numeric_limits<uint64_t>::max()).has_value());
}

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
  EXPECT_FALSE(parse_size("0x10x10").has_value());
  EXPECT_FALSE(parse_size("").has_value());
}

}  // namespace
}  // namespace goscope::app
