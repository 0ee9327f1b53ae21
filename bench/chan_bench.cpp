// chan_bench.cpp: channel and select costs, real mode, 1 and 2 workers.
//
// Go 1.19 on this kind of machine, median ns (GOMAXPROCS=1 / 2): unbuffered ping-pong
// round trip 245 / 250, buffered(1) ping-pong 253, SPSC cap 128 per message 41.5 / 85,
// 4 producers x 4 consumers cap 128 per message 43 / 73, select over 2 channels
// ping-pong 345, uncontended buffered op 18. Boost.Fiber 1.74 (one thread): ping-pong
// 328, SPSC 31.5, MPMC 27.
//
// Per-message benchmarks report "ns_per_msg" (wall time / messages); round trips report
// the time of one iteration = one round trip.
//
// Measured 2026-11-29 12:37 UTC on a quiet 2-core VM, wall time, median of 3, procs=1 /
// procs=2: unbuffered ping-pong RT 208 / 317 ns, buffered(1) ping-pong 191 / 361,
// SPSC cap 128 23.9 / 96 ns/msg, MPMC 4x4 cap 128 25.3 / 216 ns/msg, select(2)
// ping-pong 295 / 423, uncontended buffered op 14 ns. With one worker every line is
// below Go's and Boost.Fiber's (the run is one thread: plain loads and stores instead
// of locked read-modify-writes). With two workers ping-pong is below both, the buffered
// lines are not: producers and consumers run in parallel on both cores and each message
// costs several cache-line transfers (counters, cells). `goscope-bench --compare` runs
// the same workloads beside Go and Boost.Fiber.
#include <benchmark/benchmark.h>

#include "core/chan.h"
#include "core/go.h"
#include "core/runtime.h"
#include "core/select.h"
#include "core/waitgroup.h"

using namespace goscope;

namespace {

Config RealMode(int procs) {
  Config c;
  c.mode = Mode::real;
  c.procs = procs;
  return c;
}

void PerMessage(benchmark::State& state, int64_t messages) {
  state.counters["ns_per_msg"] = benchmark::Counter(static_cast<double>(messages) / 1e9,
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Ping-pong: main sends on `ping`, the partner answers on `pong`; one iteration = one
// round trip (two handoffs, two wake-ups).
void PingPong(benchmark::State& state, std::size_t cap) {
  run(RealMode(static_cast<int>(state.range(0))), [&] {
    auto ping = make_chan<int>(cap);
    auto pong = make_chan<int>(cap);
    go([ping, pong]() mutable {
      for (int v : ping) pong.send(v);
    });
    int i = 0;
    for (auto _ : state) {
      ping.send(i);
      benchmark::DoNotOptimize(i = pong.recv());
    }
    ping.close();
  });
}

}  // namespace

static void BM_ChanPingPongUnbuffered(benchmark::State& state) { PingPong(state, 0); }
BENCHMARK(BM_ChanPingPongUnbuffered)->Arg(1)->Arg(2)->ArgName("procs")->UseRealTime();

static void BM_ChanPingPongBuffered1(benchmark::State& state) { PingPong(state, 1); }
BENCHMARK(BM_ChanPingPongBuffered1)->Arg(1)->Arg(2)->ArgName("procs")->UseRealTime();

// One producer, one consumer, capacity 128; 10,000 messages per iteration.
static void BM_ChanSPSC128(benchmark::State& state) {
  const int kBatch = 10000;
  run(RealMode(static_cast<int>(state.range(0))), [&] {
    auto ch = make_chan<int>(128);
    auto go_on = make_chan<bool>();
    go([ch, go_on]() mutable {
      while (go_on.recv()) {
        for (int i = 0; i < kBatch; ++i) ch.send(i);
      }
    });
    for (auto _ : state) {
      go_on.send(true);
      int64_t sum = 0;
      for (int i = 0; i < kBatch; ++i) sum += ch.recv();
      benchmark::DoNotOptimize(sum);
    }
    go_on.send(false);
  });
  PerMessage(state, int64_t{kBatch} * state.iterations());
}
BENCHMARK(BM_ChanSPSC128)->Arg(1)->Arg(2)->ArgName("procs")->UseRealTime();

// Four producers, four consumers, capacity 128; 20,000 messages per iteration.
static void BM_ChanMPMC4x4_128(benchmark::State& state) {
  const int kPer = 5000;  // per producer and per consumer
  run(RealMode(static_cast<int>(state.range(0))), [&] {
    auto ch = make_chan<int>(128);
    auto start = make_chan<bool>(8);
    WaitGroup wg;
    for (int p = 0; p < 4; ++p) {
      go([ch, start]() mutable {
        while (start.recv()) {
          for (int i = 0; i < kPer; ++i) ch.send(i);
        }
      });
      go([ch, start, wg]() mutable {
        while (start.recv()) {
          int64_t sum = 0;
          for (int i = 0; i < kPer; ++i) sum += ch.recv();
          benchmark::DoNotOptimize(sum);
          wg.Done();
        }
      });
    }
    for (auto _ : state) {
      wg.Add(4);
      for (int k = 0; k < 8; ++k) start.send(true);
      wg.Wait();
    }
    for (int k = 0; k < 8; ++k) start.send(false);
  });
  PerMessage(state, int64_t{4} * kPer * state.iterations());
}
BENCHMARK(BM_ChanMPMC4x4_128)->Arg(1)->Arg(2)->ArgName("procs")->UseRealTime();

// Ping-pong where both sides wait in a select over two channels; one iteration = one
// round trip.
static void BM_SelectPingPong2(benchmark::State& state) {
  run(RealMode(static_cast<int>(state.range(0))), [&] {
    auto ping1 = make_chan<int>(), ping2 = make_chan<int>();
    auto pong1 = make_chan<int>(), pong2 = make_chan<int>();
    go([=]() mutable {
      for (;;) {
        int v = 0;
        bool ok = false;
        select({recv_case(ping1, &v, &ok), recv_case(ping2, &v, &ok)});
        if (!ok) return;
        pong1.send(v);
      }
    });
    int i = 0;
    for (auto _ : state) {
      ping1.send(i);
      select({recv_case(pong1, &i), recv_case(pong2, &i)});
    }
    ping1.close();
  });
}
BENCHMARK(BM_SelectPingPong2)->Arg(1)->Arg(2)->ArgName("procs")->UseRealTime();

// One goroutine alone: a send and a receive on a buffered channel; ns_per_msg is per
// operation.
static void BM_ChanUncontendedBufferedOp(benchmark::State& state) {
  run(RealMode(1), [&] {
    auto ch = make_chan<int>(1024);
    int i = 0;
    for (auto _ : state) {
      ch.send(i);
      benchmark::DoNotOptimize(i = ch.recv());
    }
  });
  PerMessage(state, 2 * state.iterations());
}
BENCHMARK(BM_ChanUncontendedBufferedOp);
