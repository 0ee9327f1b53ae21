// cli.h: goscope's command line, parsed and checked before anything else happens.
//
// parse_command_line turns argv into Options or into an exit: --help and --version exit 0
// with text on stdout; a bad flag, value or combination exits 2 with one line on stderr
// that names the flag and what it accepts. Checks that need the lesson registry (does the
// lesson exist, is the parameter in range) happen later, in headless.cpp, which exits 2
// the same way.
//
// Every number on the command line has one grammar (parse_number): decimal digits, a
// leading '-' only where a negative value can fit, and in range; anything else is bad
// usage, never clamped or reinterpreted.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goscope::app {

// Size is a window or screenshot size in pixels.
struct Size {
  int width = 1600;
  int height = 1000;
};

// At says which event the playhead stands on for --screenshot: an index, the middle or the end.
struct At {
  enum class Kind { index, mid, end } kind = Kind::end;
  uint64_t index = 0;  // Kind::index only
};

// Sweep is --sweep NAME=A..B: one run per value of NAME from A to B inclusive.
struct Sweep {
  std::string name;
  int64_t from = 0;
  int64_t to = 0;
};

// Setting is one --set NAME=VALUE, as typed (VALUE may be a number or a choice's text).
struct Setting {
  std::string name;
  std::string value;
};

// Options is what the command line asked for. Unset optionals mean "not given".
struct Options {
  // Window and screenshots.
  std::optional<std::string> screenshot;  // --screenshot FILE.png
  Size size;                              // --size WxH
  bool size_given = false;
  int frames = 3;                         // --frames N: frames rendered before the read-back
  std::optional<At> at;                   // --at N|mid|end
  std::optional<int> bench_frames;        // --bench-frames N

  // Lessons without a window.
  bool list = false;                      // --list
  std::optional<std::string> lesson;      // --lesson ID
  bool run = false;                       // --run
  std::vector<Setting> sets;              // --set NAME=VALUE (repeatable)
  std::optional<uint64_t> seed;           // --seed N
  std::optional<std::string> mode;        // --mode deterministic|real
  std::optional<int> procs;               // --procs N
  bool json = false;                      // --json
  std::optional<Sweep> sweep;             // --sweep NAME=A..B
  std::optional<std::string> trace;       // --trace FILE.json
};

// ParseResult is either Options to act on (exit_code empty) or an exit with text to print.
struct ParseResult {
  Options options;
  std::optional<int> exit_code;  // set: print out/err and exit with this code
  std::string out;               // for stdout (--help, --version)
  std::string err;               // for stderr (what is wrong, one line)
};

// kExitUsage is the exit code for bad usage (unknown flag, malformed value, unknown lesson).
inline constexpr int kExitUsage = 2;

// kExitOutput is the exit code when an output file or stdout could not be written: the
// work was done but its result did not arrive.
inline constexpr int kExitOutput = 3;

// usage_error is the one line printed for bad usage: "goscope: PROBLEM (see --help)".
std::string usage_error(const std::string& problem);

// parse_number parses all of `text` as a whole number in min..max: decimal digits with a
// leading '-' for a negative number (which only fits where min < 0). No '+', spaces, 0x
// or exponent; out of range is nullopt, never clamped.
template <class T>
std::optional<T> parse_number(std::string_view text, T min, T max) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
  return value;
}

// number_range describes min..max for a message: "1..256".
template <class T>
std::string number_range(T min, T max) {
  return std::to_string(min) + ".." + std::to_string(max);
}

// parse_command_line parses argv (argv[0] is the program name).
ParseResult parse_command_line(int argc, const char* const* argv);

// usage returns the --help text.
std::string usage();

// version_string returns "goscope <version>".
std::string version_string();

// parse_size parses "WxH" (whole numbers in 1..16384 each); nullopt if malformed.
std::optional<Size> parse_size(const std::string& text);

// parse_setting parses "NAME=VALUE" with a non-empty name and value; nullopt if malformed.
std::optional<Setting> parse_setting(const std::string& text);

// parse_sweep parses "NAME=A..B" with whole numbers A <= B (negative ones too: the
// lesson's range decides); nullopt if malformed.
std::optional<Sweep> parse_sweep(const std::string& text);

// parse_at parses "N" (a whole number), "mid" or "end"; nullopt if malformed.
std::optional<At> parse_at(const std::string& text);

}  // namespace goscope::app
