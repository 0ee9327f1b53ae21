// app_shell.cpp: the fixed panel layout and goscope's dark theme.
#include "ui/views/app_shell.h"

#include <algorithm>
#include <cmath>

namespace goscope::ui {
namespace {

constexpr ImGuiWindowFlags kPanelFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

float clampf(float v, float lo, float hi) { return std::max(lo, std::min(v, hi)); }

ImVec4 rgb(int r, int g, int b, float a = 1.0f) {
  return ImVec4(static_cast<float>(r) / 255.0f, static_cast<float>(g) / 255.0f,
                static_cast<float>(b) / 255.0f, a);
}

const std::function<void()>& panel_function(const AppShell& shell, Panel panel) {
  switch (panel) {
    case Panel::controls: return shell.controls;
    case Panel::lessons: return shell.lessons;
    case Panel::stage: return shell.stage;
    case Panel::narration: return shell.narration;
    case Panel::code: return shell.code;
    case Panel::console: return shell.console;
    case Panel::timeline: return shell.timeline;
    case Panel::stats: return shell.stats;
  }
  return shell.stage;
}

void draw_placeholder(Panel panel) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  const std::string_view text = panel_placeholder(panel);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// draw_brand draws "goscope" and the version at the left of the controls bar.
void draw_brand(const AppShell& shell) {
  ImGui::BeginGroup();
  if (shell.fonts.heading) ImGui::PushFont(shell.fonts.heading);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kAccent));
  ImGui::TextUnformatted("goscope");
  ImGui::PopStyleColor();
  if (shell.fonts.heading) ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (!shell.version.empty()) {
    ImGui::Text("v%.*s  Go concurrency, live", static_cast<int>(shell.version.size()),
                shell.version.data());
  } else {
    ImGui::TextUnformatted("Go concurrency, live");
  }
  ImGui::PopStyleColor();
  ImGui::EndGroup();
}

void draw_controls_bar(const AppShell& shell, const std::function<void()>& body) {
  draw_brand(shell);
  ImGui::SameLine(0.0f, 18.0f * shell.scale);
  // A vertical rule between the brand and the controls.
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetContentRegionAvail().y;
  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y), ImVec2(p.x, p.y + h),
                                      ImGui::GetColorU32(ImGuiCol_Separator));
  ImGui::SetCursorScreenPos(ImVec2(p.x + 14.0f * shell.scale, p.y));
  ImGui::BeginChild("##controls-body", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
  if (body) {
    body();
  } else {
    draw_placeholder(Panel::controls);
  }
  ImGui::EndChild();
}

}  // namespace

std::string_view panel_title(Panel panel) {
  switch (panel) {
    case Panel::controls: return "Controls";
    case Panel::lessons: return "Lessons";
    case Panel::stage: return "Stage";
    case Panel::narration: return "Narration";
    case Panel::code: return "Code";
    case Panel::console: return "Console";
    case Panel::timeline: return "Timeline";
    case Panel::stats: return "Stats";
  }
  return "?";
}

std::string_view panel_placeholder(Panel panel) {
  switch (panel) {
    case Panel::controls:
      return "Play, pause, step forward and back, speed, seed, deterministic or real mode, "
             "and a slider for each of the lesson's parameters will sit here.";
    case Panel::lessons:
      return "The lessons will be listed here, from hello-goroutine to fan-out and "
             "deadlock, each with a one-line summary.";
    case Panel::stage:
      return "The stage will animate the running program: goroutines as figures, channels "
             "as pipes with a slot per buffer place, values moving on each handoff, and "
             "WaitGroup counters as gauges. Blocked goroutines wait at what blocks them.";
    case Panel::narration:
      return "The lesson's narration will appear here: what to watch, what to try with "
             "the sliders, and the question to answer.";
    case Panel::code:
      return "The lesson's Go program will be listed here, with each goroutine's current "
             "line marked in its colour.";
    case Panel::console:
      return "The program's output will appear here, and, when a run panics or "
             "deadlocks, Go's message and the goroutines that were blocked.";
    case Panel::timeline:
      return "The timeline will show one lane per goroutine over the whole run, coloured "
             "by state (running, runnable, blocked on send, receive, select, WaitGroup, "
             "sleeping), with arrows for every handoff.";
    case Panel::stats:
      return "Statistics will appear here: time each goroutine spent blocked, channel "
             "occupancy, throughput and processor use, and for fan-out the throughput "
             "against the number of workers.";
  }
  return "";
}

ShellLayout layout_shell(ImVec2 display, float scale) {
  const float s = std::max(scale, 0.5f);
  const float w = std::max(display.x, 1.0f);
  const float h = std::max(display.y, 1.0f);

  // Side columns keep a readable width, but never take more than their share of a
  // small window; the stage gets what is left.
  const float top = std::floor(std::min(84.0f * s, h * 0.2f));
  const float left = std::floor(std::min(clampf(w * 0.16f, 200.0f * s, 300.0f * s), w * 0.25f));
  const float right = std::floor(std::min(clampf(w * 0.28f, 320.0f * s, 560.0f * s), w * 0.35f));
  const float body = h - top;
  const float bottom = std::floor(std::min(clampf(body * 0.30f, 150.0f * s, 420.0f * s), body * 0.5f));
  const float middle = body - bottom;
  const float narration = std::floor(middle * 0.36f);
  const float console = std::floor(middle * 0.26f);
  const float code = middle - narration - console;
  const float right_x = w - right;
  const float bottom_y = top + middle;

  ShellLayout l;
  l[Panel::controls] = {ImVec2(0, 0), ImVec2(w, top)};
  l[Panel::lessons] = {ImVec2(0, top), ImVec2(left, middle)};
  l[Panel::stage] = {ImVec2(left, top), ImVec2(right_x - left, middle)};
  l[Panel::narration] = {ImVec2(right_x, top), ImVec2(right, narration)};
  l[Panel::code] = {ImVec2(right_x, top + narration), ImVec2(right, code)};
  l[Panel::console] = {ImVec2(right_x, top + narration + code), ImVec2(right, console)};
  l[Panel::timeline] = {ImVec2(0, bottom_y), ImVec2(right_x, bottom)};
  l[Panel::stats] = {ImVec2(right_x, bottom_y), ImVec2(right, bottom)};
  return l;
}

void draw_app_shell(const AppShell& shell) {
  const ShellLayout layout = layout_shell(ImGui::GetIO().DisplaySize, shell.scale);
  for (int i = 0; i < kPanelCount; ++i) {
    const Panel panel = static_cast<Panel>(i);
    const PanelRect& r = layout[panel];
    ImGui::SetNextWindowPos(r.pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(r.size, ImGuiCond_Always);
    ImGuiWindowFlags flags = kPanelFlags;
    if (panel == Panel::controls) flags |= ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar;
    const std::string_view title = panel_title(panel);
    // Begin needs a terminated string; titles are literals, so data() is terminated.
    if (ImGui::Begin(title.data(), nullptr, flags)) {
      const std::function<void()>& fn = panel_function(shell, panel);
      if (panel == Panel::controls) {
        draw_controls_bar(shell, fn);
      } else if (fn) {
        fn();
      } else {
        draw_placeholder(panel);
      }
    }
    ImGui::End();
  }
}

void apply_style(float scale) {
  ImGuiStyle style;  // start from defaults so repeated calls do not compound the scale
  ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(12, 10);
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.ItemInnerSpacing = ImVec2(6, 5);
  style.CellPadding = ImVec2(6, 3);
  style.IndentSpacing = 18;
  style.ScrollbarSize = 12;
  style.GrabMinSize = 10;
  style.WindowBorderSize = 1;
  style.ChildBorderSize = 1;
  style.PopupBorderSize = 1;
  style.FrameBorderSize = 0;
  style.WindowRounding = 0;  // panels tile the window; rounded corners would leave gaps
  style.ChildRounding = 4;
  style.FrameRounding = 4;
  style.PopupRounding = 4;
  style.ScrollbarRounding = 6;
  style.GrabRounding = 4;
  style.TabRounding = 4;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  style.DisabledAlpha = 0.5f;

  ImVec4* c = style.Colors;
  const ImVec4 accent = rgb(0x00, 0xAD, 0xD8);
  c[ImGuiCol_Text] = rgb(0xE8, 0xEA, 0xED);
  c[ImGuiCol_TextDisabled] = rgb(0x95, 0x9C, 0xA8);
  c[ImGuiCol_WindowBg] = rgb(0x1D, 0x20, 0x26);
  c[ImGuiCol_ChildBg] = rgb(0x19, 0x1C, 0x21);
  c[ImGuiCol_PopupBg] = rgb(0x24, 0x28, 0x30, 0.98f);
  c[ImGuiCol_Border] = rgb(0x33, 0x38, 0x42);
  c[ImGuiCol_BorderShadow] = rgb(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = rgb(0x2A, 0x2F, 0x38);
  c[ImGuiCol_FrameBgHovered] = rgb(0x34, 0x3A, 0x45);
  c[ImGuiCol_FrameBgActive] = rgb(0x3C, 0x43, 0x50);
  c[ImGuiCol_TitleBg] = rgb(0x16, 0x18, 0x1D);
  c[ImGuiCol_TitleBgActive] = rgb(0x16, 0x18, 0x1D);  // fixed panels: no focus flicker
  c[ImGuiCol_TitleBgCollapsed] = rgb(0x16, 0x18, 0x1D);
  c[ImGuiCol_MenuBarBg] = rgb(0x1A, 0x1D, 0x22);
  c[ImGuiCol_ScrollbarBg] = rgb(0x1D, 0x20, 0x26);
  c[ImGuiCol_ScrollbarGrab] = rgb(0x3A, 0x40, 0x4B);
  c[ImGuiCol_ScrollbarGrabHovered] = rgb(0x4A, 0x52, 0x60);
  c[ImGuiCol_ScrollbarGrabActive] = rgb(0x5A, 0x63, 0x73);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = rgb(0x00, 0x9C, 0xC2);
  c[ImGuiCol_SliderGrabActive] = rgb(0x3F, 0xCB, 0xEE);
  c[ImGuiCol_Button] = rgb(0x2F, 0x35, 0x40);
  c[ImGuiCol_ButtonHovered] = rgb(0x00, 0x7F, 0xA0);
  c[ImGuiCol_ButtonActive] = rgb(0x00, 0x9C, 0xC2);
  c[ImGuiCol_Header] = rgb(0x2C, 0x3B, 0x47);
  c[ImGuiCol_HeaderHovered] = rgb(0x00, 0x6C, 0x88);
  c[ImGuiCol_HeaderActive] = rgb(0x00, 0x86, 0xA8);
  c[ImGuiCol_Separator] = rgb(0x33, 0x38, 0x42);
  c[ImGuiCol_SeparatorHovered] = accent;
  c[ImGuiCol_SeparatorActive] = accent;
  c[ImGuiCol_ResizeGrip] = rgb(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripHovered] = rgb(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripActive] = rgb(0, 0, 0, 0);
  c[ImGuiCol_Tab] = rgb(0x24, 0x28, 0x30);
  c[ImGuiCol_TabHovered] = rgb(0x00, 0x6C, 0x88);
  c[ImGuiCol_TabActive] = rgb(0x2C, 0x3B, 0x47);
  c[ImGuiCol_TabUnfocused] = rgb(0x24, 0x28, 0x30);
  c[ImGuiCol_TabUnfocusedActive] = rgb(0x2C, 0x3B, 0x47);
  c[ImGuiCol_PlotLines] = accent;
  c[ImGuiCol_PlotLinesHovered] = rgb(0xFD, 0xDD, 0x00);
  c[ImGuiCol_PlotHistogram] = rgb(0x00, 0xA2, 0x9C);
  c[ImGuiCol_PlotHistogramHovered] = rgb(0xFD, 0xDD, 0x00);
  c[ImGuiCol_TableHeaderBg] = rgb(0x24, 0x28, 0x30);
  c[ImGuiCol_TableBorderStrong] = rgb(0x33, 0x38, 0x42);
  c[ImGuiCol_TableBorderLight] = rgb(0x2A, 0x2E, 0x36);
  c[ImGuiCol_TableRowBg] = rgb(0, 0, 0, 0);
  c[ImGuiCol_TableRowBgAlt] = rgb(0xFF, 0xFF, 0xFF, 0.03f);
  c[ImGuiCol_TextSelectedBg] = rgb(0x00, 0xAD, 0xD8, 0.35f);
  c[ImGuiCol_DragDropTarget] = rgb(0xFD, 0xDD, 0x00);
  c[ImGuiCol_NavHighlight] = accent;
  c[ImGuiCol_ModalWindowDimBg] = rgb(0, 0, 0, 0.5f);

  style.ScaleAllSizes(std::max(scale, 0.5f));
  ImGui::GetStyle() = style;
}

}  // namespace goscope::ui
