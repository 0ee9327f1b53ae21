// cli.cpp: the command line. CLI11 (Debian's libcli11-dev) splits argv and writes --help;
// every value, every rule and every message is checked and worded here, so that a
// mistake gets one line naming the flag and what it accepts.
#include "app/cli.h"

#include <cctype>
#include <limits>
#include <memory>

#include <CLI/CLI.hpp>

#include "app/version.h"

namespace goscope::app {
namespace {

constexpr int kMaxSide = 16384;
constexpr int kMaxProcs = 256;
constexpr int kMaxFrames = 10000;
constexpr int kMaxBenchFrames = 1000000;

// Help lists each option with its argument and description only; the rules about which
// flags go together show up as error messages when they matter.
class Help : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    return opt->get_option_text().empty() ? std::string() : " " + opt->get_option_text();
  }
};

// Parser declares every value as text: CLI11's own number parsing accepts 0x, '+' and
// spaces and clamps what does not fit, so numbers go through parse_number instead.
struct Parser {
  CLI::App cli{"goscope: watch Go concurrency run. A Go-style runtime (goroutines, channels,\n"
               "select, WaitGroup) whose every step is animated. With no options it opens\n"
               "the app window.",
               "goscope"};
  std::string screenshot, size, frames, at, bench_frames, lesson, seed, mode, procs, sweep, trace;
  std::vector<std::string> sets;
  bool list = false, run = false, json = false;

  CLI::Option *o_screenshot, *o_size, *o_frames, *o_at, *o_bench, *o_list, *o_lesson, *o_run,
      *o_set, *o_seed, *o_mode, *o_procs, *o_json, *o_sweep, *o_trace;

  Parser() {
    cli.set_version_flag("--version", version_string(), "Print the version and exit");
    cli.formatter(std::make_shared<Help>());
    cli.get_formatter()->column_width(30);
    cli.allow_extras();  // reported by parse_command_line, in its own words

    const char* window = "Window and screenshots";
    o_screenshot = value("--screenshot", screenshot, "FILE.png",
                         "Render the app to a PNG and exit (under xvfb-run without a display)", window);
    o_size = value("--size", size, "WxH", "Window size in pixels (default 1600x1000)", window);
    o_frames = value("--frames", frames, "N", "Frames to render before the screenshot (default 3)", window);
    o_at = value("--at", at, "N|mid|end", "Screenshot with the playhead at event N, mid or end", window);
    o_bench = value("--bench-frames", bench_frames, "N",
                    "Render N frames of a lesson and print the median CPU time per frame", window);

    const char* lessons = "Lessons without a window";
    o_list = flag("--list", list, "List the lessons: id<TAB>title, one a line", lessons);
    o_lesson = value("--lesson", lesson, "ID", "The lesson to run or show (see --list)", lessons);
    o_run = flag("--run", run, "Run the lesson, print its output and how it ended", lessons);
    o_set = cli.add_option("--set", sets, "Set a lesson parameter (repeatable)")
                ->option_text("NAME=VALUE")
                ->expected(1)
                ->allow_extra_args(false)  // --set a=1 b=2: b=2 is a stray argument
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                ->group(lessons);
    o_seed = value("--seed", seed, "N", "Scheduling seed (deterministic mode), 0..2^64-1", lessons);
    o_mode = value("--mode", mode, "MODE", "deterministic (virtual clock, default) or real (threads)", lessons);
    o_procs = value("--procs", procs, "N", "Processors, like GOMAXPROCS (1..256)", lessons);
    o_json = flag("--json", json, "With --run or --sweep: print JSON instead of text", lessons);
    o_sweep = value("--sweep", sweep, "NAME=A..B", "Run once per value of a parameter; prints a JSON array",
                    lessons);
    o_trace = value("--trace", trace, "FILE.json", "Run the lesson and write its events as Chrome Trace JSON",
                    lessons);

    cli.footer(
        "Numbers are decimal digits (no '+', spaces or 0x) and must be in range.\n"
        "\n"
        "Examples:\n"
        "  goscope                                      open the app\n"
        "  xvfb-run -a goscope --screenshot out.png     render it with no display\n"
        "  goscope --list\n"
        "  goscope --lesson fan-out --run --set workers=8 --seed 3\n"
        "  goscope --lesson fan-out --sweep workers=1..16 --set kind=cpu --json\n"
        "\n"
        "Exit status: 0 ok; 1 the lesson's program panicked, deadlocked or hit a fatal error\n"
        "(or no display); 2 bad usage; 3 could not write an output file or stdout.");
  }

  // value adds an option that takes one value, given at most once.
  CLI::Option* value(const char* name, std::string& into, const char* text, const char* help, const char* group) {
    return cli.add_option(name, into, help)->option_text(text)->group(group);
  }

  // flag adds an option with no value: CLI11 would read --run=no as "not --run".
  CLI::Option* flag(const char* name, bool& into, const char* help, const char* group) {
    return cli.add_flag(name, into, help)->disable_flag_override()->group(group);
  }
};

bool given(const CLI::Option* o) { return o->count() > 0; }

std::string quoted(const std::string& text) { return "'" + text + "'"; }

std::string whole_number_problem(const char* flag, const std::string& text, const std::string& range) {
  return std::string(flag) + ": " + quoted(text) + " is not a whole number in " + range;
}

// value_problem checks every value given; "" when all are well formed. It fills `o`.
std::string value_problem(const Parser& p, Options& o) {
  if (given(p.o_screenshot)) {
    if (p.screenshot.empty()) return "--screenshot: the file name is empty";
    o.screenshot = p.screenshot;
  }
  if (given(p.o_size)) {
    const std::optional<Size> size = parse_size(p.size);
    if (!size) {
      return "--size: " + quoted(p.size) + " is not WxH with W and H whole numbers in " + number_range(1, kMaxSide);
    }
    o.size = *size;
    o.size_given = true;
  }
  if (given(p.o_frames)) {
    const std::optional<int> n = parse_number(p.frames, 1, kMaxFrames);
    if (!n) return whole_number_problem("--frames", p.frames, number_range(1, kMaxFrames));
    o.frames = *n;
  }
  if (given(p.o_at)) {
    o.at = parse_at(p.at);
    if (!o.at) return "--at: " + quoted(p.at) + " is not an event index (a whole number from 0), mid or end";
  }
  if (given(p.o_bench)) {
    o.bench_frames = parse_number(p.bench_frames, 1, kMaxBenchFrames);
    if (!o.bench_frames) {
      return whole_number_problem("--bench-frames", p.bench_frames, number_range(1, kMaxBenchFrames));
    }
  }
  if (given(p.o_lesson)) o.lesson = p.lesson;
  for (const std::string& s : p.sets) {
    const std::optional<Setting> setting = parse_setting(s);
    if (!setting) return "--set: " + quoted(s) + " is not NAME=VALUE";
    o.sets.push_back(*setting);
  }
  if (given(p.o_seed)) {
    constexpr uint64_t kMaxSeed = std::numeric_limits<uint64_t>::max();
    o.seed = parse_number<uint64_t>(p.seed, 0, kMaxSeed);
    if (!o.seed) return whole_number_problem("--seed", p.seed, number_range<uint64_t>(0, kMaxSeed));
  }
  if (given(p.o_mode)) {
    if (p.mode != "deterministic" && p.mode != "real") {
      return "--mode: " + quoted(p.mode) + " is not deterministic or real";
    }
    o.mode = p.mode;
  }
  if (given(p.o_procs)) {
    o.procs = parse_number(p.procs, 1, kMaxProcs);
    if (!o.procs) return whole_number_problem("--procs", p.procs, number_range(1, kMaxProcs));
  }
  if (given(p.o_sweep)) {
    o.sweep = parse_sweep(p.sweep);
    if (!o.sweep) return "--sweep: " + quoted(p.sweep) + " is not NAME=A..B with whole numbers A <= B";
  }
  if (given(p.o_trace)) {
    if (p.trace.empty()) return "--trace: the file name is empty";
    o.trace = p.trace;
  }
  return {};
}

// combination_problem checks which flags need or exclude which; "" when they fit together.
std::string combination_problem(const Parser& p, const Options& o) {
  for (const CLI::Option* f :
       {p.o_at, p.o_bench, p.o_run, p.o_set, p.o_seed, p.o_mode, p.o_procs, p.o_sweep, p.o_trace}) {
    if (given(f) && !given(p.o_lesson)) return f->get_name() + " needs --lesson ID";
  }
  for (const CLI::Option* f : {p.o_frames, p.o_at}) {
    if (given(f) && !given(p.o_screenshot)) return f->get_name() + " needs --screenshot FILE.png";
  }
  if (given(p.o_json) && !given(p.o_run) && !given(p.o_sweep)) return "--json needs --run or --sweep";
  // --size sizes a window: the headless commands have none, so it would be ignored.
  const std::pair<const CLI::Option*, const CLI::Option*> excluded[] = {
      {p.o_list, p.o_lesson},  {p.o_list, p.o_screenshot},  {p.o_list, p.o_bench},  {p.o_list, p.o_size},
      {p.o_run, p.o_screenshot}, {p.o_run, p.o_bench},      {p.o_run, p.o_sweep},    {p.o_run, p.o_size},
      {p.o_sweep, p.o_screenshot}, {p.o_sweep, p.o_bench},  {p.o_sweep, p.o_trace},  {p.o_sweep, p.o_size},
      {p.o_trace, p.o_screenshot}, {p.o_trace, p.o_bench},  {p.o_trace, p.o_size},   {p.o_bench, p.o_screenshot},
  };
  for (const auto& [a, b] : excluded) {
    if (given(a) && given(b)) return a->get_name() + " cannot be used with " + b->get_name();
  }
  if (o.sweep) {
    for (const Setting& s : o.sets) {
      if (s.name == o.sweep->name) {
        return "--set " + s.name + "=" + s.value + ": " + s.name +
               " is the parameter --sweep varies; give one or the other";
      }
    }
  }
  return {};
}

// unexpected describes the first argument CLI11 did not recognize.
std::string unexpected(const std::string& arg) {
  if (arg.size() > 1 && arg[0] == '-') return "unknown option " + quoted(arg);
  return "unexpected argument " + quoted(arg) + "; options start with --";
}

// names_word reports whether `word` stands in `text` as a word of its own.
bool names_word(const std::string& text, const std::string& word) {
  auto inside = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const auto after = at + word.size();
    if ((at == 0 || !inside(text[at - 1])) && (after == text.size() || !inside(text[after]))) return true;
  }
  return false;
}

// cli11_problem rewords a CLI11 parse error as one line. CLI11's messages name the option;
// its wording is replaced by ours where we know what went wrong.
std::string cli11_problem(const CLI::ParseError& e, const Parser& p) {
  std::string what = e.what();
  for (char& c : what) {
    if (c == '\n') c = ' ';
  }
  for (const CLI::Option* o : p.cli.get_options()) {
    const std::string name = o->get_name();
    // Some messages name "--run", some "run".
    if (!names_word(what, name) && !names_word(what, name.substr(2))) continue;
    if (o->get_expected_min() == 0) return name + " takes no value";
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
      if (given(o)) return name + " is given more than once";
      return name + " needs a value: " + o->get_option_text();
    }
    return name + ": " + what;
  }
  return what;
}

}  // namespace

std::string version_string() { return std::string("goscope ") + kVersion; }

std::string usage() { return Parser().cli.help(); }

std::string usage_error(const std::string& problem) { return "goscope: " + problem + " (see --help)\n"; }

std::optional<Size> parse_size(const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos) return std::nullopt;
  const auto w = parse_number(std::string_view(text).substr(0, x), 1, kMaxSide);
  const auto h = parse_number(std::string_view(text).substr(x + 1), 1, kMaxSide);
  if (!w || !h) return std::nullopt;
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
  constexpr int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  const auto from = parse_number(t.substr(eq + 1, dots - eq - 1), lo, hi);
  const auto to = parse_number(t.substr(dots + 2), lo, hi);
  if (!from || !to || *from > *to) return std::nullopt;
  return Sweep{text.substr(0, eq), *from, *to};
}

std::optional<At> parse_at(const std::string& text) {
  if (text == "mid") return At{At::Kind::mid, 0};
  if (text == "end") return At{At::Kind::end, 0};
  if (const auto n = parse_number<uint64_t>(text, 0, std::numeric_limits<uint64_t>::max())) {
    return At{At::Kind::index, *n};
  }
  return std::nullopt;
}

ParseResult parse_command_line(int argc, const char* const* argv) {
  // CLI11 owns a lot of state; building it per parse keeps parse_command_line pure.
  auto p = std::make_unique<Parser>();
  ParseResult result;
  auto fail = [&result](const std::string& problem) {
    result.options = Options{};
    result.err = usage_error(problem);
    result.exit_code = kExitUsage;
    return result;
  };
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
    return fail(cli11_problem(e, *p));
  }
  if (const std::vector<std::string> extras = p->cli.remaining(); !extras.empty()) {
    return fail(unexpected(extras.front()));
  }
  if (std::string problem = value_problem(*p, result.options); !problem.empty()) return fail(problem);
  if (std::string problem = combination_problem(*p, result.options); !problem.empty()) return fail(problem);
  result.options.list = p->list;
  result.options.run = p->run;
  result.options.json = p->json;
  return result;
}

}  // namespace goscope::app
