// gui.h: the app's window: GLFW, the GL loader (glad), Dear ImGui with its glfw and
// opengl3 backends, goscope's fonts, style and high-DPI scaling.
//
// Example:
//
//   std::string problem;
//   auto gui = Gui::open({.size = {1600, 1000}, .title = "goscope"}, problem);
//   if (!gui) { std::fprintf(stderr, "%s\n", problem.c_str()); return 1; }
//   goscope::FramePacer pacer;              // ui/model/frame_pacing.h
//   while (!gui->should_close()) {
//     gui->wait_events(pacer.wait_seconds()); // sleeps while nothing moves
//     if (gui->take_events() > 0) pacer.on_input();
//     if (!pacer.should_draw()) continue;
//     gui->begin_frame();
//     ImGui::Text("hello");
//     gui->render();
//     gui->present();     // swaps
//     pacer.frame_drawn(/*animating=*/false);
//   }
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cli.h"
#include "ui/model/key_queue.h"
#include "ui/views/app_shell.h"

struct GLFWwindow;

namespace goscope::app {

// GuiOptions says how to open the window.
struct GuiOptions {
  Size size;
  std::string title = "goscope";
  bool vsync = true;
  bool save_settings = true;  // keep imgui.ini in the config directory (off for screenshots)
};

// no_display_message returns the one line printed when there is no display to open a
// window on, or "" when DISPLAY or WAYLAND_DISPLAY is set.
std::string no_display_message();

// config_dir returns where goscope keeps its settings: $XDG_CONFIG_HOME/goscope, or
// ~/.config/goscope when XDG_CONFIG_HOME is unset or not absolute. Empty if neither
// variable gives a usable path.
std::filesystem::path config_dir();

// player_key says what a GLFW key event does to the player: Space (press), Left / Right
// (press and auto-repeat), Home (press); with Ctrl, Alt or Super held, nothing. False
// when the key is not one of the player's.
bool player_key(int glfw_key, int glfw_action, int glfw_mods, PlayerKey& out);

// Gui is an open window with ImGui ready to draw. Closing happens in the destructor, in
// the reverse order of opening.
class Gui {
 public:
  // open opens the window; on failure returns nullptr and sets `problem` to one line.
  static std::unique_ptr<Gui> open(const GuiOptions& options, std::string& problem);
  ~Gui();
  Gui(const Gui&) = delete;
  Gui& operator=(const Gui&) = delete;

  // should_close reports whether the user asked to close the window.
  bool should_close() const;
  // wait_events waits up to `seconds` for an event (0: just polls) and handles what came.
  void wait_events(double seconds);
  // take_events returns how many events (keys, mouse, resize, expose, focus...) arrived
  // since the last call, and starts counting again.
  int take_events();
  // keys are the player's key presses (Space, Left, Right, Home) as GLFW reported them,
  // each one, however short (ImGui 1.86 only sees keys held at a frame's start).
  KeyQueue& keys() { return keys_; }
  // begin_frame polls events, follows content-scale changes and starts an ImGui frame.
  void begin_frame();
  // render renders the ImGui frame into the back buffer (without presenting it).
  void render();
  // present swaps buffers.
  void present();
  // read_back returns the back buffer as tightly packed RGB rows, top row first.
  // Call after render() and before present().
  std::vector<unsigned char> read_back(int& width, int& height) const;

  // scale is the monitor's content scale (1 on ordinary screens, 2 on high-DPI ones).
  float scale() const { return scale_; }
  // fonts are the loaded faces (null members fall back to ImGui's default font).
  const ui::Fonts& fonts() const { return fonts_; }

 private:
  friend struct GuiEvents;
  Gui() = default;
  void load_fonts();
  void install_callbacks();

  GLFWwindow* window_ = nullptr;
  bool imgui_ready_ = false;
  float scale_ = 1.0f;
  ui::Fonts fonts_;
  std::string ini_path_;  // ImGui keeps a pointer to this
  KeyQueue keys_;
  int events_ = 0;
};

}  // namespace goscope::app
