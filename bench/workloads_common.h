// workloads_common.h: what the goscope and Boost.Fiber workloads of the comparison share:
// a clock, resident memory, and the form of a result.
//
// The workloads mirror tests/go_bench/main.go line for line (same channels, same
// capacities, same warm-up of n/10 before the timed n): change all three together.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "bench/compare.h"

namespace goscope::bench {

// Clock is what every workload times with: the steady (wall) clock, or with
// GOSCOPE_BENCH_CLOCK=cpu in the environment (what `--compare --cpu-time` sets for its
// children) the CPU time of the whole process, all threads together. On a machine whose
// cores are shared with other work, wall time counts the minutes a process waited for a
// core; CPU time counts only what it used (including any spinning of idle threads).
struct Clock {
  using time_point = int64_t;
  static int64_t now() {
    static const clockid_t id = [] {
      const char* c = std::getenv("GOSCOPE_BENCH_CLOCK");
      return c && std::string_view(c) == "cpu" ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
    }();
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  }
};

// ns_since returns nanoseconds elapsed on Clock since t0.
inline int64_t ns_since(Clock::time_point t0) { return Clock::now() - t0; }

// ns_per returns ns / n as a double.
inline double ns_per(int64_t ns, long n) { return static_cast<double>(ns) / static_cast<double>(n); }

// rss_bytes returns this process's resident set size (from /proc/self/statm, as Go's
// side reads it).
inline long rss_bytes() {
  long pages = 0, resident = 0;
  std::ifstream in("/proc/self/statm");
  in >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// warmup_count is how many operations a workload runs untimed first.
inline long warmup_count(long n) { return n / 10 > 0 ? n / 10 : 1; }

// no_equivalent is the Measurement of a metric a peer cannot express, with why.
inline Measurement no_equivalent(std::string_view metric, std::string_view why) {
  return Measurement{std::string(metric), std::nullopt, std::string(why)};
}

// measure_goscope measures one metric with goscope's runtime (workloads_goscope.cpp).
// Throws std::runtime_error when the run fails.
Measurement measure_goscope(std::string_view metric, long n);

// run_workload runs one goscope workload once, n operations, on one worker, untimed and
// without warm-up (a fixed amount of work, for an instruction count under callgrind:
// bench/count_instructions.sh): "pingpong", "pingpong_traced" (every event to a counting
// sink), "spsc", "mpmc", "select2". Throws std::invalid_argument for another name.
void run_workload(std::string_view name, long n);

// measure_boost_fiber measures one metric with Boost.Fiber (fiber_workloads.cpp).
Measurement measure_boost_fiber(std::string_view metric, long n);

}  // namespace goscope::bench
