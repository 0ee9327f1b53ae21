// main.cpp: goscope-bench. Today: Google Benchmark's own command line.
// (The side-by-side comparison with Go and Boost.Fiber, --compare, comes with issue 9.)
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
