// playback.cpp: play / step / seek over a recorded run, and the clock that turns play
// time into steps.
#include "ui/model/playback.h"

#include <algorithm>
#include <cmath>

namespace goscope {

void Playback::load(std::vector<Event> events) {
  model_ = ReplayModel(std::move(events));
  state_ = model_.state_at(0);
  flying_.clear();
  step_clock_ = 0;
}

bool Playback::is_step(const Event& e) {
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

std::size_t Playback::next_step(std::size_t index) const {
  const std::size_t n = model_.size();
  for (std::size_t j = index; j < n; ++j)
    if (is_step(model_.event(j))) return j + 1;
  return n;
}

std::size_t Playback::prev_step(std::size_t index) const {
  if (index == 0) return 0;
  for (std::size_t j = std::min(index, model_.size()) - 1; j-- > 0;)
    if (is_step(model_.event(j))) return j + 1;
  return 0;
}

void Playback::play() {
  if (at_end()) seek(0);  // play at the end means "again"
  playing_ = true;
}

void Playback::toggle_play() {
  if (playing_) {
    pause();
  } else {
    play();
  }
}

void Playback::step_forward() {
  pause();
  advance_to(next_step(state_.index));
}

void Playback::step_back() {
  pause();
  seek(prev_step(state_.index));
}

void Playback::step_goroutine(uint32_t g) {
  pause();
  if (g == 0) return step_forward();
  const std::size_t k = model_.next_event_of(g, state_.index);
  if (k >= model_.size()) return;
  advance_to(next_step(k));
}

void Playback::restart() {
  seek(0);
  playing_ = true;
}

void Playback::seek(std::size_t index) {
  model_.seek(state_, std::min(index, model_.size()));
  flying_.clear();
  step_clock_ = 0;
}

void Playback::seek_fraction(double f) {
  f = std::clamp(f, 0.0, 1.0);
  const std::size_t n = model_.size();
  if (f <= 0.0 || n == 0) return seek(0);
  if (f >= 1.0) return seek(n);
  const std::size_t target = static_cast<std::size_t>(std::llround(f * static_cast<double>(n)));
  seek(next_step(target > 0 ? target - 1 : 0));
}

double Playback::fraction() const {
  return model_.size() ? static_cast<double>(state_.index) / static_cast<double>(model_.size()) : 0.0;
}

void Playback::set_speed(float speed) { speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed); }

void Playback::advance_to(std::size_t index) {
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

void Playback::update(float dt) {
  dt = std::max(dt, 0.0f);
  // A value takes most of a step to fly, but never so long that it lags behind the
  // stage, nor so short that the eye misses it.
  const float step_seconds = 1.0f / (kEventsPerSecond * speed_);
  const float flight = std::clamp(step_seconds * 0.9f, 0.12f, 0.6f);
  for (FlyingValue& f : flying_) f.progress += dt / flight;
  std::erase_if(flying_, [](const FlyingValue& f) { return f.progress >= 1.0f; });

  if (!playing_) return;
  step_clock_ += dt / step_seconds;
  // A long frame must not turn into a burst: at most a few steps per update, the rest of
  // the time is dropped.
  int steps = 0;
  while (step_clock_ >= 1.0f && steps < kMaxStepsPerUpdate) {
    step_clock_ -= 1.0f;
    ++steps;
    if (at_end()) break;
    advance_to(next_step(state_.index));
  }
  if (steps == kMaxStepsPerUpdate) step_clock_ = 0;
  // The end of the run (a return, a deadlock, a panic) freezes the stage: stop there.
  if (at_end()) playing_ = false;
}

}  // namespace goscope
