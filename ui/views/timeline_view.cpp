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
      if (*obj) {
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

TimelineFrame TimelineView::draw(const Timeline& tl, std::span<const Event> events, std::size_t& playhead) {
  bind(tl, events);
  TimelineFrame f;
  ImGuiIO& io = ImGui::GetIO();
  const float fs = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();

  // Toolbar.
  if (ImGui::Button("Fit")) fit_pending_ = true;
  f.fit_button = ImVec2((ImGui::GetItemRectMin().x + ImGui::GetItemRectMax().x) * 0.5f,
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

  // Canvas.
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 120.0f);
  size.y = std::max(size.y, line_h * 4);
  ImGui::InvisibleButton("##timeline", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  const bool activated = ImGui::IsItemActivated();
  const bool deactivated = ImGui::IsItemDeactivated();

  const float names_w = std::floor(std::min(fs * 10.0f, size.x * 0.25f));
  const float bar_w = std::max(6.0f, fs * 0.5f);
  const float ruler_h = std::floor(line_h + 6);
  const float lane_h = std::floor(std::max(line_h + 3, 12.0f));
  const float counter_h = std::floor(lane_h * 1.8f);
  const float px0 = p0.x + names_w, px1 = p0.x + size.x - bar_w;
  const float ry0 = p0.y + ruler_h, ry1 = p0.y + size.y;  // rows
  const float view_h = ry1 - ry0;
  f.canvas_min = ImVec2(px0, p0.y);
  f.canvas_max = ImVec2(px1, ry1);

  viewport.set_pixels(px0, px1);
  if (fit_pending_) {
    viewport.fit(static_cast<double>(tl.begin), static_cast<double>(tl.end));
    fit_pending_ = false;
  }
  if (rows_dirty_ || rows_lane_h_ != lane_h || rows_counter_h_ != counter_h ||
      rows_options_.processors != options.processors || rows_options_.counters != options.counters) {
    build_rows(tl, lane_h, counter_h);
  }
  const float content_h = rows_.empty() ? 0 : rows_.back().y + rows_.back().h;
  const float max_scroll = std::max(0.0f, content_h - view_h);

  // Input.
  const ImVec2 mouse = io.MousePos;
  if (hovered && io.MouseWheel != 0) {
    if (io.KeyShift || mouse.x < px0) {
      scroll_y_ -= io.MouseWheel * lane_h * 3;
    } else {
      viewport.zoom(mouse.x, std::pow(1.25, static_cast<double>(io.MouseWheel)));
    }
  }
  if (activated) {
    press_pos_ = mouse;
    drag_moved_ = false;
    scrollbar_drag_ = mouse.x >= px1;
  }
  if (active) {
    const float dx = io.MouseDelta.x, dy = io.MouseDelta.y;
    if (std::fabs(mouse.x - press_pos_.x) > 3 || std::fabs(mouse.y - press_pos_.y) > 3) drag_moved_ = true;
    if (scrollbar_drag_) {
      if (view_h > 0 && content_h > 0) scroll_y_ += dy * content_h / view_h;
    } else if (drag_moved_ && (dx != 0 || dy != 0)) {
      viewport.pan(dx);
      scroll_y_ -= dy;
    }
  }
  scroll_y_ = std::clamp(scroll_y_, 0.0f, max_scroll);
  auto row_at = [&](float y) -> int {
    if (y < ry0 || y >= ry1) return -1;
    const float ry = y - ry0 + scroll_y_;
    auto it = std::upper_bound(rows_.begin(), rows_.end(), ry, [](float v, const Row& r) { return v < r.y; });
    if (it == rows_.begin()) return -1;
    --it;
    return ry < it->y + it->h ? static_cast<int>(it - rows_.begin()) : -1;
  };
  if (deactivated && !drag_moved_ && !scrollbar_drag_) {
    if (press_pos_.x < px0) {
      const int r = row_at(press_pos_.y);
      if (r >= 0 && rows_[r].kind == Row::Kind::group) {
        const std::string& role = groups_[rows_[r].index].role;
        set_collapsed(role, !collapsed(role));
      }
    } else if (press_pos_.x < px1 && !events.empty()) {
      const double t = viewport.t_of(press_pos_.x);
      auto it = std::upper_bound(events.begin(), events.end(), t,
                                 [](double v, const Event& e) { return v < static_cast<double>(e.ts); });
      playhead = static_cast<std::size_t>(it - events.begin());
      f.playhead_moved = true;
    }
  }
  if (rows_dirty_) build_rows(tl, lane_h, counter_h);

  // Drawing.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = IM_COL32(0xFF, 0xFF, 0xFF, 0x10);
  dl->AddRectFilled(ImVec2(px0, p0.y), ImVec2(px1, ry1), ImGui::GetColorU32(ImGuiCol_ChildBg));
  dl->AddRectFilled(ImVec2(px0, p0.y), ImVec2(px1, ry0), ImGui::GetColorU32(ImGuiCol_TitleBg));

  // Ruler: ticks at a 1-2-5 step at least ~90 px apart, labelled from the run's start.
  dl->PushClipRect(ImVec2(px0, p0.y), ImVec2(px1, ry1), true);
  {
    const double step = nice_step(viewport.ns_per_px() * fs * 7);
    const double base = static_cast<double>(tl.begin);
    double t = base + std::ceil((viewport.t0 - base) / step) * step;
    for (int guard = 0; t <= viewport.t1 && guard < 200; t += step, ++guard) {
      const float x = std::floor(static_cast<float>(viewport.x_of(t))) + 0.5f;
      dl->AddLine(ImVec2(x, ry0 - 5), ImVec2(x, ry0), dim_col);
      dl->AddLine(ImVec2(x, ry0), ImVec2(x, ry1), grid_col);
      const std::string label = time_label(t - base, step);
      dl->AddText(ImVec2(x + 3, p0.y + 2), dim_col, label.c_str());
    }
  }
  dl->PopClipRect();

  // Rows.
  lane_screen_y_.assign(tl.lanes.size(), -1.0f);
  counter_screen_y_.assign(tl.counters.size(), -1.0f);
  const bool mouse_in_plot = hovered && mouse.x >= px0 && mouse.x < px1;
  const int mouse_row = hovered ? row_at(mouse.y) : -1;
  const double mouse_t = viewport.t_of(mouse.x);
  ImVec2 hover_rect_min, hover_rect_max;
  bool hover_rect = false;
  auto first_visible = std::upper_bound(rows_.begin(), rows_.end(), scroll_y_,
                                        [](float v, const Row& r) { return v < r.y + r.h; });
  for (auto it = first_visible; it != rows_.end() && ry0 + it->y - scroll_y_ < ry1; ++it) {
    const Row& row = *it;
    const int ri = static_cast<int>(it - rows_.begin());
    const float y0 = ry0 + row.y - scroll_y_, y1 = y0 + row.h;
    const float by0 = y0 + 1, by1 = y1 - 2;  // bar inside the row, a gap between lanes
    const bool row_hovered = ri == mouse_row;
    ++f.rows_drawn;
    if (row_hovered) dl->AddRectFilled(ImVec2(p0.x, y0), ImVec2(px1, y1), IM_COL32(0xFF, 0xFF, 0xFF, 0x0C));

    // Name column.
    const ImVec4 name_clip(p0.x, std::max(y0, ry0), px0 - 4, std::min(y1, ry1));
    const float ty = y0 + (std::min(row.h, lane_h) - line_h) * 0.5f;
    auto name_text = [&](float x, ImU32 col, const char* text) {
      dl->AddText(nullptr, 0.0f, ImVec2(x, ty), col, text, nullptr, 0.0f, &name_clip);
    };

    // One clip rectangle for the whole row, names included: lane rectangles are already
    // clipped to the plot by lane_draw_list, and text inside them clips itself.
    dl->PushClipRect(ImVec2(p0.x, std::max(y0, ry0)), ImVec2(px1, std::min(y1, ry1)), true);
    switch (row.kind) {
      case Row::Kind::group: {
        const Group& g = groups_[row.index];
        const bool c = collapsed(g.role);
        ImGui::RenderArrow(dl, ImVec2(p0.x + 2, ty), text_col, c ? ImGuiDir_Right : ImGuiDir_Down, 0.7f);
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s \xC3\x97%zu", g.role.empty() ? "goroutine" : g.role.c_str(), g.lanes.size());
        name_text(p0.x + fs, text_col, buf);
        if (c) {
          std::snprintf(buf, sizeof buf, "%zu %s lanes collapsed: click the name to open", g.lanes.size(),
                        g.role.c_str());
          dl->AddText(ImVec2(px0 + 6, ty), dim_col, buf);
        }
        dl->AddLine(ImVec2(p0.x, y1 - 0.5f), ImVec2(px1, y1 - 0.5f), grid_col);
        if (row_hovered) {
          f.hover.kind = TimelineHover::Kind::group;
          f.hover.role = g.role.c_str();
          f.hover.t = static_cast<int64_t>(mouse_t);
        }
        break;
      }
      case Row::Kind::lane: {
        const GoroutineLane& lane = tl.lanes[row.index];
        lane_screen_y_[row.index] = (y0 + y1) * 0.5f;
        const bool grouped = lane.role && groups_.size() > 0 && [&] {
          for (const Group& g : groups_)
            if (g.role == lane.role) return g.lanes.size() > 1;
          return false;
        }();
        name_text(p0.x + (grouped ? fs : 2), text_col, lane.name);
        const CachedLane& cached = lane_rects(lane_cache_, static_cast<std::size_t>(row.index), lane.segments, &lane.lod);
        RectBatch batch{dl, by0, by1};
        for (const LaneRect& r : cached.rects) {
          // A fold takes the colour of the state covering most of it, so a lane zoomed
          // out still shows where its time went.
          const SegmentStyle st = r.count > 1 ? r.dominant : r.style;
          batch.add(r.x0, r.x1, segment_colour(st), is_thin(st));
          if (r.count == 1 && r.x1 - r.x0 > fs * 3.5f) {
            const TimelineSegment& s = lane.segments[r.first];
            if (const char* verb = verb_of(s); verb && !is_thin(st)) {
              char buf[128];
              const char* obj = s.obj ? object_name(s.obj) : "";
              std::snprintf(buf, sizeof buf, *obj ? "%s %s" : "%s", verb, obj);
              const ImVec4 clip(r.x0 + 2, by0, r.x1 - 2, by1);
              batch.flush();
              dl->AddText(nullptr, 0.0f, ImVec2(r.x0 + 3, ty), text_on(segment_colour(st)), buf, nullptr, 0.0f,
                          &clip);
            }
          }
          if (row_hovered && mouse_in_plot && mouse.x >= r.x0 && mouse.x < std::max(r.x1, r.x0 + 1)) {
            TimelineHover& h = f.hover;
            h.lane = row.index;
            h.g = lane.g;
            h.t = static_cast<int64_t>(mouse_t);
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
            hover_rect = true;
            hover_rect_min = ImVec2(r.x0, by0);
            hover_rect_max = ImVec2(std::max(r.x1, r.x0 + 1), by1);
          }
        }
        batch.flush();
        f.rects += batch.drawn;
        f.marks += draw_preemptions(dl, lane, viewport, by0, std::max(3.0f, (by1 - by0) * 0.3f));
        if (row_hovered && mouse_in_plot && f.hover.kind == TimelineHover::Kind::none) {
          f.hover.kind = TimelineHover::Kind::idle;
          f.hover.lane = row.index;
          f.hover.g = lane.g;
          f.hover.t = static_cast<int64_t>(mouse_t);
        }
        break;
      }
      case Row::Kind::processor_header:
      case Row::Kind::counter_header: {
        name_text(p0.x + 2, dim_col, row.kind == Row::Kind::processor_header ? "processors" : "counters");
        dl->AddLine(ImVec2(p0.x, y1 - 0.5f), ImVec2(px1, y1 - 0.5f), grid_col);
        break;
      }
      case Row::Kind::processor: {
        char name[32];
        std::snprintf(name, sizeof name, "P%d", row.index);
        name_text(p0.x + fs, text_col, name);
        const auto& segs = tl.processors[row.index];
        const LaneLod* lod = static_cast<std::size_t>(row.index) < tl.processor_lods.size()
                                 ? &tl.processor_lods[row.index]
                                 : nullptr;
        const CachedLane& cached = lane_rects(proc_cache_, static_cast<std::size_t>(row.index), segs, lod);
        RectBatch batch{dl, by0, by1};
        for (std::size_t ri_ = 0; ri_ < cached.rects.size(); ++ri_) {
          const LaneRect& r = cached.rects[ri_];
          const std::size_t k = cached.shown[ri_];
          batch.add(r.x0, r.x1, goroutine_colour(segs[k].partner), false);
          if (r.count == 1 && r.x1 - r.x0 > fs * 3.5f) {
            batch.flush();
            const ImVec4 clip(r.x0 + 2, by0, r.x1 - 2, by1);
            dl->AddText(nullptr, 0.0f, ImVec2(r.x0 + 3, ty), text_on(goroutine_colour(segs[k].partner)),
                        goroutine_name(tl, segs[k].partner), nullptr, 0.0f, &clip);
          }
        }
        batch.flush();
        f.rects += batch.drawn;
        if (row_hovered && mouse_in_plot) {
          TimelineHover& h = f.hover;
          h.kind = TimelineHover::Kind::processor;
          h.processor = row.index;
          h.t = static_cast<int64_t>(mouse_t);
          const std::size_t k = segment_at(segs, h.t);
          if (k < segs.size()) {
            h.segment = k;
            h.seg = segs[k];
            h.g = segs[k].partner;
          }
        }
        break;
      }
      case Row::Kind::counter: {
        const CounterTrack& c = tl.counters[row.index];
        counter_screen_y_[row.index] = (y0 + y1) * 0.5f;
        char name[160];
        if (c.is_channel) {
          std::snprintf(name, sizeof name, "%s (cap %lld)", counter_name(c), static_cast<long long>(c.capacity));
        } else {
          std::snprintf(name, sizeof name, "%s counter", counter_name(c));
        }
        name_text(p0.x + fs, text_col, name);
        const int64_t scale = std::max<int64_t>({c.max, c.is_channel ? c.capacity : 0, 1});
        const float base = y1 - 2, top = y0 + 2;
        const ImU32 col = c.is_channel ? IM_COL32(0x3F, 0xB8, 0xD8, 0xC0) : IM_COL32(0xB0, 0x7C, 0xE8, 0xC0);
        if (counter_cache_.size() <= static_cast<std::size_t>(row.index)) counter_cache_.resize(row.index + 1);
        CachedCounter& cc = counter_cache_[row.index];
        if (cc.t0 != viewport.t0 || cc.t1 != viewport.t1 || cc.x0 != viewport.x0 || cc.x1 != viewport.x1) {
          counter_draw_list(c, tl.end, viewport, cc.columns);
          cc.t0 = viewport.t0;
          cc.t1 = viewport.t1;
          cc.x0 = viewport.x0;
          cc.x1 = viewport.x1;
        }
        RectBatch batch{dl, top, base};
        // Columns as a filled step function: one batch per run of equal heights.
        for (const CounterColumn& col_ : cc.columns) {
          const float h = (base - top) * static_cast<float>(col_.max) / static_cast<float>(scale);
          if (col_.max <= 0) {
            batch.flush();
            continue;
          }
          // The batch merges by colour; encode the height in the rectangle directly.
          if (batch.x1 >= batch.x0 && batch.y0 != base - h) batch.flush();
          batch.y0 = base - h;
          batch.add(col_.x0, std::max(col_.x1, col_.x0 + 1), col, false);
        }
        batch.flush();
        f.rects += batch.drawn;
        if (c.is_channel && c.capacity > 0) {
          const float yc = base - (base - top) * static_cast<float>(c.capacity) / static_cast<float>(scale);
          dl->AddLine(ImVec2(px0, yc), ImVec2(px1, yc), IM_COL32(0x3F, 0xB8, 0xD8, 0x50));
        }
        if (row_hovered && mouse_in_plot) {
          TimelineHover& h = f.hover;
          h.kind = TimelineHover::Kind::counter;
          h.counter = row.index;
          h.t = static_cast<int64_t>(mouse_t);
          auto pt = std::upper_bound(c.points.begin(), c.points.end(), h.t,
                                     [](int64_t t, const CounterPoint& p) { return t < p.t; });
          h.value = pt == c.points.begin() ? 0 : std::prev(pt)->value;
        }
        break;
      }
    }
    dl->PopClipRect();
  }

  // Arrows: only when there are few enough in view to tell apart (about one per 4 px).
  dl->PushClipRect(ImVec2(px0, ry0), ImVec2(px1, ry1), true);
  if (options.arrows) {
    const std::size_t budget = static_cast<std::size_t>(std::max(8.0f, (px1 - px0) / 4.0f));
    const auto [hlo, hhi] = visible_arrows(tl.handoffs, viewport);
    const auto [ulo, uhi] = visible_arrows(tl.unblocks, viewport);
    f.arrows_on_screen = (hhi - hlo) + (uhi - ulo);
    if (f.arrows_on_screen <= budget) {
      const float head = std::max(3.0f, fs * 0.3f);
      auto draw_arrows = [&](const std::vector<TimelineArrow>& arrows, std::size_t lo, std::size_t hi, ImU32 col) {
        for (std::size_t i = lo; i < hi; ++i) {
          const TimelineArrow& a = arrows[i];
          const GoroutineLane* from = tl.lane(a.from);
          const GoroutineLane* to = tl.lane(a.to);
          if (!from || !to) continue;
          const int fl = static_cast<int>(from - tl.lanes.data()), tlane = static_cast<int>(to - tl.lanes.data());
          if (lane_row_[fl] < 0 || lane_row_[tlane] < 0) continue;
          const Row& rf = rows_[lane_row_[fl]];
          const Row& rt = rows_[lane_row_[tlane]];
          const float yf = ry0 + rf.y - scroll_y_ + rf.h * 0.5f, yt = ry0 + rt.y - scroll_y_ + rt.h * 0.5f;
          if ((yf < ry0 && yt < ry0) || (yf > ry1 && yt > ry1)) continue;
          const float x = static_cast<float>(viewport.x_of(static_cast<double>(a.t)));
          const float dir = yt > yf ? 1.0f : -1.0f;
          dl->AddLine(ImVec2(x, yf), ImVec2(x, yt - dir * head), col, 1.5f);
          dl->AddTriangleFilled(ImVec2(x, yt), ImVec2(x - head, yt - dir * head * 1.6f),
                                ImVec2(x + head, yt - dir * head * 1.6f), col);
          dl->AddCircleFilled(ImVec2(x, yf), head * 0.6f, col, 8);
          ++f.arrows;
        }
      };
      draw_arrows(tl.unblocks, ulo, uhi, IM_COL32(0xFF, 0xD8, 0x6B, 0xB0));
      draw_arrows(tl.handoffs, hlo, hhi, IM_COL32(0xF2, 0xF4, 0xF8, 0xD8));
    }
  }
  if (hover_rect) dl->AddRect(hover_rect_min, hover_rect_max, IM_COL32(0xFF, 0xFF, 0xFF, 0xE0), 0.0f, 0, 1.5f);
  dl->PopClipRect();
  hidden_arrows_ = options.arrows && f.arrows == 0 ? f.arrows_on_screen : 0;

  // Playhead: the stage's moment, across the ruler and every lane.
  {
    const std::size_t n = std::min(playhead, events.size());
    const double t = n == 0 ? static_cast<double>(tl.begin) : static_cast<double>(events[n - 1].ts);
    const float x = std::floor(static_cast<float>(viewport.x_of(t))) + 0.5f;
    if (x >= px0 - 1 && x <= px1 + 1) {
      const ImU32 col = IM_COL32(0x00, 0xAD, 0xD8, 0xFF);
      dl->AddLine(ImVec2(x, p0.y), ImVec2(x, ry1), col, 2.0f);
      dl->AddTriangleFilled(ImVec2(x - 6, p0.y), ImVec2(x + 6, p0.y), ImVec2(x, p0.y + 8), col);
    }
  }

  // Names column border and the vertical scrollbar.
  dl->AddLine(ImVec2(px0 - 0.5f, p0.y), ImVec2(px0 - 0.5f, ry1), ImGui::GetColorU32(ImGuiCol_Border));
  if (content_h > view_h && content_h > 0) {
    const float thumb_h = std::max(fs, view_h * view_h / content_h);
    const float thumb_y = ry0 + (view_h - thumb_h) * (max_scroll > 0 ? scroll_y_ / max_scroll : 0);
    dl->AddRectFilled(ImVec2(px1 + 1, ry0), ImVec2(p0.x + size.x, ry1), ImGui::GetColorU32(ImGuiCol_ScrollbarBg));
    dl->AddRectFilled(ImVec2(px1 + 2, thumb_y), ImVec2(p0.x + size.x - 1, thumb_y + thumb_h),
                      ImGui::GetColorU32(scrollbar_drag_ && active ? ImGuiCol_ScrollbarGrabActive : ImGuiCol_ScrollbarGrab),
                      3.0f);
  }

  if (hovered && !(active && drag_moved_) && f.hover.kind != TimelineHover::Kind::none) tooltip(tl, f.hover);
  return f;
}

}  // namespace goscope::ui
