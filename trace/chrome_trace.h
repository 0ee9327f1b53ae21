// chrome_trace.h: a run's events as Chrome Trace Event JSON, for Perfetto and chrome://tracing.
//
// The file is {"traceEvents": [...], "displayTimeUnit": "ns", "otherData":
// {"events_dropped": N}} (N = events the run lost, 0 included, so a trace with holes
// never passes for a whole one) with:
//   - process 1 ("goscope") and one thread per goroutine (tid = goroutine id), named with
//     thread_name metadata ("G1 main", "G2 worker") and ordered by thread_sort_index so
//     that main comes first; tid 0 ("runtime", last; "runtime (timers)" when timers
//     fired) holds what no goroutine did, with a short "timer fires" slice wherever a
//     timer fired or sent its tick;
//   - each goroutine's states as complete ("X") slices that never overlap on its thread:
//     "running", "runnable", "blocked on <reason>" (send, receive, select, WaitGroup, ...),
//     "sleeping", "working" (simulated CPU work); from its creation to its exit, its
//     abandonment or the end of the program;
//   - every handoff (a ChanSend or ChanRecv naming its partner) as a flow: an "s" event on
//     the sender's thread and an "f" event (binding point "e") on the receiver's thread,
//     sharing an id, category "handoff". The arrow starts where the value left the
//     sender (a sender that blocked offered it when it blocked; a timer's tick leaves
//     when the timer fires) and ends at the receive, never before its start; both ends
//     lie inside a slice of their thread;
//   - WaitGroup counters ("WaitGroup 3") and buffered channels' occupancy ("jobs len") as
//     counter ("C") events;
//   - close, panic and output as thread instants ("i", scope "t"), deadlock as a global
//     instant (scope "g");
//   - process 2 ("processors", after process 1): one thread per processor (Go's P; "P0",
//     "P1", ...) with a "busy" slice from each ProcStart to its ProcStop.
// Timestamps are microseconds with a fractional part (events carry nanoseconds).
//
// The output depends only on the events and the options: the same events give the same
// bytes (objects keep a fixed key order; ids are handed out in event order).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <span>
#include <string>

#include "core/event.h"

namespace goscope {

// ChromeTraceOptions tunes the export.
struct ChromeTraceOptions {
  // goroutine_names overrides the names carried by GoCreate events (by goroutine id).
  std::map<uint32_t, std::string> goroutine_names;
  // process_name names pid 1 (a lesson's title, say).
  std::string process_name = "goscope";
};

// write_chrome_trace writes events (in seq order, as a Recorder holds them) to out as
// Chrome Trace Event JSON.
void write_chrome_trace(std::ostream& out, std::span<const Event> events,
                        const ChromeTraceOptions& options = {});

// chrome_trace_json returns what write_chrome_trace writes.
std::string chrome_trace_json(std::span<const Event> events, const ChromeTraceOptions& options = {});

// write_chrome_trace_file writes the trace to a file; false if it could not be written.
bool write_chrome_trace_file(const std::string& path, std::span<const Event> events,
                             const ChromeTraceOptions& options = {});

}  // namespace goscope
