// app_shell.h: the app's fixed panel layout and its look.
//
// The window is divided into the panels the finished app has; each panel is an ImGui
// window that is placed and sized every frame from the display size, so the layout
// follows the main window as it resizes. Views fill panels through AppShell's draw
// functions; a panel whose function is empty says in a sentence what will appear there.
//
//   +------------------------------------------------------------------+
//   | controls: play / pause / step / speed / seed / mode + sliders     |
//   +----------+-------------------------------------+-----------------+
//   | lessons  | stage                               | narration       |
//   |          |                                     +-----------------+
//   |          |                                     | code (Go)       |
//   |          |                                     +-----------------+
//   |          |                                     | console         |
//   +----------+-------------------------------------+-----------------+
//   | timeline                                       | stats           |
//   +------------------------------------------------+-----------------+
//
// Example:
//
//   goscope::ui::AppShell shell;
//   shell.stage = [&] { draw_stage(model, playhead); };
//   goscope::ui::draw_app_shell(shell);   // between ImGui::NewFrame() and ImGui::Render()
#pragma once

#include <array>
#include <functional>
#include <string_view>

#include <imgui.h>

namespace goscope::ui {

// Panel names one region of the layout.
enum class Panel { controls, lessons, stage, narration, code, console, timeline, stats };
inline constexpr int kPanelCount = 8;

// panel_title returns the panel's window title as the user sees it ("Stage").
std::string_view panel_title(Panel panel);

// panel_placeholder returns the sentence an unfilled panel shows: what will appear there.
std::string_view panel_placeholder(Panel panel);

// PanelRect is a panel's place on the display, in pixels from the top-left corner.
struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};

// ShellLayout holds every panel's rectangle, indexed by Panel.
struct ShellLayout {
  std::array<PanelRect, kPanelCount> rects{};
  const PanelRect& operator[](Panel p) const { return rects[static_cast<int>(p)]; }
  PanelRect& operator[](Panel p) { return rects[static_cast<int>(p)]; }
};

// layout_shell computes the panels' rectangles for a display of `display` pixels at
// `scale` (the monitor's content scale): fixed-ish side columns and bands that grow
// with the window, the stage taking what is left. The panels tile the display exactly.
ShellLayout layout_shell(ImVec2 display, float scale);

// Fonts are the faces the app loaded; views push them with ImGui::PushFont. A null font
// means ImGui's current font.
struct Fonts {
  ImFont* ui = nullptr;       // proportional text (DejaVu Sans)
  ImFont* mono = nullptr;     // code and console (DejaVu Sans Mono)
  ImFont* heading = nullptr;  // the brand and headings (DejaVu Sans Bold)
};

// AppShell is everything the shell draws: one function per panel (empty = placeholder),
// the fonts, the scale, and the text shown beside the brand in the controls bar.
struct AppShell {
  std::function<void()> controls, lessons, stage, narration, code, console, timeline, stats;
  Fonts fonts;
  float scale = 1.0f;
  std::string_view version;  // shown next to the brand, e.g. "0.1.0"
};

// draw_app_shell draws every panel at its place for the current ImGui display size.
// Call between ImGui::NewFrame() and ImGui::Render().
void draw_app_shell(const AppShell& shell);

// apply_style sets goscope's dark theme (high-contrast text, Go-blue accents) and scales
// sizes by `scale`. Call once after ImGui::CreateContext() and again when the scale changes.
void apply_style(float scale);

// kAccent is goscope's accent colour (Go's brand blue), for views that want to match.
inline constexpr ImU32 kAccent = IM_COL32(0x00, 0xAD, 0xD8, 0xFF);

}  // namespace goscope::ui
