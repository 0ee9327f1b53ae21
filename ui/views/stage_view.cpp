// stage_view.cpp: the stage canvas (imgui_demo's canvas pattern: cursor position and
// available size, an InvisibleButton for input, a clip rect, then ImDrawList calls).
#include "ui/views/stage_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "ui/views/player.h"
#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

// The stage's bands and limits are the layout's (ui/model/stage_layout.h).
constexpr float kTopBand = kStageTopBand;
constexpr int kMaxSlotsDrawn = kStageMaxSlotsDrawn;
constexpr int kMaxQueueChips = kStageMaxQueueChips;

ImVec2 operator+(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }
ImVec2 operator-(ImVec2 a, ImVec2 b) { return ImVec2(a.x - b.x, a.y - b.y); }
ImVec2 operator*(ImVec2 a, float k) { return ImVec2(a.x * k, a.y * k); }
ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return a + (b - a) * t; }

// im turns a stage position into ImGui's type.
ImVec2 im(StageVec v) { return ImVec2(v.x, v.y); }

// short_name turns "producer 12" into "p12" and "worker 3" into "w3" for chips and discs;
// names without a number stay whole ("main", "closer").
std::string short_name(const GoroutineInfo& g) {
  std::string_view n = g.name, r = g.role;
  if (n.size() > r.size() && !r.empty()) {
    std::string_view num = n.substr(r.size());
    while (!num.empty() && (num.front() == ' ' || num.front() == '#' || num.front() == '-' || num.front() == '_')) num.remove_prefix(1);
    return std::string(1, r.front()) + std::string(num);
  }
  return std::string(n);
}

// number_of returns the trailing number of a name ("worker 12" -> "12"), or its first letter.
std::string disc_label(const GoroutineInfo& g) {
  std::string s = short_name(g);
  if (s.size() > 1 && std::isdigit(static_cast<unsigned char>(s[1]))) return s.substr(1);
  return s.substr(0, std::min<std::size_t>(s.size(), 2));
}

}  // namespace

std::string dropped_banner_text(uint64_t dropped) {
  if (dropped == 0) return {};
  return std::to_string(dropped) + (dropped == 1 ? " event was" : " events were") + " dropped: the picture is incomplete";
}

StageLayout build_stage_layout(const Player& player, ImVec2 size) {
  return goscope::build_stage_layout(player.model(), player.run_id(), StageVec{size.x, size.y},
                                     ImGui::GetFontSize() / 16.0f);
}

namespace {

// Canvas is one frame's drawing context.
struct Canvas {
  Player& p;
  const StageLayout& L;
  const ReplayState& s;
  ImDrawList* dl;
  ImVec2 o;       // stage origin on screen
  float em;
  uint32_t hovered = 0;  // goroutine under the mouse this frame
  bool canvas_hovered = false;
  std::vector<uint32_t> culprits;
  double time = 0;

  ImVec2 at(ImVec2 v) const { return o + v; }
  ImVec2 at(StageVec v) const { return o + im(v); }

  ImVec2 pipe_in(const StageLayout::Pipe& pp) const { return at(ImVec2(pp.center.x - pp.length * 0.5f, pp.center.y)); }
  ImVec2 pipe_out(const StageLayout::Pipe& pp) const { return at(ImVec2(pp.center.x + pp.length * 0.5f, pp.center.y)); }
  ImVec2 fig_right(const StageLayout::Figure& f) const { return at(ImVec2(f.center.x + f.half.x, f.center.y)); }
  ImVec2 fig_left(const StageLayout::Figure& f) const { return at(ImVec2(f.center.x - f.half.x, f.center.y)); }

  void curve(ImVec2 a, ImVec2 b, ImU32 col, float thick) const {
    const float dx = std::max(std::abs(b.x - a.x) * 0.5f, 30.0f * em);
    dl->AddBezierCubic(a, a + ImVec2(dx, 0), b - ImVec2(dx, 0), b, col, thick, 14);
  }
  ImVec2 curve_point(ImVec2 a, ImVec2 b, float t) const {
    const float dx = std::max(std::abs(b.x - a.x) * 0.5f, 30.0f * em);
    const ImVec2 p1 = a + ImVec2(dx, 0), p2 = b - ImVec2(dx, 0);
    const float u = 1 - t;
    return a * (u * u * u) + p1 * (3 * u * u * t) + p2 * (3 * u * t * t) + b * (t * t * t);
  }

  const char* chan_name(uint64_t c) const {
    const ChannelInfo* ci = s.channel(c);
    if (ci && ci->name && *ci->name) return ci->name;
    if (const ChannelInfo* f = p.model().final_state().channel(c); f && f->name && *f->name) return f->name;
    return "chan";
  }

  bool is_culprit(uint32_t g) const { return std::find(culprits.begin(), culprits.end(), g) != culprits.end(); }
  bool highlighted(const GoroutineInfo& g) const { return g.id == hovered || p.highlighted(g); }
};

void draw_flows(Canvas& c) {
  // Faint: everyone who ever talked to each channel and WaitGroup, so the program's
  // shape (many-into-one, one-into-many) shows before anything moves.
  for (auto [g, ch] : c.L.sends) {
    const auto* f = c.L.figure(g);
    const auto* pp = c.L.pipe(ch);
    const GoroutineInfo* gi = c.s.goroutine(g);
    if (!f || !pp || !gi) continue;
    c.curve(c.fig_right(*f), c.pipe_in(*pp), kFlow, 1.5f);
  }
  for (auto [ch, g] : c.L.receives) {
    const auto* f = c.L.figure(g);
    const auto* pp = c.L.pipe(ch);
    const GoroutineInfo* gi = c.s.goroutine(g);
    if (!f || !pp || !gi || !c.s.channel(ch)) continue;
    c.curve(c.pipe_out(*pp), c.fig_left(*f), kFlow, 1.5f);
  }
}

// draw_links draws what is not a channel: Done into each WaitGroup gauge, and `go` from a
// goroutine to the ones it started that talk to no channel (hello-goroutine's whole story).
void draw_links(Canvas& c) {
  // Many workers calling Done make a fan of lines: fainter the more there are.
  const float done_alpha = c.L.dones.size() > 8 ? 0.12f : 0.3f;
  for (auto [g, w] : c.L.dones) {
    const auto* f = c.L.figure(g);
    const auto* gg = c.L.gauge(w);
    if (!f || !gg || !c.s.goroutine(g)) continue;
    const ImVec2 a = c.at(ImVec2(f->center.x, f->center.y + f->half.y));
    const ImVec2 b = c.at(ImVec2(gg->center.x, gg->center.y - 10 * c.em));
    c.dl->AddBezierCubic(a, a + ImVec2(0, 30 * c.em), b - ImVec2(0, 30 * c.em), b, with_alpha(kGauge, done_alpha), 1.5f, 14);
  }
  for (const GoroutineInfo& g : c.s.goroutines) {
    if (g.created_by == 0) continue;
    bool talks = false;
    for (auto [sg, ch] : c.L.sends) talks |= sg == g.id;
    for (auto [ch, r] : c.L.receives) talks |= r == g.id;
    if (talks) continue;
    const auto* from = c.L.figure(g.created_by);
    const auto* to = c.L.figure(g.id);
    if (!from || !to || from->column >= to->column) continue;
    const ImVec2 a = c.fig_right(*from), b = c.fig_left(*to);
    const ImU32 col = with_alpha(kMutedText, 0.8f);
    for (int i = 0; i < 20; i += 2) c.dl->AddLine(lerp(a, b, i / 20.0f), lerp(a, b, (i + 1) / 20.0f), col, 2 * c.em);
    const ImVec2 dir = (b - a) * (1.0f / std::max(1.0f, std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y))));
    const ImVec2 n(-dir.y, dir.x);
    c.dl->AddTriangleFilled(b, b - dir * (10 * c.em) + n * (5 * c.em), b - dir * (10 * c.em) - n * (5 * c.em), col);
    char label[64];
    std::snprintf(label, sizeof label, "go (line %d)", g.go_line);
    const ImVec2 m = lerp(a, b, 0.5f);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    c.dl->AddText(ImVec2(m.x - ts.x * 0.5f, m.y - ts.y - 4 * c.em), kMutedText, label);
  }
}

// draw_waits draws, for every blocked goroutine, a thick line in its state colour to
// the end of the channel or the WaitGroup it waits on: who waits on what, at a glance.
void draw_waits(Canvas& c) {
  for (const GoroutineInfo& g : c.s.goroutines) {
    if (g.state != GoState::blocked && !(g.state == GoState::abandoned && g.obj)) continue;
    const auto* f = c.L.figure(g.id);
    if (!f) continue;
    const ImU32 col = with_alpha(state_color(GoState::blocked, g.reason), g.state == GoState::abandoned ? 0.35f : 0.9f);
    const float thick = (f->compact ? 2.0f : 3.0f) * c.em;
    if (g.reason == BlockReason::Send) {
      if (const auto* pp = c.L.pipe(g.obj)) c.curve(c.fig_right(*f), c.pipe_in(*pp), col, thick);
    } else if (g.reason == BlockReason::Recv) {
      if (const auto* pp = c.L.pipe(g.obj)) c.curve(c.pipe_out(*pp), c.fig_left(*f), col, thick);
    } else if (g.reason == BlockReason::Select) {
      // A select waits on every channel it receives from: a thinner line to each.
      for (auto [ch, r] : c.L.receives)
        if (r == g.id)
          if (const auto* pp = c.L.pipe(ch)) c.curve(c.pipe_out(*pp), c.fig_left(*f), col, thick * 0.6f);
      for (auto [sg, ch] : c.L.sends)
        if (sg == g.id)
          if (const auto* pp = c.L.pipe(ch)) c.curve(c.fig_right(*f), c.pipe_in(*pp), col, thick * 0.6f);
    } else if (g.reason == BlockReason::WaitGroup) {
      if (const auto* gg = c.L.gauge(g.obj)) {
        const ImVec2 a = c.at(ImVec2(f->center.x, f->center.y + f->half.y));
        const ImVec2 b = c.at(ImVec2(gg->center.x, gg->center.y - 12 * c.em));
        c.dl->AddBezierCubic(a, a + ImVec2(0, 40 * c.em), b - ImVec2(0, 40 * c.em), b, col, thick, 14);
      }
    }
  }
}

void chip(Canvas& c, ImVec2 pos, const std::string& text, ImU32 col, bool ring) {
  const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
  const ImVec2 a = pos, b = pos + ImVec2(ts.x + 8 * c.em, ts.y + 2 * c.em);
  c.dl->AddRectFilled(a, b, col, 3 * c.em);
  if (ring) c.dl->AddRect(a - ImVec2(1, 1), b + ImVec2(1, 1), kHighlight, 3 * c.em, 0, 2);
  c.dl->AddText(pos + ImVec2(4 * c.em, 1 * c.em), text_on(col), text.c_str());
}

void draw_pipe(Canvas& c, const StageLayout::Pipe& pp) {
  const ChannelInfo* ch = c.s.channel(pp.id);
  if (!ch) return;  // not made yet
  const float em = c.em;
  const ImVec2 a = c.at(ImVec2(pp.center.x - pp.length * 0.5f, pp.center.y - pp.height * 0.5f));
  const ImVec2 b = c.at(ImVec2(pp.center.x + pp.length * 0.5f, pp.center.y + pp.height * 0.5f));
  // Name and kind above.
  char title[96];
  if (ch->capacity > 0)
    std::snprintf(title, sizeof title, "%s  (buffer %lld)", c.chan_name(pp.id), static_cast<long long>(ch->capacity));
  else
    std::snprintf(title, sizeof title, "%s  (unbuffered)", c.chan_name(pp.id));
  const ImVec2 tts = ImGui::CalcTextSize(title);
  c.dl->AddText(ImVec2((a.x + b.x - tts.x) * 0.5f, a.y - tts.y - 3 * em), ImGui::GetColorU32(ImGuiCol_Text), title);

  c.dl->AddRectFilled(a, b, kPipeFill, 6 * em);
  const float inner = 4 * em;
  if (pp.slots > 0) {
    // Slots from the receive end (right, the head of the FIFO) leftwards.
    const float slot_w = (pp.length - 2 * inner) / static_cast<float>(pp.slots);
    const int n = static_cast<int>(ch->buffer.size());
    for (int i = 0; i < pp.slots; ++i) {
      const float x1 = b.x - inner - slot_w * static_cast<float>(i);
      const ImVec2 sa(x1 - slot_w + 1.5f, a.y + inner), sb(x1 - 1.5f, b.y - inner);
      c.dl->AddRect(sa, sb, with_alpha(kPipe, 0.5f), 3 * em);
      if (i < n && (ch->capacity <= kMaxSlotsDrawn || i < pp.slots - 1)) {
        c.dl->AddRectFilled(sa, sb, with_alpha(kValue, 0.85f), 3 * em);
        const std::string v = ch->buffer[static_cast<std::size_t>(i)].value.str();
        const ImVec2 vs = ImGui::CalcTextSize(v.c_str());
        c.dl->PushClipRect(sa, sb, true);
        c.dl->AddText(ImVec2((sa.x + sb.x - vs.x) * 0.5f, (sa.y + sb.y - vs.y) * 0.5f), IM_COL32(0x10, 0x12, 0x16, 0xFF), v.c_str());
        c.dl->PopClipRect();
      }
    }
    if (ch->capacity > kMaxSlotsDrawn && n >= pp.slots) {
      // The last drawn slot stands for the rest of a big buffer.
      const float x1 = b.x - inner - slot_w * static_cast<float>(pp.slots - 1);
      const ImVec2 sa(x1 - slot_w + 1.5f, a.y + inner), sb(x1 - 1.5f, b.y - inner);
      c.dl->AddRectFilled(sa, sb, with_alpha(kValue, 0.45f), 3 * em);
      char more[16];
      std::snprintf(more, sizeof more, "+%d", n - pp.slots + 1);
      c.dl->AddText(sa + ImVec2(2, 2), IM_COL32(0x10, 0x12, 0x16, 0xFF), more);
    }
  } else {
    // Unbuffered: no place to keep a value; a sender and a receiver must meet in the middle.
    const float mx = (a.x + b.x) * 0.5f;
    for (float y = a.y + inner; y < b.y - inner; y += 6 * em)
      c.dl->AddLine(ImVec2(mx, y), ImVec2(mx, std::min(y + 3 * em, b.y - inner)), with_alpha(kPipe, 0.6f), 1.5f);
  }
  const ImU32 outline = ch->closed ? with_alpha(kPipe, 0.6f) : kPipe;
  c.dl->AddRect(a, b, outline, 6 * em, 0, 2 * em);
  // Occupancy under the pipe.
  char occ[64];
  if (ch->closed)
    std::snprintf(occ, sizeof occ, "closed%s", ch->buffer.empty() ? "" : ", draining");
  else if (ch->capacity > 0)
    std::snprintf(occ, sizeof occ, "%zu of %lld full", ch->buffer.size(), static_cast<long long>(ch->capacity));
  else
    occ[0] = '\0';
  if (ch->closed) {
    // A closed channel gets a bar across its inlet: nothing goes in any more.
    c.dl->AddRectFilled(ImVec2(a.x - 5 * em, a.y - 4 * em), ImVec2(a.x + 1 * em, b.y + 4 * em), kCulprit, 2 * em);
  }
  if (occ[0]) {
    const ImVec2 os = ImGui::CalcTextSize(occ);
    c.dl->AddText(ImVec2((a.x + b.x - os.x) * 0.5f, b.y + 2 * em), kMutedText, occ);
  }

  // Parked senders under the inlet, parked receivers under the outlet, in the order
  // they will be served (first = nearest the pipe).
  const float qy = b.y + 20 * em;
  auto queue = [&](float x_anchor, bool left, const char* what, int count, auto label_of, auto id_of) {
    if (count == 0) return;
    char head[48];
    std::snprintf(head, sizeof head, "%s (%d)", what, count);
    const ImVec2 hs = ImGui::CalcTextSize(head);
    float y = qy;
    const float hx = left ? x_anchor - hs.x * 0.25f : x_anchor - hs.x * 0.75f;
    c.dl->AddText(ImVec2(hx, y), kMutedText, head);
    y += hs.y + 1 * em;
    for (int i = 0; i < count && i < kMaxQueueChips; ++i) {
      const GoroutineInfo* g = c.s.goroutine(id_of(i));
      if (!g) continue;
      const std::string t = label_of(i, *g);
      const float w = ImGui::CalcTextSize(t.c_str()).x + 8 * em;
      const float x = left ? x_anchor - w * 0.25f : x_anchor - w * 0.75f;
      chip(c, ImVec2(x, y), t, state_color(g->state, g->reason), c.highlighted(*g));
      y += ImGui::GetFontSize() + 4 * em;
    }
    if (count > kMaxQueueChips) {
      char more[24];
      std::snprintf(more, sizeof more, "+%d more", count - kMaxQueueChips);
      c.dl->AddText(ImVec2(left ? x_anchor : x_anchor - ImGui::CalcTextSize(more).x, y), kMutedText, more);
    }
  };
  queue(a.x, true, "waiting to send", static_cast<int>(ch->senders.size()),
        [&](int i, const GoroutineInfo& g) {
          const ParkedSender& ps = ch->senders[static_cast<std::size_t>(i)];
          return ps.value_known && ps.value.kind != ValueKind::None ? short_name(g) + ": " + ps.value.str() : short_name(g);
        },
        [&](int i) { return ch->senders[static_cast<std::size_t>(i)].g; });
  queue(b.x, false, "waiting to receive", static_cast<int>(ch->receivers.size()),
        [&](int, const GoroutineInfo& g) { return short_name(g); },
        [&](int i) { return ch->receivers[static_cast<std::size_t>(i)]; });
  // Nobody will ever come to this end: say so where the learner looks.
  if (!pp.has_receivers && !ch->senders.empty()) {
    const char* t = "no receiver in this program";
    c.dl->AddText(ImVec2(b.x + 6 * em, a.y + 4 * em), kCulprit, t);
  }
}

void draw_gauge(Canvas& c, const StageLayout::Gauge& gg) {
  const WaitGroupInfo* w = c.s.waitgroup(gg.id);
  const float em = c.em;
  const int64_t counter = w ? w->counter : 0;
  const ImVec2 center = c.at(gg.center);
  const ImVec2 a(center.x - gg.width * 0.5f, center.y - 10 * em), b(center.x + gg.width * 0.5f, center.y + 10 * em);
  const char* name = c.p.wg_name(gg.id);
  char title[80];
  std::snprintf(title, sizeof title, "%s  counter %lld", *name ? name : "WaitGroup", static_cast<long long>(counter));
  c.dl->AddText(ImVec2(a.x, a.y - ImGui::GetFontSize() - 3 * em), ImGui::GetColorU32(ImGuiCol_Text), title);
  c.dl->AddRectFilled(a, b, kPipeFill, 4 * em);
  if (gg.max <= 24) {
    // One pip per count: Add fills pips, Done empties one.
    const float pw = (gg.width - 4 * em) / static_cast<float>(gg.max);
    for (int64_t i = 0; i < gg.max; ++i) {
      const ImVec2 pa(a.x + 2 * em + pw * static_cast<float>(i) + 1, a.y + 3 * em);
      const ImVec2 pb(pa.x + pw - 2, b.y - 3 * em);
      if (i < counter) c.dl->AddRectFilled(pa, pb, kGauge, 2 * em);
      else c.dl->AddRect(pa, pb, with_alpha(kGauge, 0.35f), 2 * em);
    }
  } else {
    const float f = std::clamp(static_cast<float>(counter) / static_cast<float>(gg.max), 0.0f, 1.0f);
    c.dl->AddRectFilled(a + ImVec2(2, 2), ImVec2(a.x + 2 + (gg.width - 4) * f, b.y - 2), kGauge, 3 * em);
  }
  c.dl->AddRect(a, b, with_alpha(kGauge, 0.9f), 4 * em, 0, 1.5f * em);
  // Waiters hang under the gauge.
  if (w && !w->waiters.empty()) {
    float x = a.x;
    const float y = b.y + 10 * em;
    for (std::size_t i = 0; i < w->waiters.size() && i < 4; ++i) {
      const GoroutineInfo* g = c.s.goroutine(w->waiters[i]);
      if (!g) continue;
      const std::string t = short_name(*g) + " waits for 0";
      c.dl->AddLine(ImVec2(x + 10 * em, b.y), ImVec2(x + 10 * em, y), state_color(g->state, g->reason), 2 * em);
      chip(c, ImVec2(x, y), t, state_color(g->state, g->reason), c.highlighted(*g));
      x += ImGui::CalcTextSize(t.c_str()).x + 14 * em;
    }
  }
}

// draw_preempted_notch marks a figure too small for words: a corner triangle in the
// preemption colour (the legend says what it means).
void draw_preempted_notch(Canvas& c, ImVec2 at, float r) {
  const ImVec2 p1 = at + ImVec2(-r, -r), p2 = at + ImVec2(r, -r), p3 = at + ImVec2(0, r);
  c.dl->AddTriangleFilled(p1, p2, p3, kPreempted);
  c.dl->AddTriangle(p1, p2, p3, IM_COL32(0x10, 0x12, 0x16, 0xFF), 1.0f);
}

// draw_preempted_badge pins a "preempted" tag on a card's top-right corner: the runtime
// took its processor, not the goroutine's own choice.
void draw_preempted_badge(Canvas& c, ImVec2 corner) {
  const char* t = "preempted";
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize() * 0.75f;
  const ImVec2 ts = font->CalcTextSizeA(fs, 1e9f, 0, t);
  const ImVec2 a = corner + ImVec2(-ts.x - 10 * c.em, -ts.y * 0.6f), b = a + ts + ImVec2(8 * c.em, 2 * c.em);
  c.dl->AddRectFilled(a, b, kPreempted, 3 * c.em);
  c.dl->AddText(font, fs, a + ImVec2(4 * c.em, 1 * c.em), IM_COL32(0x10, 0x12, 0x16, 0xFF), t);
}

void draw_figure(Canvas& c, const StageLayout::Figure& f, const GoroutineInfo& g, bool ever_ran) {
  const float em = c.em;
  const ImVec2 ctr = c.at(f.center);
  const ImVec2 a = ctr - im(f.half), b = ctr + im(f.half);
  const ImU32 col = state_color(g.state, g.reason);
  const bool finished = g.state == GoState::done;
  const bool killed = g.state == GoState::abandoned;
  // A finished goroutine fades out over the next few events after its exit (by events,
  // not seconds, so a paused stage and a screenshot show the same thing).
  const float since_exit = static_cast<float>(c.s.index) - static_cast<float>(g.last_event) - 1.0f;
  const float alpha = finished ? 1.0f - 0.6f * std::clamp(since_exit / 6.0f, 0.0f, 1.0f) : 1.0f;
  const bool ring = c.highlighted(g);
  const bool selected = g.id == c.p.selected();

  if (c.canvas_hovered && ImGui::IsMouseHoveringRect(a, b)) c.hovered = g.id;
  // Blocked goroutines are hollow (dark inside, a thick ring in their colour): waiting
  // reads as a shape, not only as a hue next to the solid running and ready ones.
  const bool hollow = g.state == GoState::blocked;

  if (f.compact) {
    const float r = f.half.x;
    if (g.state == GoState::not_started) {
      c.dl->AddCircle(ctr, r - 1, col, 0, 1.5f * em);
    } else if (hollow) {
      c.dl->AddCircleFilled(ctr, r - 1, mix(col, IM_COL32(0x15, 0x18, 0x1D, 0xFF), 0.72f));
      c.dl->AddCircle(ctr, r - 2, col, 0, std::max(2.0f, r * 0.22f));
    } else {
      c.dl->AddCircleFilled(ctr, r - 1, with_alpha(col, alpha));
    }
    const std::string label = disc_label(g);
    if (r > 8) {
      const float fs = std::min(ImGui::GetFontSize(), r * 1.15f);
      const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0, label.c_str());
      const ImU32 tc = hollow ? mix(col, IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), 0.5f) : with_alpha(text_on(col), finished ? 0.6f : 1.0f);
      c.dl->AddText(ImGui::GetFont(), fs, ctr - ts * 0.5f, tc, label.c_str());
    }
    if (killed) {
      c.dl->AddLine(ctr - ImVec2(r, r), ctr + ImVec2(r, r), kKilled, 2.5f * em);
      c.dl->AddLine(ctr + ImVec2(-r, r), ctr + ImVec2(r, -r), kKilled, 2.5f * em);
    }
    if (g.preempted) draw_preempted_notch(c, ctr + ImVec2(r * 0.7f, -r * 0.7f), std::max(4.0f, r * 0.55f));
    if (c.is_culprit(g.id)) c.dl->AddCircle(ctr, r + 2, kCulprit, 0, 2.5f * em);
    if (ring || selected) c.dl->AddCircle(ctr, r + 2 + (selected ? 2 : 0), kHighlight, 0, 2 * em);
    return;
  }

  // Card: state colour fill, name, and what it is doing.
  const float rounding = 6 * em;
  if (g.state == GoState::not_started) {
    c.dl->AddRectFilled(a, b, IM_COL32(0x22, 0x26, 0x2D, 0xFF), rounding);
    c.dl->AddRect(a, b, col, rounding, 0, 1.5f * em);
  } else if (hollow) {
    c.dl->AddRectFilled(a, b, mix(col, IM_COL32(0x15, 0x18, 0x1D, 0xFF), 0.72f), rounding);
    c.dl->AddRect(a + ImVec2(1, 1), b - ImVec2(1, 1), col, rounding, 0, 3 * em);
  } else {
    c.dl->AddRectFilled(a, b, with_alpha(col, alpha), rounding);
  }
  const ImU32 txt = g.state == GoState::not_started ? ImGui::GetColorU32(ImGuiCol_Text)
                    : hollow                        ? mix(col, IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), 0.55f)
                                                    : with_alpha(text_on(col), finished ? 0.7f : 1.0f);
  c.dl->PushClipRect(a, killed ? ImVec2(b.x - f.half.y * 1.6f - 4 * em, b.y) : b, true);
  c.dl->AddText(a + ImVec2(7 * em, 3 * em), txt, g.name);
  if (g.state != GoState::done) c.dl->AddText(a + ImVec2(7 * em + 0.8f, 3 * em), txt, g.name);  // a touch bolder

  // Second line: what it waits on, in a learner's words.
  char what[128];
  switch (g.state) {
    case GoState::blocked:
      if (g.reason == BlockReason::Send) std::snprintf(what, sizeof what, "blocked: send to %s", c.chan_name(g.obj));
      else if (g.reason == BlockReason::Recv) std::snprintf(what, sizeof what, "blocked: receive from %s", c.chan_name(g.obj));
      else if (g.reason == BlockReason::WaitGroup) std::snprintf(what, sizeof what, "blocked: %s.Wait()", *c.p.wg_name(g.obj) ? c.p.wg_name(g.obj) : "wg");
      else std::snprintf(what, sizeof what, "%s", state_label(g.state, g.reason));
      break;
    case GoState::abandoned:
      std::snprintf(what, sizeof what, "%s", !ever_ran ? "killed before it ever ran" : "killed unfinished");
      break;
    case GoState::done:
      std::snprintf(what, sizeof what, "done");
      break;
    case GoState::runnable:
      std::snprintf(what, sizeof what, "%s", g.preempted ? "preempted: waits for a processor" : state_label(g.state, g.reason));
      break;
    default:
      std::snprintf(what, sizeof what, "%s", state_label(g.state, g.reason));
      break;
  }
  c.dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, a + ImVec2(7 * em, 3 * em + ImGui::GetFontSize()), with_alpha(txt, 0.9f), what);
  c.dl->PopClipRect();

  if (killed) {
    // Unmistakable: a red cross over the card and why, under it.
    c.dl->AddRect(a, b, kKilled, rounding, 0, 2.5f * em);
    const float r = f.half.y * 0.8f;
    const ImVec2 xc(b.x - r - 3 * em, ctr.y);
    c.dl->AddCircleFilled(xc, r, kKilled);
    const float k = r * 0.5f;
    c.dl->AddLine(xc - ImVec2(k, k), xc + ImVec2(k, k), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), 3 * em);
    c.dl->AddLine(xc + ImVec2(-k, k), xc + ImVec2(k, -k), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), 3 * em);
    const char* why = c.s.result.kind == ResultKind::panic || c.s.result.kind == ResultKind::deadlock ||
                              c.s.result.kind == ResultKind::fatal
                          ? "killed: the program died"
                          : "killed: main returned";
    const ImVec2 ws = ImGui::CalcTextSize(why);
    c.dl->AddRectFilled(ImVec2(ctr.x - ws.x * 0.5f - 4 * em, b.y + 3 * em), ImVec2(ctr.x + ws.x * 0.5f + 4 * em, b.y + 5 * em + ws.y), kKilled, 3 * em);
    c.dl->AddText(ImVec2(ctr.x - ws.x * 0.5f, b.y + 4 * em), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), why);
  }
  if (finished) {
    c.dl->AddText(ImVec2(b.x - 18 * em, a.y + 3 * em), with_alpha(txt, 0.8f), "ok");
  }
  if (g.preempted) draw_preempted_badge(c, ImVec2(b.x, a.y));
  if (c.is_culprit(g.id)) {
    const float pulse = 0.6f + 0.4f * static_cast<float>(std::sin(c.time * 6.0));
    c.dl->AddRect(a - ImVec2(3, 3), b + ImVec2(3, 3), with_alpha(kCulprit, pulse), rounding + 2, 0, 3 * em);
  }
  if (ring || selected) c.dl->AddRect(a - ImVec2(2, 2), b + ImVec2(2, 2), kHighlight, rounding + 1, 0, selected ? 3 * em : 2 * em);
}

// figure_anchor is where a value leaves or reaches a goroutine.
ImVec2 figure_anchor(const Canvas& c, uint32_t g, bool out) {
  const auto* f = c.L.figure(g);
  if (!f) return c.at(ImVec2(c.L.size.x * 0.5f, c.L.size.y * 0.5f));
  return out ? c.fig_right(*f) : c.fig_left(*f);
}

// value_path returns where a handoff's value is at progress t: from the sender through
// the pipe to the receiver (or into / out of the buffer).
ImVec2 value_path(const Canvas& c, const Handoff& h, float t) {
  const auto* pp = c.L.pipe(h.chan);
  if (!pp) return figure_anchor(c, h.to ? h.to : h.from, h.to != 0);
  const ImVec2 in = c.pipe_in(*pp), out = c.pipe_out(*pp);
  switch (h.kind) {
    case HandoffKind::direct: {
      const ImVec2 from = figure_anchor(c, h.from, true), to = figure_anchor(c, h.to, false);
      if (t < 0.35f) return c.curve_point(from, in, t / 0.35f);
      if (t < 0.65f) return lerp(in, out, (t - 0.35f) / 0.3f);
      return c.curve_point(out, to, (t - 0.65f) / 0.35f);
    }
    case HandoffKind::to_buffer: {
      const ImVec2 from = figure_anchor(c, h.from, true);
      const ChannelInfo* ch = c.s.channel(h.chan);
      const int n = ch ? static_cast<int>(ch->buffer.size()) : 1;
      const float slot_w = pp->slots > 0 ? (pp->length - 8 * c.em) / static_cast<float>(pp->slots) : 0;
      const ImVec2 slot(out.x - 4 * c.em - slot_w * (static_cast<float>(std::min(n, std::max(pp->slots, 1))) - 0.5f), out.y);
      if (t < 0.6f) return c.curve_point(from, in, t / 0.6f);
      return lerp(in, slot, (t - 0.6f) / 0.4f);
    }
    case HandoffKind::from_buffer:
    case HandoffKind::closed: {
      const ImVec2 to = figure_anchor(c, h.to, false);
      const ImVec2 head(out.x - 16 * c.em, out.y);
      if (t < 0.3f) return lerp(head, out, t / 0.3f);
      return c.curve_point(out, to, (t - 0.3f) / 0.7f);
    }
  }
  return in;
}

void draw_value(Canvas& c, ImVec2 at, const ChanValue& v, bool closed, float alpha) {
  const std::string t = closed ? "zero" : v.str();
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize() * 0.85f;
  const ImVec2 ts = font->CalcTextSizeA(fs, 1e9f, 0, t.c_str());
  // A pill the size of the value: a token being carried, readable at any length.
  const ImVec2 half(std::max(8 * c.em, ts.x * 0.5f + 5 * c.em), 8 * c.em);
  const ImU32 fill = closed ? kMutedText : kValue;
  c.dl->AddRectFilled(at - half, at + half, with_alpha(fill, alpha), half.y);
  c.dl->AddRect(at - half, at + half, with_alpha(IM_COL32(0, 0, 0, 0xFF), 0.6f * alpha), half.y, 0, 1.5f);
  if (!t.empty()) c.dl->AddText(font, fs, at - ts * 0.5f, with_alpha(IM_COL32(0x10, 0x12, 0x16, 0xFF), alpha), t.c_str());
}

void draw_values(Canvas& c) {
  for (const Player::FlyingValue& f : c.p.flying()) {
    const float t = std::clamp(f.progress, 0.0f, 1.0f);
    const float eased = t * t * (3 - 2 * t);
    draw_value(c, value_path(c, f.handoff, eased), f.handoff.value, f.handoff.kind == HandoffKind::closed, 1.0f);
  }
  // Paused (or in a screenshot), the last handoff stays visible where it arrived, with a
  // faint trail: the learner sees what the step just did.
  if (c.p.flying().empty() && c.s.handoffs > 0) {
    const Handoff& h = c.s.last_handoff;
    if (c.s.index - h.event <= 3) {
      for (int i = 0; i < 24; ++i) {
        const float t0 = static_cast<float>(i) / 24.0f, t1 = static_cast<float>(i + 1) / 24.0f;
        c.dl->AddLine(value_path(c, h, t0), value_path(c, h, t1), with_alpha(kValue, 0.25f + 0.6f * t1), 2.5f * c.em);
      }
      if (h.kind == HandoffKind::direct || h.kind == HandoffKind::from_buffer || h.kind == HandoffKind::closed)
        draw_value(c, value_path(c, h, 0.93f), h.value, h.kind == HandoffKind::closed, 0.95f);
    }
  }
}

// draw_dropped warns, under the status line, that the run lost events (the model cannot
// show what it never heard of). Returns where the next banner may start.
float draw_dropped(Canvas& c, ImVec2 size, float y) {
  const std::string msg = dropped_banner_text(c.p.model().final_state().dropped);
  if (msg.empty()) return y;
  const float em = c.em;
  const ImVec2 ts = ImGui::CalcTextSize(msg.c_str());
  const ImVec2 a = c.o + ImVec2(std::max(8 * em, size.x - ts.x - 28 * em), y + 4 * em);
  const ImVec2 b = a + ts + ImVec2(20 * em, 6 * em);
  c.dl->AddRectFilled(a, b, mix(kDropped, IM_COL32(0, 0, 0, 0xFF), 0.7f), 4 * em);
  c.dl->AddRect(a, b, kDropped, 4 * em, 0, 2 * em);
  c.dl->AddText(a + ImVec2(10 * em, 3 * em), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), msg.c_str());
  return b.y - c.o.y;
}

void draw_banner(Canvas& c, ImVec2 size) {
  const float em = c.em;
  const ReplayState& s = c.s;
  // Status line: what time it is and how many goroutines are in each state.
  int running = 0, ready = 0, blocked = 0, done = 0, killed = 0;
  for (const GoroutineInfo& g : s.goroutines) {
    switch (g.state) {
      case GoState::running:
      case GoState::working: ++running; break;
      case GoState::runnable:
      case GoState::not_started: ++ready; break;
      case GoState::blocked:
      case GoState::sleeping: ++blocked; break;
      case GoState::done: ++done; break;
      case GoState::abandoned: ++killed; break;
    }
  }
  char status[200];
  std::snprintf(status, sizeof status, "t = %.3f ms   goroutines: %d running  %d ready  %d blocked  %d done%s",
                static_cast<double>(s.now) / 1e6, running, ready, blocked, done,
                killed ? "  " : "");
  ImVec2 p = c.o + ImVec2(8 * em, 6 * em);
  c.dl->AddText(p, kMutedText, status);
  if (killed) {
    char k[32];
    std::snprintf(k, sizeof k, "%d killed", killed);
    c.dl->AddText(p + ImVec2(ImGui::CalcTextSize(status).x, 0), kKilled, k);
  }
  const float below = draw_dropped(c, size, 6 * em + ImGui::GetTextLineHeight());

  // The end of the run, said on the stage itself.
  std::string msg;
  ImU32 col = kCulprit;
  if (s.result.kind == ResultKind::deadlock) {
    msg = "fatal error: " + std::string(*s.result.message ? s.result.message : "all goroutines are asleep - deadlock!");
  } else if (s.result.kind == ResultKind::panic || s.result.kind == ResultKind::fatal) {
    const GoroutineInfo* g = s.goroutine(s.result.goroutine);
    msg = (s.result.kind == ResultKind::panic ? "panic: " : "fatal error: ") + std::string(s.result.message) +
          (g ? "   (in " + std::string(g->name) + ")" : "");
  } else if (s.result.program_ended || (c.p.at_end() && c.p.size() > 0)) {
    if (killed) {
      msg = "main returned: the program is over, and " + std::to_string(killed) + " goroutine" + (killed == 1 ? " was" : "s were") +
            " killed unfinished";
    } else {
      msg = "main returned: the program is over";
      col = style_color(SegmentStyle::running);
    }
  }
  if (msg.empty()) return;
  if (s.result.kind == ResultKind::deadlock && !s.result.blocked.empty()) {
    // Say who is stuck on what, in one line under Go's words.
    msg += "\n";
    int n = 0;
    for (const StuckGoroutine& st : s.result.blocked) {
      const GoroutineInfo* g = s.goroutine(st.g);
      if (!g) continue;
      if (n == 3) {
        msg += ", and " + std::to_string(s.result.blocked.size() - 3) + " more";
        break;
      }
      std::string what = st.reason == BlockReason::Send   ? std::string("send to ") + c.chan_name(st.obj)
                          : st.reason == BlockReason::Recv ? std::string("receive from ") + c.chan_name(st.obj)
                          : st.reason == BlockReason::WaitGroup ? std::string("Wait on ") + (*c.p.wg_name(st.obj) ? c.p.wg_name(st.obj) : "a WaitGroup")
                                                                : std::string(state_label(st.state, st.reason));
      msg += (n ? ", " : "") + std::string(g->name) + " blocked: " + what;
      ++n;
    }
    msg += n == 1 ? ", and no other goroutine can ever wake it" : ", and none can wake another";
  }
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize() * 1.15f;
  const ImVec2 ts = font->CalcTextSizeA(fs, 1e9f, size.x - 40 * em, msg.c_str());
  const ImVec2 a = c.o + ImVec2((size.x - ts.x) * 0.5f - 12 * em, std::max(24 * em, below + 4 * em));
  const ImVec2 b = a + ts + ImVec2(24 * em, 10 * em);
  c.dl->AddRectFilled(a, b, with_alpha(mix(col, IM_COL32(0, 0, 0, 0xFF), 0.55f), 0.95f), 6 * em);
  c.dl->AddRect(a, b, col, 6 * em, 0, 2 * em);
  c.dl->AddText(font, fs, a + ImVec2(12 * em, 5 * em), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), msg.c_str(), nullptr, size.x - 40 * em);
}

void draw_legend(Canvas& c, ImVec2 size) {
  static constexpr SegmentStyle kShown[] = {SegmentStyle::running, SegmentStyle::runnable, SegmentStyle::blocked_send,
                                            SegmentStyle::blocked_recv, SegmentStyle::blocked_select,
                                            SegmentStyle::blocked_waitgroup, SegmentStyle::sleeping, SegmentStyle::done,
                                            SegmentStyle::abandoned};
  static constexpr const char* kNames[] = {"running", "ready", "blocked send", "blocked receive", "blocked select",
                                           "blocked Wait", "sleeping", "done", "killed"};
  const float em = c.em;
  const float fs = ImGui::GetFontSize() * 0.8f;
  float x = c.o.x + size.x - 8 * em;
  const float y = c.o.y + size.y - fs - 6 * em;
  for (int i = 8; i >= 0; --i) {
    const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0, kNames[i]);
    x -= ts.x;
    c.dl->AddText(ImGui::GetFont(), fs, ImVec2(x, y), kMutedText, kNames[i]);
    x -= fs + 3 * em;
    c.dl->AddRectFilled(ImVec2(x, y + 1), ImVec2(x + fs - 2, y + fs - 1), style_color(kShown[i]), 2);
    x -= 10 * em;
  }
  // The preemption mark, only for runs that have one.
  const auto& all = c.p.model().final_state().goroutines;
  if (std::none_of(all.begin(), all.end(), [](const GoroutineInfo& g) { return g.preemptions > 0; })) return;
  const char* name = "preempted";
  const float w = ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0, name).x;
  if (x - w - fs < c.o.x) return;  // a narrow stage: the timeline's legend says it too
  x -= w;
  c.dl->AddText(ImGui::GetFont(), fs, ImVec2(x, y), kMutedText, name);
  x -= fs * 0.5f + 3 * em;
  draw_preempted_notch(c, ImVec2(x, y + fs * 0.5f), fs * 0.4f);
}

void figure_tooltip(Canvas& c, const GoroutineInfo& g) {
  ImGui::BeginTooltip();
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(g.state, g.reason)), "%s", g.name);
  ImGui::SameLine();
  ImGui::TextDisabled("goroutine %u", g.id);
  ImGui::TextUnformatted(state_label(g.state, g.reason));
  if (g.state == GoState::blocked && g.obj) {
    if (g.reason == BlockReason::WaitGroup) ImGui::Text("waits until %s's counter is 0", *c.p.wg_name(g.obj) ? c.p.wg_name(g.obj) : "the WaitGroup");
    else if (g.reason == BlockReason::Send) ImGui::Text("waits for a receiver on %s%s", c.chan_name(g.obj),
                                                        c.s.channel(g.obj) && c.s.channel(g.obj)->capacity > 0 ? " (its buffer is full)" : "");
    else if (g.reason == BlockReason::Recv) ImGui::Text("waits for a value on %s", c.chan_name(g.obj));
  }
  if (g.preempted) ImGui::TextUnformatted("preempted: it ran long while others waited, so the runtime gave its processor to another");
  if (g.preemptions > 0) ImGui::TextDisabled("preempted %u time%s so far", g.preemptions, g.preemptions == 1 ? "" : "s");
  if (g.line > 0) ImGui::Text("at line %d", g.line);
  if (const GoroutineInfo* by = c.s.goroutine(g.created_by)) ImGui::TextDisabled("started by %s (go at line %d)", by->name, g.go_line);
  ImGui::TextDisabled("blocked %.3f ms so far; click to select", static_cast<double>(g.time_in_state(GoState::blocked, c.s.now)) / 1e6);
  ImGui::EndTooltip();
}

}  // namespace

void stage_view(Player& player) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 100.0f);
  size.y = std::max(size.y, 100.0f);
  ImGui::InvisibleButton("##stage", size);
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  // Hover is the canvas's own (a press makes the button active, and IsWindowHovered
  // would then say no on the very frame of the click).
  const bool canvas_hovered = ImGui::IsItemHovered() || ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, origin + size, true);
  dl->AddRectFilled(origin, origin + size, kStageBackground);

  if (!player.lesson() || player.size() == 0) {
    dl->AddText(origin + ImVec2(12, 12), kMutedText, player.run_error().empty() ? "Pick a lesson to run it." : player.run_error().c_str());
    dl->PopClipRect();
    return;
  }

  // The layout depends on the run and the stage size only: rebuild it when either changes.
  const StageLayout& layout =
      player.stage_layout().get(player.model(), player.run_id(), StageVec{size.x, size.y}, ImGui::GetFontSize() / 16.0f);

  // A deadlocked run ends with its stuck goroutines abandoned; draw them as what they
  // were when it was declared: blocked, at the thing they waited on (see shown()).
  const ReplayState* state = &player.state();
  ReplayState patched;
  if (state->result.kind == ResultKind::deadlock) {
    patched = *state;
    for (GoroutineInfo& g : patched.goroutines) {
      const Shown sh = shown(*state, g);
      g.state = sh.state;
      g.reason = sh.reason;
      g.obj = sh.obj;
    }
    state = &patched;
  }
  const ReplayState& s = *state;
  Canvas c{player, layout, s, dl, origin, ImGui::GetFontSize() / 16.0f, 0, canvas_hovered && player.interactive(), {}, 0.0};
  c.time = ImGui::GetTime();
  if (s.result.kind == ResultKind::deadlock)
    for (const StuckGoroutine& g : s.result.blocked) c.culprits.push_back(g.g);
  if (s.result.kind == ResultKind::panic || s.result.kind == ResultKind::fatal) c.culprits.push_back(s.result.goroutine);

  // First-run flags: has the goroutine ever started by the playhead? (for "killed before it ever ran")
  draw_flows(c);
  draw_links(c);
  draw_waits(c);
  for (const StageLayout::Pipe& pp : layout.pipes) draw_pipe(c, pp);
  for (const StageLayout::Gauge& gg : layout.gauges) draw_gauge(c, gg);
  for (const StageLayout::Figure& f : layout.figures) {
    const GoroutineInfo* g = s.goroutine(f.g);
    if (!g) continue;  // not created yet
    const bool ran = g->time_in[static_cast<int>(GoState::running)] > 0 || g->time_in[static_cast<int>(GoState::runnable)] > 0 ||
                     g->time_in[static_cast<int>(GoState::blocked)] > 0 || g->line > 0;
    draw_figure(c, f, *g, ran);
  }
  draw_values(c);
  draw_banner(c, size);
  draw_legend(c, size);
  dl->PopClipRect();

  if (c.hovered && player.interactive()) {
    player.hover_goroutine(c.hovered);
    if (const GoroutineInfo* g = s.goroutine(c.hovered)) figure_tooltip(c, *g);
  }
  if (clicked) player.select_goroutine(c.hovered);
}

}  // namespace goscope::ui
