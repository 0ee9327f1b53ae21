// recorder.cpp: the in-memory recorder.
#include "core/recorder.h"

#include <utility>

namespace goscope {

void Recorder::on_events(std::span<const Event> events) {
  if (ended_) clear();  // the first batch of another run
  events_.insert(events_.end(), events.begin(), events.end());
  ++batches_;
}

std::vector<Event> Recorder::take() {
  std::vector<Event> out = std::move(events_);
  clear();
  return out;
}

void Recorder::clear() {
  events_.clear();
  batches_ = 0;
  ended_ = false;
}

}  // namespace goscope
