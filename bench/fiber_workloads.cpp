// fiber_workloads.cpp: the comparison's workloads on Boost.Fiber, the peer a C++
// programmer would otherwise reach for. Mirrors tests/go_bench/main.go.
//
// How each maps:
//   channels        unbuffered_channel<int>, buffered_channel<int>. Boost's buffered
//                   channel needs a power-of-two capacity >= 2 and holds capacity - 1
//                   values: buffered(1) is buffered_channel(2) (exactly Go's cap 1),
//                   cap 128 is buffered_channel(128) (holds 127).
//   one thread      the default round_robin scheduler on the main thread.
//   two threads     algo::work_stealing(2, suspend = true) on the main thread and one
//                   helper thread: idle threads sleep instead of spinning, as Go's Ps
//                   park after a short spin.
//   stacks          64 KiB, goscope's stack size. pooled_fixedsize_stack (Boost's fastest
//                   for spawn+join) everywhere but the parked-memory line, which uses
//                   fixedsize_stack, Boost's leanest there (9.3 KB per parked fiber here
//                   against 13.6 KB pooled: the pool writes its free-list link into every
//                   block, touching one more page per stack).
//   select, events  no equivalent: Boost.Fiber has no select over channels and no event
//                   tracing; those cells are null.
#include <boost/fiber/algo/work_stealing.hpp>
#include <boost/fiber/all.hpp>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench/workloads_common.h"

namespace goscope::bench {
namespace {

namespace bf = boost::fibers;

constexpr std::size_t kStackSize = 64 * 1024;

bf::pooled_fixedsize_stack& stacks() {
  static bf::pooled_fixedsize_stack s(kStackSize);
  return s;
}

template <class Fn>
bf::fiber spawn(Fn&& fn) {
  return bf::fiber(std::allocator_arg, stacks(), std::forward<Fn>(fn));
}

// spawn_lean starts a fiber on a plain malloc'd stack (see parked_bytes).
template <class Fn>
bf::fiber spawn_lean(Fn&& fn) {
  return bf::fiber(std::allocator_arg, bf::fixedsize_stack(kStackSize), std::forward<Fn>(fn));
}

// with_threads runs body on the main thread's main fiber with `threads` threads sharing
// the work (work stealing); threads == 1 keeps the default round_robin scheduler.
template <class Body>
double with_threads(int threads, Body body) {
  if (threads == 1) return body();
  bf::mutex mu;
  bf::condition_variable cv;
  bool done = false;
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t)
    helpers.emplace_back([&] {
      bf::use_scheduling_algorithm<bf::algo::work_stealing>(threads, true);
      std::unique_lock<bf::mutex> lk(mu);
      cv.wait(lk, [&] { return done; });
    });
  bf::use_scheduling_algorithm<bf::algo::work_stealing>(threads, true);
  double result = body();
  {
    std::unique_lock<bf::mutex> lk(mu);
    done = true;
  }
  cv.notify_all();
  for (std::thread& h : helpers) h.join();
  return result;
}

// ping_pong: n round trips; main pushes on ping, a partner echoes on pong.
template <class Channel>
int64_t ping_pong(long n, Channel& ping, Channel& pong) {
  bf::fiber partner = spawn([&] {
    int v = 0;
    while (ping.pop(v) == bf::channel_op_status::success) pong.push(v);
  });
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    ping.push(static_cast<int>(i));
    int v = 0;
    pong.pop(v);
  }
  int64_t ns = ns_since(t0);
  ping.close();
  partner.join();
  return ns;
}

int64_t ping_pong_unbuffered(long n) {
  bf::unbuffered_channel<int> ping, pong;
  return ping_pong(n, ping, pong);
}

int64_t ping_pong_buffered1(long n) {
  bf::buffered_channel<int> ping(2), pong(2);  // holds 1: Go's make(chan int, 1)
  return ping_pong(n, ping, pong);
}

// spsc: n messages from one producer to one consumer, capacity 128.
int64_t spsc(long n) {
  bf::buffered_channel<long> ch(128);
  auto t0 = Clock::now();
  bf::fiber producer = spawn([&] {
    for (long i = 0; i < n; ++i) ch.push(i);
  });
  long sum = 0;
  for (long i = 0; i < n; ++i) {
    long v = 0;
    ch.pop(v);
    sum += v;
  }
  int64_t ns = ns_since(t0);
  producer.join();
  if (sum != n * (n - 1) / 2) throw std::runtime_error("spsc: lost messages");
  return ns;
}

// mpmc: n messages from 4 producers to 4 consumers through one channel of capacity 128.
int64_t mpmc(long n) {
  constexpr long producers = 4, consumers = 4;
  n -= n % (producers * consumers);
  bf::buffered_channel<long> ch(128);
  std::atomic<long> total{0};
  std::vector<bf::fiber> fibers;
  auto t0 = Clock::now();
  for (long p = 0; p < producers; ++p)
    fibers.push_back(spawn([&] {
      for (long i = 0; i < n / producers; ++i) ch.push(1);
    }));
  for (long c = 0; c < consumers; ++c)
    fibers.push_back(spawn([&] {
      long s = 0;
      for (long i = 0; i < n / consumers; ++i) {
        long v = 0;
        ch.pop(v);
        s += v;
      }
      total.fetch_add(s, std::memory_order_relaxed);
    }));
  for (bf::fiber& f : fibers) f.join();
  int64_t ns = ns_since(t0);
  if (total.load() != n) throw std::runtime_error("mpmc: lost messages");
  return ns;
}

// yield_pair: main yields n times while a second fiber yields until main is done.
int64_t yield_pair(long n) {
  std::atomic<bool> done{false};
  bf::fiber other = spawn([&] {
    while (!done.load(std::memory_order_relaxed)) boost::this_fiber::yield();
  });
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) boost::this_fiber::yield();
  int64_t ns = ns_since(t0);
  done.store(true, std::memory_order_relaxed);
  other.join();
  return ns;
}

// spawn_join: start one fiber and join it, n times.
int64_t spawn_join(long n) {
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) spawn([] {}).join();
  return ns_since(t0);
}

// parked_bytes: n fibers parked on one condition variable; RSS growth per fiber.
double parked_bytes(long n) {
  bf::mutex mu;
  bf::condition_variable parked_cv, gate_cv;
  long parked = 0;
  bool open = false;
  std::vector<bf::fiber> fibers;
  fibers.reserve(static_cast<std::size_t>(n));
  long before = rss_bytes();
  for (long i = 0; i < n; ++i)
    fibers.push_back(spawn_lean([&] {
      std::unique_lock<bf::mutex> lk(mu);
      if (++parked == n) parked_cv.notify_one();
      gate_cv.wait(lk, [&] { return open; });
    }));
  {
    std::unique_lock<bf::mutex> lk(mu);
    parked_cv.wait(lk, [&] { return parked == n; });
  }
  long after = rss_bytes();
  {
    std::unique_lock<bf::mutex> lk(mu);
    open = true;
  }
  gate_cv.notify_all();
  for (bf::fiber& f : fibers) f.join();
  return static_cast<double>(after - before) / static_cast<double>(n);
}

// timed runs f(warm) untimed, then returns ns per operation of f(n).
template <class F>
double timed(F f, long n) {
  f(warmup_count(n));
  return ns_per(f(n), n);
}

}  // namespace

Measurement measure_boost_fiber(std::string_view metric, long n) {
  const Metric* m = find_metric(metric);
  if (!m) throw std::runtime_error("unknown metric " + std::string(metric));
  const int threads = m->procs;
  Measurement r{std::string(metric), std::nullopt, {}};
  if (metric == "pingpong_unbuffered_rt_ns" || metric == "pingpong_unbuffered_rt_ns_2t") {
    r.value = with_threads(threads, [&] { return timed(ping_pong_unbuffered, n); });
  } else if (metric == "pingpong_buffered1_rt_ns") {
    r.value = with_threads(threads, [&] { return timed(ping_pong_buffered1, n); });
  } else if (metric == "spsc_cap128_ns" || metric == "spsc_cap128_ns_2t") {
    r.value = with_threads(threads, [&] { return timed(spsc, n); });
    r.note = "buffered_channel(128) holds 127";
  } else if (metric == "mpmc_4x4_cap128_ns" || metric == "mpmc_4x4_cap128_ns_2t") {
    const long even = n - n % 16;
    r.value = with_threads(threads, [&] { return timed(mpmc, even); });
    r.note = "buffered_channel(128) holds 127";
  } else if (metric == "yield_ns") {
    r.value = with_threads(threads, [&] { return timed(yield_pair, n); });
  } else if (metric == "spawn_join_ns") {
    r.value = with_threads(threads, [&] { return timed(spawn_join, n); });
  } else if (metric == "parked_bytes_per_goroutine") {
    r.value = with_threads(threads, [&] { return parked_bytes(n); });
  } else if (metric == "select2_pingpong_rt_ns") {
    return no_equivalent(metric, "Boost.Fiber has no select over channels");
  } else if (metric == "event_emit_ns" || metric == "pingpong_traced_over_untraced") {
    return no_equivalent(metric, "Boost.Fiber has no event tracing");
  } else {
    throw std::runtime_error("no Boost.Fiber workload for " + std::string(metric));
  }
  return r;
}

}  // namespace goscope::bench
