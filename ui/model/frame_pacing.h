// frame_pacing.h: when the app draws a frame, and when it sleeps until something happens.
//
// A window that redraws all the time burns a core for a picture that does not change
// (with software GL a paused app took two thirds of a core). The app draws while
// something moves (play, values in flight, a background sweep filling the plot, a text
// field's cursor) and for a few frames after each input (ImGui settles hover, popups and
// layout over a frame or two); otherwise it waits for events and draws nothing.
//
// Example:
//
//   goscope::FramePacer pacer;
//   for (;;) {
//     wait_for_events(pacer.wait_seconds());   // 0: do not wait (glfwPollEvents)
//     if (input_arrived) pacer.on_input();
//     if (!pacer.should_draw()) continue;
//     draw();
//     pacer.frame_drawn(goscope::needs_another_frame(activity));
//   }
#pragma once

#include <cstddef>

namespace goscope {

// Activity is what may be moving on screen after a frame.
struct Activity {
  bool playing = false;                // the playhead moves
  std::size_t values_in_flight = 0;    // handoff animations not yet landed
  std::size_t keys_queued = 0;         // key presses waiting for the next frame
  bool background_work = false;        // a sweep is filling the plot
  bool text_input = false;             // a text field is active (its cursor blinks)
};

// needs_another_frame reports whether the picture will change without any input.
inline bool needs_another_frame(const Activity& a) {
  return a.playing || a.values_in_flight > 0 || a.keys_queued > 0 || a.background_work || a.text_input;
}

// FramePacer turns input and activity into "draw now" or "wait".
class FramePacer {
 public:
  // kSettleFrames are drawn after each input, so that what the input changed (a hover,
  // an opened combo, a value typed) reaches the screen.
  static constexpr int kSettleFrames = 3;
  // kIdleWaitSeconds is how long one wait lasts when nothing moves; waking without an
  // event draws nothing, so it only bounds how long a missed wake-up could go unseen.
  static constexpr double kIdleWaitSeconds = 0.5;

  // on_input: an event arrived (key, mouse, resize, expose, focus...).
  void on_input() { settle_ = kSettleFrames; }
  // should_draw: whether to draw a frame now.
  bool should_draw() const { return animating_ || settle_ > 0; }
  // wait_seconds: how long to wait for events before the next decision (0: do not wait).
  double wait_seconds() const { return should_draw() ? 0.0 : kIdleWaitSeconds; }
  // frame_drawn: a frame was drawn; `animating` says whether another is needed without input.
  void frame_drawn(bool animating) {
    animating_ = animating;
    if (settle_ > 0) --settle_;
  }

 private:
  bool animating_ = true;           // the first frame is drawn
  int settle_ = kSettleFrames;
};

}  // namespace goscope
