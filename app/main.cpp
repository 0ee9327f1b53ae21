// main.cpp: goscope's entry point: parse the command line, then do what it asks.
#include <cstdio>
#include <string>

#include "app/app.h"
#include "app/cli.h"
#include "app/output_file.h"

namespace {

// finish checks that stdout got everything before exiting with `code`: output lost to a
// full disk or a closed pipe must not look like success.
int finish(int code) {
  std::string problem;
  if (goscope::app::flush_stdout(problem)) return code;
  std::fprintf(stderr, "goscope: %s\n", problem.c_str());
  return goscope::app::kExitOutput;
}

}  // namespace

int main(int argc, char** argv) {
  const goscope::app::ParseResult parsed = goscope::app::parse_command_line(argc, argv);
  if (parsed.exit_code) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return finish(*parsed.exit_code);
  }
  return finish(goscope::app::run_options(parsed.options));
}
