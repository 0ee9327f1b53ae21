// timeline.cpp: one pass over the run, watching the fold change goroutines, processors
// and counters.
//
// Each event changes at most its goroutine (g), its partner (other) and the processors
// they held, so the pass compares only those after every step: O(1) per event.
#include "ui/model/timeline.h"

#include <algorithm>
#include <climits>
#include <string_view>

namespace goscope {

SegmentStyle style_of(GoState state, BlockReason reason) {
  switch (state) {
    case GoState::not_started: return SegmentStyle::not_started;
    case GoState::runnable: return SegmentStyle::runnable;
    case GoState::running: return SegmentStyle::running;
    case GoState::sleeping: return SegmentStyle::sleeping;
    case GoState::working: return SegmentStyle::working;
    case GoState::done: return SegmentStyle::done;
    case GoState::abandoned: return SegmentStyle::abandoned;
    case GoState::blocked:
      switch (reason) {
        case BlockReason::Send: return SegmentStyle::blocked_send;
        case BlockReason::Recv: return SegmentStyle::blocked_recv;
        case BlockReason::Select: return SegmentStyle::blocked_select;
        case BlockReason::WaitGroup: return SegmentStyle::blocked_waitgroup;
        case BlockReason::Sleep: return SegmentStyle::sleeping;
        case BlockReason::Work: return SegmentStyle::working;
        case BlockReason::NilSend:
        case BlockReason::NilRecv:
        case BlockReason::SelectNoCases:
        case BlockReason::None: return SegmentStyle::blocked_forever;
      }
      break;
  }
  return SegmentStyle::mixed;
}

const char* to_string(SegmentStyle s) {
  switch (s) {
    case SegmentStyle::not_started: return "not started";
    case SegmentStyle::runnable: return "runnable";
    case SegmentStyle::running: return "running";
    case SegmentStyle::blocked_send: return "blocked on send";
    case SegmentStyle::blocked_recv: return "blocked on receive";
    case SegmentStyle::blocked_select: return "blocked in select";
    case SegmentStyle::blocked_waitgroup: return "blocked on WaitGroup";
    case SegmentStyle::blocked_forever: return "blocked forever";
    case SegmentStyle::sleeping: return "sleeping";
    case SegmentStyle::working: return "working";
    case SegmentStyle::done: return "done";
    case SegmentStyle::abandoned: return "abandoned";
    case SegmentStyle::mixed: return "many short states";
  }
  return "?";
}

const GoroutineLane* Timeline::lane(uint32_t g) const {
  const uint32_t i = lane_pos.find(g);
  return i != IdIndex::kAbsent ? &lanes[i] : nullptr;
}

std::size_t segment_at(std::span<const TimelineSegment> segments, int64_t t) {
  auto it = std::upper_bound(segments.begin(), segments.end(), t,
                             [](int64_t x, const TimelineSegment& s) { return x < s.t1; });
  if (it == segments.end() || it->t0 > t) return segments.size();
  return static_cast<std::size_t>(it - segments.begin());
}

void CounterTrack::build_levels() {
  levels.clear();
  std::vector<std::pair<int64_t, int64_t>> level;
  level.reserve(points.size());
  for (const CounterPoint& p : points) level.push_back({p.value, p.value});
  levels.push_back(std::move(level));
  while (levels.back().size() > 1) {
    const auto& below = levels.back();
    std::vector<std::pair<int64_t, int64_t>> up((below.size() + 1) / 2);
    for (std::size_t j = 0; j < up.size(); ++j) {
      up[j] = below[2 * j];
      if (2 * j + 1 < below.size()) {
        up[j].first = std::min(up[j].first, below[2 * j + 1].first);
        up[j].second = std::max(up[j].second, below[2 * j + 1].second);
      }
    }
    levels.push_back(std::move(up));
  }
}

std::pair<int64_t, int64_t> CounterTrack::range(std::size_t a, std::size_t b) const {
  std::pair<int64_t, int64_t> r{INT64_MAX, INT64_MIN};
  auto take = [&](const std::pair<int64_t, int64_t>& m) {
    r.first = std::min(r.first, m.first);
    r.second = std::max(r.second, m.second);
  };
  // Bottom-up over the levels, as in a segment tree: O(log n) nodes cover [a, b).
  for (std::size_t L = 0; a < b && L < levels.size(); ++L, a /= 2, b /= 2) {
    if (a & 1) take(levels[L][a++]);
    if (b & 1) take(levels[L][--b]);
  }
  return r;
}

namespace {

// OpenSegment is the segment a lane is in now (not yet closed).
struct OpenSegment {
  bool open = false;
  TimelineSegment seg;
};

bool same_kind(const TimelineSegment& a, const TimelineSegment& b) {
  return a.state == b.state && a.reason == b.reason && a.obj == b.obj && a.partner == b.partner;
}

// close_into ends `o` at t and appends it to `out`, dropping zero-length segments and
// merging with the previous one when nothing visible changed between them.
void close_into(OpenSegment& o, int64_t t, uint32_t partner, std::vector<TimelineSegment>& out) {
  if (!o.open) return;
  o.open = false;
  o.seg.t1 = t;
  o.seg.partner = partner;
  if (o.seg.t1 <= o.seg.t0) return;
  if (!out.empty() && out.back().t1 == o.seg.t0 && same_kind(out.back(), o.seg)) {
    out.back().t1 = o.seg.t1;
    return;
  }
  out.push_back(o.seg);
}

// SelectOpen is a select a goroutine is in: when it entered and which statement it is.
struct SelectOpen {
  int64_t t = -1;  // -1: not in a select
  uint16_t site = TimelineSegment::kNoSite;
};

struct Builder {
  const ReplayModel& model;
  Timeline tl;
  std::vector<OpenSegment> lane_open;
  std::vector<SelectOpen> lane_select;  // per lane
  std::vector<OpenSegment> proc_open;
  std::vector<CounterTrack> chan_tracks, wg_tracks;
  IdIndex chan_pos, wg_pos;  // obj -> track index

  GoroutineLane& lane(const GoroutineInfo& g) {
    bool added = false;
    const uint32_t pos = tl.lane_pos.find_or_add(g.id, static_cast<uint32_t>(tl.lanes.size()), &added);
    if (added) {
      tl.lanes.push_back({});
      lane_open.push_back({});
      lane_select.push_back({});
    }
    GoroutineLane& l = tl.lanes[pos];
    l.g = g.id;
    l.name = g.name;
    l.role = g.role;
    l.created_by = g.created_by;
    return l;
  }

  void sync_lane(const ReplayState& s, uint32_t id, const Event& e, std::size_t i) {
    const GoroutineInfo* g = s.goroutine(id);
    if (!g) return;
    GoroutineLane& l = lane(*g);
    OpenSegment& o = lane_open[tl.lane_pos.find(id)];
    if (o.open && o.seg.state == g->state && o.seg.reason == g->reason && o.seg.obj == g->obj) return;
    uint32_t partner = (e.kind == EventKind::GoUnblock && e.g == id) ? e.other : 0;
    close_into(o, s.now, partner, l.segments);
    o.open = true;
    o.seg = {};
    o.seg.t0 = s.now;
    o.seg.state = g->state;
    o.seg.reason = g->reason;
    o.seg.obj = g->obj;
    o.seg.event = static_cast<uint32_t>(i);
  }

  void sync_proc(const ReplayState& s, int p, std::size_t i) {
    if (p < 0) return;
    if (static_cast<std::size_t>(p) >= tl.processors.size()) {
      tl.processors.resize(p + 1);
      proc_open.resize(p + 1);
    }
    uint32_t g = static_cast<std::size_t>(p) < s.processors.size() ? s.processors[p].g : 0;
    GoState st = GoState::running;
    if (const GoroutineInfo* gi = g ? s.goroutine(g) : nullptr; gi && gi->state == GoState::working) st = GoState::working;
    OpenSegment& o = proc_open[p];
    if (o.open && o.seg.partner == g && o.seg.state == st) return;
    if (o.open) close_into(o, s.now, o.seg.partner, tl.processors[p]);
    if (g == 0) return;
    o.open = true;
    o.seg = {};
    o.seg.t0 = s.now;
    o.seg.partner = g;
    o.seg.state = st;
    o.seg.event = static_cast<uint32_t>(i);
  }

  uint16_t select_site(int32_t line, int64_t cases) {
    const int16_t n = static_cast<int16_t>(std::clamp<int64_t>(cases, 0, 64));
    for (std::size_t k = 0; k < tl.select_sites.size(); ++k)
      if (tl.select_sites[k].line == line && tl.select_sites[k].cases == n) return static_cast<uint16_t>(k);
    if (tl.select_sites.size() >= TimelineSegment::kNoSite) return TimelineSegment::kNoSite;
    tl.select_sites.push_back({line, n, std::vector<uint64_t>(static_cast<std::size_t>(n), 0)});
    return static_cast<uint16_t>(tl.select_sites.size() - 1);
  }

  void on_select_begin(const ReplayState& s, const Event& e) {
    const GoroutineInfo* g = s.goroutine(e.g);
    if (!g) return;
    lane(*g);
    lane_select[tl.lane_pos.find(e.g)] = {s.now, select_site(g->line, e.a)};
  }

  // on_select_chosen names the case that fired on the select's blocked segment (closed
  // when the goroutine was woken) and teaches the statement's case its channel.
  void on_select_chosen(const Event& e) {
    const uint32_t pos = tl.lane_pos.find(e.g);
    if (pos == IdIndex::kAbsent) return;
    SelectOpen& open = lane_select[pos];
    if (open.t < 0) return;
    if (open.site != TimelineSegment::kNoSite && e.a >= 0) {
      SelectSite& site = tl.select_sites[open.site];
      if (e.a < site.cases) {
        uint64_t& c = site.chans[static_cast<std::size_t>(e.a)];
        c = (c == 0 || c == e.obj) ? e.obj : SelectSite::kVaries;
      }
    }
    std::vector<TimelineSegment>& segs = tl.lanes[pos].segments;
    for (std::size_t k = segs.size(); k-- > 0 && segs[k].t1 > open.t;) {
      TimelineSegment& seg = segs[k];
      if (seg.state != GoState::blocked || seg.reason != BlockReason::Select) continue;
      seg.obj = e.obj;
      seg.select_case = static_cast<int16_t>(e.a);
      seg.select_site = open.site;
      break;
    }
    open = {};
  }

  CounterTrack& track(std::vector<CounterTrack>& tracks, IdIndex& pos, uint64_t obj, bool is_channel, int64_t t) {
    bool added = false;
    const uint32_t at = pos.find_or_add(obj, static_cast<uint32_t>(tracks.size()), &added);
    if (added) {
      CounterTrack c;
      c.obj = obj;
      c.is_channel = is_channel;
      c.points.push_back({t, 0});
      tracks.push_back(std::move(c));
    }
    return tracks[at];
  }

  static void set_counter(CounterTrack& c, int64_t t, int64_t v) {
    c.max = std::max(c.max, v);
    if (c.points.back().value == v) return;
    if (c.points.back().t == t) {
      c.points.back().value = v;
      // Folding a same-time change may leave two equal neighbours: keep the step function minimal.
      if (c.points.size() >= 2 && c.points[c.points.size() - 2].value == v) c.points.pop_back();
      return;
    }
    c.points.push_back({t, v});
  }

  Timeline run() {
    auto ev = model.events();
    if (ev.empty()) return std::move(tl);
    tl.begin = ev.front().ts;
    ReplayState s;
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const Event& e = ev[i];
      int prev_proc_g = -1, prev_proc_other = -1;
      uint64_t woken_obj = 0;
      if (const GoroutineInfo* g = s.goroutine(e.g)) {
        prev_proc_g = g->proc;
        woken_obj = g->obj;
      }
      if (const GoroutineInfo* o = s.goroutine(e.other)) prev_proc_other = o->proc;
      uint64_t handoffs = s.handoffs;

      model.step(s);

      if (e.g) sync_lane(s, e.g, e, i);
      if (e.other && e.other != e.g) sync_lane(s, e.other, e, i);

      sync_proc(s, e.proc, i);
      if (prev_proc_g >= 0 && prev_proc_g != e.proc) sync_proc(s, prev_proc_g, i);
      if (prev_proc_other >= 0 && prev_proc_other != e.proc) sync_proc(s, prev_proc_other, i);
      for (uint32_t id : {e.g, e.other}) {
        if (const GoroutineInfo* g = s.goroutine(id); g && g->proc >= 0 && g->proc != e.proc) sync_proc(s, g->proc, i);
      }

      if (s.handoffs != handoffs && s.last_handoff.from && s.last_handoff.to) {
        const Handoff& h = s.last_handoff;
        tl.handoffs.push_back({s.now, h.from, h.to, h.chan, static_cast<uint32_t>(i), ArrowKind::handoff});
      }
      if (e.kind == EventKind::GoUnblock && e.other) {
        tl.unblocks.push_back({s.now, e.other, e.g, woken_obj, static_cast<uint32_t>(i), ArrowKind::unblock});
      }
      if (const GoroutineInfo* g = s.goroutine(e.g); e.kind == EventKind::GoPreempt && g && g->preempted) {
        lane(*g).preemptions.push_back({s.now, static_cast<uint32_t>(i)});
      }

      switch (e.kind) {
        case EventKind::SelectBegin:
          on_select_begin(s, e);
          break;
        case EventKind::SelectChosen:
          on_select_chosen(e);
          break;
        case EventKind::SelectDefault:
          if (const uint32_t pos = tl.lane_pos.find(e.g); pos != IdIndex::kAbsent) lane_select[pos] = {};
          break;
        case EventKind::ChanMake:
        case EventKind::ChanSend:
        case EventKind::ChanRecv: {
          CounterTrack& c = track(chan_tracks, chan_pos, e.obj, true, s.now);
          if (const ChannelInfo* ch = s.channel(e.obj)) {
            c.name = ch->name;
            c.capacity = ch->capacity;
            set_counter(c, s.now, static_cast<int64_t>(ch->buffer.size()));
          }
          break;
        }
        case EventKind::WgAdd:
        case EventKind::WgDone:
        case EventKind::WgWait: {
          CounterTrack& c = track(wg_tracks, wg_pos, e.obj, false, s.now);
          if (const WaitGroupInfo* w = s.waitgroup(e.obj)) set_counter(c, s.now, w->counter);
          break;
        }
        default:
          break;
      }
    }
    tl.end = s.now;
    for (std::size_t k = 0; k < tl.lanes.size(); ++k) {
      close_into(lane_open[k], tl.end, 0, tl.lanes[k].segments);
      // A select that never completed (a deadlock, the end of main) waited on every case;
      // the channel the runtime parked it on was only the first it tried.
      for (TimelineSegment& seg : tl.lanes[k].segments) {
        if (seg.state == GoState::blocked && seg.reason == BlockReason::Select && seg.select_case < 0) {
          seg.obj = 0;
          if (seg.t1 > lane_select[k].t && lane_select[k].t >= 0) seg.select_site = lane_select[k].site;
        }
      }
    }
    for (std::size_t p = 0; p < tl.processors.size(); ++p) {
      close_into(proc_open[p], tl.end, proc_open[p].seg.partner, tl.processors[p]);
    }
    tl.counters = std::move(chan_tracks);
    for (auto& w : wg_tracks) tl.counters.push_back(std::move(w));
    for (auto& c : tl.counters) c.build_levels();
    for (auto& lane : tl.lanes) lane.lod = build_lane_lod(lane.segments);
    for (const auto& proc : tl.processors) tl.processor_lods.push_back(build_lane_lod(proc));
    return std::move(tl);
  }
};

}  // namespace

std::vector<LaneGroup> lane_groups(const Timeline& timeline) {
  std::vector<LaneGroup> groups;
  for (std::size_t k = 0; k < timeline.lanes.size(); ++k) {
    const GoroutineLane& l = timeline.lanes[k];
    // Roles are interned: equal text is an equal pointer.
    auto it = std::find_if(groups.begin(), groups.end(), [&](const LaneGroup& g) { return g.role == l.role; });
    if (it == groups.end()) {
      groups.push_back({l.role, {}});
      it = groups.end() - 1;
    }
    it->lanes.push_back(static_cast<uint32_t>(k));
  }
  std::stable_partition(groups.begin(), groups.end(), [](const LaneGroup& g) { return std::string_view(g.role) == "main"; });
  return groups;
}

namespace {

const char* channel_name(const Timeline& tl, uint64_t obj) {
  for (const CounterTrack& c : tl.counters)
    if (c.is_channel && c.obj == obj) return c.name && *c.name ? c.name : "chan";
  return "chan";
}

}  // namespace

SelectWaitText select_wait_text(const Timeline& tl, const TimelineSegment& s) {
  SelectWaitText out;
  const SelectSite* site = s.select_site < tl.select_sites.size() ? &tl.select_sites[s.select_site] : nullptr;
  if (site) {
    for (int16_t i = 0; i < site->cases; ++i) {
      if (i > 0) out.cases += " | ";
      const uint64_t c = site->chans[static_cast<std::size_t>(i)];
      if (c == 0 || c == SelectSite::kVaries) {
        out.cases += "case " + std::to_string(i);
      } else {
        out.cases += channel_name(tl, c);
      }
    }
  }
  if (s.select_case >= 0) {
    out.fired = std::string(s.obj ? channel_name(tl, s.obj) : "?") + " (case " + std::to_string(s.select_case) + ")";
  }
  return out;
}

Timeline build_timeline(const ReplayModel& model) {
  Builder b{model, {}, {}, {}, {}, {}, {}, {}, {}};
  return b.run();
}

}  // namespace goscope
