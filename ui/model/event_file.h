// event_file.h: a recorded run on disk, so tests and tools can replay real traces
// without linking the runtime (the UI model's tests link the model only).
//
// The format is small and binary: "GSEV", a version, the event count, then each event's
// fields and its text (length + bytes; texts are interned again on load).
// Not portable across endianness; it is a cache for tests and tools, not an exchange
// format (Chrome Trace JSON is that).
//
// Example:
//
//   goscope::save_events("fan_in.gsev", events);
//   std::vector<goscope::Event> again = goscope::load_events("fan_in.gsev");
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/event.h"

namespace goscope {

// save_events writes events to path; throws std::runtime_error if it cannot.
void save_events(const std::string& path, std::span<const Event> events);

// load_events reads events written by save_events; throws std::runtime_error on a
// missing, truncated or foreign file.
std::vector<Event> load_events(const std::string& path);

}  // namespace goscope
