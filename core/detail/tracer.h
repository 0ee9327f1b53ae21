// detail/tracer.h: how the runtime hands its events to a sink.
//
// The runtime calls emit() from its worker threads (real mode) or from its one thread
// (deterministic mode). The tracer stamps a global sequence number and passes events
// to the attached EventSink in seq order, from one consumer at a time.
//
// Contract with the scheduler:
//   Tracer(sink, workers, deterministic, ring_capacity)  one per run, before any emit
//   emit(worker, e)          worker in [0, workers): the calling worker's index; e.seq is
//                            filled here. Never blocks the caller for long; in real mode a
//                            full ring drops the event and counts it.
//   finish()                 after every worker has stopped: deliver what is left,
//                            report drops, call sink->on_run_end().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/event.h"

namespace goscope::detail {

class Tracer {
 public:
  Tracer(EventSink* sink, int workers, bool deterministic, std::size_t ring_capacity);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  bool enabled() const { return sink_ != nullptr; }
  void emit(int worker, Event e);
  void finish();

  uint64_t emitted() const { return next_seq_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  struct Impl;
  EventSink* sink_;
  std::atomic<uint64_t> next_seq_{0};
  std::atomic<uint64_t> dropped_{0};
  std::unique_ptr<Impl> impl_;
};

}  // namespace goscope::detail
