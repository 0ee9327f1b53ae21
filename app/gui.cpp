// gui.cpp: GLFW + glad + Dear ImGui (1.86, glfw and opengl3 backends from libimgui.a).
#include "app/gui.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include <glad/gl.h>  // before GLFW, which then leaves GL headers alone
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace goscope::app {
namespace {

// last_glfw_error keeps GLFW's most recent complaint. The callback stays quiet: when
// something fails we print one line that says what to do, not a wall of GLFW errors.
std::string last_glfw_error;

void remember_glfw_error(int code, const char* description) {
  last_glfw_error = "GLFW error " + std::to_string(code) + ": " + (description ? description : "");
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0';
}

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// kGlyphRanges: Latin, punctuation (dashes, ellipsis), arrows, maths, box drawing and
// geometric shapes, so narration and controls can use ▶ ■ ← → ≤ and ASCII-art boxes.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2200, 0x22FF,
    0x2500, 0x257F, 0x25A0, 0x25FF, 0,
};

ImFont* add_font(const char* file, float pixels) {
  const std::string path = std::string(kFontDir) + file;
  std::error_code ec;
  // ImGui asserts on a missing file; check first and fall back instead.
  if (!std::filesystem::is_regular_file(path, ec)) return nullptr;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), pixels, &config, kGlyphRanges);
}

float content_scale(GLFWwindow* window) {
  if (const char* forced = std::getenv("GOSCOPE_SCALE")) {
    const float s = std::strtof(forced, nullptr);
    if (s >= 0.5f && s <= 4.0f) return s;
  }
  float x = 1.0f, y = 1.0f;
  glfwGetWindowContentScale(window, &x, &y);
  const float s = std::max(x, y);
  return (s >= 0.5f && s <= 4.0f) ? s : 1.0f;
}

// the_gui is the open window whose callbacks run (goscope opens one).
Gui* the_gui = nullptr;

// The callbacks ImGui's backend installed, called first by ours (it must see every event).
GLFWkeyfun prev_key = nullptr;
GLFWcharfun prev_char = nullptr;
GLFWmousebuttonfun prev_mouse_button = nullptr;
GLFWscrollfun prev_scroll = nullptr;
GLFWcursorposfun prev_cursor_pos = nullptr;
GLFWcursorenterfun prev_cursor_enter = nullptr;
GLFWwindowfocusfun prev_focus = nullptr;
GLFWframebuffersizefun prev_framebuffer_size = nullptr;
GLFWwindowrefreshfun prev_refresh = nullptr;
GLFWwindowcontentscalefun prev_content_scale = nullptr;

}  // namespace

// GuiEvents lets the file's callbacks reach the Gui's private counters.
struct GuiEvents {
  static void count() {
    if (the_gui) ++the_gui->events_;
  }
  static void key(GLFWwindow* w, int key, int scancode, int action, int mods) {
    if (prev_key) prev_key(w, key, scancode, action, mods);
    count();
    PlayerKey k;
    if (the_gui && player_key(key, action, mods, k)) the_gui->keys_.push(k);
  }
  static void character(GLFWwindow* w, unsigned int c) {
    if (prev_char) prev_char(w, c);
    count();
  }
  static void mouse_button(GLFWwindow* w, int button, int action, int mods) {
    if (prev_mouse_button) prev_mouse_button(w, button, action, mods);
    count();
  }
  static void scroll(GLFWwindow* w, double x, double y) {
    if (prev_scroll) prev_scroll(w, x, y);
    count();
  }
  static void cursor_pos(GLFWwindow* w, double x, double y) {
    if (prev_cursor_pos) prev_cursor_pos(w, x, y);
    count();
  }
  static void cursor_enter(GLFWwindow* w, int entered) {
    if (prev_cursor_enter) prev_cursor_enter(w, entered);
    count();
  }
  static void focus(GLFWwindow* w, int focused) {
    if (prev_focus) prev_focus(w, focused);
    count();
  }
  static void framebuffer_size(GLFWwindow* w, int width, int height) {
    if (prev_framebuffer_size) prev_framebuffer_size(w, width, height);
    count();
  }
  static void refresh(GLFWwindow* w) {
    if (prev_refresh) prev_refresh(w);
    count();
  }
  static void content_scale(GLFWwindow* w, float x, float y) {
    if (prev_content_scale) prev_content_scale(w, x, y);
    count();
  }
};

bool player_key(int glfw_key, int glfw_action, int glfw_mods, PlayerKey& out) {
  if (glfw_mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) return false;
  const bool press = glfw_action == GLFW_PRESS;
  const bool repeat = glfw_action == GLFW_REPEAT;
  switch (glfw_key) {
    case GLFW_KEY_SPACE: out = PlayerKey::toggle_play; return press;
    case GLFW_KEY_LEFT: out = PlayerKey::step_back; return press || repeat;
    case GLFW_KEY_RIGHT: out = PlayerKey::step_forward; return press || repeat;
    case GLFW_KEY_HOME: out = PlayerKey::restart; return press;
    default: return false;
  }
}

void Gui::install_callbacks() {
  // After ImGui_ImplGlfw_InitForOpenGL: ours replace the backend's and call them first.
  the_gui = this;
  prev_key = glfwSetKeyCallback(window_, GuiEvents::key);
  prev_char = glfwSetCharCallback(window_, GuiEvents::character);
  prev_mouse_button = glfwSetMouseButtonCallback(window_, GuiEvents::mouse_button);
  prev_scroll = glfwSetScrollCallback(window_, GuiEvents::scroll);
  prev_cursor_pos = glfwSetCursorPosCallback(window_, GuiEvents::cursor_pos);
  prev_cursor_enter = glfwSetCursorEnterCallback(window_, GuiEvents::cursor_enter);
  prev_focus = glfwSetWindowFocusCallback(window_, GuiEvents::focus);
  prev_framebuffer_size = glfwSetFramebufferSizeCallback(window_, GuiEvents::framebuffer_size);
  prev_refresh = glfwSetWindowRefreshCallback(window_, GuiEvents::refresh);
  prev_content_scale = glfwSetWindowContentScaleCallback(window_, GuiEvents::content_scale);
}

void Gui::wait_events(double seconds) {
  if (seconds > 0) {
    glfwWaitEventsTimeout(seconds);
  } else {
    glfwPollEvents();
  }
}

int Gui::take_events() {
  const int n = events_;
  events_ = 0;
  return n;
}

std::string no_display_message() {
  if (env_set("DISPLAY") || env_set("WAYLAND_DISPLAY")) return {};
  return "goscope: no display (DISPLAY is not set); to see the app headless run: "
         "xvfb-run -a goscope --screenshot out.png";
}

std::filesystem::path config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && xdg[0] == '/') return std::filesystem::path(xdg) / "goscope";
  const char* home = std::getenv("HOME");
  if (home && home[0] == '/') return std::filesystem::path(home) / ".config" / "goscope";
  return {};
}

std::unique_ptr<Gui> Gui::open(const GuiOptions& options, std::string& problem) {
  if (std::string msg = no_display_message(); !msg.empty()) {
    problem = msg;
    return nullptr;
  }
  glfwSetErrorCallback(remember_glfw_error);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    problem = "goscope: cannot open display '" + std::string(display ? display : "") + "' (" +
              last_glfw_error + "); to see the app headless run: xvfb-run -a goscope --screenshot out.png";
    return nullptr;
  }
  std::unique_ptr<Gui> gui(new Gui());

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  gui->window_ = glfwCreateWindow(options.size.width, options.size.height, options.title.c_str(),
                                  nullptr, nullptr);
  if (!gui->window_) {
    problem = "goscope: cannot create an OpenGL 3.3 window (" + last_glfw_error + ")";
    return nullptr;
  }
  glfwMakeContextCurrent(gui->window_);
  glfwSwapInterval(options.vsync ? 1 : 0);
  if (gladLoadGL(glfwGetProcAddress) == 0) {
    problem = "goscope: cannot load OpenGL 3.3 functions";
    return nullptr;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  gui->imgui_ready_ = true;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  if (options.save_settings) {
    const std::filesystem::path dir = config_dir();
    std::error_code ec;
    if (!dir.empty() && (std::filesystem::create_directories(dir, ec), !ec)) {
      gui->ini_path_ = (dir / "imgui.ini").string();
      io.IniFilename = gui->ini_path_.c_str();
    }
  }

  gui->scale_ = content_scale(gui->window_);
  gui->load_fonts();
  ui::apply_style(gui->scale_);
  ImGui_ImplGlfw_InitForOpenGL(gui->window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  gui->install_callbacks();
  return gui;
}

void Gui::load_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  fonts_.ui = add_font("DejaVuSans.ttf", std::round(16.0f * scale_));
  if (!fonts_.ui) {
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * scale_);
    fonts_.ui = io.Fonts->AddFontDefault(&config);
  }
  fonts_.mono = add_font("DejaVuSansMono.ttf", std::round(15.0f * scale_));
  fonts_.heading = add_font("DejaVuSans-Bold.ttf", std::round(19.0f * scale_));
  io.FontDefault = fonts_.ui;
}

Gui::~Gui() {
  if (the_gui == this) the_gui = nullptr;
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Gui::should_close() const { return glfwWindowShouldClose(window_) != 0; }

void Gui::begin_frame() {
  glfwPollEvents();
  // Moving to a monitor with another scale: rebuild the fonts at the new size (scaling
  // the texture would blur them) and rescale the style.
  if (const float s = content_scale(window_); std::abs(s - scale_) > 0.01f) {
    scale_ = s;
    load_fonts();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ui::apply_style(scale_);
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void Gui::render() {
  ImGui::Render();
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.09f, 0.10f, 0.12f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Gui::present() { glfwSwapBuffers(window_); }

std::vector<unsigned char> Gui::read_back(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
  glFinish();
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);  // rows of width*3 bytes, no padding
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  // GL's first row is the bottom one; PNG's is the top one.
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    std::copy_n(pixels.data() + static_cast<std::size_t>(height - 1 - y) * row, row,
                flipped.data() + static_cast<std::size_t>(y) * row);
  }
  return flipped;
}

}  // namespace goscope::app
