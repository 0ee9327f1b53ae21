// timeline_view.cpp: the timeline canvas: ruler, lanes, tracks, arrows, playhead, input.
#include "ui/views/timeline_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui_internal.h>

#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

constexpr float kThinShare = 0.28f;  // not started / done / abandoned: a thin line, not a bar

// counter_name names a counter track; unnamed objects get their kind's name.
const char* counter_name(const CounterTrack& c) {
  if (c.name && *c.name) return c.name;
  return c.is_channel ? "chan" : "WaitGroup";
}

bool is_thin(SegmentStyle s) {
  return s == SegmentStyle::not_started || s == SegmentStyle::done || s == SegmentStyle::abandoned;
}


// time_label renders a ruler time in the unit of the tick step, with as many decimals as
// the step needs, so neighbouring labels never read the same.
std::string time_label(double t, double step) {
  double unit = 1;
  const char* name = "ns";
  if (step >= 1e9) {
    unit = 1e9;
    name = "s";
  } else if (step >= 1e6) {
    unit = 1e6;
    name = "ms";
  } else if (step >= 1e3) {
    unit = 1e3;
    name = "\xC2\xB5s";
  }
  const double in_unit = step / unit;
  const int decimals = in_unit >= 1 ? 0 : std::min(3, static_cast<int>(std::ceil(-std::log10(in_unit) - 1e-9)));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f %s", decimals, t / unit, name);
  return buf;
}

// nice_step returns the smallest 1, 2 or 5 times a power of ten that is at least `raw`.
double nice_step(double raw) {
  if (!(raw > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw) return std::max(1.0, m * p);
  }
  return 10 * p;
}

// MergedRect accumulates neighbouring rectangles of one colour into one, so a lane of
// a thousand one-pixel folds of the same state costs one rectangle.
struct RectBatch {
  ImDrawList* dl;
  float y0, y1;
  float x0 = 0, x1 = -1;
  ImU32 col = 0;
  bool thin = false;
  std::size_t drawn = 0;

  void flush() {
    if (x1 < x0) return;
    if (thin) {
      const float mid = (y0 + y1) * 0.5f, half = std::max(1.0f, (y1 - y0) * kThinShare * 0.5f);
      dl->AddRectFilled(ImVec2(x0, mid - half), ImVec2(std::max(x1, x0 + 1), mid + half), col);
    } else {
      dl->AddRectFilled(ImVec2(x0, y0), ImVec2(std::max(x1, x0 + 1), y1), col);
    }
    ++drawn;
    x1 = x0 - 1;
  }
  void add(float a, float b, ImU32 c, bool is_thin_rect) {
    if (x1 >= x0 && c == col && is_thin_rect == thin && a <= x1 + 0.5f) {
      x1 = std::max(x1, b);
      return;
    }
    flush();
    x0 = a;
    x1 = b;
    col = c;
    thin = is_thin_rect;
  }
};

// preempt_mark draws the preemption mark: a small notch hanging from the top of a bar.
void preempt_mark(ImDrawList* dl, float x, float top, float r) {
  const ImVec2 a(x - r, top), b(x + r, top), c(x, top + r * 1.6f);
  dl->AddTriangleFilled(a, b, c, kPreempted);
  dl->AddTriangle(a, b, c, IM_COL32(0x10, 0x12, 0x16, 0xFF), 1.0f);
}

// draw_preemptions marks the lane's preemptions in view, at most one a pixel, and returns
// how many it drew.
std::size_t draw_preemptions(ImDrawList* dl, const GoroutineLane& lane, const TimelineViewport& v, float top, float r) {
  auto it = std::lower_bound(lane.preemptions.begin(), lane.preemptions.end(), v.t0,
                             [](const TimelineMark& m, double t) { return static_cast<double>(m.t) < t; });
  std::size_t n = 0;
  float last = -1e9f;
  for (; it != lane.preemptions.end() && static_cast<double>(it->t) <= v.t1; ++it) {
    const float x = std::floor(static_cast<float>(v.x_of(static_cast<double>(it->t)))) + 0.5f;
    if (x - last < 1.0f) continue;
    last = x;
    preempt_mark(dl, x, top, r);
    ++n;
  }
  return n;
}

// preempted_at reports whether one of the lane's preemptions happened at t.
bool preempted_at(const GoroutineLane& lane, int64_t t) {
  return std::binary_search(lane.preemptions.begin(), lane.preemptions.end(), TimelineMark{t, 0},
                            [](const TimelineMark& a, const TimelineMark& b) { return a.t < b.t; });
}

const char* verb_of(const TimelineSegment& s) {
  switch (style_of(s)) {
    case SegmentStyle::blocked_send: return "send";
    case SegmentStyle::blocked_recv: return "recv";
    case SegmentStyle::blocked_select: return "select";
    case SegmentStyle::blocked_waitgroup: return "wait";
    case SegmentStyle::blocked_forever: return "forever";
    case SegmentStyle::sleeping: return "sleep";
    case SegmentStyle::working: return "work";
    case SegmentStyle::runnable: return "ready";
    case SegmentStyle::running: return "running";
    default: return nullptr;
  }
}

}  // namespace

ImU32 segment_colour(SegmentStyle style) { return style_color(style); }

ImU32 goroutine_colour(uint32_t g) {
  // Golden-ratio hues: neighbours (worker 3, worker 4) land far apart on the wheel.
  const float h = std::fmod(static_cast<float>(g) * 0.618034f, 1.0f);
  float r, gr, b;
  ImGui::ColorConvertHSVtoRGB(h, 0.55f, 0.85f, r, gr, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, gr, b, 1.0f));
}

std::string format_duration(int64_t ns) {
  char buf[48];
  const double a = std::fabs(static_cast<double>(ns));
  if (a < 1e3) {
    std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(ns));
  } else if (a < 1e6) {
    std::snprintf(buf, sizeof buf, "%.3g \xC2\xB5s", ns / 1e3);
  } else if (a < 1e9) {
    std::snprintf(buf, sizeof buf, "%.3g ms", ns / 1e6);
  } else if (a < 1e12) {
    std::snprintf(buf, sizeof buf, "%.3g s", ns / 1e9);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f s", ns / 1e9);
  }
  return buf;
}

const char* legend_label(SegmentStyle style) {
  // The stage's legend words (ui/views/stage_view), so both panels read alike.
  switch (style) {
    case SegmentStyle::not_started: return "not started";
    case SegmentStyle::runnable: return "ready";
    case SegmentStyle::running: return "running";
    case SegmentStyle::blocked_send: return "blocked send";
    case SegmentStyle::blocked_recv: return "blocked receive";
    case SegmentStyle::blocked_select: return "blocked select";
    case SegmentStyle::blocked_waitgroup: return "blocked Wait";
    case SegmentStyle::blocked_forever: return "blocked forever";
    case SegmentStyle::sleeping: return "sleeping";
    case SegmentStyle::working: return "working";
    case SegmentStyle::done: return "done";
    case SegmentStyle::abandoned: return "killed";
    case SegmentStyle::mixed: break;
  }
  return to_string(style);
}

void draw_timeline_legend(uint32_t styles, bool same_line) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sw = ImGui::GetTextLineHeight() * 0.75f;
  const float gap = ImGui::GetStyle().ItemSpacing.x * 1.5f;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  bool first = !same_line;
  for (int i = 0; i < kSegmentStyleCount; ++i) {
    const auto style = static_cast<SegmentStyle>(i);
    if (style == SegmentStyle::mixed || !(styles & (1u << i))) continue;
    const char* name = legend_label(style);
    const float w = sw + 4 + ImGui::CalcTextSize(name).x;
    if (!first) {
      ImGui::SameLine(0, gap);
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    first = false;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float top = p.y + (ImGui::GetTextLineHeight() - sw) * 0.5f;
    if (is_thin(style)) {
      const float mid = top + sw * 0.5f;
      dl->AddRectFilled(ImVec2(p.x, mid - 1.5f), ImVec2(p.x + sw, mid + 1.5f), segment_colour(style));
    } else {
      dl->AddRectFilled(ImVec2(p.x, top), ImVec2(p.x + sw, top + sw), segment_colour(style), 2.0f);
    }
    ImGui::Dummy(ImVec2(sw, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(name);
  }
}

void TimelineView::set_collapsed(const std::string& role, bool c) {
  auto it = std::find(collapsed_roles_.begin(), collapsed_roles_.end(), role);
  if (c && it == collapsed_roles_.end()) collapsed_roles_.push_back(role);
  if (!c && it != collapsed_roles_.end()) collapsed_roles_.erase(it);
  rows_dirty_ = true;
}

bool TimelineView::collapsed(const std::string& role) const {
  return std::find(collapsed_roles_.begin(), collapsed_roles_.end(), role) != collapsed_roles_.end();
}

float TimelineView::counter_center_y(int counter) const {
  if (counter < 0 || static_cast<std::size_t>(counter) >= counter_screen_y_.size()) return -1;
  return counter_screen_y_[counter];
}

float TimelineView::lane_center_y(int lane) const {
  if (lane < 0 || static_cast<std::size_t>(lane) >= lane_screen_y_.size()) return -1;
  return lane_screen_y_[lane];
}

void TimelineView::bind(const Timeline& tl, std::span<const Event> events) {
  if (bound_ == &tl && bound_lanes_ == tl.lanes.size() && bound_events_ == events.size() && bound_end_ == tl.end) {
    return;
  }
  bound_ = &tl;
  lane_cache_.clear();
  proc_cache_.clear();
  counter_cache_.clear();
  bound_lanes_ = tl.lanes.size();
  bound_events_ = events.size();
  bound_end_ = tl.end;
  fit_pending_ = true;
  rows_dirty_ = true;
  scroll_y_ = 0;

  // Groups by role, in order of each role's first goroutine (main first).
  groups_.clear();
  for (std::size_t i = 0; i < tl.lanes.size(); ++i) {
    const std::string role = tl.lanes[i].role ? tl.lanes[i].role : "";
    auto it = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.role == role; });
    if (it == groups_.end()) {
      groups_.push_back({role, {}});
      it = groups_.end() - 1;
    }
    it->lanes.push_back(static_cast<int>(i));
  }
  // The legend lists the states this run has (one pass over the segments, once a run).
  styles_present_ = 0;
  preemptions_present_ = false;
  for (const GoroutineLane& l : tl.lanes) {
    for (const TimelineSegment& seg : l.segments) styles_present_ |= 1u << static_cast<int>(style_of(seg));
    preemptions_present_ |= !l.preemptions.empty();
  }
  object_names_.clear();
  for (const CounterTrack& c : tl.counters) object_names_[c.obj] = counter_name(c);

}

const TimelineView::CachedLane& TimelineView::lane_rects(std::vector<CachedLane>& cache, std::size_t i,
                                                       std::span<const TimelineSegment> segs, const LaneLod* lod) {
  if (cache.size() <= i) cache.resize(i + 1);
  CachedLane& c = cache[i];
  const TimelineViewport& vp = viewport;
  if (c.t0 == vp.t0 && c.t1 == vp.t1 && c.x0 == vp.x0 && c.x1 == vp.x1) return c;
  if (lod && !lod->levels.empty()) {
    lane_draw_list(segs, *lod, vp, c.rects);
  } else {
    lane_draw_list(segs, vp, c.rects);
  }
  c.shown.resize(c.rects.size());
  for (std::size_t k = 0; k < c.rects.size(); ++k) {
    const LaneRect& r = c.rects[k];
    c.shown[k] = r.first;
    if (r.count > 1) {
      // Processor lanes colour a fold by the goroutine running at its middle (goroutine
      // lanes use the fold's dominant state). The search stays inside the fold.
      const double tm = vp.t_of((r.x0 + r.x1) * 0.5);
      auto b = segs.begin() + r.first, e = b + r.count;
      auto it = std::upper_bound(b, e, tm, [](double t, const TimelineSegment& s) { return t < static_cast<double>(s.t1); });
      c.shown[k] = static_cast<uint32_t>((it == e ? e - 1 : it) - segs.begin());
    }
  }
  c.t0 = vp.t0;
  c.t1 = vp.t1;
  c.x0 = vp.x0;
  c.x1 = vp.x1;
  return c;
}

void TimelineView::build_rows(const Timeline& tl, float lane_h, float counter_h) {
  rows_.clear();
  lane_row_.assign(tl.lanes.size(), -1);
  float y = 0;
  auto add = [&](Row::Kind k, int index, float h) {
    rows_.push_back({k, index, y, h});
    y += h;
  };
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const Group& g = groups_[gi];
    const bool header = g.lanes.size() > 1;
    if (header) add(Row::Kind::group, static_cast<int>(gi), lane_h);
    if (header && collapsed(g.role)) continue;
    for (int l : g.lanes) {
      lane_row_[l] = static_cast<int>(rows_.size());
      add(Row::Kind::lane, l, lane_h);
    }
  }
  if (options.processors && !tl.processors.empty()) {
    add(Row::Kind::processor_header, 0, lane_h);
    for (std::size_t p = 0; p < tl.processors.size(); ++p) add(Row::Kind::processor, static_cast<int>(p), lane_h);
  }
  const bool any_counter = std::any_of(tl.counters.begin(), tl.counters.end(), [](const CounterTrack& t) {
    return !t.is_channel || t.capacity > 0 || t.max > 0;
  });
  if (options.counters && any_counter) {
    add(Row::Kind::counter_header, 0, lane_h);
    for (std::size_t c = 0; c < tl.counters.size(); ++c) {
      // An unbuffered channel's occupancy is always 0: a track would say nothing.
      const CounterTrack& t = tl.counters[c];
      if (t.is_channel && t.capacity == 0 && t.max == 0) continue;
      add(Row::Kind::counter, static_cast<int>(c), counter_h);
    }
  }
  rows_lane_h_ = lane_h;
  rows_counter_h_ = counter_h;
  rows_options_ = options;
  rows_dirty_ = false;
}

const char* TimelineView::object_name(uint64_t obj) const {
  auto it = object_names_.find(obj);
  return it == object_names_.end() || !it->second ? "" : it->second;
}

const char* TimelineView::goroutine_name(const Timeline& tl, uint32_t g) const {
  const GoroutineLane* l = tl.lane(g);
  return l && l->name ? l->name : "";
}

void TimelineView::tooltip(const Timeline& tl, const TimelineHover& h) const {
  ImGui::BeginTooltip();
  auto segment_lines = [&](const TimelineSegment& s, bool processor) {
    if (processor) {
      ImGui::Text("%s ran here (%s)", goroutine_name(tl, s.partner), s.state == GoState::working ? "working" : "running");
    } else {
      const SegmentStyle st = style_of(s);
      ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(segment_colour(st)),
                         ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop,
                         ImVec2(ImGui::GetTextLineHeight(), ImGui::GetTextLineHeight()));
      ImGui::SameLine();
      const char* obj = s.obj ? object_name(s.obj) : "";
      if (st == SegmentStyle::blocked_select) {
        // A select waits on all its cases; the one that fired is what woke it.
        const SelectWaitText w = select_wait_text(tl, s);
        if (w.cases.empty()) {
          ImGui::TextUnformatted(to_string(st));
        } else {
          ImGui::Text("%s on %s", to_string(st), w.cases.c_str());
        }
        if (!w.fired.empty()) ImGui::Text("fired: %s", w.fired.c_str());
      } else if (*obj) {
        ImGui::Text("%s: %s", to_string(st), obj);
      } else {
        ImGui::TextUnformatted(to_string(st));
      }
    }
    ImGui::Text("from %s for %s", format_duration(s.t0 - tl.begin).c_str(), format_duration(s.duration()).c_str());
    if (!processor && s.partner) {
      const char* verb = s.state == GoState::blocked ? "woken by" : "then made runnable by";
      ImGui::Text("%s %s", verb, goroutine_name(tl, s.partner));
    }
  };
  switch (h.kind) {
    case TimelineHover::Kind::segment:
    case TimelineHover::Kind::folded:
    case TimelineHover::Kind::idle: {
      const GoroutineLane& lane = tl.lanes[h.lane];
      ImGui::Text("%s  (goroutine %u)", lane.name, lane.g);
      ImGui::Separator();
      if (h.kind == TimelineHover::Kind::idle) {
        ImGui::TextDisabled("no state recorded here");
      } else {
        if (h.kind == TimelineHover::Kind::folded) {
          ImGui::TextDisabled("%u short states share this pixel: zoom in to see each", h.folded);
          ImGui::TextDisabled("at the cursor:");
        }
        segment_lines(h.seg, false);
        if (h.seg.state == GoState::runnable && preempted_at(lane, h.seg.t0)) {
          ImGui::TextUnformatted("preempted: it ran long while others waited, so the runtime took its processor");
        }
      }
      break;
    }
    case TimelineHover::Kind::processor:
      ImGui::Text("processor %d", h.processor);
      ImGui::Separator();
      if (h.g) {
        segment_lines(h.seg, true);
      } else {
        ImGui::TextDisabled("idle");
      }
      break;
    case TimelineHover::Kind::counter: {
      const CounterTrack& c = tl.counters[h.counter];
      if (c.is_channel) {
        ImGui::Text("%s: %lld of %lld buffered", counter_name(c), static_cast<long long>(h.value),
                    static_cast<long long>(c.capacity));
      } else {
        ImGui::Text("%s: counter %lld", counter_name(c), static_cast<long long>(h.value));
      }
      ImGui::TextDisabled("at %s; most ever %lld", format_duration(h.t - tl.begin).c_str(),
                          static_cast<long long>(c.max));
      break;
    }
    case TimelineHover::Kind::group:
      ImGui::Text("%s: click to %s", h.role, collapsed(h.role) ? "open" : "collapse");
      break;
    case TimelineHover::Kind::none: break;
  }
  ImGui::EndTooltip();
}

// Frame is one draw()'s context: where the canvas is, how time maps to pixels (the
// viewport, kept in the view), the row geometry, and this frame's mouse.
struct TimelineView::Frame {
  const Timeline& tl;
  std::span<const Event> events;
  TimelineFrame out;
  ImGuiIO& io;
  float fs = 0, line_h = 0;
  ImVec2 p0{}, size{};  // the canvas (names, plot, scrollbar), screen pixels
  bool hovered = false, active = false, activated = false, deactivated = false;
  float names_w = 0, bar_w = 0, ruler_h = 0, lane_h = 0, counter_h = 0;
  float px0 = 0, px1 = 0;  // the plot's columns
  float ry0 = 0, ry1 = 0;  // the rows' band
  float view_h = 0, content_h = 0, max_scroll = 0;
  ImVec2 mouse{};
  ImDrawList* dl = nullptr;
  ImU32 text_col = 0, dim_col = 0, grid_col = 0;
  bool mouse_in_plot = false;
  int mouse_row = -1;
  double mouse_t = 0;
  bool hover_rect = false;
  ImVec2 hover_rect_min{}, hover_rect_max{};
};

// RowBox is one row's place on screen in this frame.
struct TimelineView::RowBox {
  int index = 0;      // the row's index in rows_
  float y0 = 0, y1 = 0;
  float by0 = 0, by1 = 0;  // the bar inside the row, a gap between lanes
  float ty = 0;            // the name's baseline
  bool hovered = false;
  ImVec4 name_clip;

  // name draws the row's name at x, clipped to the names column.
  void name(const Frame& f, float x, ImU32 col, const char* text) const {
    f.dl->AddText(nullptr, 0.0f, ImVec2(x, ty), col, text, nullptr, 0.0f, &name_clip);
  }
};

void TimelineView::draw_toolbar(TimelineFrame& out) {
  if (ImGui::Button("Fit")) fit_pending_ = true;
  out.fit_button = ImVec2((ImGui::GetItemRectMin().x + ImGui::GetItemRectMax().x) * 0.5f,
                          (ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) * 0.5f);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the whole run");
  ImGui::SameLine();
  ImGui::Checkbox("Arrows", &options.arrows);
  ImGui::SameLine();
  ImGui::Checkbox("Processors", &options.processors);
  ImGui::SameLine();
  ImGui::Checkbox("Counters", &options.counters);
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("wheel: zoom around the mouse\nshift+wheel, or wheel over the names: scroll the lanes\n"
                      "drag: pan\nclick: move the playhead there\nclick a group's name: fold or open it");
  }
  ImGui::SameLine();
  if (hidden_arrows_ > 0) {
    ImGui::TextDisabled("%s in view, %zu arrows hidden (zoom in)",
                        format_duration(static_cast<int64_t>(viewport.t1 - viewport.t0)).c_str(), hidden_arrows_);
  } else {
    ImGui::TextDisabled("%s in view", format_duration(static_cast<int64_t>(viewport.t1 - viewport.t0)).c_str());
  }
  if (options.legend) draw_timeline_legend(styles_present_, true);
  if (options.legend && preemptions_present_) {
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 1.5f);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float lh = ImGui::GetTextLineHeight();
    preempt_mark(ImGui::GetWindowDrawList(), p.x + lh * 0.35f, p.y + lh * 0.2f, lh * 0.3f);
    ImGui::Dummy(ImVec2(lh * 0.7f, lh));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted("preempted");
  }
}

void TimelineView::begin_canvas(Frame& f) {
  f.p0 = ImGui::GetCursorScreenPos();
  f.size = ImGui::GetContentRegionAvail();
  f.size.x = std::max(f.size.x, 120.0f);
  f.size.y = std::max(f.size.y, f.line_h * 4);
  ImGui::InvisibleButton("##timeline", f.size);
  f.hovered = ImGui::IsItemHovered();
  f.active = ImGui::IsItemActive();
  f.activated = ImGui::IsItemActivated();
  f.deactivated = ImGui::IsItemDeactivated();

  f.names_w = std::floor(std::min(f.fs * 10.0f, f.size.x * 0.25f));
  f.bar_w = std::max(6.0f, f.fs * 0.5f);
  f.ruler_h = std::floor(f.line_h + 6);
  f.lane_h = std::floor(std::max(f.line_h + 3, 12.0f));
  f.counter_h = std::floor(f.lane_h * 1.8f);
  f.px0 = f.p0.x + f.names_w;
  f.px1 = f.p0.x + f.size.x - f.bar_w;
  f.ry0 = f.p0.y + f.ruler_h;
  f.ry1 = f.p0.y + f.size.y;
  f.view_h = f.ry1 - f.ry0;
  f.out.canvas_min = ImVec2(f.px0, f.p0.y);
  f.out.canvas_max = ImVec2(f.px1, f.ry1);

  viewport.set_pixels(f.px0, f.px1);
  if (fit_pending_) {
    viewport.fit(static_cast<double>(f.tl.begin), static_cast<double>(f.tl.end));
    fit_pending_ = false;
  }
  if (rows_dirty_ || rows_lane_h_ != f.lane_h || rows_counter_h_ != f.counter_h ||
      rows_options_.processors != options.processors || rows_options_.counters != options.counters) {
    build_rows(f.tl, f.lane_h, f.counter_h);
  }
  f.content_h = rows_.empty() ? 0 : rows_.back().y + rows_.back().h;
  f.max_scroll = std::max(0.0f, f.content_h - f.view_h);
}

int TimelineView::row_at(const Frame& f, float y) const {
  if (y < f.ry0 || y >= f.ry1) return -1;
  const float ry = y - f.ry0 + scroll_y_;
  auto it = std::upper_bound(rows_.begin(), rows_.end(), ry, [](float v, const Row& r) { return v < r.y; });
  if (it == rows_.begin()) return -1;
  --it;
  return ry < it->y + it->h ? static_cast<int>(it - rows_.begin()) : -1;
}

void TimelineView::handle_input(Frame& f, std::size_t& playhead) {
  const ImGuiIO& io = f.io;
  f.mouse = io.MousePos;
  const ImVec2 mouse = f.mouse;
  if (f.hovered && io.MouseWheel != 0) {
    if (io.KeyShift || mouse.x < f.px0) {
      scroll_y_ -= io.MouseWheel * f.lane_h * 3;
    } else {
      viewport.zoom(mouse.x, std::pow(1.25, static_cast<double>(io.MouseWheel)));
    }
  }
  if (f.activated) {
    press_pos_ = mouse;
    drag_moved_ = false;
    scrollbar_drag_ = mouse.x >= f.px1;
  }
  if (f.active) {
    const float dx = io.MouseDelta.x, dy = io.MouseDelta.y;
    if (std::fabs(mouse.x - press_pos_.x) > 3 || std::fabs(mouse.y - press_pos_.y) > 3) drag_moved_ = true;
    if (scrollbar_drag_) {
      if (f.view_h > 0 && f.content_h > 0) scroll_y_ += dy * f.content_h / f.view_h;
    } else if (drag_moved_ && (dx != 0 || dy != 0)) {
      viewport.pan(dx);
      scroll_y_ -= dy;
    }
  }
  scroll_y_ = std::clamp(scroll_y_, 0.0f, f.max_scroll);
  if (f.deactivated && !drag_moved_ && !scrollbar_drag_) click(f, playhead);
  if (rows_dirty_) build_rows(f.tl, f.lane_h, f.counter_h);
}

void TimelineView::click(Frame& f, std::size_t& playhead) {
  if (press_pos_.x < f.px0) {
    // A group's name folds or opens the group.
    const int r = row_at(f, press_pos_.y);
    if (r >= 0 && rows_[r].kind == Row::Kind::group) {
      const std::string& role = groups_[rows_[r].index].role;
      set_collapsed(role, !collapsed(role));
    }
  } else if (press_pos_.x < f.px1 && !f.events.empty()) {
    // The plot moves the playhead to the last event at or before the time clicked.
    const double t = viewport.t_of(press_pos_.x);
    auto it = std::upper_bound(f.events.begin(), f.events.end(), t,
                               [](double v, const Event& e) { return v < static_cast<double>(e.ts); });
    playhead = static_cast<std::size_t>(it - f.events.begin());
    f.out.playhead_moved = true;
  }
}

void TimelineView::draw_ruler(Frame& f) {
  ImDrawList* dl = f.dl;
  dl->AddRectFilled(ImVec2(f.px0, f.p0.y), ImVec2(f.px1, f.ry1), ImGui::GetColorU32(ImGuiCol_ChildBg));
  dl->AddRectFilled(ImVec2(f.px0, f.p0.y), ImVec2(f.px1, f.ry0), ImGui::GetColorU32(ImGuiCol_TitleBg));

  // Ticks at a 1-2-5 step at least ~90 px apart, labelled from the run's start.
  dl->PushClipRect(ImVec2(f.px0, f.p0.y), ImVec2(f.px1, f.ry1), true);
  const double step = nice_step(viewport.ns_per_px() * f.fs * 7);
  const double base = static_cast<double>(f.tl.begin);
  double t = base + std::ceil((viewport.t0 - base) / step) * step;
  for (int guard = 0; t <= viewport.t1 && guard < 200; t += step, ++guard) {
    const float x = std::floor(static_cast<float>(viewport.x_of(t))) + 0.5f;
    dl->AddLine(ImVec2(x, f.ry0 - 5), ImVec2(x, f.ry0), f.dim_col);
    dl->AddLine(ImVec2(x, f.ry0), ImVec2(x, f.ry1), f.grid_col);
    const std::string label = time_label(t - base, step);
    dl->AddText(ImVec2(x + 3, f.p0.y + 2), f.dim_col, label.c_str());
  }
  dl->PopClipRect();
}

void TimelineView::draw_rows(Frame& f) {
  lane_screen_y_.assign(f.tl.lanes.size(), -1.0f);
  counter_screen_y_.assign(f.tl.counters.size(), -1.0f);
  f.mouse_in_plot = f.hovered && f.mouse.x >= f.px0 && f.mouse.x < f.px1;
  f.mouse_row = f.hovered ? row_at(f, f.mouse.y) : -1;
  f.mouse_t = viewport.t_of(f.mouse.x);
  auto first_visible = std::upper_bound(rows_.begin(), rows_.end(), scroll_y_,
                                        [](float v, const Row& r) { return v < r.y + r.h; });
  for (auto it = first_visible; it != rows_.end() && f.ry0 + it->y - scroll_y_ < f.ry1; ++it) {
    const Row& row = *it;
    RowBox box;
    box.index = static_cast<int>(it - rows_.begin());
    box.y0 = f.ry0 + row.y - scroll_y_;
    box.y1 = box.y0 + row.h;
    box.by0 = box.y0 + 1;
    box.by1 = box.y1 - 2;
    box.hovered = box.index == f.mouse_row;
    box.name_clip = ImVec4(f.p0.x, std::max(box.y0, f.ry0), f.px0 - 4, std::min(box.y1, f.ry1));
    box.ty = box.y0 + (std::min(row.h, f.lane_h) - f.line_h) * 0.5f;
    ++f.out.rows_drawn;
    if (box.hovered)
      f.dl->AddRectFilled(ImVec2(f.p0.x, box.y0), ImVec2(f.px1, box.y1), IM_COL32(0xFF, 0xFF, 0xFF, 0x0C));

    // One clip rectangle for the whole row, names included: lane rectangles are already
    // clipped to the plot by lane_draw_list, and text inside them clips itself.
    f.dl->PushClipRect(ImVec2(f.p0.x, std::max(box.y0, f.ry0)), ImVec2(f.px1, std::min(box.y1, f.ry1)), true);
    switch (row.kind) {
      case Row::Kind::group: draw_group_row(f, row, box); break;
      case Row::Kind::lane: draw_lane_row(f, row, box); break;
      case Row::Kind::processor_header:
      case Row::Kind::counter_header:
        box.name(f, f.p0.x + 2, f.dim_col, row.kind == Row::Kind::processor_header ? "processors" : "counters");
        f.dl->AddLine(ImVec2(f.p0.x, box.y1 - 0.5f), ImVec2(f.px1, box.y1 - 0.5f), f.grid_col);
        break;
      case Row::Kind::processor: draw_processor_row(f, row, box); break;
      case Row::Kind::counter: draw_counter_row(f, row, box); break;
    }
    f.dl->PopClipRect();
  }
}

void TimelineView::draw_group_row(Frame& f, const Row& row, const RowBox& box) {
  const Group& g = groups_[row.index];
  const bool c = collapsed(g.role);
  ImGui::RenderArrow(f.dl, ImVec2(f.p0.x + 2, box.ty), f.text_col, c ? ImGuiDir_Right : ImGuiDir_Down, 0.7f);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s \xC3\x97%zu", g.role.empty() ? "goroutine" : g.role.c_str(), g.lanes.size());
  box.name(f, f.p0.x + f.fs, f.text_col, buf);
  if (c) {
    std::snprintf(buf, sizeof buf, "%zu %s lanes collapsed: click the name to open", g.lanes.size(), g.role.c_str());
    f.dl->AddText(ImVec2(f.px0 + 6, box.ty), f.dim_col, buf);
  }
  f.dl->AddLine(ImVec2(f.p0.x, box.y1 - 0.5f), ImVec2(f.px1, box.y1 - 0.5f), f.grid_col);
  if (box.hovered) {
    f.out.hover.kind = TimelineHover::Kind::group;
    f.out.hover.role = g.role.c_str();
    f.out.hover.t = static_cast<int64_t>(f.mouse_t);
  }
}

bool TimelineView::in_group(const GoroutineLane& lane) const {
  if (!lane.role || groups_.empty()) return false;
  for (const Group& g : groups_)
    if (g.role == lane.role) return g.lanes.size() > 1;
  return false;
}

void TimelineView::draw_lane_row(Frame& f, const Row& row, const RowBox& box) {
  const GoroutineLane& lane = f.tl.lanes[row.index];
  ImDrawList* dl = f.dl;
  lane_screen_y_[row.index] = (box.y0 + box.y1) * 0.5f;
  box.name(f, f.p0.x + (in_group(lane) ? f.fs : 2), f.text_col, lane.name);
  const CachedLane& cached = lane_rects(lane_cache_, static_cast<std::size_t>(row.index), lane.segments, &lane.lod);
  RectBatch batch{dl, box.by0, box.by1};
  for (const LaneRect& r : cached.rects) {
    // A fold takes the colour of the state covering most of it, so a lane zoomed out
    // still shows where its time went.
    const SegmentStyle st = r.count > 1 ? r.dominant : r.style;
    batch.add(r.x0, r.x1, segment_colour(st), is_thin(st));
    if (r.count == 1 && r.x1 - r.x0 > f.fs * 3.5f) {
      const TimelineSegment& s = lane.segments[r.first];
      if (const char* verb = verb_of(s); verb && !is_thin(st)) {
        char buf[128];
        // A select's channel is the case that fired (none until it does).
        const char* obj = s.obj ? object_name(s.obj) : "";
        if (st == SegmentStyle::blocked_select && *obj) {
          std::snprintf(buf, sizeof buf, "select \u2192 %s", obj);
        } else {
          std::snprintf(buf, sizeof buf, *obj ? "%s %s" : "%s", verb, obj);
        }
        const ImVec4 clip(r.x0 + 2, box.by0, r.x1 - 2, box.by1);
        batch.flush();
        dl->AddText(nullptr, 0.0f, ImVec2(r.x0 + 3, box.ty), text_on(segment_colour(st)), buf, nullptr, 0.0f, &clip);
      }
    }
    if (box.hovered && f.mouse_in_plot && f.mouse.x >= r.x0 && f.mouse.x < std::max(r.x1, r.x0 + 1))
      hover_lane_rect(f, row, box, r);
  }
  batch.flush();
  f.out.rects += batch.drawn;
  f.out.marks += draw_preemptions(dl, lane, viewport, box.by0, std::max(3.0f, (box.by1 - box.by0) * 0.3f));
  if (box.hovered && f.mouse_in_plot && f.out.hover.kind == TimelineHover::Kind::none) {
    f.out.hover.kind = TimelineHover::Kind::idle;
    f.out.hover.lane = row.index;
    f.out.hover.g = lane.g;
    f.out.hover.t = static_cast<int64_t>(f.mouse_t);
  }
}

void TimelineView::hover_lane_rect(Frame& f, const Row& row, const RowBox& box, const LaneRect& r) {
  const GoroutineLane& lane = f.tl.lanes[row.index];
  TimelineHover& h = f.out.hover;
  h.lane = row.index;
  h.g = lane.g;
  h.t = static_cast<int64_t>(f.mouse_t);
  if (r.count == 1) {
    h.kind = TimelineHover::Kind::segment;
    h.segment = r.first;
  } else {
    h.kind = TimelineHover::Kind::folded;
    h.folded = r.count;
    const std::size_t k = segment_at(lane.segments, h.t);
    h.segment = k < lane.segments.size() ? k : r.first;
  }
  h.seg = lane.segments[h.segment];
  f.hover_rect = true;
  f.hover_rect_min = ImVec2(r.x0, box.by0);
  f.hover_rect_max = ImVec2(std::max(r.x1, r.x0 + 1), box.by1);
}

void TimelineView::draw_processor_row(Frame& f, const Row& row, const RowBox& box) {
  const Timeline& tl = f.tl;
  ImDrawList* dl = f.dl;
  char name[32];
  std::snprintf(name, sizeof name, "P%d", row.index);
  box.name(f, f.p0.x + f.fs, f.text_col, name);
  const auto& segs = tl.processors[row.index];
  const LaneLod* lod =
      static_cast<std::size_t>(row.index) < tl.processor_lods.size() ? &tl.processor_lods[row.index] : nullptr;
  const CachedLane& cached = lane_rects(proc_cache_, static_cast<std::size_t>(row.index), segs, lod);
  RectBatch batch{dl, box.by0, box.by1};
  for (std::size_t i = 0; i < cached.rects.size(); ++i) {
    const LaneRect& r = cached.rects[i];
    const std::size_t k = cached.shown[i];
    batch.add(r.x0, r.x1, goroutine_colour(segs[k].partner), false);
    if (r.count == 1 && r.x1 - r.x0 > f.fs * 3.5f) {
      batch.flush();
      const ImVec4 clip(r.x0 + 2, box.by0, r.x1 - 2, box.by1);
      dl->AddText(nullptr, 0.0f, ImVec2(r.x0 + 3, box.ty), text_on(goroutine_colour(segs[k].partner)),
                  goroutine_name(tl, segs[k].partner), nullptr, 0.0f, &clip);
    }
  }
  batch.flush();
  f.out.rects += batch.drawn;
  if (box.hovered && f.mouse_in_plot) {
    TimelineHover& h = f.out.hover;
    h.kind = TimelineHover::Kind::processor;
    h.processor = row.index;
    h.t = static_cast<int64_t>(f.mouse_t);
    const std::size_t k = segment_at(segs, h.t);
    if (k < segs.size()) {
      h.segment = k;
      h.seg = segs[k];
      h.g = segs[k].partner;
    }
  }
}

const std::vector<CounterColumn>& TimelineView::counter_columns(const Timeline& tl, int index) {
  if (counter_cache_.size() <= static_cast<std::size_t>(index)) counter_cache_.resize(index + 1);
  CachedCounter& cc = counter_cache_[index];
  if (cc.t0 != viewport.t0 || cc.t1 != viewport.t1 || cc.x0 != viewport.x0 || cc.x1 != viewport.x1) {
    counter_draw_list(tl.counters[index], tl.end, viewport, cc.columns);
    cc.t0 = viewport.t0;
    cc.t1 = viewport.t1;
    cc.x0 = viewport.x0;
    cc.x1 = viewport.x1;
  }
  return cc.columns;
}

void TimelineView::draw_counter_row(Frame& f, const Row& row, const RowBox& box) {
  const CounterTrack& c = f.tl.counters[row.index];
  ImDrawList* dl = f.dl;
  counter_screen_y_[row.index] = (box.y0 + box.y1) * 0.5f;
  char name[160];
  if (c.is_channel) {
    std::snprintf(name, sizeof name, "%s (cap %lld)", counter_name(c), static_cast<long long>(c.capacity));
  } else {
    std::snprintf(name, sizeof name, "%s counter", counter_name(c));
  }
  box.name(f, f.p0.x + f.fs, f.text_col, name);
  const int64_t scale = std::max<int64_t>({c.max, c.is_channel ? c.capacity : 0, 1});
  const float base = box.y1 - 2, top = box.y0 + 2;
  const ImU32 col = c.is_channel ? IM_COL32(0x3F, 0xB8, 0xD8, 0xC0) : IM_COL32(0xB0, 0x7C, 0xE8, 0xC0);
  RectBatch batch{dl, top, base};
  // Columns as a filled step function: one batch per run of equal heights.
  for (const CounterColumn& column : counter_columns(f.tl, row.index)) {
    const float h = (base - top) * static_cast<float>(column.max) / static_cast<float>(scale);
    if (column.max <= 0) {
      batch.flush();
      continue;
    }
    // The batch merges by colour; encode the height in the rectangle directly.
    if (batch.x1 >= batch.x0 && batch.y0 != base - h) batch.flush();
    batch.y0 = base - h;
    batch.add(column.x0, std::max(column.x1, column.x0 + 1), col, false);
  }
  batch.flush();
  f.out.rects += batch.drawn;
  if (c.is_channel && c.capacity > 0) {
    const float yc = base - (base - top) * static_cast<float>(c.capacity) / static_cast<float>(scale);
    dl->AddLine(ImVec2(f.px0, yc), ImVec2(f.px1, yc), IM_COL32(0x3F, 0xB8, 0xD8, 0x50));
  }
  if (box.hovered && f.mouse_in_plot) {
    TimelineHover& h = f.out.hover;
    h.kind = TimelineHover::Kind::counter;
    h.counter = row.index;
    h.t = static_cast<int64_t>(f.mouse_t);
    auto pt = std::upper_bound(c.points.begin(), c.points.end(), h.t,
                               [](int64_t t, const CounterPoint& p) { return t < p.t; });
    h.value = pt == c.points.begin() ? 0 : std::prev(pt)->value;
  }
}

float TimelineView::lane_screen_center(const Frame& f, int lane) const {
  const Row& r = rows_[lane_row_[lane]];
  return f.ry0 + r.y - scroll_y_ + r.h * 0.5f;
}

void TimelineView::draw_arrow_list(Frame& f, const std::vector<TimelineArrow>& arrows, std::size_t lo, std::size_t hi,
                                   ImU32 col) {
  const Timeline& tl = f.tl;
  const float head = std::max(3.0f, f.fs * 0.3f);
  for (std::size_t i = lo; i < hi; ++i) {
    const TimelineArrow& a = arrows[i];
    const GoroutineLane* from = tl.lane(a.from);
    const GoroutineLane* to = tl.lane(a.to);
    if (!from || !to) continue;
    const int fl = static_cast<int>(from - tl.lanes.data()), tlane = static_cast<int>(to - tl.lanes.data());
    if (lane_row_[fl] < 0 || lane_row_[tlane] < 0) continue;
    const float yf = lane_screen_center(f, fl), yt = lane_screen_center(f, tlane);
    if ((yf < f.ry0 && yt < f.ry0) || (yf > f.ry1 && yt > f.ry1)) continue;
    const float x = static_cast<float>(viewport.x_of(static_cast<double>(a.t)));
    const float dir = yt > yf ? 1.0f : -1.0f;
    f.dl->AddLine(ImVec2(x, yf), ImVec2(x, yt - dir * head), col, 1.5f);
    f.dl->AddTriangleFilled(ImVec2(x, yt), ImVec2(x - head, yt - dir * head * 1.6f),
                            ImVec2(x + head, yt - dir * head * 1.6f), col);
    f.dl->AddCircleFilled(ImVec2(x, yf), head * 0.6f, col, 8);
    ++f.out.arrows;
  }
}

void TimelineView::draw_arrows(Frame& f) {
  // Only when there are few enough in view to tell apart (about one per 4 px).
  f.dl->PushClipRect(ImVec2(f.px0, f.ry0), ImVec2(f.px1, f.ry1), true);
  if (options.arrows) {
    const std::size_t budget = static_cast<std::size_t>(std::max(8.0f, (f.px1 - f.px0) / 4.0f));
    const auto [hlo, hhi] = visible_arrows(f.tl.handoffs, viewport);
    const auto [ulo, uhi] = visible_arrows(f.tl.unblocks, viewport);
    f.out.arrows_on_screen = (hhi - hlo) + (uhi - ulo);
    if (f.out.arrows_on_screen <= budget) {
      draw_arrow_list(f, f.tl.unblocks, ulo, uhi, IM_COL32(0xFF, 0xD8, 0x6B, 0xB0));
      draw_arrow_list(f, f.tl.handoffs, hlo, hhi, IM_COL32(0xF2, 0xF4, 0xF8, 0xD8));
    }
  }
  if (f.hover_rect) f.dl->AddRect(f.hover_rect_min, f.hover_rect_max, IM_COL32(0xFF, 0xFF, 0xFF, 0xE0), 0.0f, 0, 1.5f);
  f.dl->PopClipRect();
  hidden_arrows_ = options.arrows && f.out.arrows == 0 ? f.out.arrows_on_screen : 0;
}

void TimelineView::draw_playhead(Frame& f, std::size_t playhead) {
  // The stage's moment, across the ruler and every lane.
  const std::size_t n = std::min(playhead, f.events.size());
  const double t = n == 0 ? static_cast<double>(f.tl.begin) : static_cast<double>(f.events[n - 1].ts);
  const float x = std::floor(static_cast<float>(viewport.x_of(t))) + 0.5f;
  if (x >= f.px0 - 1 && x <= f.px1 + 1) {
    const ImU32 col = IM_COL32(0x00, 0xAD, 0xD8, 0xFF);
    f.dl->AddLine(ImVec2(x, f.p0.y), ImVec2(x, f.ry1), col, 2.0f);
    f.dl->AddTriangleFilled(ImVec2(x - 6, f.p0.y), ImVec2(x + 6, f.p0.y), ImVec2(x, f.p0.y + 8), col);
  }
}

void TimelineView::draw_scrollbar(Frame& f) {
  // The names column's border, then the bar when the rows do not fit.
  f.dl->AddLine(ImVec2(f.px0 - 0.5f, f.p0.y), ImVec2(f.px0 - 0.5f, f.ry1), ImGui::GetColorU32(ImGuiCol_Border));
  if (!(f.content_h > f.view_h && f.content_h > 0)) return;
  const float thumb_h = std::max(f.fs, f.view_h * f.view_h / f.content_h);
  const float thumb_y = f.ry0 + (f.view_h - thumb_h) * (f.max_scroll > 0 ? scroll_y_ / f.max_scroll : 0);
  const float right = f.p0.x + f.size.x;
  f.dl->AddRectFilled(ImVec2(f.px1 + 1, f.ry0), ImVec2(right, f.ry1), ImGui::GetColorU32(ImGuiCol_ScrollbarBg));
  f.dl->AddRectFilled(ImVec2(f.px1 + 2, thumb_y), ImVec2(right - 1, thumb_y + thumb_h),
                      ImGui::GetColorU32(scrollbar_drag_ && f.active ? ImGuiCol_ScrollbarGrabActive : ImGuiCol_ScrollbarGrab),
                      3.0f);
}

TimelineFrame TimelineView::draw(const Timeline& tl, std::span<const Event> events, std::size_t& playhead) {
  bind(tl, events);
  Frame f{tl, events, {}, ImGui::GetIO()};
  f.fs = ImGui::GetFontSize();
  f.line_h = ImGui::GetTextLineHeight();
  draw_toolbar(f.out);
  begin_canvas(f);
  handle_input(f, playhead);

  f.dl = ImGui::GetWindowDrawList();
  f.text_col = ImGui::GetColorU32(ImGuiCol_Text);
  f.dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  f.grid_col = IM_COL32(0xFF, 0xFF, 0xFF, 0x10);
  draw_ruler(f);
  draw_rows(f);
  draw_arrows(f);
  draw_playhead(f, playhead);
  draw_scrollbar(f);

  if (f.hovered && !(f.active && drag_moved_) && f.out.hover.kind != TimelineHover::Kind::none) tooltip(tl, f.out.hover);
  return f.out;
}

}  // namespace goscope::ui
