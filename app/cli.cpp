// cli.cpp: the command line, declared with CLI11 (Debian's libcli11-dev).
#include "app/cli.h"

#include <charconv>
#include <limits>
#include <memory>

#include <CLI/CLI.hpp>

#include "app/version.h"

namespace goscope::app {
namespace {

// parse_int parses all of `text` as a decimal integer.
template <class T>
std::optional<T> parse_int(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// check wraps a parse_* function as a CLI11 validator with the given expected form.
template <class F>
CLI::Validator check(F parse, std::string form) {
  return CLI::Validator(
      [parse, form](std::string& text) -> std::string {
        if (parse(text)) return {};
        return "'" + text + "' is not " + form;
      },
      form, "");
}

// Help lists each option with its argument and description only; the needs/excludes
// rules show up as error messages when they matter.
class Help : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    return opt->get_option_text().empty() ? std::string() : " " + opt->get_option_text();
  }
};

struct Parser {
  CLI::App cli{"goscope: watch Go concurrency run. A Go-style runtime (goroutines, channels,\n"
               "select, WaitGroup) whose every step is animated. With no options it opens\n"
               "the app window.",
               "goscope"};
  std::string screenshot, size, at, lesson, mode, sweep, trace;
  std::vector<std::string> sets;
  uint64_t seed = 0;
  int frames = 3, procs = 1, bench_frames = 0;
  bool list = false, run = false, json = false;

  CLI::Option *o_screenshot, *o_size, *o_frames, *o_at, *o_bench, *o_list, *o_lesson, *o_run,
      *o_set, *o_seed, *o_mode, *o_procs, *o_json, *o_sweep, *o_trace;

  Parser() {
    cli.set_version_flag("--version", version_string(), "Print the version and exit");
    cli.formatter(std::make_shared<Help>());
    cli.get_formatter()->column_width(30);

    const char* window = "Window and screenshots";
    o_screenshot = cli.add_option("--screenshot", screenshot,
                                  "Render the app to a PNG and exit (under xvfb-run without a display)")
                       ->option_text("FILE.png")
                       ->group(window);
    o_size = cli.add_option("--size", size, "Window size in pixels (default 1600x1000)")
                 ->option_text("WxH")
                 ->check(check(parse_size, "WxH with W and H in 1..16384"))
                 ->group(window);
    o_frames = cli.add_option("--frames", frames, "Frames to render before the screenshot (default 3)")
                   ->option_text("N")
                   ->check(CLI::Range(1, 10000))
                   ->group(window);
    o_at = cli.add_option("--at", at, "Screenshot with the playhead at event N, mid or end")
               ->option_text("N|mid|end")
               ->check(check(parse_at, "an event index, 'mid' or 'end'"))
               ->group(window);
    o_bench = cli.add_option("--bench-frames", bench_frames,
                             "Render N frames of a lesson and print the median CPU time per frame")
                  ->option_text("N")
                  ->check(CLI::Range(1, 1000000))
                  ->group(window);

    const char* lessons = "Lessons without a window";
    o_list = cli.add_flag("--list", list, "List the lessons: id<TAB>title, one a line")->group(lessons);
    o_lesson = cli.add_option("--lesson", lesson, "The lesson to run or show (see --list)")
                   ->option_text("ID")
                   ->group(lessons);
    o_run = cli.add_flag("--run", run, "Run the lesson, print its output and how it ended")->group(lessons);
    o_set = cli.add_option("--set", sets, "Set a lesson parameter (repeatable)")
                ->option_text("NAME=VALUE")
                ->check(check(parse_setting, "NAME=VALUE"))
                ->take_last()
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                ->group(lessons);
    o_seed = cli.add_option("--seed", seed, "Scheduling seed (deterministic mode)")
                 ->option_text("N")
                 ->check(CLI::NonNegativeNumber)  // CLI11 would wrap -3 into a uint64
                 ->group(lessons);
    o_mode = cli.add_option("--mode", mode, "deterministic (virtual clock, default) or real (threads)")
                 ->option_text("MODE")
                 ->check(CLI::IsMember({"deterministic", "real"}))
                 ->group(lessons);
    o_procs = cli.add_option("--procs", procs, "Processors, like GOMAXPROCS (1..256)")
                  ->option_text("N")
                  ->check(CLI::Range(1, 256))
                  ->group(lessons);
    o_json = cli.add_flag("--json", json, "With --run or --sweep: print JSON instead of text")->group(lessons);
    o_sweep = cli.add_option("--sweep", sweep, "Run once per value of a parameter; prints a JSON array")
                  ->option_text("NAME=A..B")
                  ->check(check(parse_sweep, "NAME=A..B with integers A <= B"))
                  ->group(lessons);
    o_trace = cli.add_option("--trace", trace, "Run the lesson and write its events as Chrome Trace JSON")
                  ->option_text("FILE.json")
                  ->group(lessons);

    // What each flag needs and what cannot go together; CLI11 names the flags in its message.
    for (CLI::Option* o : {o_at, o_bench, o_run, o_set, o_seed, o_mode, o_procs, o_sweep, o_trace})
      o->needs(o_lesson);
    o_frames->needs(o_screenshot);
    o_at->needs(o_screenshot);
    o_list->excludes(o_lesson)->excludes(o_screenshot)->excludes(o_bench);
    o_run->excludes(o_screenshot)->excludes(o_bench)->excludes(o_sweep);
    o_sweep->excludes(o_screenshot)->excludes(o_bench)->excludes(o_trace);
    o_bench->excludes(o_screenshot);

    cli.footer(
        "Examples:\n"
        "  goscope                                      open the app\n"
        "  xvfb-run -a goscope --screenshot out.png     render it with no display\n"
        "  goscope --list\n"
        "  goscope --lesson fan-out --run --set workers=8 --seed 3\n"
        "  goscope --lesson fan-out --sweep workers=1..16 --set kind=cpu --json\n"
        "\n"
        "Exit status: 0 ok; 1 the lesson's program panicked or deadlocked (or no display);\n"
        "2 bad usage.");
  }
};

}  // namespace

std::string version_string() { return std::string("goscope ") + kVersion; }

std::string usage() { return Parser().cli.help(); }

std::optional<Size> parse_size(const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos) return std::nullopt;
  const auto w = parse_int<int>(std::string_view(text).substr(0, x));
  const auto h = parse_int<int>(std::string_view(text).substr(x + 1));
  if (!w || !h || *w < 1 || *h < 1 || *w > 16384 || *h > 16384) return std::nullopt;
  return Size{*w, *h};
}

std::optional<Setting> parse_setting(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) return std::nullopt;
  return Setting{text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<Sweep> parse_sweep(const std::string& text) {
  const auto eq = text.find('=');
  const auto dots = text.find("..", eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || dots == std::string::npos) return std::nullopt;
  const std::string_view t(text);
  const auto from = parse_int<int64_t>(t.substr(eq + 1, dots - eq - 1));
  const auto to = parse_int<int64_t>(t.substr(dots + 2));
  if (!from || !to || *from > *to) return std::nullopt;
  return Sweep{text.substr(0, eq), *from, *to};
}

std::optional<At> parse_at(const std::string& text) {
  if (text == "mid") return At{At::Kind::mid, 0};
  if (text == "end") return At{At::Kind::end, 0};
  if (const auto n = parse_int<uint64_t>(text)) return At{At::Kind::index, *n};
  return std::nullopt;
}

ParseResult parse_command_line(int argc, const char* const* argv) {
  // CLI11 owns a lot of state; building it per parse keeps parse_command_line pure.
  auto p = std::make_unique<Parser>();
  ParseResult result;
  try {
    p->cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.out = p->cli.help();
    result.exit_code = 0;
    return result;
  } catch (const CLI::CallForVersion&) {
    result.out = version_string() + "\n";
    result.exit_code = 0;
    return result;
  } catch (const CLI::ParseError& e) {
    result.err = std::string("goscope: ") + e.what() + "\n\n" + p->cli.help();
    result.exit_code = kExitUsage;
    return result;
  }
  if (p->o_json->count() && !p->o_run->count() && !p->o_sweep->count()) {
    result.err = "goscope: --json needs --run or --sweep\n\n" + p->cli.help();
    result.exit_code = kExitUsage;
    return result;
  }

  Options& o = result.options;
  if (p->o_screenshot->count()) o.screenshot = p->screenshot;
  if (p->o_size->count()) {
    o.size = *parse_size(p->size);
    o.size_given = true;
  }
  o.frames = p->frames;
  if (p->o_at->count()) o.at = parse_at(p->at);
  if (p->o_bench->count()) o.bench_frames = p->bench_frames;
  o.list = p->list;
  if (p->o_lesson->count()) o.lesson = p->lesson;
  o.run = p->run;
  for (const std::string& s : p->sets) o.sets.push_back(*parse_setting(s));
  if (p->o_seed->count()) o.seed = p->seed;
  if (p->o_mode->count()) o.mode = p->mode;
  if (p->o_procs->count()) o.procs = p->procs;
  o.json = p->json;
  if (p->o_sweep->count()) o.sweep = parse_sweep(p->sweep);
  if (p->o_trace->count()) o.trace = p->trace;
  return result;
}

}  // namespace goscope::app
