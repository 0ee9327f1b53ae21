// lesson_player.cpp: lessons and runtime behind the player's callback.
#include "app/lesson_player.h"

#include "app/lesson_request.h"
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

ui::RunRequest run_request(const LessonRequest& request) {
  ui::RunRequest r;
  r.lesson = request.lesson->id;
  r.params = std::map<std::string, int64_t>(request.params.begin(), request.params.end());
  r.seed = request.seed;
  r.mode = request.mode == Mode::real ? ui::RunMode::real : ui::RunMode::deterministic;
  r.procs = request.procs;
  return r;
}

ui::RunRecording record_lesson(const ui::RunRequest& request) {
  ui::RunRecording rec;
  const lessons::Lesson* lesson = lessons::find(request.lesson);
  if (!lesson) {
    rec.error = "no lesson '" + request.lesson + "'";
    return rec;
  }
  LessonRequest run;
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

ViewRequest view_request(const Options& options) { return ViewRequest{options.screenshot.has_value(), options.at}; }

std::unique_ptr<ui::Player> make_player(const LessonRequest* request, const ViewRequest& view) {
  std::vector<ui::LessonInfo> infos;
  for (const lessons::Lesson& l : lessons::all()) infos.push_back(lesson_info(l));
  auto player = std::make_unique<ui::Player>(std::move(infos), record_lesson);
  if (!request) {
    player->select_lesson(lessons::all().empty() ? "" : lessons::all().front().id);
  } else {
    player->select_run(run_request(*request));  // one run with everything asked for
  }
  // A screenshot is a still picture: no hover from wherever the virtual mouse sits.
  if (view.still) player->set_interactive(false);
  if (view.at) {
    switch (view.at->kind) {
      case At::Kind::index: player->seek(static_cast<std::size_t>(view.at->index)); break;
      case At::Kind::mid: player->seek_fraction(0.5); break;
      case At::Kind::end: player->seek_end(); break;
    }
    player->pause();
  } else if (view.still) {
    player->seek_end();
    player->pause();
  }
  return player;
}

std::unique_ptr<ui::Player> make_player(const Options& options) {
  std::string problem;
  const std::optional<LessonRequest> request = options.lesson ? resolve_lesson_request(options, problem) : std::nullopt;
  return make_player(request ? &*request : nullptr, view_request(options));
}

std::string at_past_end(const Options& options, const ui::Player& player) {
  if (!options.at || options.at->kind != At::Kind::index || options.at->index <= player.size()) return {};
  return "goscope: --at " + std::to_string(options.at->index) + ": the run has only " +
         std::to_string(player.size()) + " events; showing the last\n";
}

}  // namespace goscope::app
