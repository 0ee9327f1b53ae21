// recorder.h: event sinks that keep a run's events (Recorder) or pass them on as they come
// (StreamingSink).
//
// Attach one to a run through Config::sink. The runtime delivers events from one thread
// at a time (its consumer), in seq order, in batches.
//
// Example:
//
//   goscope::Recorder rec;
//   goscope::Config cfg;
//   cfg.sink = &rec;
//   goscope::run(cfg, lesson_main);
//   for (const goscope::Event& e : rec.events()) std::puts(goscope::describe(e).c_str());
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "core/event.h"

namespace goscope {

// Recorder keeps every event of a run in memory: what the UI replays and scrubs through.
// It never drops one: a real-mode run waits for it when its rings are full.
// Read it after run() has returned (on_run_end has been called): while a run is going,
// the runtime's consumer thread appends to it. Attached to another run, it starts over.
class Recorder : public EventSink {
 public:
  // Recorder starts empty. reserve_events pre-sizes the vector (an Event is 64 bytes).
  explicit Recorder(std::size_t reserve_events = 0) { events_.reserve(reserve_events); }

  void on_events(std::span<const Event> events) override;
  void on_run_end() override { ended_ = true; }

  // events returns everything recorded so far, in seq order.
  const std::vector<Event>& events() const { return events_; }
  // take moves the events out and leaves the recorder empty (ready for another run).
  std::vector<Event> take();
  // ended reports whether the run being recorded has ended.
  bool ended() const { return ended_; }
  // batches counts on_events calls (how the tracer batched the stream).
  std::size_t batches() const { return batches_; }
  // clear forgets every event, ready for another run.
  void clear();

 private:
  std::vector<Event> events_;
  std::size_t batches_ = 0;
  bool ended_ = false;
};

// StreamingSink forwards every batch to a callback as soon as the runtime delivers it:
// live mode, where a view follows a run in real time. The callbacks run on the runtime's
// consumer thread: they must be quick (copy what they need and return) and must not call
// back into the runtime. Behind, it drops events rather than slow the program down
// (Dropped events say how many), unless made with Backlog::wait.
class StreamingSink : public EventSink {
 public:
  using BatchFn = std::function<void(std::span<const Event>)>;
  using EndFn = std::function<void()>;
  enum class Backlog : uint8_t { drop, wait };

  // StreamingSink calls on_batch for every batch and on_end (if set) once the run ended.
  explicit StreamingSink(BatchFn on_batch, EndFn on_end = {}, Backlog backlog = Backlog::drop)
      : on_batch_(std::move(on_batch)), on_end_(std::move(on_end)), backlog_(backlog) {}
  bool drops_when_behind() const override { return backlog_ == Backlog::drop; }

  void on_events(std::span<const Event> events) override {
    if (on_batch_) on_batch_(events);
  }
  void on_run_end() override {
    if (on_end_) on_end_();
  }

 private:
  BatchFn on_batch_;
  EndFn on_end_;
  Backlog backlog_;
};

}  // namespace goscope
