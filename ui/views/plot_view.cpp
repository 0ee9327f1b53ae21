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

PlotFrame draw_sweep_plot(const SweepResult& sweep, const PlotOptions& options) {
  PlotFrame f;
  for (const SweepSeries& s : sweep.series) {
    std::string v = sweep_verdict(s, sweep);
    if (!v.empty()) f.verdicts.push_back(std::move(v));
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = IM_COL32(0xFF, 0xFF, 0xFF, 0x14);

  // Title and key.
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
  // Box.
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float avail_w = std::max(ImGui::GetContentRegionAvail().x, fs * 12);
  // Room for the sentences under the plot, wrapped as they will be.
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float verdict_h = 0;
  for (const std::string& v : f.verdicts) verdict_h += ImGui::CalcTextSize(v.c_str(), nullptr, false, avail_w).y + spacing;

  float h = options.height > 0 ? options.height : ImGui::GetContentRegionAvail().y - verdict_h;
  h = std::max(h, fs * 6);
  ImGui::InvisibleButton("##sweep-plot", ImVec2(avail_w, h));
  const bool hovered = ImGui::IsItemHovered();
  const float left = ImGui::CalcTextSize("0000k").x + 8;
  const float right = options.utilisation ? ImGui::CalcTextSize("100%").x + 8 : fs;
  const ImVec2 a(p0.x + left, p0.y + line_h * 0.5f);
  const ImVec2 b(p0.x + avail_w - right, p0.y + h - line_h * 2 - 4);
  f.plot_min = a;
  f.plot_max = b;
  dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_ChildBg));

  // Ranges: x over every value seen (and the current setting), y from 0.
  double lo = 0, hi = 0, y_max = 0;
  bool any = false;
  for (const SweepSeries& s : sweep.series) {
    for (const SweepPoint& p : s.points) {
      lo = any ? std::min(lo, static_cast<double>(p.value)) : static_cast<double>(p.value);
      hi = any ? std::max(hi, static_cast<double>(p.value)) : static_cast<double>(p.value);
      y_max = std::max(y_max, p.throughput_per_s);
      any = true;
    }
  }
  if (!any) {
    dl->AddText(ImVec2(a.x + 8, a.y + 8), dim_col, "no points yet");
    return f;
  }
  if (options.current > 0) {
    lo = std::min(lo, static_cast<double>(options.current));
    hi = std::max(hi, static_cast<double>(options.current));
  }
  // As many throughput ticks as fit without their labels touching (a short panel gets two).
  const int y_ticks = std::clamp(static_cast<int>((b.y - a.y) / (line_h * 1.6f)), 1, 4);
  const double y_step = nice_ticks(y_max * 1.05, y_ticks);
  const double y_top = std::max(y_step, std::ceil(y_max * 1.05 / y_step) * y_step);
  f.y_max = y_top;
  auto X = [&](double v) { return x_of_value(v, lo, hi, a.x + 6, b.x - 6); };
  auto Y = [&](double v) { return b.y - static_cast<float>(v / y_top) * (b.y - a.y); };
  auto Yu = [&](double u) { return b.y - static_cast<float>(std::clamp(u, 0.0, 1.0)) * (b.y - a.y); };

  // Axes, grid and ticks.
  for (double v = 0; v <= y_top + y_step * 0.01; v += y_step) {
    const float y = std::floor(Y(v)) + 0.5f;
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid_col);
    const std::string s = compact(v);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    dl->AddText(ImVec2(a.x - ts.x - 4, y - ts.y * 0.5f), dim_col, s.c_str());
  }
  if (options.utilisation) {
    for (int u = 0; u <= 100; u += 50) {
      char s[16];
      std::snprintf(s, sizeof s, "%d%%", u);
      dl->AddText(ImVec2(b.x + 4, Yu(u / 100.0) - line_h * 0.5f), dim_col, s);
    }
  }
  {
    const double span = hi - lo;
    double step = std::max(1.0, nice_ticks(span, std::max(2, static_cast<int>((b.x - a.x) / (fs * 3.5f)))));
    step = std::round(step);
    const double first = std::ceil(lo / step) * step;
    for (double v = first; v <= hi + 1e-9; v += step) {
      const float x = std::floor(X(v)) + 0.5f;
      dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 4), dim_col);
      char s[32];
      std::snprintf(s, sizeof s, "%lld", static_cast<long long>(v));
      const ImVec2 ts = ImGui::CalcTextSize(s);
      dl->AddText(ImVec2(x - ts.x * 0.5f, b.y + 5), dim_col, s);
    }
    const ImVec2 ts = ImGui::CalcTextSize(sweep.param.c_str());
    dl->AddText(ImVec2((a.x + b.x - ts.x) * 0.5f, b.y + 5 + line_h), dim_col, sweep.param.c_str());
  }
  dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, b.y), dim_col);
  dl->AddLine(ImVec2(a.x, a.y), ImVec2(a.x, b.y), dim_col);
  {
    char s[64];
    std::snprintf(s, sizeof s, "%s/s", sweep.items.c_str());
    dl->AddText(ImVec2(a.x + 4, a.y + 2), dim_col, s);
  }

  // Key, inside the box at the top right: one short line per series in its colour.
  {
    float x = b.x - 6;
    for (std::size_t i = sweep.series.size(); i-- > 0;) {
      const char* label = sweep.series[i].label.c_str();
      const float tw = ImGui::CalcTextSize(label).x;
      x -= tw;
      const ImU32 c = series_colour(sweep.series[i].kind, i);
      dl->AddText(ImVec2(x, a.y + 2), c, label);
      x -= fs * 1.1f + 4;
      dl->AddLine(ImVec2(x, a.y + 2 + line_h * 0.5f), ImVec2(x + fs * 1.1f, a.y + 2 + line_h * 0.5f), c, 2.5f);
      x -= fs;
    }
  }

  // The current setting.
  if (options.current > 0) {
    const float x = std::floor(X(static_cast<double>(options.current))) + 0.5f;
    const ImU32 c = IM_COL32(0xFF, 0xFF, 0xFF, 0x90);
    dashed_line(dl, ImVec2(x, a.y), ImVec2(x, b.y), c, 4);
    char s[64];
    std::snprintf(s, sizeof s, "now: %lld", static_cast<long long>(options.current));
    const ImVec2 ts = ImGui::CalcTextSize(s);
    const float tx = x + 4 + ts.x < b.x ? x + 4 : x - 4 - ts.x;  // beside the line, inside the box
    dl->AddText(ImVec2(tx, b.y - line_h - 2), text_col, s);
  }

  // Series.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float radius = fs * 1.2f;  // hover reach, in x
  float best = 1e30f;
  dl->PushClipRect(ImVec2(a.x - 6, a.y - 6), ImVec2(b.x + 6, b.y + 6), true);
  for (std::size_t si = 0; si < sweep.series.size(); ++si) {
    const SweepSeries& s = sweep.series[si];
    const ImU32 c = series_colour(s.kind, si);
    const ImU32 cu = (c & ~IM_COL32_A_MASK) | (0x90u << IM_COL32_A_SHIFT);
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const SweepPoint& p = s.points[i];
      const ImVec2 q(X(static_cast<double>(p.value)), Y(p.throughput_per_s));
      if (i > 0) {
        const SweepPoint& o = s.points[i - 1];
        dl->AddLine(ImVec2(X(static_cast<double>(o.value)), Y(o.throughput_per_s)), q, c, 2.0f);
        if (options.utilisation) {
          dashed_line(dl, ImVec2(X(static_cast<double>(o.value)), Yu(o.utilisation)),
                      ImVec2(X(static_cast<double>(p.value)), Yu(p.utilisation)), cu, 3);
        }
      }
      dl->AddCircleFilled(q, 2.5f, c, 8);
      ++f.points_drawn;
      if (hovered) {
        // Near in x counts most: the reader asks "what happens at 8 workers?".
        const float dx = std::fabs(mouse.x - q.x);
        const float score = dx + 0.25f * std::fabs(mouse.y - q.y);
        if (dx < radius && score < best) {
          best = score;
          f.hover.series = static_cast<int>(si);
          f.hover.point = i;
          f.hover.value = p;
        }
      }
    }
  }
  if (f.hover.series >= 0) {
    const SweepPoint& p = f.hover.value;
    const ImVec2 q(X(static_cast<double>(p.value)), Y(p.throughput_per_s));
    dl->AddCircle(q, 5.0f, text_col, 12, 1.5f);
  }
  dl->PopClipRect();
  if (f.hover.series >= 0) {
    const SweepSeries& s = sweep.series[f.hover.series];
    const SweepPoint& p = f.hover.value;
    ImGui::BeginTooltip();
    ImGui::Text("%s, %lld %s", s.label.c_str(), static_cast<long long>(p.value), sweep.param.c_str());
    ImGui::Separator();
    ImGui::Text("throughput  %.4g %s/s", p.throughput_per_s, sweep.items.c_str());
    ImGui::Text("utilisation %.0f%%", p.utilisation * 100);
    const double ms = static_cast<double>(p.elapsed_ns) / 1e6;
    ImGui::Text("run took    %.4g ms (virtual)", ms);
    ImGui::EndTooltip();
  }

  // Verdicts, one sentence per series in its colour.
  for (std::size_t i = 0, vi = 0; i < sweep.series.size() && vi < f.verdicts.size(); ++i) {
    if (sweep.series[i].points.size() < 2) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(series_colour(sweep.series[i].kind, i)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(f.verdicts[vi++].c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
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
