// imgui_harness.h: drive Dear ImGui with no window and no GL, so views can be tested.
//
// The harness owns an ImGui context sized like a real display, with the font atlas
// built (ImGui needs it to lay out text) but never uploaded anywhere. Each frame() runs
// NewFrame, your drawing, Render, and leaves the draw data to inspect. Input is set on
// ImGuiIO directly, the 1.86 way (no AddMousePosEvent in this version).
//
// Example:
//
//   ImGuiHarness ui({1600, 1000});
//   int clicks = 0;
//   ImVec2 at;
//   auto draw = [&] {
//     ImGui::Begin("w");
//     if (ImGui::Button("go")) ++clicks;
//     at = ImGuiHarness::last_item_center();
//     ImGui::End();
//   };
//   ui.frame(draw);
//   ui.click(at, draw);   // clicks == 1
#pragma once

#include <cstddef>
#include <functional>

#include <imgui.h>
#include <imgui_internal.h>

namespace goscope::test {

// ImGuiHarness is a window-less ImGui context. One at a time per thread: ImGui's
// current context is global.
class ImGuiHarness {
 public:
  // ImGuiHarness creates a context for a display of `display` pixels at 60 frames a second.
  explicit ImGuiHarness(ImVec2 display = ImVec2(1600, 1000)) {
    previous_ = ImGui::GetCurrentContext();
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // tests never read or write imgui.ini
    io.LogFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    // The real renderer backend sets this; without it a frame over 65,535 vertices asserts.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    io.Fonts->SetTexID(nullptr);
  }

  ~ImGuiHarness() {
    ImGui::DestroyContext(context_);
    ImGui::SetCurrentContext(previous_);
  }

  ImGuiHarness(const ImGuiHarness&) = delete;
  ImGuiHarness& operator=(const ImGuiHarness&) = delete;

  // io is the context's input/output state (display size, mouse, keys).
  ImGuiIO& io() { return ImGui::GetIO(); }

  // frame runs one whole frame around `draw` and returns its draw data.
  ImDrawData* frame(const std::function<void()>& draw) {
    ImGui::NewFrame();
    if (draw) draw();
    ImGui::Render();
    ++frames_;
    return ImGui::GetDrawData();
  }

  // frames is how many frames have run.
  int frames() const { return frames_; }

  // vertex_count is the number of vertices in the last frame's draw data.
  std::size_t vertex_count() const {
    const ImDrawData* data = ImGui::GetDrawData();
    return data && data->Valid ? static_cast<std::size_t>(data->TotalVtxCount) : 0;
  }

  // move_mouse puts the mouse at `pos` for the next frame.
  void move_mouse(ImVec2 pos) { io().MousePos = pos; }

  // click moves the mouse to `pos`, then presses and releases the left button, running
  // `draw` for three frames: hover, press, release (a Button reports the click on release).
  void click(ImVec2 pos, const std::function<void()>& draw) {
    move_mouse(pos);
    frame(draw);
    io().MouseDown[0] = true;
    frame(draw);
    io().MouseDown[0] = false;
    frame(draw);
  }

  // window returns the ImGui window with this name, or nullptr.
  ImGuiWindow* window(const char* name) const { return ImGui::FindWindowByName(name); }

  // last_item_center returns the centre of the item drawn just before the call; call it
  // inside a draw function to learn where to click: ImGui keeps no table of item places.
  static ImVec2 last_item_center() {
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
  }

 private:
  ImGuiContext* previous_ = nullptr;
  ImGuiContext* context_ = nullptr;
  int frames_ = 0;
};

}  // namespace goscope::test
