// lesson_player.cpp: lessons and runtime behind the player's callback.
#include "app/lesson_player.h"

#include "app/headless.h"
#include "core/recorder.h"
#include "core/runtime.h"

namespace goscope::app {

ui::LessonInfo lesson_info(const lessons::Lesson& l) {
  ui::LessonInfo info;
  info.id = l.id;
  info.title = l.title;
  info.summary = l.summary;
  info.go_source = l.go_source;
  info.narration = l.narration;
  info.suggested_procs = l.suggested_procs;
  for (const lessons::Param& p : l.params) info.params.push_back({p.name, p.description, p.min, p.max, p.def, p.choices});
  return info;
}

ui::RunRecording record_lesson(const ui::RunRequest& request) {
  ui::RunRecording rec;
  const lessons::Lesson* lesson = lessons::find(request.lesson);
  if (!lesson) {
    rec.error = "no lesson '" + request.lesson + "'";
    return rec;
  }
  LessonRun run;
  run.lesson = lesson;
  run.params = lessons::defaults(*lesson);
  for (const auto& [name, value] : request.params) run.params[name] = value;
  run.mode = request.mode == ui::RunMode::real ? Mode::real : Mode::deterministic;
  run.procs = request.procs;
  run.seed = request.seed;
  Recorder recorder;
  run_lesson(run, &recorder);
  rec.events = recorder.take();
  return rec;
}

std::unique_ptr<ui::Player> make_player(const Options& options) {
  std::vector<ui::LessonInfo> infos;
  for (const lessons::Lesson& l : lessons::all()) infos.push_back(lesson_info(l));
  auto player = std::make_unique<ui::Player>(std::move(infos), record_lesson);
  std::string problem;
  const std::optional<LessonRun> wanted = options.lesson ? resolve_lesson_run(options, problem) : std::nullopt;
  if (!wanted) {
    player->select_lesson(lessons::all().empty() ? "" : lessons::all().front().id);
  } else {
    // One run with everything the command line asked for.
    ui::RunRequest r;
    r.lesson = wanted->lesson->id;
    r.params = std::map<std::string, int64_t>(wanted->params.begin(), wanted->params.end());
    r.seed = wanted->seed;
    r.mode = wanted->mode == Mode::real ? ui::RunMode::real : ui::RunMode::deterministic;
    r.procs = wanted->procs;
    player->select_run(r);
  }
  // A screenshot is a still picture: no hover from wherever the virtual mouse sits.
  if (options.screenshot) player->set_interactive(false);
  if (options.at) {
    switch (options.at->kind) {
      case At::Kind::index: player->seek(static_cast<std::size_t>(options.at->index)); break;
      case At::Kind::mid: player->seek_fraction(0.5); break;
      case At::Kind::end: player->seek_end(); break;
    }
    player->pause();
  } else if (options.screenshot) {
    player->seek_end();
    player->pause();
  }
  return player;
}

std::string at_past_end(const Options& options, const ui::Player& player) {
  if (!options.at || options.at->kind != At::Kind::index || options.at->index <= player.size()) return {};
  return "goscope: --at " + std::to_string(options.at->index) + ": the run has only " +
         std::to_string(player.size()) + " events; showing the last\n";
}

}  // namespace goscope::app
