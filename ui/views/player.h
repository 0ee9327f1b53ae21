// player.h: the lesson player: one recorded run of a lesson, a playhead that moves
// through it at human speed, and the panels that show the run at the playhead.
//
// The ui layer knows the runtime only through core/event.h, and the lessons not at all:
// the app describes each lesson as a LessonInfo and hands the player a RunLesson
// callback that runs one (goscope::run with a Recorder) and returns its events. The
// player re-runs whenever the learner changes the lesson, a parameter, the seed, the
// mode or the number of processors, then replays the recorded events.
//
// Playback (stepping, speed, play / pause timing) is the model's goscope::Playback
// (ui/model/playback.h); the player adds the lessons, the runs, the hover and the keys.
//
// Example:
//
//   goscope::ui::Player player(lessons, [](const goscope::ui::RunRequest& r) {
//     return run_lesson_somehow(r);   // -> goscope::ui::RunRecording
//   });
//   player.select_lesson("fan-in");
//   player.attach(shell);              // fills the app shell's panels
//   // every frame: ui::draw_app_shell(shell) (the player advances itself with io.DeltaTime)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "ui/model/frame_pacing.h"
#include "ui/model/key_queue.h"
#include "ui/model/playback.h"
#include "ui/model/replay.h"
#include "ui/model/stage_layout.h"
#include "ui/views/app_shell.h"
#include "ui/views/code_view.h"
#include "ui/views/narration_view.h"

namespace goscope::ui {

// ParamInfo is one knob of a lesson, as the controls show it: a slider over [min, max],
// or a combo when it has choices (its value is then the choice's index).
struct ParamInfo {
  std::string name;
  std::string description;
  int64_t min = 0;
  int64_t max = 0;
  int64_t def = 0;
  std::vector<std::string> choices;
};

// LessonInfo is what the player knows of a lesson: the text a learner reads and the knobs.
struct LessonInfo {
  std::string id;
  std::string title;
  std::string summary;
  std::string go_source;   // the Go twin, listed in the code view
  std::string narration;   // markdown, rendered in the narration view
  std::vector<ParamInfo> params;
  int suggested_procs = 0;  // processors the lesson is best watched with (0 = the player's default)
};

// RunMode is how the runtime schedules: one thread simulating processors on a virtual
// clock (same seed, same run), or real worker threads.
enum class RunMode : uint8_t { deterministic, real };

// RunRequest asks the app to run one lesson.
struct RunRequest {
  std::string lesson;                    // LessonInfo::id
  std::map<std::string, int64_t> params; // every parameter of the lesson
  uint64_t seed = 1;
  RunMode mode = RunMode::deterministic;
  int procs = 2;
};

// RunRecording is one finished run: its events, and what went wrong running it (an
// empty error means the run happened; its panics and deadlocks are in the events).
struct RunRecording {
  std::vector<Event> events;
  std::string error;
};

// RunLesson runs a lesson and records it. Called on the UI thread; runs are short.
using RunLesson = std::function<RunRecording(const RunRequest&)>;

// Shown is how the views draw a goroutine: its state at the playhead, except that a
// goroutine caught in a deadlock stays drawn blocked on what it waited for (the runtime
// abandons it afterwards, but it died *waiting*, and that is the lesson).
struct Shown {
  GoState state = GoState::not_started;
  BlockReason reason = BlockReason::None;
  uint64_t obj = 0;
  bool culprit = false;  // stuck in the deadlock, or the goroutine that panicked
};

// shown says how to draw g in state s.
Shown shown(const ReplayState& s, const GoroutineInfo& g);

// Player is the lesson player.
class Player {
 public:
  // Playback's speeds (ui/model/playback.h).
  static constexpr float kEventsPerSecond = Playback::kEventsPerSecond;
  static constexpr float kMinSpeed = Playback::kMinSpeed;
  static constexpr float kMaxSpeed = Playback::kMaxSpeed;

  // Player keeps the lessons and the callback that runs them; nothing runs until a
  // lesson is selected.
  Player(std::vector<LessonInfo> lessons, RunLesson run);

  // ---- lesson and run settings (each change re-runs the lesson) ----
  // select_lesson makes `id` current with its default parameters and runs it; false if
  // there is no such lesson.
  bool select_lesson(std::string_view id);
  // select_run makes request.lesson current with the request's settings (parameters it
  // lacks take their defaults) and runs it once; false if there is no such lesson.
  bool select_run(const RunRequest& request);
  // set_param sets one parameter (clamped to its range) and re-runs; false if unknown.
  bool set_param(std::string_view name, int64_t value);
  void set_seed(uint64_t seed);
  void set_mode(RunMode mode);
  void set_procs(int procs);
  // rerun runs the current lesson again with the current settings; the playhead keeps
  // its fraction of the run, so a slider dragged mid-run stays mid-run.
  void rerun();
  // load shows a recording without running anything (tests, traces from disk).
  void load(const LessonInfo& lesson, RunRecording recording);

  const std::vector<LessonInfo>& lessons() const { return lessons_; }
  const LessonInfo* lesson() const { return lesson_index_ < lessons_.size() ? &lessons_[lesson_index_] : nullptr; }
  const RunRequest& request() const { return request_; }
  int runs() const { return runs_; }  // how many times the callback ran
  // run_id changes whenever the recording changes (a run or a load), unique across
  // players: views cache per run.
  uint64_t run_id() const { return run_id_; }
  const std::string& run_error() const { return run_error_; }

  // ---- playback (goscope::Playback) ----
  void play() { playback_.play(); }
  void pause() { playback_.pause(); }
  void toggle_play() { playback_.toggle_play(); }
  bool playing() const { return playback_.playing(); }
  // step_forward / step_back move one step; they pause.
  void step_forward() { playback_.step_forward(); }
  void step_back() { playback_.step_back(); }
  // step_goroutine moves to the next step that involves goroutine g (the selected one).
  void step_goroutine(uint32_t g) { playback_.step_goroutine(g); }
  // restart goes back to the start and plays.
  void restart() { playback_.restart(); }
  // seek puts the playhead at `index` (the state after events [0, index)), with no animation.
  void seek(std::size_t index) { playback_.seek(index); }
  // seek_fraction seeks to the step nearest to fraction f (0 = start, 0.5 = middle, 1 = end) of the run.
  void seek_fraction(double f) { playback_.seek_fraction(f); }
  void seek_end() { playback_.seek_end(); }
  void set_speed(float speed) { playback_.set_speed(speed); }
  float speed() const { return playback_.speed(); }
  // update advances the playhead by `dt` seconds of play and the animations with it.
  void update(float dt) { playback_.update(dt); }

  std::size_t playhead() const { return playback_.playhead(); }
  std::size_t size() const { return playback_.size(); }
  const ReplayModel& model() const { return playback_.model(); }
  const ReplayState& state() const { return playback_.state(); }
  // at_end reports whether the playhead is past the last event.
  bool at_end() const { return playback_.at_end(); }

  // ---- what the learner points at (shared by the stage and the code view) ----
  uint32_t selected() const { return selected_; }
  void select_goroutine(uint32_t g) { selected_ = g; }
  // hovered_goroutine / hovered_line are last frame's hover (views run in panel order, so
  // a hover in one panel shows in the others on the next frame).
  uint32_t hovered_goroutine() const { return hover_g_; }
  int hovered_line() const { return hover_line_; }
  void hover_goroutine(uint32_t g) { next_hover_g_ = g; }
  // interactive is false for screenshots: the mouse (wherever Xvfb puts it) then hovers
  // nothing and no tooltip covers the picture.
  bool interactive() const { return interactive_; }
  void set_interactive(bool on) { interactive_ = on; }
  void hover_line(int line) { next_hover_line_ = line; }
  // highlighted reports whether a view should ring g: it is hovered on the stage, or it
  // stands on the line hovered in the code view.
  bool highlighted(const GoroutineInfo& g) const {
    return (hover_g_ != 0 && g.id == hover_g_) || (hover_line_ > 0 && g.line == hover_line_);
  }

  // FlyingValue is a handoff being animated: progress 0..1 from its source to its target.
  using FlyingValue = goscope::FlyingValue;
  const std::vector<FlyingValue>& flying() const { return playback_.flying(); }

  // stage_layout is the stage's layout cache for this player's runs.
  StageLayoutCache& stage_layout() { return stage_layout_; }

  // wg_name names a WaitGroup ("wg"), from the events that used it ("" if unnamed).
  const char* wg_name(uint64_t id) const;

  // ---- keys and frames ----
  // use_key_queue makes the player take its keys from `keys` (filled by the window's key
  // callback, so no tap is lost on a slow frame) instead of ImGui's once-a-frame key
  // state; nullptr goes back to ImGui's. The queue must outlive the player's frames.
  void use_key_queue(KeyQueue* keys) { keys_ = keys; }
  // apply_key does what a key does (Space, Left, Right, Home).
  void apply_key(PlayerKey key);
  // activity says what moves on the player's panels without input (frame_pacing.h).
  Activity activity() const {
    Activity a;
    a.playing = playing();
    a.values_in_flight = flying().size();
    a.keys_queued = keys_ ? keys_->size() : 0;
    return a;
  }
  // kMaxFrameSeconds bounds the play time one frame advances: the first frame after the
  // app slept waiting for input must not jump ahead by the time it slept.
  static constexpr float kMaxFrameSeconds = 0.1f;

  // ---- drawing ----
  // begin_frame handles the keyboard (Space, Left, Right, Home), moves the hover state
  // and advances play by io.DeltaTime (at most kMaxFrameSeconds). Every draw_* calls it;
  // it runs once per ImGui frame.
  void begin_frame();
  void draw_controls();
  void draw_lessons();
  void draw_stage();
  void draw_code();
  void draw_console();
  void draw_narration();
  // attach fills the shell's controls, lessons, stage, narration, code and console panels.
  void attach(AppShell& shell);
  // set_fonts gives the views the app's faces (the code and console use the mono one).
  void set_fonts(const Fonts& fonts) { fonts_ = fonts; }
  const Fonts& fonts() const { return fonts_; }

  // is_step reports whether the playhead may stop after event i (Playback::is_step).
  static bool is_step(const Event& e) { return Playback::is_step(e); }
  // next_step / prev_step return the playhead after the next / previous step from `index`.
  std::size_t next_step(std::size_t index) const { return playback_.next_step(index); }
  std::size_t prev_step(std::size_t index) const { return playback_.prev_step(index); }

 private:
  void run_current();
  void index_names();

  std::vector<LessonInfo> lessons_;
  RunLesson run_;
  std::size_t lesson_index_ = static_cast<std::size_t>(-1);
  RunRequest request_;
  int runs_ = 0;
  uint64_t run_id_ = 0;
  std::string run_error_;

  Playback playback_;
  // The views' caches for this player's runs and lessons.
  StageLayoutCache stage_layout_;
  CodeView code_view_;
  NarrationView narration_view_;

  uint32_t selected_ = 0;
  uint32_t hover_g_ = 0, next_hover_g_ = 0;
  int hover_line_ = 0, next_hover_line_ = 0;
  int frame_ = -1;
  bool interactive_ = true;
  KeyQueue* keys_ = nullptr;

  std::vector<std::pair<uint64_t, const char*>> wg_names_;
  Fonts fonts_;
};

}  // namespace goscope::ui
