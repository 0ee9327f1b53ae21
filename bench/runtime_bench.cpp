// runtime_bench.cpp: the runtime's own costs: spawn+join, yield, memory per parked goroutine.
// Go 1.19 (GOMAXPROCS=1) on this kind of machine: spawn+join 315 ns, Gosched 71 ns,
// 2.5 KB per parked goroutine; Boost.Fiber: 290 ns, 87.5 ns, 5.1 KB.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "core/detail/stack_pool.h"
#include "core/go.h"
#include "core/runtime.h"
#include "core/waitgroup.h"

using namespace goscope;

namespace {

Config RealMode(int procs) {
  Config c;
  c.mode = Mode::real;
  c.procs = procs;
  return c;
}

long RssBytes() {
  long pages = 0, resident = 0;
  std::ifstream in("/proc/self/statm");
  in >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

// Spawn one goroutine and wait for it to finish (go f(); wg.Wait()).
static void BM_SpawnJoin(benchmark::State& state) {
  run(RealMode(static_cast<int>(state.range(0))), [&] {
    for (auto _ : state) {
      WaitGroup wg;
      wg.Add(1);
      go([wg]() mutable { wg.Done(); });
      wg.Wait();
    }
  });
}
BENCHMARK(BM_SpawnJoin)->Arg(1)->ArgName("procs");

// Two goroutines yielding to each other; time per yield() of one of them.
static void BM_Yield(benchmark::State& state) {
  run(RealMode(1), [&] {
    bool done = false;
    WaitGroup wg;
    wg.Add(1);
    go([&done, wg]() mutable {
      while (!done) yield();
      wg.Done();
    });
    for (auto _ : state) yield();
    done = true;
    wg.Wait();
  });
}
BENCHMARK(BM_Yield);

// Resident memory per parked goroutine, with 100,000 parked on one WaitGroup.
static void BM_ParkedBytesPerGoroutine(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  double per = 0;
  for (auto _ : state) {
    detail::StackPool::trim(0);  // measure fresh stacks, not ones touched by earlier runs
    run(RealMode(1), [&] {
      long before = RssBytes();
      WaitGroup gate, parked;
      gate.Add(1);
      parked.Add(n);
      for (int i = 0; i < n; ++i)
        go([gate, parked]() mutable {
          parked.Done();
          gate.Wait();
        });
      parked.Wait();
      per = static_cast<double>(RssBytes() - before) / n;
      gate.Done();
    });
  }
  state.counters["bytes_per_goroutine"] = per;
}
BENCHMARK(BM_ParkedBytesPerGoroutine)->Arg(100000)->Iterations(1)->Unit(benchmark::kMillisecond);
