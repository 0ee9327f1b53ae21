// lesson_player.h: the lesson player (ui/views/player.h) connected to the real lessons
// and runtime. The ui layer knows neither: this is where lessons::Lesson becomes
// ui::LessonInfo and a ui::RunRequest becomes a goscope::run with a Recorder.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/cli.h"
#include "app/lesson_request.h"
#include "lessons/lesson.h"
#include "ui/views/player.h"

namespace goscope::app {

// lesson_info describes a lesson for the player.
ui::LessonInfo lesson_info(const lessons::Lesson& lesson);

// record_lesson runs the requested lesson on goscope's runtime and keeps its events.
ui::RunRecording record_lesson(const ui::RunRequest& request);

// ViewRequest is how the window shows its run: a still picture (--screenshot: nothing
// hovers, and the playhead stands still) with the playhead where --at says.
struct ViewRequest {
  bool still = false;
  std::optional<At> at;
};

// view_request reads --screenshot and --at.
ViewRequest view_request(const Options& options);

// run_request is the player's ui::RunRequest for a checked lesson request.
ui::RunRequest run_request(const LessonRequest& request);

// make_player returns a player over every lesson. With a request it selects that lesson
// with its settings, else the first lesson; `view` puts the playhead where --at says
// (paused), or at the end for a still picture.
std::unique_ptr<ui::Player> make_player(const LessonRequest* request, const ViewRequest& view);

// make_player(options) resolves the options' lesson request (an unknown lesson or bad
// setting falls back to the first lesson) and makes the player as above.
std::unique_ptr<ui::Player> make_player(const Options& options);

// at_past_end is the one line for stderr when --at N is past the player's last event
// (the player stands at the end then); "" when --at fits. The event count is only known
// after the run, so a too-large N is a note, not bad usage.
std::string at_past_end(const Options& options, const ui::Player& player);

}  // namespace goscope::app
