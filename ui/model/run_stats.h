// run_stats.h: numbers about a whole run (issue 8): where each goroutine spent its time,
// how busy each channel was, throughput and processor utilisation.
//
// Example:
//
//   goscope::ReplayModel model(events);
//   goscope::Timeline tl = goscope::build_timeline(model);
//   goscope::RunStats st = goscope::compute_stats(model, tl);
//   printf("%.0f messages/s, %.0f%% of the processors busy\n",
//          st.per_second(st.messages), 100 * st.utilisation);
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "ui/model/replay.h"
#include "ui/model/timeline.h"

namespace goscope {

// GoroutineStats is where one goroutine's time went.
struct GoroutineStats {
  uint32_t g = 0;
  const char* name = kNoText;
  const char* role = kNoText;
  std::array<int64_t, kGoStateCount> time_in{};          // per GoState
  std::array<int64_t, kSegmentStyleCount> time_in_style{};  // per SegmentStyle (blocked split by reason)
  int64_t lifetime = 0;      // from creation to done / abandoned / the end of the run
  int64_t blocked = 0;       // time in GoState::blocked (any reason)
  double blocked_share = 0;  // blocked / the run's length
  double blocked_share_of_life = 0;  // blocked / lifetime
};

// ChannelStats is how one channel was used.
struct ChannelStats {
  uint64_t id = 0;
  const char* name = kNoText;
  int64_t capacity = 0;
  uint64_t sends = 0;           // completed sends
  uint64_t messages = 0;        // values received: messages passed
  double mean_occupancy = 0;    // time-weighted over the channel's life (make to end of run)
  int64_t max_occupancy = 0;
  int64_t senders_parked = 0;   // total time goroutines spent parked sending on it (ns)
  int64_t receivers_parked = 0; // total time goroutines spent parked receiving from it (ns)
  bool closed = false;
};

// RunStats sums up a run. Throughput is left to the caller's choice of count:
// per_second(messages), per_second(wg_dones), per_second(goroutines_done), ...
struct RunStats {
  int64_t begin = 0, end = 0;
  int64_t run_ns = 0;
  int procs = 0;
  uint64_t events = 0;
  uint64_t messages = 0;          // values received on all channels
  uint64_t sends = 0;             // completed sends on all channels
  uint64_t goroutines = 0;        // created, main included
  uint64_t goroutines_done = 0;   // returned
  uint64_t goroutines_abandoned = 0;
  uint64_t wg_dones = 0;          // WaitGroup.Done calls (completed jobs, in most lessons)
  uint64_t output_lines = 0;
  int64_t busy_ns = 0;            // processor time running or working, all processors
  double utilisation = 0;         // busy_ns / (procs * run_ns)
  std::vector<GoroutineStats> goroutine_stats;  // lane order (main first)
  std::vector<ChannelStats> channel_stats;      // creation order

  // per_second converts a count over the run into a rate (0 for a run of no length).
  double per_second(uint64_t count) const { return run_ns > 0 ? static_cast<double>(count) * 1e9 / run_ns : 0.0; }
};

// compute_stats measures a run from its model and timeline. O(events + segments).
RunStats compute_stats(const ReplayModel& model, const Timeline& timeline);

}  // namespace goscope
