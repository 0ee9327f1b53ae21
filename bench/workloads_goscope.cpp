// workloads_goscope.cpp: the comparison's workloads on goscope's runtime (real mode).
//
// Each runs inside one goscope::run, timed from inside the main goroutine, so the
// runtime's start and end (threads, the tracer) are not part of the time, as Go's
// process start is not part of Go's. Mirrors tests/go_bench/main.go.
#include <algorithm>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <vector>

#include "bench/workloads_common.h"
#include "core/chan.h"
#include "core/go.h"
#include "core/runtime.h"
#include "core/select.h"
#include "core/time.h"
#include "core/waitgroup.h"

namespace goscope::bench {
namespace {

// run_real runs body as the main goroutine of a real-mode program on procs workers and
// returns what body returned; a run that does not end ok throws.
template <class Body>
double run_real(int procs, Body body, EventSink* sink = nullptr, Outcome* outcome = nullptr) {
  Config c;
  c.mode = Mode::real;
  c.procs = procs;
  c.sink = sink;
  double result = 0;
  Outcome out = run(c, [&] { result = body(); });
  if (out.kind != OutcomeKind::ok) throw std::runtime_error("goscope run failed: " + out.report());
  if (outcome) *outcome = std::move(out);
  return result;
}

// spawn_join: start one goroutine and wait for it, n times.
int64_t spawn_join(long n) {
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    WaitGroup wg;
    wg.Add(1);
    go([wg]() mutable { wg.Done(); });
    wg.Wait();
  }
  return ns_since(t0);
}

// yield_pair: main yields n times while a second goroutine yields until main is done.
int64_t yield_pair(long n) {
  std::atomic<bool> done{false};
  WaitGroup finished;
  finished.Add(1);
  go([&done, finished]() mutable {
    while (!done.load(std::memory_order_relaxed)) yield();
    finished.Done();
  });
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) yield();
  int64_t ns = ns_since(t0);
  done.store(true, std::memory_order_relaxed);
  finished.Wait();
  return ns;
}

// parked_bytes: n goroutines parked on one WaitGroup; RSS growth per goroutine.
double parked_bytes(long n) {
  WaitGroup gate, parked;
  gate.Add(1);
  parked.Add(static_cast<int>(n));
  long before = rss_bytes();
  for (long i = 0; i < n; ++i)
    go([gate, parked]() mutable {
      parked.Done();
      gate.Wait();
    });
  parked.Wait();
  long after = rss_bytes();
  gate.Done();
  return static_cast<double>(after - before) / static_cast<double>(n);
}

// emit_lines: n user events (line()), the goscope twin of Go's trace.Log, in bursts of a
// quarter of the event ring with an untimed 2 ms sleep after each: the tracer's consumer
// thread drains the ring while the emitter sleeps, so no event is dropped (a dropped
// event is cheaper than a delivered one) and the time is what emitting costs the
// goroutine that emits. Returns the timed nanoseconds.
int64_t emit_lines(long n) {
  constexpr long kBurst = 16384;
  int64_t ns = 0;
  for (long done = 0; done < n;) {
    const long burst = std::min(kBurst, n - done);
    auto t0 = Clock::now();
    for (long i = 0; i < burst; ++i) line(static_cast<int>((done + i) & 1023) + 1);
    ns += ns_since(t0);
    done += burst;
    goscope::sleep(std::chrono::milliseconds(2));
  }
  return ns;
}

// ping_pong: n round trips; main sends on ping, a partner echoes on pong.
int64_t ping_pong(long n, std::size_t capacity) {
  Chan<int> ping = make_chan<int>(capacity), pong = make_chan<int>(capacity);
  WaitGroup done;
  done.Add(1);
  go([ping, pong, done]() mutable {
    for (int v : ping) pong.send(v);
    done.Done();
  });
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    ping.send(static_cast<int>(i));
    (void)pong.recv();
  }
  int64_t ns = ns_since(t0);
  ping.close();
  done.Wait();
  return ns;
}

// spsc: n messages from one producer to one consumer, capacity 128.
int64_t spsc(long n) {
  Chan<long> ch = make_chan<long>(128);
  auto t0 = Clock::now();
  go([ch, n]() mutable {
    for (long i = 0; i < n; ++i) ch.send(i);
  });
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += ch.recv();
  int64_t ns = ns_since(t0);
  if (sum != n * (n - 1) / 2) throw std::runtime_error("spsc: lost messages");
  return ns;
}

// mpmc: n messages from 4 producers to 4 consumers through one channel of capacity 128.
int64_t mpmc(long n) {
  constexpr long producers = 4, consumers = 4;
  n -= n % (producers * consumers);
  Chan<long> ch = make_chan<long>(128);
  WaitGroup wg;
  std::atomic<long> total{0};
  auto t0 = Clock::now();
  wg.Add(static_cast<int>(producers + consumers));
  for (long p = 0; p < producers; ++p)
    go([ch, wg, n]() mutable {
      for (long i = 0; i < n / producers; ++i) ch.send(1);
      wg.Done();
    });
  for (long c = 0; c < consumers; ++c)
    go([ch, wg, n, &total]() mutable {
      long s = 0;
      for (long i = 0; i < n / consumers; ++i) s += ch.recv();
      total.fetch_add(s, std::memory_order_relaxed);
      wg.Done();
    });
  wg.Wait();
  int64_t ns = ns_since(t0);
  if (total.load() != n) throw std::runtime_error("mpmc: lost messages");
  return ns;
}

// select2: n round trips where both sides receive with a select over two channels.
int64_t select2(long n) {
  Chan<int> p0 = make_chan<int>(0), p1 = make_chan<int>(0), q0 = make_chan<int>(0), q1 = make_chan<int>(0);
  WaitGroup done;
  done.Add(1);
  go([p0, p1, q0, q1, done]() mutable {
    for (;;) {
      int v = 0;
      select({recv_case(p0, &v), recv_case(p1, &v)});
      if (v < 0) break;
      ((v & 1) ? q1 : q0).send(v);
    }
    done.Done();
  });
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    ((i & 1) ? p1 : p0).send(static_cast<int>(i));
    int v = 0;
    select({recv_case(q0, &v), recv_case(q1, &v)});
  }
  int64_t ns = ns_since(t0);
  p0.send(-1);
  done.Wait();
  return ns;
}

// CountingSink counts the events delivered and forgets them: goscope's twin of Go's
// trace.Start(io.Discard), so both sides pay for making and delivering events but not for
// keeping them (a Recorder adds a 64-byte copy per event into a growing vector).
class CountingSink : public EventSink {
 public:
  void on_events(std::span<const Event> events) override { count_ += events.size(); }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
};

// kRingWarmEvents: the warm-up emits at least this many events, so every page of the
// default event ring (2^16 events of 64 B per worker) has been written once before the
// timed part. The rings come from operator new untouched, and a first write to each page
// is a page fault that would otherwise be counted as event cost.
constexpr long kRingWarmEvents = 2 * 65536;

// drop_note says that events were dropped: the consumer thread fell behind and the value
// is too low (a dropped event costs less than a delivered one).
std::string drop_note(const Outcome& out) {
  return out.events_dropped > 0 ? "; some events were dropped (consumer behind), the value is too low" : "";
}
}  // namespace

void run_workload(std::string_view name, long n) {
  CountingSink sink;
  const bool traced = name == "pingpong_traced";
  std::function<void()> body;
  if (name == "pingpong" || traced) {
    body = [n] { ping_pong(n, 0); };
  } else if (name == "spsc") {
    body = [n] { spsc(n); };
  } else if (name == "mpmc") {
    body = [n] { mpmc(n); };
  } else if (name == "select2") {
    body = [n] { select2(n); };
  } else {
    throw std::invalid_argument("unknown workload " + std::string(name) +
                                " (pingpong, pingpong_traced, spsc, mpmc, select2)");
  }
  Config c;
  c.mode = Mode::real;
  c.procs = 1;
  c.sink = traced ? &sink : nullptr;
  // Room for every event of a counted run: under valgrind the consumer thread seldom gets
  // to run, and a full ring would count its slow path (drops, wake-ups) instead.
  c.event_ring_capacity = std::size_t{1} << 21;
  Outcome out = run(c, body);
  if (out.kind != OutcomeKind::ok) throw std::runtime_error("goscope run failed: " + out.report());
}

Measurement measure_goscope(std::string_view metric, long n) {
  const Metric* m = find_metric(metric);
  if (!m) throw std::runtime_error("unknown metric " + std::string(metric));
  const int procs = m->procs;
  const long warm = warmup_count(n);
  Measurement r{std::string(metric), std::nullopt, {}};

  if (metric == "spawn_join_ns") {
    r.value = run_real(procs, [&] {
      spawn_join(warm);
      return ns_per(spawn_join(n), n);
    });
  } else if (metric == "yield_ns") {
    r.value = run_real(procs, [&] {
      yield_pair(warm);
      return ns_per(yield_pair(n), n);
    });
  } else if (metric == "parked_bytes_per_goroutine") {
    r.value = run_real(procs, [&] { return parked_bytes(n); });
  } else if (metric == "event_emit_ns") {
    // The same loop of user events without a sink (one branch each) and with a sink
    // attached; the difference is what one event costs the goroutine that emits it.
    const long warm_events = std::max(warm, kRingWarmEvents);
    double untraced = run_real(procs, [&] {
      emit_lines(warm_events);
      return static_cast<double>(emit_lines(n));
    });
    CountingSink sink;
    Outcome out;
    double traced = run_real(
        procs,
        [&] {
          emit_lines(warm_events);
          return static_cast<double>(emit_lines(n));
        },
        &sink, &out);
    r.value = (traced - untraced) / static_cast<double>(n);
    r.note = "line() events to a counting sink, in bursts the consumer drains in between" + drop_note(out);
  } else if (metric == "pingpong_unbuffered_rt_ns" || metric == "pingpong_unbuffered_rt_ns_2t") {
    r.value = run_real(procs, [&] {
      ping_pong(warm, 0);
      return ns_per(ping_pong(n, 0), n);
    });
  } else if (metric == "pingpong_buffered1_rt_ns") {
    r.value = run_real(procs, [&] {
      ping_pong(warm, 1);
      return ns_per(ping_pong(n, 1), n);
    });
  } else if (metric == "spsc_cap128_ns" || metric == "spsc_cap128_ns_2t") {
    r.value = run_real(procs, [&] {
      spsc(warm);
      return ns_per(spsc(n), n);
    });
  } else if (metric == "mpmc_4x4_cap128_ns" || metric == "mpmc_4x4_cap128_ns_2t") {
    const long even = n - n % 16;
    r.value = run_real(procs, [&] {
      mpmc(warm - warm % 16 + 16);
      return ns_per(mpmc(even), even);
    });
  } else if (metric == "select2_pingpong_rt_ns") {
    r.value = run_real(procs, [&] {
      select2(warm);
      return ns_per(select2(n), n);
    });
  } else if (metric == "pingpong_traced_over_untraced") {
    // The warm-up is long enough (n/10 round trips, ~10 events each) to have written the
    // whole event ring once in a full run.
    double untraced = run_real(procs, [&] {
      ping_pong(warm, 0);
      return static_cast<double>(ping_pong(n, 0));
    });
    CountingSink sink;
    Outcome out;
    double traced = run_real(
        procs,
        [&] {
          ping_pong(warm, 0);
          return static_cast<double>(ping_pong(n, 0));
        },
        &sink, &out);
    r.value = traced / untraced;
    r.note = "every event to a counting sink" + drop_note(out);
  } else {
    throw std::runtime_error("no goscope workload for " + std::string(metric));
  }
  return r;
}

}  // namespace goscope::bench
