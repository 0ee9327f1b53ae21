// timeline_layout.h: the timeline's maths, apart from ImGui.
//
// TimelineViewport maps a visible time range onto a pixel range and moves it (zoom
// around the cursor, pan by a drag, fit all). lane_draw_list turns one lane's segments
// into the rectangles to draw in that viewport, with the level of detail that keeps a
// million-event run smooth: it binary-searches the first visible segment, stops at the
// last, and folds runs of segments narrower than a pixel into one "mixed" rectangle,
// jumping over them with another binary search. The output is bounded by the lane's
// width in pixels (at most about width / min_px + 2 rectangles), and so is the work:
// O(width * log segments), whatever the number of segments. counter_draw_list does the
// same for counter tracks (one min/max column per pixel at most).
//
// Example:
//
//   goscope::TimelineViewport vp;
//   vp.set_pixels(canvas_x, canvas_x + canvas_width);
//   vp.fit(tl.begin, tl.end);
//   if (wheel) vp.zoom(mouse_x, wheel > 0 ? 1.25 : 0.8);
//   if (dragging) vp.pan(mouse_dx);
//   std::vector<goscope::LaneRect> rects;
//   goscope::lane_draw_list(lane.segments, vp, rects);
//   for (auto& r : rects) draw_list->AddRectFilled({r.x0, y0}, {r.x1, y1}, colour(r.style));
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ui/model/timeline.h"

namespace goscope {

// TimelineViewport is the visible time range [t0, t1] (ns) drawn on pixels [x0, x1].
struct TimelineViewport {
  double t0 = 0, t1 = 1;
  double x0 = 0, x1 = 1;
  // min_span is the smallest time range zooming in may reach (ns).
  double min_span = 10;

  // set_pixels sets the pixel range (the canvas may be resized) and keeps the times.
  void set_pixels(double left, double right) {
    x0 = left;
    x1 = right > left ? right : left + 1;
  }
  // ns_per_px returns how much time one pixel covers.
  double ns_per_px() const { return (t1 - t0) / (x1 - x0); }
  // x_of maps a time to a pixel.
  double x_of(double t) const { return x0 + (t - t0) * (x1 - x0) / (t1 - t0); }
  // t_of maps a pixel to a time.
  double t_of(double x) const { return t0 + (x - x0) * (t1 - t0) / (x1 - x0); }
  // zoom scales around pixel x by factor (> 1 zooms in): the time under x stays under x.
  void zoom(double x, double factor);
  // pan moves the view by dx pixels as a drag does: content follows the mouse, so a
  // drag to the right (dx > 0) shows earlier times.
  void pan(double dx);
  // fit shows [begin, end] (an empty run shows [begin, begin + min_span]).
  void fit(double begin, double end);
};

// LaneRect is one rectangle of a lane: a segment, or several folded into one.
struct LaneRect {
  float x0 = 0, x1 = 0;
  SegmentStyle style = SegmentStyle::running;  // mixed when count > 1
  uint32_t first = 0;  // index of the first segment it covers (hover: details)
  uint32_t count = 1;  // segments it covers
  // dominant is the style covering most of a mixed rectangle (sampled), so that a busy
  // stretch can be drawn in its main colour (hatched, say); = style when count == 1.
  SegmentStyle dominant = SegmentStyle::running;
};

// lane_draw_list writes into `out` (cleared first) the rectangles for `segments` inside
// the viewport, clipped to [x0, x1]. Segments narrower than min_px are folded with their
// neighbours into mixed rectangles at least min_px wide, each with the style covering
// most of it (dominant); neighbouring folded rectangles with the same dominant style
// merge, and so do segments under 2 * min_px wide of that style next to them. A lone
// narrow segment keeps its style and is drawn min_px wide.
void lane_draw_list(std::span<const TimelineSegment> segments, const TimelineViewport& vp, std::vector<LaneRect>& out,
                    double min_px = 1.0);

// lane_draw_list with a LaneLod draws from the coarsest level that gives the same picture
// (its multi-segment chunks are narrower than min_px, so they would fold anyway), and
// reports rectangles in terms of the lane's segments, as the plain overload does.
void lane_draw_list(std::span<const TimelineSegment> segments, const LaneLod& lod, const TimelineViewport& vp,
                    std::vector<LaneRect>& out, double min_px = 1.0);

// visible_arrows returns the range [first, last) of `arrows` (sorted by time, as the
// Timeline holds them) whose time is inside the viewport. O(log arrows).
std::pair<std::size_t, std::size_t> visible_arrows(std::span<const TimelineArrow> arrows, const TimelineViewport& vp);

// arrow_draw_list writes into `out` (cleared first) the indices of the visible arrows to
// draw: every one when they are sparse, at most `per_px` per pixel column when they are
// dense (the first ones of each column), so a zoomed-out million-event run draws a
// bounded number of arrows. O(drawn * log arrows).
void arrow_draw_list(std::span<const TimelineArrow> arrows, const TimelineViewport& vp, std::vector<uint32_t>& out,
                     int per_px = 1);

// CounterColumn is one column of a counter track: the counter's range of values in
// [x0, x1).
struct CounterColumn {
  float x0 = 0, x1 = 0;
  int64_t min = 0, max = 0;
};

// counter_draw_list writes into `out` (cleared first) the columns that draw a counter
// (the step function through track.points, the last value holding until end_time) in
// the viewport: one per step wider than a pixel, one min/max column per pixel where
// steps are narrower (from track.levels). Bounded by the width, O(width * log points).
void counter_draw_list(const CounterTrack& track, int64_t end_time, const TimelineViewport& vp,
                       std::vector<CounterColumn>& out);

}  // namespace goscope
