// player.cpp: the playhead, play / step / seek, re-running on a change, and the
// once-per-frame work (keyboard, hover, play) shared by the player's panels.
#include "ui/views/player.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <imgui.h>

#include "ui/views/code_view.h"
#include "ui/views/console_view.h"
#include "ui/views/controls_view.h"
#include "ui/views/narration_view.h"
#include "ui/views/stage_view.h"

namespace goscope::ui {
namespace {

// kMaxFlying bounds the values animated at once: at 8x on a 64-worker fan-out a frame
// can pass several handoffs, and a crowd of dots reads worse than the newest few.
constexpr std::size_t kMaxFlying = 48;

// next_run_id numbers recordings across every player, so a view's per-run cache (keyed
// by run_id) can never mistake one player's run for another's.
uint64_t next_run_id() {
  static std::atomic<uint64_t> id{0};
  return ++id;
}

}  // namespace

Shown shown(const ReplayState& s, const GoroutineInfo& g) {
  Shown out{g.state, g.reason, g.obj, false};
  if (s.result.kind == ResultKind::deadlock) {
    for (const StuckGoroutine& st : s.result.blocked) {
      if (st.g != g.id) continue;
      out = {st.state, st.reason, st.obj, true};
      break;
    }
  } else if ((s.result.kind == ResultKind::panic || s.result.kind == ResultKind::fatal) && s.result.goroutine == g.id) {
    out.culprit = true;
  }
  return out;
}

Player::Player(std::vector<LessonInfo> lessons, RunLesson run)
    : lessons_(std::move(lessons)), run_(std::move(run)) {}

bool Player::select_lesson(std::string_view id) {
  for (std::size_t i = 0; i < lessons_.size(); ++i) {
    if (lessons_[i].id != id) continue;
    lesson_index_ = i;
    const LessonInfo& l = lessons_[i];
    request_.lesson = l.id;
    request_.params.clear();
    for (const ParamInfo& p : l.params) request_.params[p.name] = p.def;
    request_.procs = l.suggested_procs > 0 ? l.suggested_procs : 1;
    selected_ = 0;
    run_current();
    seek(0);
    // A new lesson starts playing: the learner came to watch it run.
    playing_ = true;
    return true;
  }
  return false;
}

bool Player::select_run(const RunRequest& r) {
  for (std::size_t i = 0; i < lessons_.size(); ++i) {
    if (lessons_[i].id != r.lesson) continue;
    lesson_index_ = i;
    request_ = r;
    for (const ParamInfo& p : lessons_[i].params) request_.params.try_emplace(p.name, p.def);
    selected_ = 0;
    run_current();
    seek(0);
    playing_ = true;
    return true;
  }
  return false;
}

bool Player::set_param(std::string_view name, int64_t value) {
  const LessonInfo* l = lesson();
  if (!l) return false;
  for (const ParamInfo& p : l->params) {
    if (p.name != name) continue;
    const int64_t hi = p.choices.empty() ? p.max : static_cast<int64_t>(p.choices.size()) - 1;
    const int64_t lo = p.choices.empty() ? p.min : 0;
    request_.params[p.name] = std::clamp(value, lo, std::max(lo, hi));
    rerun();
    return true;
  }
  return false;
}

void Player::set_seed(uint64_t seed) {
  request_.seed = seed;
  rerun();
}

void Player::set_mode(RunMode mode) {
  request_.mode = mode;
  rerun();
}

void Player::set_procs(int procs) {
  request_.procs = std::clamp(procs, 1, 256);
  rerun();
}

void Player::rerun() {
  if (!lesson()) return;
  const double fraction = model_.size() ? static_cast<double>(state_.index) / model_.size() : 0.0;
  run_current();
  seek_fraction(fraction);
}

void Player::run_current() {
  RunRecording rec;
  if (run_) {
    rec = run_(request_);
    ++runs_;
  } else {
    rec.error = "no way to run lessons in this build";
  }
  run_error_ = rec.error;
  model_ = ReplayModel(std::move(rec.events));
  state_ = model_.state_at(0);
  flying_.clear();
  step_clock_ = 0;
  index_names();
  run_id_ = next_run_id();
}

void Player::load(const LessonInfo& lesson, RunRecording recording) {
  auto it = std::find_if(lessons_.begin(), lessons_.end(), [&](const LessonInfo& l) { return l.id == lesson.id; });
  if (it == lessons_.end()) {
    lessons_.push_back(lesson);
    it = lessons_.end() - 1;
  }
  lesson_index_ = static_cast<std::size_t>(it - lessons_.begin());
  request_.lesson = lesson.id;
  request_.params.clear();
  for (const ParamInfo& p : lesson.params) request_.params[p.name] = p.def;
  run_error_ = recording.error;
  model_ = ReplayModel(std::move(recording.events));
  state_ = model_.state_at(0);
  flying_.clear();
  step_clock_ = 0;
  playing_ = false;
  index_names();
  run_id_ = next_run_id();
}

void Player::index_names() {
  wg_names_.clear();
  for (const Event& e : model_.events()) {
    if (e.kind != EventKind::WgAdd && e.kind != EventKind::WgDone && e.kind != EventKind::WgWait) continue;
    if (!e.text || !*e.text) continue;
    auto it = std::find_if(wg_names_.begin(), wg_names_.end(), [&](const auto& p) { return p.first == e.obj; });
    if (it == wg_names_.end()) wg_names_.emplace_back(e.obj, e.text);
  }
}

const char* Player::wg_name(uint64_t id) const {
  for (const auto& [obj, name] : wg_names_)
    if (obj == id) return name;
  return "";
}

bool Player::is_step(const Event& e) {
  switch (e.kind) {
    case EventKind::GoLine:       // moves a code marker only: shown with the step it leads to
    case EventKind::ProcStart:    // processor bookkeeping: the goroutine's GoStart says it
    case EventKind::ProcStop:
    case EventKind::SelectBegin:  // a select shows when it picks a case or blocks
    case EventKind::SelectReady:
    case EventKind::WgWait:       // Wait shows as the GoBlock that follows (or nothing, at 0)
    case EventKind::Dropped:
      return false;
    default:
      return true;
  }
}

std::size_t Player::next_step(std::size_t index) const {
  const std::size_t n = model_.size();
  for (std::size_t j = index; j < n; ++j)
    if (is_step(model_.event(j))) return j + 1;
  return n;
}

std::size_t Player::prev_step(std::size_t index) const {
  if (index == 0) return 0;
  for (std::size_t j = std::min(index, model_.size()) - 1; j-- > 0;)
    if (is_step(model_.event(j))) return j + 1;
  return 0;
}

void Player::play() {
  if (at_end()) seek(0);  // play at the end means "again"
  playing_ = true;
}

void Player::pause() { playing_ = false; }

void Player::toggle_play() {
  if (playing_) {
    pause();
  } else {
    play();
  }
}

void Player::step_forward() {
  pause();
  advance_to(next_step(state_.index));
}

void Player::step_back() {
  pause();
  seek(prev_step(state_.index));
}

void Player::step_goroutine(uint32_t g) {
  pause();
  if (g == 0) return step_forward();
  const std::size_t k = model_.next_event_of(g, state_.index);
  if (k >= model_.size()) return;
  advance_to(next_step(k));
}

void Player::restart() {
  seek(0);
  playing_ = true;
}

void Player::seek(std::size_t index) {
  model_.seek(state_, std::min(index, model_.size()));
  flying_.clear();
  step_clock_ = 0;
}

void Player::seek_fraction(double f) {
  f = std::clamp(f, 0.0, 1.0);
  const std::size_t n = model_.size();
  if (f <= 0.0 || n == 0) return seek(0);
  if (f >= 1.0) return seek(n);
  const std::size_t target = static_cast<std::size_t>(std::llround(f * static_cast<double>(n)));
  seek(next_step(target > 0 ? target - 1 : 0));
}

void Player::set_speed(float speed) { speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed); }

void Player::advance_to(std::size_t index) {
  const std::size_t from = state_.index;
  if (index <= from) return seek(index);
  model_.seek(state_, index);
  // Every value that moved between the two playheads flies, newest last.
  std::span<const Handoff> all = model_.handoffs();
  auto first = std::lower_bound(all.begin(), all.end(), from,
                                [](const Handoff& h, std::size_t i) { return h.event < i; });
  for (auto it = first; it != all.end() && it->event < index; ++it) flying_.push_back({*it, 0.0f});
  if (flying_.size() > kMaxFlying) flying_.erase(flying_.begin(), flying_.end() - kMaxFlying);
}

void Player::update(float dt) {
  dt = std::max(dt, 0.0f);
  // A value takes most of a step to fly, but never so long that it lags behind the
  // stage, nor so short that the eye misses it.
  const float step_seconds = 1.0f / (kEventsPerSecond * speed_);
  const float flight = std::clamp(step_seconds * 0.9f, 0.12f, 0.6f);
  for (FlyingValue& f : flying_) f.progress += dt / flight;
  std::erase_if(flying_, [](const FlyingValue& f) { return f.progress >= 1.0f; });

  if (!playing_) return;
  step_clock_ += dt / step_seconds;
  // A long frame (a stall, a window drag) must not turn into a burst: at most a few
  // steps per frame, the rest of the time is dropped.
  int steps = 0;
  while (step_clock_ >= 1.0f && steps < 8) {
    step_clock_ -= 1.0f;
    ++steps;
    if (at_end()) break;
    advance_to(next_step(state_.index));
  }
  if (steps == 8) step_clock_ = 0;
  // The end of the run (a return, a deadlock, a panic) freezes the stage: stop there.
  if (at_end()) playing_ = false;
}

void Player::begin_frame() {
  const int frame = ImGui::GetFrameCount();
  if (frame == frame_) return;
  frame_ = frame;
  hover_g_ = next_hover_g_;
  hover_line_ = next_hover_line_;
  next_hover_g_ = 0;
  next_hover_line_ = 0;

  ImGuiIO& io = ImGui::GetIO();
  // Keys belong to a text field while one is active (typing a seed must not play).
  if (!io.WantTextInput) {
    auto pressed = [](ImGuiKey key, bool repeat) {
      const int index = ImGui::GetKeyIndex(key);
      return index >= 0 && ImGui::IsKeyPressed(index, repeat);
    };
    if (pressed(ImGuiKey_Space, false)) toggle_play();
    if (pressed(ImGuiKey_LeftArrow, true)) step_back();
    if (pressed(ImGuiKey_RightArrow, true)) step_forward();
    if (pressed(ImGuiKey_Home, false)) restart();
  }
  update(io.DeltaTime);
}

void Player::draw_controls() {
  begin_frame();
  controls_view(*this);
}

void Player::draw_lessons() {
  begin_frame();
  lessons_view(*this);
}

void Player::draw_stage() {
  begin_frame();
  stage_view(*this);
}

void Player::draw_code() {
  begin_frame();
  code_view(*this);
}

void Player::draw_console() {
  begin_frame();
  console_view(*this);
}

void Player::draw_narration() {
  begin_frame();
  narration_view(*this);
}

void Player::attach(AppShell& shell) {
  shell.controls = [this] { draw_controls(); };
  shell.lessons = [this] { draw_lessons(); };
  shell.stage = [this] { draw_stage(); };
  shell.narration = [this] { draw_narration(); };
  shell.code = [this] { draw_code(); };
  shell.console = [this] { draw_console(); };
}

}  // namespace goscope::ui
