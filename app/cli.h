// cli.h: goscope's command line, parsed and checked before anything else happens.
//
// parse_command_line turns argv into Options or into an exit: --help and --version exit 0
// with text on stdout; a bad flag or value exits 2 with the problem and the usage on
// stderr. Checks that need the lesson registry (does the lesson exist, is the parameter
// in range) happen later, in headless.cpp, which exits 2 the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
  std::string err;               // for stderr (what is wrong, then the usage)
};

// kExitUsage is the exit code for bad usage (unknown flag, malformed value, unknown lesson).
inline constexpr int kExitUsage = 2;

// parse_command_line parses argv (argv[0] is the program name).
ParseResult parse_command_line(int argc, const char* const* argv);

// usage returns the --help text.
std::string usage();

// version_string returns "goscope <version>".
std::string version_string();

// parse_size parses "WxH" (1..16384 each); nullopt if malformed.
std::optional<Size> parse_size(const std::string& text);

// parse_setting parses "NAME=VALUE" with a non-empty name and value; nullopt if malformed.
std::optional<Setting> parse_setting(const std::string& text);

// parse_sweep parses "NAME=A..B" with integers A <= B; nullopt if malformed.
std::optional<Sweep> parse_sweep(const std::string& text);

// parse_at parses "N", "mid" or "end"; nullopt if malformed.
std::optional<At> parse_at(const std::string& text);

}  // namespace goscope::app
