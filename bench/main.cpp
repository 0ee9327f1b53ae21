// main.cpp: goscope-bench.
//
//   goscope-bench [Google Benchmark flags]          goscope's own measurements
//   goscope-bench --compare [--json|--markdown] [--rounds N] [--quick] [--cpu-time]
//                           [--only m1,m2] [--verbose]
//                                                    goscope beside Go and Boost.Fiber
//   goscope-bench --measure PEER METRIC N           one measurement, one JSON line (what
//                                                    --compare runs in a child process)
//   goscope-bench --workload NAME N                 run one goscope workload, untimed (for
//                                                    bench/count_instructions.sh)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bench/compare.h"
#include "bench/compare_run.h"
#include "bench/workloads_common.h"

namespace {

using namespace goscope::bench;

int measure_main(const std::vector<std::string>& args) {
  if (args.size() != 4) {
    std::cerr << "usage: goscope-bench --measure goscope|boost_fiber METRIC N\n";
    return 2;
  }
  std::optional<Peer> peer = parse_peer(args[1]);
  const Metric* metric = find_metric(args[2]);
  char* end = nullptr;
  long n = std::strtol(args[3].c_str(), &end, 10);
  if (!peer || *peer == Peer::go || !metric || *end != '\0' || n < 1) {
    std::cerr << "goscope-bench --measure: bad peer, metric or count\n";
    return 2;
  }
  try {
    Measurement m = *peer == Peer::goscope ? measure_goscope(metric->name, n) : measure_boost_fiber(metric->name, n);
    std::cout << to_json_line(m) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "goscope-bench --measure " << args[1] << " " << args[2] << ": " << e.what() << "\n";
    return 1;
  }
}

int workload_main(const std::vector<std::string>& args) {
  char* end = nullptr;
  const long n = args.size() == 3 ? std::strtol(args[2].c_str(), &end, 10) : 0;
  if (args.size() != 3 || *end != '\0' || n < 1) {
    std::cerr << "usage: goscope-bench --workload pingpong|pingpong_traced|spsc|mpmc|select2 N\n";
    return 2;
  }
  try {
    run_workload(args[1], n);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "goscope-bench --workload: " << e.what() << "\n";
    return 2;
  }
}

std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (len > 0) return std::string(buf, static_cast<std::size_t>(len));
  return argv0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--measure") return measure_main(args);
  if (!args.empty() && args[0] == "--workload") return workload_main(args);
  bool compare = false;
  for (const std::string& a : args) compare = compare || a == "--compare";
  if (compare) {
    std::string error;
    std::optional<CompareOptions> options = parse_compare_args(args, &error);
    if (!options) {
      std::cerr << "goscope-bench: " << error << "\n";
      return 2;
    }
    std::string command = "goscope-bench";
    for (const std::string& a : args) command += " " + a;
    return run_compare(*options, self_path(argv[0]), command);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
