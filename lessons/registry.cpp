// registry.cpp: the nine lessons as data, in teaching order. Each lesson's program is in
// lessons/<id>.cpp; its Go twin and narration are embedded from assets/lessons/.
#include <algorithm>
#include <string>

#include "lessons/assets.h"
#include "lessons/lesson.h"
#include "lessons/programs.h"

namespace goscope::lessons {
namespace {

std::string asset(const std::string& id, const char* extension) {
  return std::string(embedded_asset(id + extension));
}

std::vector<Lesson> make_lessons() {
  std::vector<Lesson> lessons = {
      {
          .id = "hello-goroutine",
          .title = "Hello, goroutine",
          .summary = "`go` only asks the scheduler: main returns first, and the goroutine never runs.",
          .program = hello_goroutine_main,
      },
      {
          .id = "waitgroup",
          .title = "The WaitGroup fix",
          .summary = "Add(1), Done, Wait: main waits for the goroutine, and \"async thing\" is printed.",
          .program = waitgroup_main,
      },
      {
          .id = "unbuffered-channel",
          .title = "Unbuffered channels: a handover",
          .summary = "A send waits until a receiver is ready, and a receive until a sender is.",
          .program = unbuffered_channel_main,
      },
      {
          .id = "buffered-channel",
          .title = "Buffered channels: room to run ahead",
          .summary = "The producer blocks only when the buffer is full; a slow consumer drains it.",
          .params = {{.name = "buffer",
                      .description = "capacity of the channel: values the producer may send ahead",
                      .min = 0, .max = 6, .def = 2}},
          .program = buffered_channel_main,
      },
      {
          .id = "fan-in",
          .title = "Fan-in: many producers, one consumer",
          .summary = "Producers send into one channel; a WaitGroup and a closer end the consumer's range.",
          .params = {{.name = "producers",
                      .description = "goroutines sending into the channel",
                      .min = 1, .max = 64, .def = 3},
                     {.name = "messages",
                      .description = "values each producer sends",
                      .min = 1, .max = 1000, .def = 4},
                     {.name = "buffer",
                      .description = "capacity of the channel",
                      .min = 0, .max = 1000, .def = 0}},
          .reports_throughput = true,
          .throughput_items = [](const Params& p) { return p.at("producers") * p.at("messages"); },
          .program = fan_in_main,
      },
      {
          .id = "fan-out",
          .title = "Fan-out: one producer, many workers",
          .summary = "Which level of concurrency is efficient? CPU-bound work stops scaling at procs; waiting keeps scaling.",
          .params = {{.name = "jobs",
                      .description = "jobs the producer sends",
                      .min = 1, .max = 100000, .def = 40},
                     {.name = "workers",
                      .description = "goroutines taking jobs from the channel",
                      .min = 1, .max = 64, .def = 4},
                     {.name = "buffer",
                      .description = "capacity of the jobs channel",
                      .min = 0, .max = 1000, .def = 10},
                     {.name = "work_ms",
                      .description = "milliseconds each job takes",
                      .min = 0, .max = 1000, .def = 10},
                     {.name = "kind",
                      .description = "cpu: a job keeps a processor busy; io: a job waits, holding none",
                      .min = 0, .max = 1, .def = 0,
                      .choices = {"cpu", "io"}}},
          .reports_throughput = true,
          .throughput_items = [](const Params& p) { return p.at("jobs"); },
          .suggested_procs = 4,
          .program = fan_out_main,
      },
      {
          .id = "select",
          .title = "Select: whichever is ready first",
          .summary = "Wait on several channels at once, give up after a timeout, or peek with default.",
          .program = select_main,
      },
      {
          .id = "pipeline",
          .title = "Pipeline: stages joined by channels",
          .summary = "generator -> squarer -> printer; closing a channel ends the next stage's range.",
          .params = {{.name = "numbers",
                      .description = "how many numbers the generator sends",
                      .min = 1, .max = 100, .def = 5}},
          .program = pipeline_main,
      },
      {
          .id = "deadlock",
          .title = "Deadlock: everyone asleep",
          .summary = "An unbuffered send with no receiver: the program stops with Go's fatal error.",
          .program = deadlock_main,
      },
  };
  for (Lesson& lesson : lessons) {
    lesson.go_source = asset(lesson.id, ".go");
    lesson.narration = asset(lesson.id, ".md");
  }
  return lessons;
}

}  // namespace

const std::vector<Lesson>& all() {
  static const std::vector<Lesson> lessons = make_lessons();
  return lessons;
}

const Lesson* find(std::string_view id) {
  for (const Lesson& lesson : all()) {
    if (lesson.id == id) return &lesson;
  }
  return nullptr;
}

Params defaults(const Lesson& lesson) {
  Params params;
  for (const Param& param : lesson.params) params[param.name] = param.def;
  return params;
}

const Param* find_param(const Lesson& lesson, std::string_view name) {
  auto it = std::find_if(lesson.params.begin(), lesson.params.end(),
                         [&](const Param& p) { return p.name == name; });
  return it == lesson.params.end() ? nullptr : &*it;
}

}  // namespace goscope::lessons
