// timeline.h: the whole run laid out in time, for the blocking timeline (issue 8).
//
// build_timeline folds the run once (O(events)) through the same fold as the stage
// (ReplayModel::step), so the timeline and the stage never disagree, and records:
//   - per goroutine, the segments of time it spent in each state [t0, t1), with the
//     reason and object while blocked and the partner that woke it;
//   - handoff arrows (sender lane -> receiver lane) and unblock arrows (waker -> woken);
//   - per processor, which goroutine ran on it when;
//   - per goroutine, the moments it was preempted (a mark on its lane);
//   - counter tracks: each channel's buffer occupancy and each WaitGroup's counter.
// Segments of a lane are sorted and do not overlap, so a view can binary-search the
// first visible one (see timeline_layout.h).
//
// Example:
//
//   goscope::ReplayModel model(events);
//   goscope::Timeline tl = goscope::build_timeline(model);
//   for (const auto& lane : tl.lanes) draw_lane(lane.name, lane.segments);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ui/model/id_index.h"
#include "ui/model/replay.h"

namespace goscope {

// TimelineSegment is a span of time [t0, t1) one goroutine spent in one state, or (in a
// processor lane) one goroutine held the processor.
struct TimelineSegment {
  int64_t t0 = 0;
  int64_t t1 = 0;
  uint64_t obj = 0;        // the channel / WaitGroup waited on (blocked), 0 otherwise
  uint32_t event = 0;      // index of the event that began it (click: move the playhead there)
  uint32_t partner = 0;    // goroutine lanes: who woke it at its end (0 = timer, runtime, none);
                           // processor lanes: the goroutine that ran
  GoState state = GoState::running;
  BlockReason reason = BlockReason::None;
  // Blocked in a select: the case that fired (-1: unknown, the select never completed)
  // and the select statement (an index into Timeline::select_sites, kNoSite if none).
  // obj is then the channel of the case that fired (0 if unknown): the runtime parks a
  // select on whichever case it happened to try first, which says nothing.
  static constexpr uint16_t kNoSite = 0xFFFF;
  int16_t select_case = -1;
  uint16_t select_site = kNoSite;

  int64_t duration() const { return t1 - t0; }
};

// SelectSite is one select statement of the run, as the events show it: the goroutine's
// Go line when it entered, its number of cases, and the channel each case was seen to
// complete on (0: never seen to fire; kVaries: different channels at different times).
struct SelectSite {
  static constexpr uint64_t kVaries = ~uint64_t{0};
  int32_t line = 0;
  int16_t cases = 0;
  std::vector<uint64_t> chans;  // one per case
};

// SegmentStyle is what a segment looks like: one colour each in the legend.
enum class SegmentStyle : uint8_t {
  not_started,
  runnable,
  running,
  blocked_send,
  blocked_recv,
  blocked_select,
  blocked_waitgroup,
  blocked_forever,  // nil channel, empty select
  sleeping,
  working,
  done,
  abandoned,
  mixed,            // many segments folded into one pixel (timeline_layout.h)
};
inline constexpr int kSegmentStyleCount = static_cast<int>(SegmentStyle::mixed) + 1;

// style_of says how a segment is drawn.
SegmentStyle style_of(GoState state, BlockReason reason);
inline SegmentStyle style_of(const TimelineSegment& s) { return style_of(s.state, s.reason); }
// to_string names a style for the legend ("blocked on send").
const char* to_string(SegmentStyle s);

// LaneLod holds coarser copies of a lane, for zoomed-out views of long runs: level k
// merges runs of segments narrower than widths[k] ns into chunks about widths[k] wide
// (8x wider per level). A chunk is a TimelineSegment whose state and reason are those of
// the style covering most of its time, whose event is the index of its first segment and
// whose partner is its number of segments. Drawing from a level touches a few thousand
// chunks instead of every segment, so a fitted million-segment lane stays in cache.
struct LaneLod {
  static constexpr std::size_t kMinLevelSize = 512;  // lanes shorter than 2x this need none
  std::vector<int64_t> widths;
  std::vector<std::vector<TimelineSegment>> levels;
};

// build_lane_lod makes the levels of detail of one lane (O(segments)); empty for short lanes.
LaneLod build_lane_lod(std::span<const TimelineSegment> segments);

// TimelineMark is one moment on a lane (a preemption).
struct TimelineMark {
  int64_t t = 0;
  uint32_t event = 0;  // index of the event (click: move the playhead there)
};

// GoroutineLane is one goroutine's row.
struct GoroutineLane {
  uint32_t g = 0;
  const char* name = kNoText;
  const char* role = kNoText;
  uint32_t created_by = 0;
  std::vector<TimelineSegment> segments;  // sorted by t0, not overlapping
  LaneLod lod;                            // levels of detail of segments (see timeline_layout.h)
  std::vector<TimelineMark> preemptions;  // when the runtime took its processor; sorted by t
};

// ArrowKind says what an arrow between lanes means.
enum class ArrowKind : uint8_t { handoff, unblock };

// TimelineArrow is an arrow from one lane to another at one moment.
struct TimelineArrow {
  int64_t t = 0;
  uint32_t from = 0;   // sender / waker
  uint32_t to = 0;     // receiver / woken
  uint64_t obj = 0;    // channel (handoff); the object the woken one waited on (unblock)
  uint32_t event = 0;
  ArrowKind kind = ArrowKind::handoff;
};

// CounterPoint says a counter took `value` at time t (and kept it until the next point).
struct CounterPoint {
  int64_t t = 0;
  int64_t value = 0;
};

// CounterTrack is one counter over the run: a channel's buffer occupancy or a
// WaitGroup's counter.
struct CounterTrack {
  uint64_t obj = 0;
  bool is_channel = true;
  const char* name = kNoText;
  int64_t capacity = 0;  // channels: buffer size
  int64_t max = 0;       // the largest value it took
  std::vector<CounterPoint> points;  // sorted by t; a step function
  // levels[L][j] is the (min, max) of point values [j * 2^L, (j + 1) * 2^L): built by
  // build_levels() (build_timeline does), so a range's extremes cost O(log points).
  std::vector<std::vector<std::pair<int64_t, int64_t>>> levels;

  // build_levels (re)builds `levels` from `points`.
  void build_levels();
  // range returns the (min, max) of the values of points [a, b) (a < b <= points.size()).
  std::pair<int64_t, int64_t> range(std::size_t a, std::size_t b) const;
};

// Timeline is the whole run, ready to draw.
struct Timeline {
  int64_t begin = 0;  // time of the first event
  int64_t end = 0;    // time of the last event
  std::vector<GoroutineLane> lanes;     // creation order: main first
  std::vector<TimelineArrow> handoffs;  // direct and from-buffer handoffs with both ends known
  std::vector<TimelineArrow> unblocks;  // GoUnblock with a known waker
  std::vector<std::vector<TimelineSegment>> processors;  // per processor: who ran, when
  std::vector<LaneLod> processor_lods;                   // levels of detail of each processor lane
  std::vector<CounterTrack> counters;   // channels first (creation order), then WaitGroups
  std::vector<SelectSite> select_sites; // select statements (TimelineSegment::select_site)

  // lane finds a goroutine's lane (nullptr if none).
  const GoroutineLane* lane(uint32_t g) const;
  IdIndex lane_pos;  // goroutine id -> lane index
};

// LaneGroup is the lanes of one role ("main", "producer", "worker", ...), for a timeline
// grouped by role with collapsible groups.
struct LaneGroup {
  const char* role = kNoText;
  std::vector<uint32_t> lanes;  // indices into Timeline::lanes, in creation order
};

// lane_groups groups the lanes by role: main first, then the roles in the order their
// first goroutine was created.
std::vector<LaneGroup> lane_groups(const Timeline& timeline);

// build_timeline lays the model's whole run out in time. O(events).
Timeline build_timeline(const ReplayModel& model);

// SelectWaitText describes a segment blocked in a select, in words.
struct SelectWaitText {
  std::string cases;  // "fast | slow | time.After" (a case never seen to fire: "case 2")
  std::string fired;  // "fast (case 0)", or "" if the select never completed
};

// select_wait_text describes segment s of a lane blocked in a select; channels are named
// from the counter tracks ("chan" if unnamed).
SelectWaitText select_wait_text(const Timeline& timeline, const TimelineSegment& s);

// segment_at returns the index of the segment covering time t, or segments.size() if none.
std::size_t segment_at(std::span<const TimelineSegment> segments, int64_t t);

}  // namespace goscope
