// events_bench.cpp: what tracing costs the runtime.
//   - one emit with a sink attached, measured on the emitting thread (the consumer drains
//     on its own thread in real mode, inline in the deterministic mode), with several
//     workers sharing the seq counter and with one thread emitting everything;
//   - the branch the runtime pays with no sink, next to a loop with no tracing at all;
//   - a traced program next to the same program untraced: yield (two events per call) and
//     the unbuffered ping-pong (a round trip is two handoffs: about ten events).
// Aims (issue 5): an emit under 10 ns; no sink indistinguishable from compiled out;
// ping-pong with a recorder under 1.1x the untraced one.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/chan.h"
#include "core/detail/tracer.h"
#include "core/go.h"
#include "core/recorder.h"
#include "core/runtime.h"
#include "core/waitgroup.h"

using namespace goscope;
using goscope::detail::Tracer;

namespace {

// BoundedRecorder is a Recorder that starts over every million events, so that a
// benchmark running for hundreds of millions of iterations does not hold gigabytes. It
// still copies every event into a vector, as the Recorder the UI uses does.
class BoundedRecorder : public Recorder {
 public:
  BoundedRecorder() : Recorder(kLimit + 8192) {}
  void on_events(std::span<const Event> events) override {
    if (this->events().size() + events.size() > kLimit) clear();
    Recorder::on_events(events);
    delivered_.fetch_add(events.size(), std::memory_order_release);
  }
  // delivered counts the events received so far (readable while the run goes on).
  uint64_t delivered() const { return delivered_.load(std::memory_order_acquire); }

 private:
  static constexpr std::size_t kLimit = 1 << 20;
  std::atomic<uint64_t> delivered_{0};
};

// NullSink takes the events and keeps nothing: what tracing costs the runtime itself.
class NullSink : public EventSink {
 public:
  void on_events(std::span<const Event> events) override { benchmark::DoNotOptimize(events.data()); }
};

Event sample_event() {
  Event e;
  e.kind = EventKind::ChanSend;
  e.g = 3;
  e.other = 4;
  e.obj = 2;
  e.a = 42;
  e.reason = static_cast<uint8_t>(ValueKind::Int);
  return e;
}

}  // namespace

// One emit into a real-mode tracer (consumer thread running) with a recorder attached.
// With Threads(n), n workers emit into their own rings and share the seq counter. The
// emits come in bursts of a quarter ring with an untimed 2 ms pause after each, so the
// consumer keeps up and nothing is dropped (a drop is cheaper than a delivery and would
// flatter the number): the time is what emitting costs the emitting worker.
static void BM_EmitRealModeRecorder(benchmark::State& state) {
  static std::unique_ptr<BoundedRecorder> rec;
  static std::unique_ptr<Tracer> tracer;
  if (state.thread_index() == 0) {
    rec = std::make_unique<BoundedRecorder>();
    tracer = std::make_unique<Tracer>(rec.get(), state.threads(), /*deterministic=*/false, 1 << 16);
  }
  // (Google Benchmark starts and ends the timed loop of all threads together.)
  Event e = sample_event();
  const int worker = state.thread_index();
  constexpr int kBurst = (1 << 16) / 4;
  int in_burst = 0;
  for (auto _ : state) {
    e.ts += 1;
    tracer->emit(worker, e);
    if (++in_burst == kBurst) [[unlikely]] {
      in_burst = 0;
      state.PauseTiming();
      // Let the consumer catch up (all but what the other threads may have in flight).
      tracer->flush();
      const uint64_t in_flight = static_cast<uint64_t>(kBurst) * (state.threads() - 1);
      for (int ms = 0; ms < 200 && rec->delivered() + tracer->dropped() + in_flight < tracer->emitted(); ++ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      state.ResumeTiming();
    }
  }
  if (state.thread_index() == 0) {
    tracer->finish();
    state.counters["dropped"] = static_cast<double>(tracer->dropped());
    tracer.reset();
    rec.reset();
  }
}
BENCHMARK(BM_EmitRealModeRecorder)->Threads(1)->Threads(2)->UseRealTime();

// The same for a one-thread run (real mode, one worker: the runtime's tracer takes seqs
// without a locked instruction there), same bursts and pauses.
static void BM_EmitOneThreadRecorder(benchmark::State& state) {
  BoundedRecorder rec;
  Tracer tracer(&rec, 1, /*deterministic=*/false, 1 << 16, /*one_thread=*/true);
  Event e = sample_event();
  constexpr int kBurst = (1 << 16) / 4;
  int in_burst = 0;
  for (auto _ : state) {
    e.ts += 1;
    tracer.emit(0, e);
    if (++in_burst == kBurst) [[unlikely]] {
      in_burst = 0;
      state.PauseTiming();
      tracer.flush();
      for (int ms = 0; ms < 200 && rec.delivered() + tracer.dropped() < tracer.emitted(); ++ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      state.ResumeTiming();
    }
  }
  tracer.finish();
  state.counters["dropped"] = static_cast<double>(tracer.dropped());
}
BENCHMARK(BM_EmitOneThreadRecorder)->UseRealTime();

// One emit in the deterministic mode: the ring is drained into the recorder on the
// emitting thread whenever it fills, so this includes the recorder's copy.
static void BM_EmitDeterministicRecorder(benchmark::State& state) {
  BoundedRecorder rec;
  Tracer tracer(&rec, 1, /*deterministic=*/true, 1 << 16);
  Event e = sample_event();
  for (auto _ : state) {
    e.ts += 1;
    tracer.emit(0, e);
  }
  tracer.finish();
}
BENCHMARK(BM_EmitDeterministicRecorder);

// The same with a plain Recorder that keeps everything (vector growth included); a fixed
// iteration count keeps its memory at 64 MB.
static void BM_EmitDeterministicGrowingRecorder(benchmark::State& state) {
  Recorder rec;
  Tracer tracer(&rec, 1, /*deterministic=*/true, 1 << 16);
  Event e = sample_event();
  for (auto _ : state) {
    e.ts += 1;
    tracer.emit(0, e);
  }
  tracer.finish();
}
BENCHMARK(BM_EmitDeterministicGrowingRecorder)->Iterations(1 << 20);

// The runtime's guard with no sink: `if (tracing) emit(...)`. ClobberMemory makes the
// compiler re-read the flag every iteration, as it must in the runtime.
static void BM_EmitNoSink(benchmark::State& state) {
  Tracer tracer(nullptr, 1, false, 1 << 16);
  Tracer* t = &tracer;
  benchmark::DoNotOptimize(t);
  Event e = sample_event();
  for (auto _ : state) {
    benchmark::ClobberMemory();
    if (t->enabled()) t->emit(0, e);
  }
}
BENCHMARK(BM_EmitNoSink);

// The same loop with the guard compiled out: the baseline for BM_EmitNoSink.
static void BM_EmitCompiledOut(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_EmitCompiledOut);

// yield() between two goroutines on one worker (real mode): each call emits GoYield and
// GoStart when traced. Arg: 0 = no sink, 1 = a recorder attached.
static void BM_YieldTraced(benchmark::State& state) {
  BoundedRecorder rec;
  Config cfg;
  cfg.mode = Mode::real;
  cfg.procs = 1;
  cfg.sink = state.range(0) ? &rec : nullptr;
  run(cfg, [&] {
    std::atomic<bool> done{false};
    WaitGroup wg;
    wg.Add(1);
    go([&done, wg]() mutable {
      while (!done.load(std::memory_order_relaxed)) yield();
      wg.Done();
    });
    for (auto _ : state) yield();
    done = true;
    wg.Wait();
  });
}
BENCHMARK(BM_YieldTraced)->Arg(0)->Arg(1)->ArgName("recorder");

// The unbuffered ping-pong round trip (as BM_ChanPingPongUnbuffered), real mode, one
// worker. Arg: 0 = no sink, 1 = a recorder attached, 2 = a sink that keeps nothing (what
// tracing costs the runtime without the recorder's copies). Compare the lines.
static void BM_PingPongTraced(benchmark::State& state) {
  BoundedRecorder rec;
  Config cfg;
  cfg.mode = Mode::real;
  cfg.procs = 1;
  NullSink null_sink;
  cfg.sink = state.range(0) == 1 ? static_cast<EventSink*>(&rec) : state.range(0) == 2 ? &null_sink : nullptr;
  const Outcome out = run(cfg, [&] {
    auto ping = make_chan<int>(0);
    auto pong = make_chan<int>(0);
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
  state.counters["events_per_iter"] =
      benchmark::Counter(static_cast<double>(out.events), benchmark::Counter::kAvgIterations);
  // A dropped event costs less than a delivered one: a run that dropped flatters the ratio.
  state.counters["dropped"] = static_cast<double>(out.events_dropped);
}
BENCHMARK(BM_PingPongTraced)->Arg(0)->Arg(1)->Arg(2)->ArgName("recorder");
