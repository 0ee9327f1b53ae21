// player.cpp: the playhead, play / step / seek, re-running on a change, and the
// once-per-frame work (keyboard, hover, play) shared by the player's panels.
#include "ui/views/player.h"

#include <algorithm>
#include <atomic>

#include <imgui.h>

#include "ui/views/code_view.h"
#include "ui/views/console_view.h"
#include "ui/views/controls_view.h"
#include "ui/views/narration_view.h"
#include "ui/views/stage_view.h"

namespace goscope::ui {
namespace {

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
    playback_.set_playing(true);
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
    playback_.set_playing(true);
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
  const double fraction = playback_.fraction();
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
  playback_.load(std::move(rec.events));
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
  playback_.load(std::move(recording.events));
  playback_.pause();
  index_names();
  run_id_ = next_run_id();
}

void Player::index_names() {
  wg_names_.clear();
  for (const Event& e : model().events()) {
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
  if (keys_) {
    std::vector<PlayerKey> keys = keys_->take();
    if (!io.WantTextInput)
      for (PlayerKey k : keys) apply_key(k);
  } else if (!io.WantTextInput) {
    auto pressed = [](ImGuiKey key, bool repeat) {
      const int index = ImGui::GetKeyIndex(key);
      return index >= 0 && ImGui::IsKeyPressed(index, repeat);
    };
    if (pressed(ImGuiKey_Space, false)) toggle_play();
    if (pressed(ImGuiKey_LeftArrow, true)) step_back();
    if (pressed(ImGuiKey_RightArrow, true)) step_forward();
    if (pressed(ImGuiKey_Home, false)) restart();
  }
  update(std::min(io.DeltaTime, kMaxFrameSeconds));
}

void Player::apply_key(PlayerKey key) {
  switch (key) {
    case PlayerKey::toggle_play: toggle_play(); break;
    case PlayerKey::step_back: step_back(); break;
    case PlayerKey::step_forward: step_forward(); break;
    case PlayerKey::restart: restart(); break;
  }
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
  code_view_.draw(*this);
}

void Player::draw_console() {
  begin_frame();
  console_view(*this);
}

void Player::draw_narration() {
  begin_frame();
  narration_view_.draw(*this);
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
