// controls_view.cpp: transport, run settings, parameter sliders, lesson picker.
#include "ui/views/controls_view.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "ui/views/player.h"
#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

// kSpeeds are the speeds the speed combo offers: doubling steps from 0.25x to 8x.
constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f, 8.0f};

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void transport_row(Player& p) {
  const float em = ImGui::GetFontSize();
  if (ImGui::Button("|<")) p.restart();
  tooltip("Restart: back to the first event and play (Home)");
  ImGui::SameLine();
  if (ImGui::Button("<")) p.step_back();
  tooltip("Step back one event (Left)");
  ImGui::SameLine();
  if (ImGui::Button(p.playing() ? "Pause" : (p.at_end() ? "Replay" : " Play "), ImVec2(em * 4.2f, 0))) p.toggle_play();
  tooltip("Play / pause (Space)");
  ImGui::SameLine();
  if (ImGui::Button(">")) p.step_forward();
  tooltip("Step forward one event (Right)");
  ImGui::SameLine();
  const GoroutineInfo* sel = p.state().goroutine(p.selected());
  ImGui::BeginDisabled(sel == nullptr);
  char label[96];
  std::snprintf(label, sizeof label, ">| %s###step-g", sel ? sel->name : "selected");
  if (ImGui::Button(label)) p.step_goroutine(p.selected());
  ImGui::EndDisabled();
  tooltip("Step to the next event of the selected goroutine (click a goroutine on the stage to select it)");

  ImGui::SameLine(0, em);
  ImGui::SetNextItemWidth(em * 4.5f);
  char speed[16];
  std::snprintf(speed, sizeof speed, "%gx", static_cast<double>(p.speed()));
  if (ImGui::BeginCombo("##speed", speed)) {
    for (float s : kSpeeds) {
      char item[16];
      std::snprintf(item, sizeof item, "%gx", static_cast<double>(s));
      if (ImGui::Selectable(item, s == p.speed())) p.set_speed(s);
    }
    ImGui::EndCombo();
  }
  tooltip("Speed: at 1x the stage shows four events a second");

  // The scrubber: drag anywhere in the run (the model makes any jump cheap).
  ImGui::SameLine();
  const int n = static_cast<int>(p.size());
  int at = static_cast<int>(p.playhead());
  ImGui::SetNextItemWidth(std::max(em * 8.0f, ImGui::GetContentRegionAvail().x));
  char fmt[64];
  std::snprintf(fmt, sizeof fmt, "event %%d of %d", n);
  if (ImGui::SliderInt("##scrub", &at, 0, std::max(n, 0), fmt)) {
    p.pause();
    p.seek(static_cast<std::size_t>(at));
  }
}

void settings_row(Player& p) {
  const float em = ImGui::GetFontSize();
  const RunRequest& r = p.request();

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("seed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em * 7.5f);
  uint64_t seed = r.seed;
  const uint64_t one = 1;
  // Real threads schedule as the OS does: a seed would change nothing, so it cannot be typed.
  const bool real = r.mode == RunMode::real;
  ImGui::BeginDisabled(real);
  if (ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed, &one, nullptr, "%" PRIu64,
                         ImGuiInputTextFlags_EnterReturnsTrue) ||
      (seed != r.seed && ImGui::IsItemDeactivatedAfterEdit())) {
    p.set_seed(seed);
  }
  ImGui::EndDisabled();
  if (real) {
    // A disabled item reports hover only when asked to.
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
      ImGui::TextUnformatted(kSeedInRealMode);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  } else {
    tooltip("The seed of the deterministic scheduler: the same seed replays the same schedule");
  }

  ImGui::SameLine();
  ImGui::SetNextItemWidth(em * 8.5f);
  int mode = r.mode == RunMode::real ? 1 : 0;
  if (ImGui::Combo("##mode", &mode, "deterministic\0real threads\0")) p.set_mode(mode ? RunMode::real : RunMode::deterministic);
  tooltip("deterministic: one thread simulates the processors on a virtual clock (same seed, same run); "
          "real threads: the processors are OS threads, every run differs");

  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("procs");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em * 4.0f);
  int procs = r.procs;
  if (ImGui::SliderInt("##procs", &procs, 1, 8, "%d", ImGuiSliderFlags_AlwaysClamp) && procs != r.procs) p.set_procs(procs);
  tooltip("Processors (GOMAXPROCS): how many goroutines can run at the same moment");

  const LessonInfo* lesson = p.lesson();
  if (!lesson) return;
  for (const ParamInfo& param : lesson->params) {
    ImGui::SameLine(0, em);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(param.name.c_str());
    std::string tip = param.description;
    ImGui::PushID(param.name.c_str());
    ImGui::SameLine();
    auto it = r.params.find(param.name);
    const int64_t value = it != r.params.end() ? it->second : param.def;
    if (!param.choices.empty()) {
      ImGui::SetNextItemWidth(em * 6.5f);
      const std::size_t cur = static_cast<std::size_t>(std::clamp<int64_t>(value, 0, static_cast<int64_t>(param.choices.size()) - 1));
      if (ImGui::BeginCombo("##v", param.choices[cur].c_str())) {
        for (std::size_t i = 0; i < param.choices.size(); ++i)
          if (ImGui::Selectable(param.choices[i].c_str(), i == cur) && i != cur) p.set_param(param.name, static_cast<int64_t>(i));
        ImGui::EndCombo();
      }
      tip += "\nchoices:";
      for (const std::string& c : param.choices) tip += " " + c;
    } else {
      ImGui::SetNextItemWidth(em * 6.5f);
      int64_t v = value;
      // The lesson re-runs as the slider moves: runs take milliseconds, and seeing the
      // stage change under the thumb is the point of a slider.
      if (ImGui::SliderScalar("##v", ImGuiDataType_S64, &v, &param.min, &param.max, "%" PRId64,
                              ImGuiSliderFlags_AlwaysClamp) &&
          v != value) {
        p.set_param(param.name, v);
      }
      tip += "\nrange " + std::to_string(param.min) + " .. " + std::to_string(param.max) + ", default " +
             std::to_string(param.def);
    }
    tooltip(tip.c_str());
    ImGui::PopID();
  }
}

}  // namespace

void help_marker(const char* text) {
  ImGui::TextDisabled("(?)");
  tooltip(text);
}

void controls_view(Player& p) {
  transport_row(p);
  settings_row(p);
}

void lessons_view(Player& p) {
  const LessonInfo* current = p.lesson();
  for (std::size_t i = 0; i < p.lessons().size(); ++i) {
    const LessonInfo& l = p.lessons()[i];
    const bool is_current = current && current->id == l.id;
    ImGui::PushID(static_cast<int>(i));
    const std::string label = l.title.empty() ? l.id : l.title;
    if (ImGui::Selectable(label.c_str(), is_current) && !is_current) {
      p.select_lesson(l.id);
      ImGui::PopID();
      break;  // the lesson list did not change, but the current one did: redraw next frame
    }
    if (ImGui::IsItemHovered() && !l.summary.empty()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24.0f);
      ImGui::TextUnformatted(l.summary.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    if (is_current && !l.summary.empty()) {
      ImGui::Indent();
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kMutedText));
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(l.summary.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
      ImGui::Unindent();
      ImGui::Spacing();
    }
    ImGui::PopID();
  }
}

}  // namespace goscope::ui
