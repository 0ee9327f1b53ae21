// timeline_view.h: the blocking timeline (issue 8): the whole run, one lane per goroutine.
//
// Rows, top to bottom: a time ruler; the goroutines (main first), grouped by role, a
// group of two or more behind a header that collapses it; optionally one lane per
// processor (which goroutine ran there, in that goroutine's colour); optionally one
// counter track per channel (buffer occupancy) and WaitGroup (counter). Segments are
// coloured by state (segment_colour, one colour per SegmentStyle, listed in the legend).
// Handoff arrows run from sender to receiver, unblock arrows from waker to woken.
//
// Input: the wheel zooms around the cursor, shift+wheel (or the wheel over the names)
// scrolls the lanes, a drag pans both ways, a click moves the playhead to the time
// under the cursor, "Fit" shows the whole run. Hovering a segment shows its state,
// object, duration and partner in a tooltip, and draw() returns it (TimelineHover).
//
// Level of detail: lanes come from lane_draw_list (ui/model/timeline_layout.h) with the
// lane's LaneLod, which culls what is off screen and folds segments narrower than a
// pixel; rows outside the panel are skipped; arrows are drawn only when there are few
// enough on screen to tell apart (the toolbar says how many are hidden). A folded
// rectangle takes the colour of the state covering most of it. The rectangles of each
// lane are kept for the last viewport, so a frame where the view stands still (playing,
// hovering) does not search the segments again. The cost follows the pixels, not the
// events: a fitted million-event run draws in about a millisecond.
//
// The playhead is an event index owned by the caller (the player): the view draws it as
// a line at that event's time (the stage shows the same moment), and a click sets it to
// the number of events at or before the clicked time.
//
// Example (the canvas pattern of imgui_demo's custom rendering):
//
//   goscope::ui::TimelineView view;                        // keep it across frames
//   ImGui::Begin("Timeline");
//   goscope::ui::TimelineFrame f = view.draw(timeline, model.events(), playhead);
//   if (f.playhead_moved) player.seek(playhead);
//   ImGui::End();
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "core/event.h"
#include "ui/model/timeline.h"
#include "ui/model/timeline_layout.h"

namespace goscope::ui {

// segment_colour returns the colour a segment style is drawn in (the legend's colours):
// the shared theme's style_color (ui/views/theme.h), so the stage and the timeline agree.
ImU32 segment_colour(SegmentStyle style);

// goroutine_colour returns a colour that tells goroutine g apart from its neighbours
// (processor lanes colour each run by the goroutine that ran).
ImU32 goroutine_colour(uint32_t g);

// format_duration renders a duration the way a reader wants it: "850 ns", "12.5 µs",
// "3.25 ms", "1.5 s".
std::string format_duration(int64_t ns);

// TimelineOptions are the toggles in the timeline's toolbar.
struct TimelineOptions {
  bool arrows = true;       // handoff and unblock arrows
  bool processors = false;  // one lane per processor
  bool counters = true;     // channel occupancy and WaitGroup counter tracks
  bool legend = true;       // the colour legend under the toolbar
};

// TimelineHover is what the mouse is over.
struct TimelineHover {
  // Kind says which sort of row the mouse is over.
  enum class Kind : uint8_t { none, segment, folded, idle, processor, counter, group };
  Kind kind = Kind::none;
  int64_t t = 0;               // time under the cursor (ns)
  int lane = -1;               // segment / folded / idle: index into Timeline::lanes
  uint32_t g = 0;              // the goroutine (processor rows: the one that ran)
  std::size_t segment = 0;     // index into the lane's (or processor's) segments
  TimelineSegment seg;         // a copy of that segment
  uint32_t folded = 0;         // folded: how many segments share the hovered pixel
  int processor = -1;          // processor rows
  int counter = -1;            // counter rows: index into Timeline::counters
  int64_t value = 0;           // counter rows: the counter's value at t
  const char* role = "";       // group rows: the role
};

// TimelineFrame is what one draw() did.
struct TimelineFrame {
  TimelineHover hover;
  bool playhead_moved = false;  // a click set the playhead
  ImVec2 canvas_min, canvas_max;  // the lanes' area (names excluded), screen pixels
  ImVec2 fit_button;            // centre of the "Fit" button
  std::size_t rects = 0;        // rectangles drawn in lanes and tracks
  std::size_t arrows = 0;       // arrows drawn
  std::size_t arrows_on_screen = 0;  // arrows in the visible time range (drawn or not)
  std::size_t marks = 0;        // preemption marks drawn
  int rows_drawn = 0;           // rows inside the panel
};

// TimelineView is the timeline's state across frames: viewport, toggles, collapsed
// groups, vertical scroll, and scratch buffers reused every frame.
class TimelineView {
 public:
  TimelineOptions options;
  // viewport is the visible time range; set_pixels is kept up to date by draw().
  TimelineViewport viewport;

  // draw draws the timeline into the current window, filling the space left in it.
  // playhead is an index into events (the state after events [0, playhead)); a click
  // moves it. A new timeline (another run) is fitted whole.
  TimelineFrame draw(const Timeline& timeline, std::span<const Event> events, std::size_t& playhead);

  // reset forgets what the view cached about the timeline (its rows and the rectangles
  // of the last viewport): call it when the Timeline changed in place (a new run built
  // into the same object). A timeline at another address or of another size is noticed.
  void reset() { bound_ = nullptr; }
  // set_collapsed collapses or opens the group of goroutines with this role.
  void set_collapsed(const std::string& role, bool collapsed);
  // collapsed reports whether the role's group is collapsed.
  bool collapsed(const std::string& role) const;
  // lane_center_y returns the screen y of lane `lane`'s middle in the last frame, or a
  // negative number when it was not on screen.
  float lane_center_y(int lane) const;
  // counter_center_y is the same for counter track `counter` (index into Timeline::counters).
  float counter_center_y(int counter) const;
  // scroll_y is how far the lanes are scrolled down, in pixels.
  float scroll_y() const { return scroll_y_; }

 private:
  // Row is one horizontal band below the ruler.
  struct Row {
    enum class Kind : uint8_t { group, lane, processor_header, processor, counter_header, counter } kind;
    int index = 0;  // lane, processor, counter or group index
    float y = 0;    // top, relative to the first row
    float h = 0;
  };
  // Group is the goroutines sharing a role.
  struct Group {
    std::string role;
    std::vector<int> lanes;
  };

  void bind(const Timeline& tl, std::span<const Event> events);
  void build_rows(const Timeline& tl, float lane_h, float counter_h);
  const char* object_name(uint64_t obj) const;
  const char* goroutine_name(const Timeline& tl, uint32_t g) const;
  void tooltip(const Timeline& tl, const TimelineHover& h) const;
  // Frame is one draw()'s context (canvas geometry, time-to-pixel mapping, mouse);
  // RowBox is one row's place on screen. Both are defined in timeline_view.cpp.
  struct Frame;
  struct RowBox;
  void draw_toolbar(TimelineFrame& out);
  void begin_canvas(Frame& f);
  int row_at(const Frame& f, float y) const;
  void handle_input(Frame& f, std::size_t& playhead);
  void click(Frame& f, std::size_t& playhead);
  void draw_ruler(Frame& f);
  void draw_rows(Frame& f);
  void draw_group_row(Frame& f, const Row& row, const RowBox& box);
  bool in_group(const GoroutineLane& lane) const;
  void draw_lane_row(Frame& f, const Row& row, const RowBox& box);
  void hover_lane_rect(Frame& f, const Row& row, const RowBox& box, const LaneRect& r);
  void draw_processor_row(Frame& f, const Row& row, const RowBox& box);
  const std::vector<CounterColumn>& counter_columns(const Timeline& tl, int index);
  void draw_counter_row(Frame& f, const Row& row, const RowBox& box);
  float lane_screen_center(const Frame& f, int lane) const;
  void draw_arrow_list(Frame& f, const std::vector<TimelineArrow>& arrows, std::size_t lo, std::size_t hi, ImU32 col);
  void draw_arrows(Frame& f);
  void draw_playhead(Frame& f, std::size_t playhead);
  void draw_scrollbar(Frame& f);


  const Timeline* bound_ = nullptr;
  std::size_t bound_lanes_ = 0, bound_events_ = 0;
  int64_t bound_end_ = 0;
  bool fit_pending_ = true;
  std::vector<Group> groups_;
  std::vector<std::string> collapsed_roles_;
  std::vector<Row> rows_;
  bool rows_dirty_ = true;
  float rows_lane_h_ = 0, rows_counter_h_ = 0;
  TimelineOptions rows_options_;
  std::vector<int> lane_row_;       // lane index -> row index (-1 = collapsed away)
  std::vector<float> lane_screen_y_;  // lane index -> centre y in the last frame (-1 = off)
  std::vector<float> counter_screen_y_;
  std::unordered_map<uint64_t, const char*> object_names_;
  float scroll_y_ = 0;
  uint32_t styles_present_ = ~0u;  // bit i: SegmentStyle i appears in the run
  bool preemptions_present_ = false;
  std::size_t hidden_arrows_ = 0;  // arrows in view last frame, too many to draw
  bool dragging_ = false;
  bool drag_moved_ = false;
  bool scrollbar_drag_ = false;
  ImVec2 press_pos_;
  // CachedLane is a lane's rectangles for one viewport: while the view stands still
  // (playing, hovering) a frame reuses them instead of searching the segments again.
  struct CachedLane {
    double t0 = 0, t1 = -1, x0 = 0, x1 = 0;
    std::vector<LaneRect> rects;
    std::vector<uint32_t> shown;  // the segment whose colour each rectangle takes
  };
  struct CachedCounter {
    double t0 = 0, t1 = -1, x0 = 0, x1 = 0;
    std::vector<CounterColumn> columns;
  };
  const CachedLane& lane_rects(std::vector<CachedLane>& cache, std::size_t i, std::span<const TimelineSegment> segs,
                               const LaneLod* lod);
  std::vector<CachedLane> lane_cache_, proc_cache_;
  std::vector<CachedCounter> counter_cache_;
};

// legend_label names a style in the legend, in the stage legend's words ("ready").
const char* legend_label(SegmentStyle style);

// draw_timeline_legend draws one swatch and name per style in the bit set `styles`
// (bit i = SegmentStyle i), wrapping to the window's width; same_line continues the
// current line.
void draw_timeline_legend(uint32_t styles = ~0u, bool same_line = false);

}  // namespace goscope::ui
