// lesson_player.h: the lesson player (ui/views/player.h) connected to the real lessons
// and runtime. The ui layer knows neither: this is where lessons::Lesson becomes
// ui::LessonInfo and a ui::RunRequest becomes a goscope::run with a Recorder.
#pragma once

#include <memory>
#include <string>

#include "app/cli.h"
#include "lessons/lesson.h"
#include "ui/views/player.h"

namespace goscope::app {

// lesson_info describes a lesson for the player.
ui::LessonInfo lesson_info(const lessons::Lesson& lesson);

// record_lesson runs the requested lesson on goscope's runtime and keeps its events.
ui::RunRecording record_lesson(const ui::RunRequest& request);

// make_player returns a player over every lesson. With options.lesson it selects that
// lesson with --set / --seed / --mode / --procs applied, and with --at puts the playhead
// there (paused), for --screenshot.
std::unique_ptr<ui::Player> make_player(const Options& options);

// at_past_end is the one line for stderr when --at N is past the player's last event
// (the player stands at the end then); "" when --at fits. The event count is only known
// after the run, so a too-large N is a note, not bad usage.
std::string at_past_end(const Options& options, const ui::Player& player);

}  // namespace goscope::app
