// timeline_fixtures.h: synthetic timelines of every shape for the timeline view's tests,
// built directly as data (a Timeline is a plain struct), so the tests need no runtime
// and can reach sizes (a million segments) no lesson test would wait for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"
#include "ui/model/timeline.h"

namespace goscope::test {

// names_ keeps lane names alive (GoroutineLane holds const char*).
inline const char* keep(std::string s) { return intern(s); }

// add_lane appends a lane for goroutine g with `role` and `name`.
inline GoroutineLane& add_lane(Timeline& tl, uint32_t g, const char* role, const std::string& name) {
  tl.lanes.push_back({});
  GoroutineLane& l = tl.lanes.back();
  l.g = g;
  l.role = keep(role);
  l.name = keep(name);
  tl.lane_pos.insert(g, static_cast<uint32_t>(tl.lanes.size() - 1));
  return l;
}

// seg makes a segment.
inline TimelineSegment seg(int64_t t0, int64_t t1, GoState state, BlockReason reason = BlockReason::None,
                           uint64_t obj = 0, uint32_t partner = 0, uint32_t event = 0) {
  TimelineSegment s;
  s.t0 = t0;
  s.t1 = t1;
  s.state = state;
  s.reason = reason;
  s.obj = obj;
  s.partner = partner;
  s.event = event;
  return s;
}

// small_run is a fan-in: main receives from channel 7 ("ch"), two producers send to it,
// a closer waits on WaitGroup 9 ("wg"). 0..1000 ns.
//   main:       running [0,100) recv [100,400) running [400,500) recv [500,900) done [900,1000)
//   producer 1: not started [0,50) running [50,100) send [100,400) running [400,600) done
//   producer 2: runnable [0,200) running [200,300) sleeping [300,500) working [500,900) done
//   closer:     wait [0,800) running [800,850) done
inline Timeline small_run() {
  Timeline tl;
  tl.begin = 0;
  tl.end = 1000;
  auto& m = add_lane(tl, 1, "main", "main");
  m.segments = {seg(0, 100, GoState::running), seg(100, 400, GoState::blocked, BlockReason::Recv, 7, 2),
                seg(400, 500, GoState::running), seg(500, 900, GoState::blocked, BlockReason::Recv, 7, 3),
                seg(900, 1000, GoState::done)};
  auto& p1 = add_lane(tl, 2, "producer", "producer 1");
  p1.segments = {seg(0, 50, GoState::not_started), seg(50, 100, GoState::running),
                 seg(100, 400, GoState::blocked, BlockReason::Send, 7, 1), seg(400, 600, GoState::running),
                 seg(600, 1000, GoState::done)};
  auto& p2 = add_lane(tl, 3, "producer", "producer 2");
  p2.segments = {seg(0, 200, GoState::runnable), seg(200, 300, GoState::running),
                 seg(300, 500, GoState::sleeping, BlockReason::Sleep), seg(500, 900, GoState::working, BlockReason::Work),
                 seg(900, 1000, GoState::done)};
  auto& c = add_lane(tl, 4, "closer", "closer");
  c.segments = {seg(0, 800, GoState::blocked, BlockReason::WaitGroup, 9, 2), seg(800, 850, GoState::running),
                seg(850, 1000, GoState::done)};
  tl.handoffs = {{400, 2, 1, 7, 10, ArrowKind::handoff}, {900, 3, 1, 7, 20, ArrowKind::handoff}};
  tl.unblocks = {{400, 2, 1, 7, 11, ArrowKind::unblock}, {800, 2, 4, 9, 15, ArrowKind::unblock}};
  tl.processors.resize(2);
  tl.processors[0] = {seg(0, 100, GoState::running, BlockReason::None, 0, 1), seg(400, 500, GoState::running, BlockReason::None, 0, 1)};
  tl.processors[1] = {seg(50, 100, GoState::running, BlockReason::None, 0, 2), seg(500, 900, GoState::working, BlockReason::None, 0, 3)};
  CounterTrack ch;
  ch.obj = 7;
  ch.is_channel = true;
  ch.name = keep("ch");
  ch.capacity = 2;
  ch.max = 2;
  ch.points = {{0, 0}, {300, 1}, {350, 2}, {600, 0}};
  ch.build_levels();
  CounterTrack wg;
  wg.obj = 9;
  wg.is_channel = false;
  wg.name = keep("wg");
  wg.max = 2;
  wg.points = {{0, 2}, {600, 1}, {800, 0}};
  wg.build_levels();
  tl.counters = {ch, wg};
  return tl;
}

// events_at makes one event per timestamp (the playhead's index space).
inline std::vector<Event> events_at(std::initializer_list<int64_t> ts) {
  std::vector<Event> ev;
  for (int64_t t : ts) {
    Event e;
    e.ts = t;
    e.seq = ev.size();
    ev.push_back(e);
  }
  return ev;
}

// huge_run is `lanes` workers with `per_lane` segments each (states cycling through
// running, blocked on receive, working, blocked on send), plus one handoff per four
// segments: lanes * per_lane segments in all.
inline Timeline huge_run(int lanes, int per_lane) {
  Timeline tl;
  tl.begin = 0;
  auto& m = add_lane(tl, 1, "main", "main");
  const int64_t step = 1000;
  const int64_t end = static_cast<int64_t>(per_lane) * step;
  m.segments = {seg(0, end, GoState::blocked, BlockReason::Recv, 7)};
  for (int w = 0; w < lanes; ++w) {
    auto& l = add_lane(tl, static_cast<uint32_t>(w + 2), "worker", "worker " + std::to_string(w + 1));
    l.segments.reserve(per_lane);
    int64_t t = 0;
    for (int i = 0; i < per_lane; ++i) {
      // Durations vary (step/2..3*step/2), so folds mix states unevenly.
      const int64_t d = step / 2 + ((static_cast<int64_t>(i) * 7919 + w * 104729) % step);
      GoState st = GoState::running;
      BlockReason r = BlockReason::None;
      switch (i % 4) {
        case 1: st = GoState::blocked; r = BlockReason::Recv; break;
        case 2: st = GoState::working; r = BlockReason::Work; break;
        case 3: st = GoState::blocked; r = BlockReason::Send; break;
        default: break;
      }
      l.segments.push_back(seg(t, t + d, st, r, 7));
      if (i % 4 == 3) tl.handoffs.push_back({t + d, static_cast<uint32_t>(w + 2), 1, 7, 0, ArrowKind::handoff});
      t += d;
    }
    l.lod = build_lane_lod(l.segments);
    tl.end = std::max(tl.end, t);
  }
  std::sort(tl.handoffs.begin(), tl.handoffs.end(), [](const TimelineArrow& a, const TimelineArrow& b) { return a.t < b.t; });
  return tl;
}

}  // namespace goscope::test
