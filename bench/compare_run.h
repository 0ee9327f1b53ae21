// compare_run.h: running `goscope-bench --compare`: child processes, the Go program, and
// the rounds that interleave the three peers.
//
// Every measurement runs in a fresh child process (the Go program for Go, goscope-bench
// itself in its hidden `--measure` mode for goscope and Boost.Fiber), so that one
// measurement cannot warm or bloat the next (stack pools, page caches, heap growth) and
// the RSS metric starts from a clean process for every peer alike. Within a round the
// order of the peers rotates, so none of them always runs right after a noisy neighbour.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/compare.h"

namespace goscope::bench {

// ProcessResult is what a finished child process left behind.
struct ProcessResult {
  int exit_code = -1;    // exit status, or -1 if it died of a signal or could not start
  std::string out;       // everything it wrote to stdout
  std::string err;       // everything it wrote to stderr
  bool timed_out = false;
};

// run_process runs argv[0] (a path) with argv, with `env` ("NAME=value") added to the
// current environment, and collects its output. A child still running after
// timeout_seconds is killed. cwd, when not empty, is the child's working directory.
ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          int timeout_seconds = 300, const std::string& cwd = {});

// GoProgram is the Go side of the comparison: tests/go_bench built with the system's go.
struct GoProgram {
  std::string binary;   // the built program, empty when unavailable
  std::string version;  // `go version`
  std::string why_not;  // why it is unavailable ("go not found at /usr/bin/go", a build error)
};

// build_go_program builds the Go program in source_dir (tests/go_bench) with `go` into a
// per-user temporary directory, with GOCACHE and GOPATH there too. The binary's name
// carries this process's id; the caller removes it when done.
GoProgram build_go_program(const std::string& source_dir, const std::string& go = "/usr/bin/go");

// CompareOptions are the flags of `goscope-bench --compare`.
struct CompareOptions {
  bool json = false;   // print JSON instead of the table
  bool markdown = false;  // print a markdown table (for the README) instead of the table
  int rounds = 5;      // interleaved rounds; the medians are over these
  bool quick = false;  // one round, tiny iteration counts: a smoke run for CI
  bool cpu_time = false;  // time with each process's CPU time instead of the wall clock
  std::vector<std::string> only;  // measure only these metrics (empty = all)
  bool verbose = false;           // progress on stderr
};

// parse_compare_args reads the flags after --compare. Returns nullopt and sets *error for
// an unknown flag or a bad value.
std::optional<CompareOptions> parse_compare_args(const std::vector<std::string>& args, std::string* error);

// run_compare runs the comparison and prints the result to stdout. self is the path of
// goscope-bench (for the --measure children). Returns the process exit code.
int run_compare(const CompareOptions& options, const std::string& self, const std::string& command_line);

}  // namespace goscope::bench
