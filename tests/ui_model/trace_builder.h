// trace_builder.h: hand-made event traces for the UI model's tests.
//
// TraceBuilder writes events the way the runtime would, one call per event: it numbers
// them (seq), stamps the time (each event advances the clock by `step`, 100 ns like the
// deterministic mode's operation cost) and the processor of the goroutine concerned.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/event.h"

namespace goscope::testing {

class TraceBuilder {
 public:
  std::vector<Event> events;
  int64_t now = 0;
  int64_t step = 100;

  // advance moves the clock (for sleeps and work).
  TraceBuilder& advance(int64_t dt) {
    now += dt;
    return *this;
  }

  Event& add(EventKind kind, uint32_t g = 0, uint64_t obj = 0, uint32_t other = 0) {
    Event e;
    e.seq = events.size();
    e.ts = now;
    e.kind = kind;
    e.g = g;
    e.obj = obj;
    e.other = other;
    e.proc = g < proc_of_.size() ? proc_of_[g] : 0;
    events.push_back(e);
    now += step;
    return events.back();
  }

  void start(int procs, int mode = 0) {
    Event& e = add(EventKind::ProgramStart);
    e.a = procs;
    e.b = mode;
  }
  void end(int kind = 0, const char* msg = nullptr) {
    Event& e = add(EventKind::ProgramEnd);
    e.a = kind;
    e.text = msg;
  }
  void create(uint32_t creator, uint32_t id, const char* name, int line = 0) {
    Event& e = add(EventKind::GoCreate, creator, 0, id);
    e.text = intern(name);
    e.a = line;
  }
  void run(uint32_t g, uint16_t proc) {
    set_proc(g, proc);
    add(EventKind::GoStart, g);
  }
  void block(uint32_t g, BlockReason r, uint64_t obj = 0) { add(EventKind::GoBlock, g, obj).reason = static_cast<uint8_t>(r); }
  void unblock(uint32_t g, uint32_t waker) { add(EventKind::GoUnblock, g, 0, waker); }
  void yield(uint32_t g) { add(EventKind::GoYield, g); }
  void preempt(uint32_t g) { add(EventKind::GoPreempt, g); }
  void exit(uint32_t g) { add(EventKind::GoExit, g); }
  void abandon(uint32_t g) { add(EventKind::GoAbandon, g); }
  void line(uint32_t g, int n) { add(EventKind::GoLine, g).a = n; }
  void make_chan(uint32_t g, uint64_t ch, int64_t cap, const char* name = nullptr) {
    Event& e = add(EventKind::ChanMake, g, ch);
    e.a = cap;
    e.text = name ? intern(name) : nullptr;
  }
  // send: g sent v on ch to receiver (0 = into the buffer); len = occupancy after.
  void send(uint32_t g, uint64_t ch, int64_t v, uint32_t receiver = 0, int64_t len = 0) {
    Event& e = add(EventKind::ChanSend, g, ch, receiver);
    e.a = v;
    e.b = len;
    e.reason = static_cast<uint8_t>(ValueKind::Int);
  }
  void send_text(uint32_t g, uint64_t ch, const char* v, uint32_t receiver = 0, int64_t len = 0) {
    Event& e = add(EventKind::ChanSend, g, ch, receiver);
    e.text = intern(v);
    e.b = len;
    e.reason = static_cast<uint8_t>(ValueKind::Text);
  }
  // recv: g received v on ch from sender (0 = unknown); len = occupancy after.
  void recv(uint32_t g, uint64_t ch, int64_t v, uint32_t sender = 0, int64_t len = 0) {
    Event& e = add(EventKind::ChanRecv, g, ch, sender);
    e.a = v;
    e.b = len;
    e.reason = static_cast<uint8_t>(ValueKind::Int);
  }
  void recv_closed(uint32_t g, uint64_t ch) {
    Event& e = add(EventKind::ChanRecv, g, ch);
    e.reason = static_cast<uint8_t>(ValueKind::Int) | kRecvClosedBit;
  }
  void close(uint32_t g, uint64_t ch) { add(EventKind::ChanClose, g, ch); }
  void select_begin(uint32_t g, int cases, bool has_default) {
    Event& e = add(EventKind::SelectBegin, g);
    e.a = cases;
    e.b = has_default;
  }
  void select_ready(uint32_t g, uint64_t mask) { add(EventKind::SelectReady, g).a = static_cast<int64_t>(mask); }
  void select_chosen(uint32_t g, int c, uint64_t ch) { add(EventKind::SelectChosen, g, ch).a = c; }
  void select_default(uint32_t g) { add(EventKind::SelectDefault, g); }
  void wg_add(uint32_t g, uint64_t wg, int64_t delta, int64_t after) {
    Event& e = add(EventKind::WgAdd, g, wg);
    e.a = delta;
    e.b = after;
  }
  void wg_done(uint32_t g, uint64_t wg, int64_t after) { add(EventKind::WgDone, g, wg).b = after; }
  void wg_wait(uint32_t g, uint64_t wg, int64_t counter) { add(EventKind::WgWait, g, wg).b = counter; }
  void sleep(uint32_t g, int64_t d) { add(EventKind::Sleep, g).a = d; }
  void wake(uint32_t g) { add(EventKind::Wake, g); }
  void work_begin(uint32_t g, int64_t d) { add(EventKind::WorkBegin, g).a = d; }
  void work_end(uint32_t g) { add(EventKind::WorkEnd, g); }
  void output(uint32_t g, const char* text) { add(EventKind::Output, g).text = intern(text); }
  void panic(uint32_t g, const char* msg) { add(EventKind::Panic, g).text = msg; }
  void deadlock() { add(EventKind::Deadlock).text = "all goroutines are asleep - deadlock!"; }
  void proc_start(uint16_t p) { add(EventKind::ProcStart).proc = p; }
  void proc_stop(uint16_t p) { add(EventKind::ProcStop).proc = p; }

  void set_proc(uint32_t g, uint16_t p) {
    if (g >= proc_of_.size()) proc_of_.resize(g + 1, 0);
    proc_of_[g] = p;
  }

 private:
  std::vector<uint16_t> proc_of_;
};

// fan_in_trace is a realistic run of the fan-in lesson on one processor: main makes an
// unbuffered channel `results`, starts "producer 1" and "producer 2", each sends two
// values, main receives four and prints them, then returns. The producers' sends park
// (nobody is receiving yet) and main's receives take their values directly.
//
//   producer 1 --.
//                 >-- results --> main
//   producer 2 --'
inline std::vector<Event> fan_in_trace() {
  TraceBuilder t;
  const uint64_t results = 1;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.line(1, 10);
  t.make_chan(1, results, 0, "results");
  t.line(1, 11);
  t.create(1, 2, "producer 1", 11);
  t.create(1, 3, "producer 2", 11);
  t.line(1, 13);
  // main: v := <-results, nobody sending yet: park.
  t.block(1, BlockReason::Recv, results);
  t.run(2, 0);
  t.line(2, 20);
  // producer 1 finds main parked: hands 100 over directly and wakes it.
  t.send(2, results, 100, 1);
  t.unblock(1, 2);
  t.line(2, 20);
  t.block(2, BlockReason::Send, results);  // second send: main is not receiving yet
  t.run(3, 0);
  t.line(3, 20);
  t.block(3, BlockReason::Send, results);  // producer 2 parks behind producer 1
  t.run(1, 0);
  t.recv(1, results, 100, 2);
  t.output(1, "100");
  t.line(1, 13);
  t.recv(1, results, 101, 2);  // takes producer 1's parked value
  t.unblock(2, 1);
  t.output(1, "101");
  t.recv(1, results, 200, 3);  // and producer 2's
  t.unblock(3, 1);
  t.output(1, "200");
  t.line(1, 13);
  t.block(1, BlockReason::Recv, results);
  t.run(2, 0);
  t.send(2, results, 101, 1);   // producer 1's parked send completes (it was taken directly)
  t.exit(2);
  t.run(3, 0);
  t.send(3, results, 200, 1);
  t.line(3, 20);
  t.send(3, results, 201, 1);   // main is parked: direct handoff
  t.unblock(1, 3);
  t.exit(3);
  t.run(1, 0);
  t.recv(1, results, 201, 3);
  t.output(1, "201");
  t.line(1, 16);
  t.exit(1);
  t.end(0);
  return std::move(t.events);
}

// random_trace makes `n` events with random kinds, goroutines and objects: most of them
// make no sense as a run, which is the point: the fold must stay consistent (and
// snapshots must agree with it) whatever it is fed.
inline std::vector<Event> random_trace(std::size_t n, uint32_t seed, uint32_t goroutines = 8, uint64_t objects = 4) {
  std::mt19937 rng(seed);
  TraceBuilder t;
  t.start(2, seed & 1);
  t.create(0, 1, "main");
  for (uint64_t o = 1; o <= objects; ++o) {
    if (o % 2) t.make_chan(1, o, static_cast<int64_t>(o / 2), "ch");
    else t.wg_add(1, o, 1, 1);
  }
  auto pick = [&](uint32_t k) { return static_cast<uint32_t>(rng() % k); };
  const char* names[] = {"worker 1", "producer 2", "consumer", "main"};
  while (t.events.size() < n) {
    // The cast drifts: every 400 events a new goroutine joins and the oldest leaves the
    // pool, so exits and abandons do not leave a run of dead goroutines only.
    uint32_t base = 1 + static_cast<uint32_t>(t.events.size() / 400);
    uint32_t g = base + pick(goroutines);
    uint32_t other = pick(3) ? base + pick(goroutines) : 0;
    uint64_t obj = 1 + pick(static_cast<uint32_t>(objects));
    t.set_proc(g, static_cast<uint16_t>(pick(2)));
    switch (pick(14)) {
      case 0: t.create(g, base + goroutines, names[pick(4)]); break;
      case 1: t.run(g, static_cast<uint16_t>(pick(2))); break;
      case 2:
        if (pick(10) < 7) {
          const BlockReason queued[] = {BlockReason::Send, BlockReason::Recv, BlockReason::WaitGroup};
          t.block(g, queued[pick(3)], obj);
        } else {
          t.block(g, static_cast<BlockReason>(pick(10)), pick(3) ? obj : 0);
        }
        break;
      case 3: t.unblock(g, other); break;
      case 4: t.send(g, obj, pick(5), pick(2) ? other : 0, pick(3)); break;
      case 5: t.recv(g, obj, pick(5), other, pick(3)); break;
      case 6: pick(2) ? t.yield(g) : t.preempt(g); break;
      case 7: pick(8) ? t.line(g, 1 + pick(30)) : t.exit(g); break;
      case 8: pick(2) ? t.wg_add(g, obj, 1, pick(3)) : t.wg_done(g, obj, pick(3)); break;
      case 9: pick(2) ? t.sleep(g, 1000) : t.wake(g); break;
      case 10: pick(2) ? t.work_begin(g, 1000) : t.work_end(g); break;
      case 11: pick(3) ? t.output(g, "line") : t.close(g, obj); break;
      case 12: pick(2) ? t.proc_start(static_cast<uint16_t>(pick(2))) : t.proc_stop(static_cast<uint16_t>(pick(2))); break;
      case 13:
        if (pick(100) == 0) t.abandon(g);
        else if (pick(3) == 0) t.select_begin(g, 2, pick(2));
        else t.select_chosen(g, pick(2), obj);
        break;
    }
  }
  return std::move(t.events);
}

}  // namespace goscope::testing
