// console_view.cpp: output so far, then the end of the run in Go's words.
#include "ui/views/console_view.h"

#include <imgui.h>

#include "ui/views/player.h"
#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

// object_name names what a goroutine waits on: the channel's name or the WaitGroup's.
std::string object_name(const Player& p, BlockReason reason, uint64_t obj) {
  if (obj == 0) return {};
  if (reason == BlockReason::WaitGroup) {
    const char* n = p.wg_name(obj);
    return *n ? std::string(n) : "WaitGroup #" + std::to_string(obj);
  }
  const ChannelInfo* c = p.state().channel(obj);
  if (c && c->name && *c->name) return c->name;
  return "channel #" + std::to_string(obj);
}

void traceback(std::string& out, const Player& p, uint32_t id, const char* wait) {
  const GoroutineInfo* g = p.state().goroutine(id);
  out += "goroutine " + std::to_string(id) + " [" + wait + "]:\n";
  if (!g) return;
  // Go prints the function and file:line; the listing has one file, so the line is the
  // useful part, with the name goscope gave the goroutine.
  out += "    " + std::string(g->name);
  if (g->line > 0) out += " at line " + std::to_string(g->line);
  const Shown sh = shown(p.state(), *g);
  if (sh.state == GoState::blocked && sh.obj) out += ", waiting on " + object_name(p, sh.reason, sh.obj);
  out += "\n";
}

}  // namespace

std::string end_report(const Player& player) {
  const ReplayState& s = player.state();
  std::string out;
  switch (s.result.kind) {
    case ResultKind::running:
    case ResultKind::ok:
      return {};
    case ResultKind::panic:
      out = "panic: " + std::string(s.result.message) + "\n\n";
      traceback(out, player, s.result.goroutine, "running");
      return out;
    case ResultKind::fatal:
      out = "fatal error: " + std::string(s.result.message) + "\n\n";
      traceback(out, player, s.result.goroutine, "running");
      return out;
    case ResultKind::deadlock:
      out = "fatal error: " + std::string(*s.result.message ? s.result.message : "all goroutines are asleep - deadlock!") + "\n";
      for (const StuckGoroutine& g : s.result.blocked) {
        out += "\n";
        traceback(out, player, g.g, g.state == GoState::blocked ? go_wait_reason(g.reason)
                                     : g.state == GoState::sleeping ? "sleep" : to_string(g.state));
      }
      return out;
  }
  return out;
}

void console_view(Player& player) {
  const ReplayState& s = player.state();
  if (player.fonts().mono) ImGui::PushFont(player.fonts().mono);
  ImGui::BeginChild("##console-scroll", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;

  if (!player.run_error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCulprit));
    ImGui::TextWrapped("goscope could not run the lesson: %s", player.run_error().c_str());
    ImGui::PopStyleColor();
  }

  // Thousands of lines (fan-out prints one per job) stay cheap: only visible ones are laid out.
  std::span<const OutputLine> lines = player.model().output(s);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) ImGui::TextUnformatted(lines[i].text);
  }

  const std::string report = end_report(player);
  if (!report.empty()) {
    if (!lines.empty()) ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCulprit));
    ImGui::TextUnformatted(report.c_str(), report.c_str() + report.size());
    ImGui::PopStyleColor();
  } else if (s.result.program_ended || (player.at_end() && player.size() > 0)) {
    // What Go does not print but a learner needs: who died unfinished when main returned.
    int killed = 0;
    std::string names;
    for (const GoroutineInfo& g : s.goroutines) {
      if (g.state != GoState::abandoned) continue;
      if (killed < 6) names += (killed ? ", " : "") + std::string(g.name);
      ++killed;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kMutedText));
    ImGui::TextUnformatted("Program exited.");
    ImGui::PopStyleColor();
    if (killed > 0) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(style_color(SegmentStyle::blocked_recv)));
      ImGui::TextWrapped("main returned: %d goroutine%s killed unfinished (%s%s)", killed, killed == 1 ? "" : "s",
                         names.c_str(), killed > 6 ? ", ..." : "");
      ImGui::PopStyleColor();
    }
  }

  // Follow the playhead like a terminal, unless the learner scrolled up to read.
  if (at_bottom) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  if (player.fonts().mono) ImGui::PopFont();
}

}  // namespace goscope::ui
