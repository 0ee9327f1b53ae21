// main.cpp: goscope's entry point: parse the command line, then do what it asks.
#include <cstdio>

#include "app/app.h"
#include "app/cli.h"

int main(int argc, char** argv) {
  const goscope::app::ParseResult parsed = goscope::app::parse_command_line(argc, argv);
  if (parsed.exit_code) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return *parsed.exit_code;
  }
  return goscope::app::run_options(parsed.options);
}
