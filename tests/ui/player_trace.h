// player_trace.h: small synthetic runs for the player's tests (goscope_ui_tests links the
// ui libraries only, so it cannot run lessons): a handover on an unbuffered channel, a
// deadlock, and a fan-out with many workers.
#pragma once

#include <string>
#include <vector>

#include "core/event.h"
#include "ui/views/player.h"

namespace goscope::test {

// TraceBuilder appends events with consecutive seq numbers and 100 ns between them.
struct TraceBuilder {
  std::vector<Event> events;

  Event& add(EventKind kind, uint32_t g, uint32_t other = 0, uint64_t obj = 0, int64_t a = 0, int64_t b = 0,
             const char* text = nullptr, uint8_t reason = 0) {
    Event e;
    e.seq = events.size();
    e.ts = static_cast<int64_t>(events.size()) * 100;
    e.kind = kind;
    e.g = g;
    e.other = other;
    e.obj = obj;
    e.a = a;
    e.b = b;
    e.text = text;
    e.reason = reason;
    events.push_back(e);
    return events.back();
  }
  void line(uint32_t g, int n) { add(EventKind::GoLine, g, 0, 0, n); }
  void block(uint32_t g, BlockReason r, uint64_t obj) { add(EventKind::GoBlock, g, 0, obj, 0, 0, nullptr, static_cast<uint8_t>(r)); }
  void send(uint32_t g, uint64_t ch, uint32_t to, int64_t v, int64_t len = 0) {
    add(EventKind::ChanSend, g, to, ch, v, len, nullptr, static_cast<uint8_t>(ValueKind::Int));
  }
  void recv(uint32_t g, uint64_t ch, uint32_t from, int64_t v, int64_t len = 0) {
    add(EventKind::ChanRecv, g, from, ch, v, len, nullptr, static_cast<uint8_t>(ValueKind::Int));
  }
};

// handover_trace: main makes ch, starts "sender" (go at line 6), blocks receiving at
// line 8; sender sends 42 at line 7 and exits; main receives, prints, returns.
inline std::vector<Event> handover_trace() {
  TraceBuilder t;
  t.add(EventKind::ProgramStart, 0, 0, 0, 1, 0);
  t.add(EventKind::GoCreate, 0, 1, 0, 0, 0, "main");
  t.add(EventKind::GoStart, 1);
  t.line(1, 5);
  t.add(EventKind::ChanMake, 1, 0, 1, 0, 0, "ch");
  t.add(EventKind::GoCreate, 1, 2, 0, 6, 0, "sender");
  t.line(1, 8);
  t.block(1, BlockReason::Recv, 1);
  t.add(EventKind::GoStart, 2);
  t.line(2, 7);
  t.send(2, 1, 1, 42);
  t.add(EventKind::GoUnblock, 1, 2);
  t.add(EventKind::GoExit, 2);
  t.add(EventKind::GoStart, 1);
  t.recv(1, 1, 2, 42);
  t.line(1, 9);
  t.add(EventKind::Output, 1, 0, 0, 0, 0, "got 42");
  t.add(EventKind::GoExit, 1);
  t.add(EventKind::ProgramEnd, 0, 0, 0, 0);
  return t.events;
}

// deadlock_trace: main sends on ch at line 4 and nobody ever receives.
inline std::vector<Event> deadlock_trace() {
  TraceBuilder t;
  t.add(EventKind::ProgramStart, 0, 0, 0, 1, 0);
  t.add(EventKind::GoCreate, 0, 1, 0, 0, 0, "main");
  t.add(EventKind::GoStart, 1);
  t.add(EventKind::ChanMake, 1, 0, 1, 0, 0, "ch");
  t.line(1, 4);
  t.block(1, BlockReason::Send, 1);
  t.add(EventKind::Deadlock, 0, 0, 0, 0, 0, "all goroutines are asleep - deadlock!");
  t.add(EventKind::GoAbandon, 1);
  t.add(EventKind::ProgramEnd, 0, 0, 0, 2, 0, "all goroutines are asleep - deadlock!");
  return t.events;
}

// fan_out_trace: a producer puts `jobs` values into `jobs` (buffer 4); `workers` workers
// take them and send results to main through `results`; a WaitGroup counts the workers.
// Scheduling is a plain round robin: good enough to exercise every figure and queue.
inline std::vector<Event> fan_out_trace(int workers, int jobs) {
  TraceBuilder t;
  t.add(EventKind::ProgramStart, 0, 0, 0, 4, 0);
  t.add(EventKind::GoCreate, 0, 1, 0, 0, 0, "main");
  t.add(EventKind::GoStart, 1);
  t.add(EventKind::ChanMake, 1, 0, 1, 4, 0, "jobs");
  t.add(EventKind::ChanMake, 1, 0, 2, 0, 0, "results");
  t.add(EventKind::GoCreate, 1, 2, 0, 10, 0, "producer");
  t.add(EventKind::WgAdd, 1, 0, 1, workers, workers, "wg");
  static std::vector<std::string> names;
  names.resize(static_cast<std::size_t>(workers) + 1);
  for (int w = 1; w <= workers; ++w) {
    names[w] = "worker " + std::to_string(w);
    t.add(EventKind::GoCreate, 1, 2 + w, 0, 20, 0, intern(names[w]));
  }
  const uint32_t closer = 3 + workers;
  t.add(EventKind::GoCreate, 1, closer, 0, 30, 0, "closer");
  t.line(1, 35);
  t.block(1, BlockReason::Recv, 2);
  t.add(EventKind::GoStart, closer);
  t.line(closer, 31);
  t.add(EventKind::WgWait, closer, 0, 1, 0, workers, "wg");
  t.block(closer, BlockReason::WaitGroup, 1);
  for (int w = 1; w <= workers; ++w) {
    t.add(EventKind::GoStart, 2 + w);
    t.line(2 + w, 21);
    t.block(2 + w, BlockReason::Recv, 1);
  }
  t.add(EventKind::GoStart, 2);
  int next_worker = 0;
  for (int j = 1; j <= jobs; ++j) {
    t.line(2, 11);
    const uint32_t w = 3 + static_cast<uint32_t>(next_worker);
    next_worker = (next_worker + 1) % workers;
    t.send(2, 1, w, j);
    t.add(EventKind::GoUnblock, w, 2);
    t.add(EventKind::GoStart, w);
    t.recv(w, 1, 2, j);
    t.line(w, 23);
    t.send(w, 2, 1, j * j);
    t.add(EventKind::GoUnblock, 1, w);
    t.recv(1, 2, w, j * j);
    t.line(w, 21);
    t.block(w, BlockReason::Recv, 1);
  }
  t.add(EventKind::ChanClose, 2, 0, 1);
  t.add(EventKind::GoExit, 2);
  for (int w = 1; w <= workers; ++w) {
    t.add(EventKind::GoUnblock, 2 + w, 2);
    t.recv(2 + w, 1, 0, 0);
    t.events.back().reason |= kRecvClosedBit;
    t.add(EventKind::WgDone, 2 + w, 0, 1, 0, workers - w, "wg");
    t.add(EventKind::GoExit, 2 + w);
  }
  t.add(EventKind::GoUnblock, closer, 3 + workers - 1);
  t.add(EventKind::ChanClose, closer, 0, 2);
  t.add(EventKind::GoExit, closer);
  t.add(EventKind::GoUnblock, 1, closer);
  t.add(EventKind::Output, 1, 0, 0, 0, 0, "done");
  t.add(EventKind::GoExit, 1);
  t.add(EventKind::ProgramEnd, 0, 0, 0, 0);
  return t.events;
}

// preempt_trace: main starts "spinner" (go at line 6) and waits on a WaitGroup; on one
// processor the spinner works 30 ms, is preempted after 10 (the deterministic mode's
// WorkEnd then GoPreempt), main checks in, then the spinner runs again and finishes.
// preempted_at is the number of events up to and including the GoPreempt.
inline std::vector<Event> preempt_trace(std::size_t* preempted_at = nullptr) {
  TraceBuilder t;
  t.add(EventKind::ProgramStart, 0, 0, 0, 1, 0);
  t.add(EventKind::GoCreate, 0, 1, 0, 0, 0, "main");
  t.add(EventKind::GoStart, 1);
  t.add(EventKind::GoCreate, 1, 2, 0, 6, 0, "spinner");
  t.add(EventKind::GoYield, 1);
  t.add(EventKind::GoStart, 2);
  t.line(2, 7);
  t.add(EventKind::WorkBegin, 2, 0, 0, 30'000'000);
  t.add(EventKind::WorkEnd, 2);
  t.add(EventKind::GoPreempt, 2);
  if (preempted_at) *preempted_at = t.events.size();
  t.add(EventKind::GoStart, 1);
  t.line(1, 8);
  t.add(EventKind::GoYield, 1);
  t.add(EventKind::GoStart, 2);
  t.add(EventKind::WorkBegin, 2, 0, 0, 20'000'000);
  t.add(EventKind::WorkEnd, 2);
  t.add(EventKind::GoExit, 2);
  t.add(EventKind::GoStart, 1);
  t.add(EventKind::GoExit, 1);
  t.add(EventKind::ProgramEnd, 0, 0, 0, 0);
  return t.events;
}

// with_dropped returns events with a Dropped report of n events inserted at index `at`.
inline std::vector<Event> with_dropped(std::vector<Event> events, std::size_t at, int64_t n) {
  Event d;
  d.kind = EventKind::Dropped;
  d.a = n;
  d.ts = at < events.size() ? events[at].ts : 0;
  events.insert(events.begin() + static_cast<std::ptrdiff_t>(at), d);
  for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = i;
  return events;
}

// lesson_info describes a synthetic lesson with a Go listing long enough for the traces' lines.
inline ui::LessonInfo lesson_info(const std::string& id) {
  ui::LessonInfo l;
  l.id = id;
  l.title = "Test lesson " + id;
  l.summary = "A run made by hand for the tests.";
  for (int i = 1; i <= 40; ++i) l.go_source += "\tch <- i // line " + std::to_string(i) + "\n";
  l.narration = "# Title\n\nSome *emphasis*, **strong** and `code`.\n\n- one\n- two\n\n```\nch <- 1\n```\n";
  l.params = {{"workers", "goroutines taking jobs", 1, 64, 4, {}}, {"kind", "what a job does", 0, 1, 0, {"cpu", "io"}}};
  return l;
}

}  // namespace goscope::test
