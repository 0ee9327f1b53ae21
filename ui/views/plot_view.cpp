// plot_view.cpp: a line plot with ImDrawList, and the panel that runs its sweep.
#include "ui/views/plot_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace goscope::ui {
namespace {

// nice_ticks returns a 1-2-5 step giving about `count` ticks over [0, max].
double nice_ticks(double max, int count) {
  if (!(max > 0)) return 1;
  const double raw = max / count;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw) return m * p;
  }
  return 10 * p;
}

// compact renders a throughput tick: "950", "1.2k", "35k", "1.5M".
std::string compact(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len <= 0) return;
  for (float s = 0; s < len; s += dash * 2) {
    const float e = std::min(s + dash, len);
    dl->AddLine(ImVec2(a.x + dx * s / len, a.y + dy * s / len), ImVec2(a.x + dx * e / len, a.y + dy * e / len), col,
                1.2f);
  }
}

}  // namespace

ImU32 series_colour(WorkKind kind, std::size_t index) {
  switch (kind) {
    case WorkKind::cpu: return IM_COL32(0xFF, 0x9F, 0x43, 0xFF);
    case WorkKind::io: return IM_COL32(0x00, 0xAD, 0xD8, 0xFF);
    case WorkKind::other: break;
  }
  static const ImU32 others[] = {IM_COL32(0xB0, 0x7C, 0xE8, 0xFF), IM_COL32(0x5B, 0xD3, 0x6B, 0xFF),
                                 IM_COL32(0xE5, 0x54, 0x6C, 0xFF)};
  return others[index % 3];
}

namespace {

// PlotCanvas is one draw_sweep_plot's context: the box, the value-to-pixel mapping and
// the colours.
struct PlotCanvas {
  const SweepResult& sweep;
  const PlotOptions& options;
  PlotFrame& f;
  ImDrawList* dl = nullptr;
  float fs = 0, line_h = 0;
  ImU32 text_col = 0, dim_col = 0, grid_col = 0;
  ImVec2 a{}, b{};  // the axes' box
  bool hovered = false;
  double lo = 0, hi = 0;        // x: the parameter's range
  double y_step = 1, y_top = 1;  // y: throughput

  float X(double v) const { return x_of_value(v, lo, hi, a.x + 6, b.x - 6); }
  float Y(double v) const { return b.y - static_cast<float>(v / y_top) * (b.y - a.y); }
  float Yu(double u) const { return b.y - static_cast<float>(std::clamp(u, 0.0, 1.0)) * (b.y - a.y); }
  ImVec2 point(const SweepPoint& p) const { return ImVec2(X(static_cast<double>(p.value)), Y(p.throughput_per_s)); }
};

void draw_title(const SweepResult& sweep) {
  ImGui::Text("Throughput vs %s", sweep.param.c_str());
  if (sweep.procs > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("(procs = %d)", sweep.procs);
  }
  if (!sweep.note.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", sweep.note.c_str());
  }
}

// place_box lays the plot out at the cursor, leaving room for the verdicts under it.
void place_box(PlotCanvas& c) {
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float avail_w = std::max(ImGui::GetContentRegionAvail().x, c.fs * 12);
  // Room for the sentences under the plot, wrapped as they will be.
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float verdict_h = 0;
  for (const std::string& v : c.f.verdicts)
    verdict_h += ImGui::CalcTextSize(v.c_str(), nullptr, false, avail_w).y + spacing;

  float h = c.options.height > 0 ? c.options.height : ImGui::GetContentRegionAvail().y - verdict_h;
  h = std::max(h, c.fs * 6);
  ImGui::InvisibleButton("##sweep-plot", ImVec2(avail_w, h));
  c.hovered = ImGui::IsItemHovered();
  const float left = ImGui::CalcTextSize("0000k").x + 8;
  const float right = c.options.utilisation ? ImGui::CalcTextSize("100%").x + 8 : c.fs;
  c.a = ImVec2(p0.x + left, p0.y + c.line_h * 0.5f);
  c.b = ImVec2(p0.x + avail_w - right, p0.y + h - c.line_h * 2 - 4);
  c.f.plot_min = c.a;
  c.f.plot_max = c.b;
  c.dl->AddRectFilled(c.a, c.b, ImGui::GetColorU32(ImGuiCol_ChildBg));
}

// fit_ranges sets x over every value seen (and the current setting) and y from 0 with as
// many throughput ticks as fit without their labels touching; false when there are no points.
bool fit_ranges(PlotCanvas& c) {
  double y_max = 0;
  bool any = false;
  for (const SweepSeries& s : c.sweep.series) {
    for (const SweepPoint& p : s.points) {
      c.lo = any ? std::min(c.lo, static_cast<double>(p.value)) : static_cast<double>(p.value);
      c.hi = any ? std::max(c.hi, static_cast<double>(p.value)) : static_cast<double>(p.value);
      y_max = std::max(y_max, p.throughput_per_s);
      any = true;
    }
  }
  if (!any) return false;
  if (c.options.current > 0) {
    c.lo = std::min(c.lo, static_cast<double>(c.options.current));
    c.hi = std::max(c.hi, static_cast<double>(c.options.current));
  }
  // A short panel gets two ticks.
  const int y_ticks = std::clamp(static_cast<int>((c.b.y - c.a.y) / (c.line_h * 1.6f)), 1, 4);
  c.y_step = nice_ticks(y_max * 1.05, y_ticks);
  c.y_top = std::max(c.y_step, std::ceil(y_max * 1.05 / c.y_step) * c.y_step);
  c.f.y_max = c.y_top;
  return true;
}

void draw_y_axes(const PlotCanvas& c) {
  for (double v = 0; v <= c.y_top + c.y_step * 0.01; v += c.y_step) {
    const float y = std::floor(c.Y(v)) + 0.5f;
    c.dl->AddLine(ImVec2(c.a.x, y), ImVec2(c.b.x, y), c.grid_col);
    const std::string s = compact(v);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    c.dl->AddText(ImVec2(c.a.x - ts.x - 4, y - ts.y * 0.5f), c.dim_col, s.c_str());
  }
  if (c.options.utilisation) {
    for (int u = 0; u <= 100; u += 50) {
      char s[16];
      std::snprintf(s, sizeof s, "%d%%", u);
      c.dl->AddText(ImVec2(c.b.x + 4, c.Yu(u / 100.0) - c.line_h * 0.5f), c.dim_col, s);
    }
  }
}

void draw_x_axis(const PlotCanvas& c) {
  const double span = c.hi - c.lo;
  double step = std::max(1.0, nice_ticks(span, std::max(2, static_cast<int>((c.b.x - c.a.x) / (c.fs * 3.5f)))));
  step = std::round(step);
  const double first = std::ceil(c.lo / step) * step;
  for (double v = first; v <= c.hi + 1e-9; v += step) {
    const float x = std::floor(c.X(v)) + 0.5f;
    c.dl->AddLine(ImVec2(x, c.b.y), ImVec2(x, c.b.y + 4), c.dim_col);
    char s[32];
    std::snprintf(s, sizeof s, "%lld", static_cast<long long>(v));
    const ImVec2 ts = ImGui::CalcTextSize(s);
    c.dl->AddText(ImVec2(x - ts.x * 0.5f, c.b.y + 5), c.dim_col, s);
  }
  const ImVec2 ts = ImGui::CalcTextSize(c.sweep.param.c_str());
  c.dl->AddText(ImVec2((c.a.x + c.b.x - ts.x) * 0.5f, c.b.y + 5 + c.line_h), c.dim_col, c.sweep.param.c_str());
}

void draw_axis_lines(const PlotCanvas& c) {
  c.dl->AddLine(ImVec2(c.a.x, c.b.y), ImVec2(c.b.x, c.b.y), c.dim_col);
  c.dl->AddLine(ImVec2(c.a.x, c.a.y), ImVec2(c.a.x, c.b.y), c.dim_col);
  char s[64];
  std::snprintf(s, sizeof s, "%s/s", c.sweep.items.c_str());
  c.dl->AddText(ImVec2(c.a.x + 4, c.a.y + 2), c.dim_col, s);
}

// draw_key draws, inside the box at the top right, one short line per series in its colour.
void draw_key(const PlotCanvas& c) {
  float x = c.b.x - 6;
  for (std::size_t i = c.sweep.series.size(); i-- > 0;) {
    const char* label = c.sweep.series[i].label.c_str();
    const float tw = ImGui::CalcTextSize(label).x;
    x -= tw;
    const ImU32 col = series_colour(c.sweep.series[i].kind, i);
    c.dl->AddText(ImVec2(x, c.a.y + 2), col, label);
    x -= c.fs * 1.1f + 4;
    const float y = c.a.y + 2 + c.line_h * 0.5f;
    c.dl->AddLine(ImVec2(x, y), ImVec2(x + c.fs * 1.1f, y), col, 2.5f);
    x -= c.fs;
  }
}

// draw_current marks the current setting with a dashed line and "now: N".
void draw_current(const PlotCanvas& c) {
  if (c.options.current <= 0) return;
  const float x = std::floor(c.X(static_cast<double>(c.options.current))) + 0.5f;
  dashed_line(c.dl, ImVec2(x, c.a.y), ImVec2(x, c.b.y), IM_COL32(0xFF, 0xFF, 0xFF, 0x90), 4);
  char s[64];
  std::snprintf(s, sizeof s, "now: %lld", static_cast<long long>(c.options.current));
  const ImVec2 ts = ImGui::CalcTextSize(s);
  const float tx = x + 4 + ts.x < c.b.x ? x + 4 : x - 4 - ts.x;  // beside the line, inside the box
  c.dl->AddText(ImVec2(tx, c.b.y - c.line_h - 2), c.text_col, s);
}

// draw_series draws every series (throughput solid, utilisation dashed) and finds the
// point under the mouse: near in x counts most, as the reader asks "what happens at 8
// workers?".
void draw_series(PlotCanvas& c) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float radius = c.fs * 1.2f;  // hover reach, in x
  float best = 1e30f;
  c.dl->PushClipRect(ImVec2(c.a.x - 6, c.a.y - 6), ImVec2(c.b.x + 6, c.b.y + 6), true);
  for (std::size_t si = 0; si < c.sweep.series.size(); ++si) {
    const SweepSeries& s = c.sweep.series[si];
    const ImU32 col = series_colour(s.kind, si);
    const ImU32 cu = (col & ~IM_COL32_A_MASK) | (0x90u << IM_COL32_A_SHIFT);
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const SweepPoint& p = s.points[i];
      const ImVec2 q = c.point(p);
      if (i > 0) {
        const SweepPoint& o = s.points[i - 1];
        c.dl->AddLine(c.point(o), q, col, 2.0f);
        if (c.options.utilisation) {
          dashed_line(c.dl, ImVec2(c.X(static_cast<double>(o.value)), c.Yu(o.utilisation)),
                      ImVec2(c.X(static_cast<double>(p.value)), c.Yu(p.utilisation)), cu, 3);
        }
      }
      c.dl->AddCircleFilled(q, 2.5f, col, 8);
      ++c.f.points_drawn;
      if (!c.hovered) continue;
      const float dx = std::fabs(mouse.x - q.x);
      const float score = dx + 0.25f * std::fabs(mouse.y - q.y);
      if (dx < radius && score < best) {
        best = score;
        c.f.hover.series = static_cast<int>(si);
        c.f.hover.point = i;
        c.f.hover.value = p;
      }
    }
  }
  if (c.f.hover.series >= 0) c.dl->AddCircle(c.point(c.f.hover.value), 5.0f, c.text_col, 12, 1.5f);
  c.dl->PopClipRect();
}

void point_tooltip(const SweepResult& sweep, const PlotHover& hover) {
  const SweepSeries& s = sweep.series[hover.series];
  const SweepPoint& p = hover.value;
  ImGui::BeginTooltip();
  ImGui::Text("%s, %lld %s", s.label.c_str(), static_cast<long long>(p.value), sweep.param.c_str());
  ImGui::Separator();
  ImGui::Text("throughput  %.4g %s/s", p.throughput_per_s, sweep.items.c_str());
  ImGui::Text("utilisation %.0f%%", p.utilisation * 100);
  const double ms = static_cast<double>(p.elapsed_ns) / 1e6;
  ImGui::Text("run took    %.4g ms (virtual)", ms);
  ImGui::EndTooltip();
}

// draw_verdicts writes one sentence per series with enough points, in its colour.
void draw_verdicts(const SweepResult& sweep, const std::vector<std::string>& verdicts) {
  for (std::size_t i = 0, vi = 0; i < sweep.series.size() && vi < verdicts.size(); ++i) {
    if (sweep.series[i].points.size() < 2) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(series_colour(sweep.series[i].kind, i)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(verdicts[vi++].c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

}  // namespace

PlotFrame draw_sweep_plot(const SweepResult& sweep, const PlotOptions& options) {
  PlotFrame f;
  for (const SweepSeries& s : sweep.series) {
    std::string v = sweep_verdict(s, sweep);
    if (!v.empty()) f.verdicts.push_back(std::move(v));
  }
  PlotCanvas c{sweep, options, f};
  c.dl = ImGui::GetWindowDrawList();
  c.fs = ImGui::GetFontSize();
  c.line_h = ImGui::GetTextLineHeight();
  c.text_col = ImGui::GetColorU32(ImGuiCol_Text);
  c.dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  c.grid_col = IM_COL32(0xFF, 0xFF, 0xFF, 0x14);

  draw_title(sweep);
  place_box(c);
  if (!fit_ranges(c)) {
    c.dl->AddText(ImVec2(c.a.x + 8, c.a.y + 8), c.dim_col, "no points yet");
    return f;
  }
  draw_y_axes(c);
  draw_x_axis(c);
  draw_axis_lines(c);
  draw_key(c);
  draw_current(c);
  draw_series(c);
  if (f.hover.series >= 0) point_tooltip(sweep, f.hover);
  draw_verdicts(sweep, f.verdicts);
  return f;
}

void SweepPlotPanel::prepare(const SweepSource* source) {
  if (!source || (job_ && key_ == source->key)) return;
  job_.reset();  // cancels and joins the previous sweep
  job_ = std::make_unique<SweepJob>(source->shape, source->values, source->run);
  key_ = source->key;
  job_->start();
}

PlotFrame SweepPlotPanel::draw(const SweepSource* source) {
  if (!source) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("This lesson has no parameter to sweep: the throughput plot belongs to fan-out and fan-in.");
    ImGui::PopTextWrapPos();
    return {};
  }
  prepare(source);
  const SweepResult now = job_->snapshot();
  if (!job_->done()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "sweeping %s: %.0f%%", now.param.c_str(), job_->progress() * 100);
    ImGui::ProgressBar(static_cast<float>(job_->progress()), ImVec2(-1, 0), buf);
  }
  PlotOptions options;
  options.current = source->current;
  return draw_sweep_plot(now, options);
}

}  // namespace goscope::ui
