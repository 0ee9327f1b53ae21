// stats_view.cpp: tables of where the time went.
#include "ui/views/stats_view.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "ui/views/timeline_view.h"

namespace goscope::ui {
namespace {

constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit |
                                        ImGuiTableFlags_Resizable;

// rate renders a per-second rate for reading: "950", "12.5k", "3.2M".
std::string rate(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  } else if (v >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

void duration_cell(int64_t ns) {
  if (ns <= 0) {
    ImGui::TextDisabled("-");
  } else {
    ImGui::TextUnformatted(format_duration(ns).c_str());
  }
}

// share_bar draws a bar `share` (0..1) full with its percentage on it.
void share_bar(double share, ImU32 col) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4);
  const float h = ImGui::GetTextLineHeight();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(0xFF, 0xFF, 0xFF, 0x12), 2.0f);
  dl->AddRectFilled(p, ImVec2(p.x + w * static_cast<float>(std::clamp(share, 0.0, 1.0)), p.y + h), col, 2.0f);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  dl->AddText(ImVec2(p.x + 4, p.y), ImGui::GetColorU32(ImGuiCol_Text), buf);
  ImGui::Dummy(ImVec2(w, h));
}

// life_bar draws where a goroutine's time went, one stretch per style, in the
// timeline's colours.
void life_bar(const GoroutineStats& g) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 6);
  const float h = ImGui::GetTextLineHeight();
  int64_t total = 0;
  for (int s = 0; s < kSegmentStyleCount; ++s) {
    const auto style = static_cast<SegmentStyle>(s);
    if (style != SegmentStyle::done && style != SegmentStyle::abandoned && style != SegmentStyle::not_started)
      total += g.time_in_style[s];
  }
  float x = p.x;
  if (total > 0) {
    for (int s = 0; s < kSegmentStyleCount; ++s) {
      const auto style = static_cast<SegmentStyle>(s);
      if (style == SegmentStyle::done || style == SegmentStyle::abandoned || style == SegmentStyle::not_started)
        continue;
      const float dw = w * static_cast<float>(g.time_in_style[s]) / static_cast<float>(total);
      if (dw <= 0) continue;
      dl->AddRectFilled(ImVec2(x, p.y + 2), ImVec2(x + std::max(dw, 1.0f), p.y + h - 2), segment_colour(style));
      x += dw;
    }
  }
  ImGui::Dummy(ImVec2(w, h));
  if (ImGui::IsItemHovered() && total > 0) {
    ImGui::BeginTooltip();
    ImGui::Text("%s: %s alive", g.name, format_duration(g.lifetime).c_str());
    ImGui::Separator();
    for (int s = 0; s < kSegmentStyleCount; ++s) {
      if (g.time_in_style[s] <= 0) continue;
      const auto style = static_cast<SegmentStyle>(s);
      ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(segment_colour(style)),
                         ImGuiColorEditFlags_NoTooltip, ImVec2(ImGui::GetTextLineHeight(), ImGui::GetTextLineHeight()));
      ImGui::SameLine();
      ImGui::Text("%-20s %s", to_string(style), format_duration(g.time_in_style[s]).c_str());
    }
    ImGui::EndTooltip();
  }
}

void row_label(const char* label) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", label);
  ImGui::TableSetColumnIndex(1);
}

void run_tab(const RunStats& st, const StatsOptions& o) {
  if (!ImGui::BeginTable("##run", 2, ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  row_label("run length");
  ImGui::Text("%s  (%llu events)", format_duration(st.run_ns).c_str(), static_cast<unsigned long long>(st.events));
  row_label("goroutines");
  ImGui::Text("%llu created, %llu returned", static_cast<unsigned long long>(st.goroutines),
              static_cast<unsigned long long>(st.goroutines_done));
  if (st.goroutines_abandoned > 0) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.9f, 0.45f, 0.45f, 1), "%llu abandoned", static_cast<unsigned long long>(st.goroutines_abandoned));
  }
  if (o.items_name && o.items > 0) {
    row_label("throughput");
    ImGui::Text("%s %s/s  (%lld %s)", rate(st.per_second(static_cast<uint64_t>(o.items))).c_str(), o.items_name,
                static_cast<long long>(o.items), o.items_name);
  }
  row_label("messages");
  ImGui::Text("%llu passed, %s/s", static_cast<unsigned long long>(st.messages), rate(st.per_second(st.messages)).c_str());
  row_label("processors");
  ImGui::Text("%d", st.procs);
  row_label("utilisation");
  share_bar(st.utilisation, IM_COL32(0x5B, 0xD3, 0x6B, 0xC0));
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("processor time spent running or working: %s of %d x %s", format_duration(st.busy_ns).c_str(),
                      st.procs, format_duration(st.run_ns).c_str());
  }
  row_label("time blocked");
  share_bar(blocked_share_of_all(st), segment_colour(SegmentStyle::blocked_recv));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("share of all goroutines' lifetime spent parked");
  ImGui::EndTable();
}

int goroutines_tab(const RunStats& st) {
  int rows = 0;
  if (!ImGui::BeginTable("##goroutines", 7, kTableFlags)) return rows;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("goroutine");
  ImGui::TableSetupColumn("running");
  ImGui::TableSetupColumn("runnable");
  ImGui::TableSetupColumn("blocked");
  ImGui::TableSetupColumn("sleep/work");
  ImGui::TableSetupColumn("where the time went", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
  ImGui::TableSetupColumn("blocked % of run", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(st.goroutine_stats.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const GoroutineStats& g = st.goroutine_stats[i];
      ++rows;
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(g.name);
      ImGui::TableSetColumnIndex(1);
      duration_cell(g.time_in[static_cast<int>(GoState::running)]);
      ImGui::TableSetColumnIndex(2);
      duration_cell(g.time_in[static_cast<int>(GoState::runnable)]);
      ImGui::TableSetColumnIndex(3);
      duration_cell(g.blocked);
      ImGui::TableSetColumnIndex(4);
      duration_cell(g.time_in[static_cast<int>(GoState::sleeping)] + g.time_in[static_cast<int>(GoState::working)]);
      ImGui::TableSetColumnIndex(5);
      ImGui::PushID(i);
      life_bar(g);
      ImGui::PopID();
      ImGui::TableSetColumnIndex(6);
      share_bar(g.blocked_share, segment_colour(SegmentStyle::blocked_recv));
    }
  }
  ImGui::EndTable();
  return rows;
}

int channels_tab(const RunStats& st) {
  int rows = 0;
  if (st.channel_stats.empty()) {
    ImGui::TextDisabled("This program makes no channels.");
    return rows;
  }
  if (!ImGui::BeginTable("##channels", 7, kTableFlags)) return rows;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("channel");
  ImGui::TableSetupColumn("cap");
  ImGui::TableSetupColumn("messages");
  ImGui::TableSetupColumn("mean occ.");
  ImGui::TableSetupColumn("max occ.");
  ImGui::TableSetupColumn("senders parked");
  ImGui::TableSetupColumn("receivers parked");
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(st.channel_stats.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const ChannelStats& c = st.channel_stats[i];
      ++rows;
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::Text("%s%s", c.name, c.closed ? " (closed)" : "");
      ImGui::TableSetColumnIndex(1);
      ImGui::Text("%lld", static_cast<long long>(c.capacity));
      ImGui::TableSetColumnIndex(2);
      ImGui::Text("%llu", static_cast<unsigned long long>(c.messages));
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%.2f", c.mean_occupancy);
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%lld", static_cast<long long>(c.max_occupancy));
      ImGui::TableSetColumnIndex(5);
      duration_cell(c.senders_parked);
      ImGui::TableSetColumnIndex(6);
      duration_cell(c.receivers_parked);
    }
  }
  ImGui::EndTable();
  return rows;
}

}  // namespace

double blocked_share_of_all(const RunStats& stats) {
  int64_t blocked = 0, life = 0;
  for (const GoroutineStats& g : stats.goroutine_stats) {
    blocked += g.blocked;
    life += g.lifetime;
  }
  return life > 0 ? static_cast<double>(blocked) / static_cast<double>(life) : 0.0;
}

StatsFrame draw_stats(const RunStats& stats, const StatsOptions& options) {
  StatsFrame f;
  if (!ImGui::BeginTabBar("##stats")) return f;
  auto flags = [&](int tab) { return options.open_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None; };
  if (ImGui::BeginTabItem("Run", nullptr, flags(0))) {
    run_tab(stats, options);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Goroutines", nullptr, flags(1))) {
    f.goroutine_rows = goroutines_tab(stats);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Channels", nullptr, flags(2))) {
    f.channel_rows = channels_tab(stats);
    ImGui::EndTabItem();
  }
  if (options.workers_tab && ImGui::BeginTabItem(options.workers_tab_name, nullptr, flags(3))) {
    options.workers_tab();
    f.workers_tab = true;
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
  return f;
}

}  // namespace goscope::ui
