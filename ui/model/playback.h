// playback.h: a playhead that moves through a recorded run at human speed, no ImGui.
//
// Playback moves the playhead one *step* at a time. A step ends on an event the stage
// shows (a goroutine starts, blocks, wakes, a value moves, a counter changes, a line is
// printed...). Bookkeeping events (GoLine, ProcStart / ProcStop, SelectReady, Dropped)
// ride along with the step that follows them: a GoLine alone changes no figure, and
// stopping on it would make every send take two steps.
//
// Values handed over between two playheads "fly" (progress 0..1) while update() runs.
//
// Example:
//
//   goscope::Playback pb;
//   pb.load(std::move(events));
//   pb.play();
//   // every frame:
//   pb.update(io.DeltaTime);           // steps at kEventsPerSecond * speed()
//   draw(pb.state(), pb.flying());
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/event.h"
#include "ui/model/replay.h"

namespace goscope {

// FlyingValue is a handoff being animated: progress 0..1 from its source to its target.
struct FlyingValue {
  Handoff handoff;
  float progress = 0;
};

// Playback is a run, a playhead over it, play / pause, stepping, seeking and speed.
class Playback {
 public:
  // kEventsPerSecond is how many steps a second play shows at 1x: four, so a learner can
  // read each change (a value moving, a goroutine blocking) before the next one.
  static constexpr float kEventsPerSecond = 4.0f;
  static constexpr float kMinSpeed = 0.25f;
  static constexpr float kMaxSpeed = 8.0f;
  // kMaxFlying bounds the values animated at once: at 8x on a 64-worker fan-out a frame
  // can pass several handoffs, and a crowd of dots reads worse than the newest few.
  static constexpr std::size_t kMaxFlying = 48;
  // kMaxStepsPerUpdate bounds the steps one update takes: a long frame (a stall, a window
  // drag) must not turn into a burst.
  static constexpr int kMaxStepsPerUpdate = 8;

  // load replaces the run and puts the playhead at its start (paused state unchanged).
  void load(std::vector<Event> events);

  void play();  // at the end, play means "again": it starts over
  void pause() { playing_ = false; }
  void toggle_play();
  // set_playing sets the play state as is (no rewind at the end).
  void set_playing(bool on) { playing_ = on; }
  bool playing() const { return playing_; }
  // step_forward / step_back move one step; they pause.
  void step_forward();
  void step_back();
  // step_goroutine moves to the next step that involves goroutine g (0: the next step).
  void step_goroutine(uint32_t g);
  // restart goes back to the start and plays.
  void restart();
  // seek puts the playhead at `index` (the state after events [0, index)), with no animation.
  void seek(std::size_t index);
  // seek_fraction seeks to the step nearest to fraction f (0 = start, 0.5 = middle, 1 = end).
  void seek_fraction(double f);
  void seek_end() { seek(model_.size()); }
  // fraction is where the playhead stands in the run, 0..1 (0 for an empty run).
  double fraction() const;
  void set_speed(float speed);
  float speed() const { return speed_; }
  // update advances the playhead by `dt` seconds of play and the animations with it; at
  // the end of the run it stops playing.
  void update(float dt);

  std::size_t playhead() const { return state_.index; }
  std::size_t size() const { return model_.size(); }
  const ReplayModel& model() const { return model_; }
  const ReplayState& state() const { return state_; }
  bool at_end() const { return state_.index >= model_.size(); }
  const std::vector<FlyingValue>& flying() const { return flying_; }

  // is_step reports whether the playhead may stop after event e (see above).
  static bool is_step(const Event& e);
  // next_step / prev_step return the playhead after the next / previous step from `index`.
  std::size_t next_step(std::size_t index) const;
  std::size_t prev_step(std::size_t index) const;

 private:
  void advance_to(std::size_t index);  // forward, animating the handoffs passed

  ReplayModel model_;
  ReplayState state_;
  bool playing_ = false;
  float speed_ = 1.0f;
  float step_clock_ = 0;  // steps of play not yet taken
  std::vector<FlyingValue> flying_;
};

}  // namespace goscope
