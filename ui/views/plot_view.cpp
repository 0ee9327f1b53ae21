// plot_view.cpp: a line plot with ImDrawList, and the panel that runs its sweep.
#include "ui/views/plot_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace goscope::ui {
namespace {

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

double speedup_top(double hi, double best) {
  const double want = std::max({2.0, hi, best});
  return std::exp2(std::ceil(std::log2(want) - 1e-9));
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
  double lo = 1, hi = 1;         // x: the parameter's range (log 2)
  double y_lo = 1, y_top = 2;    // y: speed-up (log 2)
  std::vector<std::vector<double>> speedup{};  // per series, per point
  float left_x = 0, right_x = 0;  // the plot's area, screen x
  int key_rows = 1;

  float X(double v) const { return x_of_value(v, lo, hi, a.x + 6, b.x - 6); }
  float Y(double s) const {
    return x_of_value(std::clamp(s, y_lo, y_top), y_lo, y_top, b.y, a.y);
  }
  float Yu(double u) const { return b.y - static_cast<float>(std::clamp(u, 0.0, 1.0)) * (b.y - a.y); }
  ImVec2 point(std::size_t si, std::size_t i) const {
    return ImVec2(X(static_cast<double>(sweep.series[si].points[i].value)), Y(speedup[si][i]));
  }
  // text draws a label and records it.
  void text(ImVec2 at, ImU32 col, const std::string& s) const {
    dl->AddText(at, col, s.c_str());
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    f.labels.push_back({s, at, ImVec2(at.x + ts.x, at.y + ts.y)});
  }
};

std::string one_of(const SweepResult& sweep) {
  std::string noun = sweep.param;
  if (noun.size() > 1 && noun.back() == 's') noun.pop_back();
  return noun;
}

int key_layout(const PlotCanvas& c, bool draw);

void draw_title(const SweepResult& sweep) {
  ImGui::Text("Speed-up vs %s", sweep.param.c_str());
  if (sweep.procs > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("(procs = %d)", sweep.procs);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    std::string tip = "Each curve is throughput with n " + sweep.param + " divided by throughput with one " +
                      one_of(sweep) + ".\nThe grey dashed line is the ideal: n " + sweep.param +
                      " do n times the work.\nBoth axes double at every tick.";
    if (!sweep.note.empty()) tip += "\n\n" + sweep.note;
    ImGui::SetTooltip("%s", tip.c_str());
  }
}

// place_box lays the plot out at the cursor: a row for the key and one for the axis
// titles above the box, two rows (ticks; knees, "now" and the parameter's name) under
// it, and room for the verdicts below.
void place_box(PlotCanvas& c) {
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float avail_w = std::max(ImGui::GetContentRegionAvail().x, c.fs * 16);
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float verdict_h = 0;
  for (const std::string& v : c.f.verdicts)
    verdict_h += ImGui::CalcTextSize(v.c_str(), nullptr, false, avail_w).y + spacing;

  float h = c.options.height > 0 ? c.options.height : ImGui::GetContentRegionAvail().y - verdict_h;
  h = std::max(h, c.line_h * 10);
  ImGui::InvisibleButton("##sweep-plot", ImVec2(avail_w, h));
  c.hovered = ImGui::IsItemHovered();
  c.left_x = p0.x;
  c.right_x = p0.x + avail_w;
  c.key_rows = key_layout(c, false);
  const float left = ImGui::CalcTextSize("000x").x + 10;
  const float right = c.options.utilisation ? ImGui::CalcTextSize("100%").x + 10 : c.fs;
  c.a = ImVec2(p0.x + left, p0.y + c.line_h * static_cast<float>(c.key_rows + 1) + 8);
  c.b = ImVec2(p0.x + avail_w - right, p0.y + h - c.line_h * 3 - 6);
  c.f.plot_min = c.a;
  c.f.plot_max = c.b;
  c.dl->AddRectFilled(c.a, c.b, ImGui::GetColorU32(ImGuiCol_ChildBg));
}

// fit_ranges sets x over every value seen (and the current setting), both on doubling
// axes, and y from the smallest speed-up (at most 1) to a power of two above the ideal's
// end; false when there are no points.
bool fit_ranges(PlotCanvas& c) {
  bool any = false;
  double best = 1, least = 1;
  c.speedup.clear();
  for (const SweepSeries& s : c.sweep.series) {
    c.speedup.push_back(speedups(s));
    for (const SweepPoint& p : s.points) {
      const double v = static_cast<double>(std::max<int64_t>(1, p.value));
      c.lo = any ? std::min(c.lo, v) : v;
      c.hi = any ? std::max(c.hi, v) : v;
      any = true;
    }
    for (double x : c.speedup.back()) {
      if (x > 0) least = std::min(least, x);
      best = std::max(best, x);
    }
  }
  if (!any) return false;
  if (c.options.current > 0) {
    c.lo = std::min(c.lo, static_cast<double>(c.options.current));
    c.hi = std::max(c.hi, static_cast<double>(c.options.current));
  }
  if (c.hi <= c.lo) c.hi = c.lo * 2;
  c.y_lo = std::exp2(std::floor(std::log2(least) + 1e-9));
  c.y_top = speedup_top(c.hi / c.lo, best);
  c.f.x_lo = c.lo;
  c.f.x_hi = c.hi;
  c.f.y_lo = c.y_lo;
  c.f.y_max = c.y_top;
  return true;
}

std::string times(double v) {
  char s[32];
  if (v >= 1) {
    std::snprintf(s, sizeof s, "%gx", v);
  } else {
    std::snprintf(s, sizeof s, "%.2gx", v);
  }
  return s;
}

void draw_y_axes(const PlotCanvas& c) {
  // Speed-up ticks at every power of two (every other one when they would crowd).
  const double rows = std::log2(c.y_top / c.y_lo);
  const int every = (c.b.y - c.a.y) / static_cast<float>(std::max(1.0, rows)) < c.line_h * 1.2f ? 2 : 1;
  int k = 0;
  for (double v = c.y_lo; v <= c.y_top * 1.0001; v *= 2, ++k) {
    const float y = std::floor(c.Y(v)) + 0.5f;
    c.dl->AddLine(ImVec2(c.a.x, y), ImVec2(c.b.x, y), c.grid_col);
    if (k % every != 0) continue;
    const std::string s = times(v);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    c.text(ImVec2(c.a.x - ts.x - 4, y - ts.y * 0.5f), c.dim_col, s);
  }
  // The axes' titles, above the box at either end.
  const std::string ytitle = "speed-up over 1 " + one_of(c.sweep);
  c.text(ImVec2(std::max(c.a.x - ImGui::CalcTextSize("000x").x - 6, 0.0f), c.a.y - c.line_h - 4), c.text_col, ytitle);
  if (c.options.utilisation) {
    for (int u = 0; u <= 100; u += 50) {
      char s[16];
      std::snprintf(s, sizeof s, "%d%%", u);
      c.text(ImVec2(c.b.x + 4, std::clamp(c.Yu(u / 100.0) - c.line_h * 0.5f, c.a.y, c.b.y - c.line_h)), c.dim_col, s);
    }
    const char* utitle = "processors busy (dashed)";
    const float tw = ImGui::CalcTextSize(utitle).x;
    c.text(ImVec2(c.b.x + ImGui::CalcTextSize("100%").x + 4 - tw, c.a.y - c.line_h - 4), c.dim_col, utitle);
  }
}

void draw_x_axis(const PlotCanvas& c) {
  // Ticks at powers of two, and the ends of the range.
  float last_right = -1e30f;
  auto tick = [&](double v, bool label) {
    const float x = std::floor(c.X(v)) + 0.5f;
    c.dl->AddLine(ImVec2(x, c.a.y), ImVec2(x, c.b.y), c.grid_col);
    c.dl->AddLine(ImVec2(x, c.b.y), ImVec2(x, c.b.y + 4), c.dim_col);
    if (!label) return;
    char s[32];
    std::snprintf(s, sizeof s, "%lld", static_cast<long long>(v));
    const ImVec2 ts = ImGui::CalcTextSize(s);
    if (x - ts.x * 0.5f < last_right + 6) return;
    c.text(ImVec2(x - ts.x * 0.5f, c.b.y + 5), c.dim_col, s);
    last_right = x + ts.x * 0.5f;
  };
  for (double v = std::exp2(std::ceil(std::log2(c.lo) - 1e-9)); v <= c.hi * 1.0001; v *= 2) tick(v, true);
  if (std::exp2(std::round(std::log2(c.hi))) != c.hi) tick(c.hi, true);
}

void draw_axis_lines(const PlotCanvas& c) {
  c.dl->AddLine(ImVec2(c.a.x, c.b.y), ImVec2(c.b.x, c.b.y), c.dim_col);
  c.dl->AddLine(ImVec2(c.a.x, c.a.y), ImVec2(c.a.x, c.b.y), c.dim_col);
  if (c.options.utilisation) c.dl->AddLine(ImVec2(c.b.x, c.a.y), ImVec2(c.b.x, c.b.y), c.dim_col);
}

// key_layout lays out (and with `draw`, draws) the key above the box: a short line per
// series in its colour and the ideal, wrapped onto more rows when the panel is narrow.
// Returns the rows it takes.
int key_layout(const PlotCanvas& c, bool draw) {
  const float top = c.a.y - c.line_h * static_cast<float>(c.key_rows + 1) - 8;
  float x = c.left_x;
  int row = 0;
  auto entry = [&](const std::string& label, ImU32 col, bool dashed) {
    const float w = c.fs * 1.4f + 4 + ImGui::CalcTextSize(label.c_str()).x;
    if (x > c.left_x && x + w > c.right_x) {
      x = c.left_x;
      ++row;
    }
    if (draw) {
      const float y = top + c.line_h * static_cast<float>(row);
      const float ym = y + c.line_h * 0.5f;
      if (dashed) {
        dashed_line(c.dl, ImVec2(x, ym), ImVec2(x + c.fs * 1.4f, ym), col, 3);
      } else {
        c.dl->AddLine(ImVec2(x, ym), ImVec2(x + c.fs * 1.4f, ym), col, 2.5f);
      }
      c.text(ImVec2(x + c.fs * 1.4f + 4, y), col, label);
    }
    x += w + c.fs;
  };
  for (std::size_t i = 0; i < c.sweep.series.size(); ++i) {
    entry(c.sweep.series[i].label, series_colour(c.sweep.series[i].kind, i), false);
  }
  entry("ideal: n " + c.sweep.param + " = n x", IM_COL32(0xC0, 0xC0, 0xC0, 0xB0), true);
  return row + 1;
}

void draw_key(const PlotCanvas& c) { key_layout(c, true); }

// Under the axis, a row of marks: the knees in their series' colour and "now", each at
// its x, moved right when it would touch the one before; the parameter's name at the end.
struct MarkLabel {
  float x;
  std::string text;
  ImU32 col;
};

void draw_marks(PlotCanvas& c) {
  std::vector<MarkLabel> marks;
  const float y = c.b.y + 5 + c.line_h;
  // The knee of each series that stops rising before its last point.
  for (std::size_t si = 0; si < c.sweep.series.size(); ++si) {
    const SweepSeries& s = c.sweep.series[si];
    if (s.points.size() < 2 || c.speedup[si].size() != s.points.size()) continue;
    const std::size_t k = knee_index(s.points);
    if (k + 1 == s.points.size()) continue;
    const ImU32 col = series_colour(s.kind, si);
    const ImVec2 q = c.point(si, k);
    c.dl->AddCircle(q, 6.0f, col, 16, 2.0f);
    dashed_line(c.dl, ImVec2(q.x, q.y + 6), ImVec2(q.x, c.b.y), (col & ~IM_COL32_A_MASK) | (0x70u << IM_COL32_A_SHIFT), 2);
    c.f.knees.push_back({si, s.points[k].value});
    marks.push_back({q.x, "knee " + std::to_string(s.points[k].value), col});
  }
  if (c.options.current > 0) {
    const float x = std::floor(c.X(static_cast<double>(c.options.current))) + 0.5f;
    dashed_line(c.dl, ImVec2(x, c.a.y), ImVec2(x, c.b.y), IM_COL32(0xFF, 0xFF, 0xFF, 0x90), 4);
    marks.push_back({x, "now " + std::to_string(c.options.current), c.text_col});
  }
  std::sort(marks.begin(), marks.end(), [](const MarkLabel& l, const MarkLabel& r) { return l.x < r.x; });
  float right = c.a.x - 1e6f;
  for (const MarkLabel& m : marks) {
    const float tw = ImGui::CalcTextSize(m.text.c_str()).x;
    float x = std::max(m.x - tw * 0.5f, right + 8);
    x = std::min(x, c.b.x + 8 - tw);
    c.text(ImVec2(x, y), m.col, m.text);
    right = x + tw;
  }
  // The parameter's name, under the axis at the right if the marks left room, else left.
  const std::string name = c.sweep.param + " (doubling)";
  const float tw = ImGui::CalcTextSize(name.c_str()).x;
  const float nx = c.b.x - tw;
  c.text(ImVec2(nx > right + 12 ? nx : c.a.x, nx > right + 12 ? y : y + c.line_h), c.text_col, name);
}

// draw_series draws the ideal, every series (speed-up solid, utilisation dashed) and finds
// the point under the mouse: near in x counts most, as the reader asks "what happens at
// 8 workers?".
void draw_series(PlotCanvas& c) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float radius = c.fs * 1.2f;  // hover reach, in x
  float best = 1e30f;
  c.dl->PushClipRect(ImVec2(c.a.x - 6, c.a.y - 6), ImVec2(c.b.x + 6, c.b.y + 6), true);
  // The ideal: n of them do n times one's work (speed-up n at value n).
  dashed_line(c.dl, ImVec2(c.X(c.lo), c.Y(c.lo)), ImVec2(c.X(c.hi), c.Y(c.hi)), IM_COL32(0xC0, 0xC0, 0xC0, 0xB0), 5);
  for (std::size_t si = 0; si < c.sweep.series.size(); ++si) {
    const SweepSeries& s = c.sweep.series[si];
    if (c.speedup[si].size() != s.points.size()) continue;
    const ImU32 col = series_colour(s.kind, si);
    const ImU32 cu = (col & ~IM_COL32_A_MASK) | (0x90u << IM_COL32_A_SHIFT);
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const SweepPoint& p = s.points[i];
      const ImVec2 q = c.point(si, i);
      if (i > 0) {
        const SweepPoint& o = s.points[i - 1];
        c.dl->AddLine(c.point(si, i - 1), q, col, 2.0f);
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
  if (c.f.hover.series >= 0) {
    c.dl->AddCircle(c.point(static_cast<std::size_t>(c.f.hover.series), c.f.hover.point), 5.0f, c.text_col, 12, 1.5f);
  }
  c.dl->PopClipRect();
}

void point_tooltip(const SweepResult& sweep, const PlotHover& hover) {
  const SweepSeries& s = sweep.series[hover.series];
  const SweepPoint& p = hover.value;
  const std::vector<double> up = speedups(s);
  ImGui::BeginTooltip();
  ImGui::Text("%s, %lld %s", s.label.c_str(), static_cast<long long>(p.value), sweep.param.c_str());
  ImGui::Separator();
  if (hover.point < up.size()) ImGui::Text("speed-up    %.3gx (ideal %lldx)", up[hover.point], static_cast<long long>(p.value));
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
  PlotCanvas c{sweep, options, f, nullptr, 0, 0, 0, 0, 0, {}, {}, false, 1, 1, 1, 2, {}};
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
  draw_series(c);
  draw_marks(c);
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
  if (ImGui::SmallButton(enlarged_ ? "Close the large plot" : "Enlarge")) enlarged_ = !enlarged_;
  PlotOptions options;
  options.current = source->current;
  if (enlarged_) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.8f, vp->WorkSize.y * 0.8f), ImGuiCond_Appearing);
    if (ImGui::Begin("Speed-up plot", &enlarged_, ImGuiWindowFlags_NoCollapse)) draw_sweep_plot(now, options);
    ImGui::End();
  }
  return draw_sweep_plot(now, options);
}

}  // namespace goscope::ui
