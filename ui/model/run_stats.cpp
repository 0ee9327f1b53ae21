// run_stats.cpp: sums over the timeline's segments and counter tracks.
#include "ui/model/run_stats.h"

#include <algorithm>

namespace goscope {

RunStats compute_stats(const ReplayModel& model, const Timeline& tl) {
  RunStats st;
  const ReplayState& fin = model.final_state();
  st.begin = tl.begin;
  st.end = tl.end;
  st.run_ns = tl.end - tl.begin;
  st.procs = std::max<int>(fin.procs, static_cast<int>(tl.processors.size()));
  st.events = model.size();
  st.output_lines = fin.output_lines;
  st.goroutines = fin.goroutines.size();
  for (const GoroutineInfo& g : fin.goroutines) {
    if (g.state == GoState::done) ++st.goroutines_done;
    if (g.state == GoState::abandoned) ++st.goroutines_abandoned;
  }
  for (const WaitGroupInfo& w : fin.waitgroups) st.wg_dones += w.dones;

  IdIndex ch_index;  // channel id -> position in channel_stats
  for (const ChannelInfo& c : fin.channels) {
    ChannelStats cs;
    cs.id = c.id;
    cs.name = c.name;
    cs.capacity = c.capacity;
    cs.sends = c.sends;
    cs.messages = c.messages;
    cs.closed = c.closed;
    st.messages += c.messages;
    st.sends += c.sends;
    st.channel_stats.push_back(cs);
    ch_index.insert(c.id, static_cast<uint32_t>(st.channel_stats.size() - 1));
  }
  auto chan_stats = [&](uint64_t id) -> ChannelStats* {
    const uint32_t at = ch_index.find(id);
    return at == IdIndex::kAbsent ? nullptr : &st.channel_stats[at];
  };

  for (const GoroutineLane& lane : tl.lanes) {
    GoroutineStats gs;
    gs.g = lane.g;
    gs.name = lane.name;
    gs.role = lane.role;
    for (const TimelineSegment& s : lane.segments) {
      int64_t d = s.duration();
      gs.time_in[static_cast<int>(s.state)] += d;
      gs.time_in_style[static_cast<int>(style_of(s))] += d;
      if (s.state != GoState::done && s.state != GoState::abandoned) gs.lifetime += d;
      if (s.state == GoState::blocked) {
        gs.blocked += d;
        if (ChannelStats* cs = chan_stats(s.obj)) {
          if (s.reason == BlockReason::Send) cs->senders_parked += d;
          if (s.reason == BlockReason::Recv) cs->receivers_parked += d;
        }
      }
    }
    if (st.run_ns > 0) gs.blocked_share = static_cast<double>(gs.blocked) / st.run_ns;
    if (gs.lifetime > 0) gs.blocked_share_of_life = static_cast<double>(gs.blocked) / gs.lifetime;
    st.goroutine_stats.push_back(gs);
  }

  for (const CounterTrack& c : tl.counters) {
    if (!c.is_channel || c.points.empty()) continue;
    ChannelStats* cs = chan_stats(c.obj);
    if (!cs) continue;
    cs->max_occupancy = c.max;
    // Time-weighted mean: the integral of the step function over the channel's life.
    double area = 0;
    for (std::size_t k = 0; k < c.points.size(); ++k) {
      int64_t t1 = k + 1 < c.points.size() ? c.points[k + 1].t : tl.end;
      area += static_cast<double>(c.points[k].value) * static_cast<double>(std::max<int64_t>(0, t1 - c.points[k].t));
    }
    int64_t life = tl.end - c.points.front().t;
    cs->mean_occupancy = life > 0 ? area / static_cast<double>(life) : static_cast<double>(c.points.back().value);
  }

  for (const auto& proc : tl.processors) {
    for (const TimelineSegment& s : proc) st.busy_ns += s.duration();
  }
  if (st.procs > 0 && st.run_ns > 0) {
    st.utilisation = static_cast<double>(st.busy_ns) / (static_cast<double>(st.procs) * st.run_ns);
  }
  return st;
}

}  // namespace goscope
