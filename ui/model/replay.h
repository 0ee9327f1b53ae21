// replay.h: the state of a recorded run at any event index.
//
// ReplayModel folds a run's events (core/event.h, the only thing the UI knows about a
// run) into a ReplayState: goroutines with their state, reason, object and current Go
// line; channels with their buffered values and the goroutines parked at each side;
// WaitGroups with counter and waiters; processors; output so far; how the run ended.
//
// Jumping anywhere costs about the same: the model keeps a snapshot every K events
// (more apart when the state is large, so snapshots cost O(events) memory in all), and
// state_at(i) copies the nearest snapshot at or below i and folds forward. seek() reuses
// a state the caller already holds when the target is a short step ahead (playing).
//
// Example:
//
//   goscope::ReplayModel model(events);          // std::vector<goscope::Event>
//   goscope::ReplayState s = model.state_at(model.size() / 2);
//   for (const auto& g : s.goroutines)
//     if (g.state == goscope::GoState::blocked) draw_waiting(g, g.reason, g.obj);
//
// Queue membership (who is parked at a channel or WaitGroup) follows GoBlock / GoUnblock
// only, never ChanSend / ChanRecv: in real mode a receiver can be served (ChanSend names
// it) before it logs its own GoBlock, and the queues must stay consistent anyway.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "ui/model/id_index.h"

namespace goscope {

// kNoText is the empty text of names and messages not known (yet). One object for the
// whole program, so that states compare equal field by field (texts are compared by
// pointer: they are interned) whichever file made them.
extern const char kNoText[];

// GoState is where a goroutine is in its life, as the stage colours it.
enum class GoState : uint8_t {
  not_started,  // created by `go`, has not run yet
  runnable,     // ready, waiting for a processor
  running,      // on a processor
  blocked,      // parked on a channel, select, WaitGroup or forever (see reason)
  sleeping,     // time.Sleep
  working,      // simulated CPU work (holds its processor)
  done,         // its function returned
  abandoned,    // still alive when the program ended: killed unfinished
};
inline constexpr int kGoStateCount = static_cast<int>(GoState::abandoned) + 1;

// to_string names a goroutine state ("blocked").
const char* to_string(GoState s);

// ChanValue is a value carried by a channel event, kept compact (no allocation).
struct ChanValue {
  ValueKind kind = ValueKind::None;
  int64_t i = 0;               // the value when kind == Int
  const char* text = nullptr;  // the value when kind == Text (interned by the runtime)

  // from_event takes the value a ChanSend / ChanRecv event carries.
  static ChanValue from_event(const Event& e);
  // str renders the value the way Go would print it ("42", "\"hi\"", "" for none).
  std::string str() const;
  bool operator==(const ChanValue&) const = default;
};

// GoroutineInfo is one goroutine at the playhead. Trivially copyable, so snapshots of
// many goroutines copy as one block.
struct GoroutineInfo {
  uint32_t id = 0;
  const char* name = kNoText;  // from GoCreate ("producer 3"); "main" for goroutine 1
  const char* role = kNoText;  // the name without its trailing number ("producer"), interned
  uint32_t created_by = 0;     // the goroutine whose `go` made it (0 = the runtime, for main)
  int32_t go_line = 0;         // line of the `go` statement in the Go listing (0 = none)
  int32_t line = 0;            // current Go line from GoLine (0 = none yet)
  GoState state = GoState::not_started;
  BlockReason reason = BlockReason::None;  // while blocked / sleeping / working; kept after
                                           // abandon so the stage can show where it died
  uint64_t obj = 0;            // the channel / WaitGroup it waits on (0 = none)
  uint32_t woken_by = 0;       // the goroutine that last woke it (0 = timer / runtime / none)
  int32_t proc = -1;           // the processor it holds (running or working), -1 = none
  int64_t since = 0;           // time its current state began
  std::array<int64_t, kGoStateCount> time_in{};  // time in each state, current one excluded
  uint32_t created_at = 0;     // event index of its GoCreate
  uint32_t last_event = 0;     // event index of the last event about it
  // Select: valid while in_select (and the last result after it completed).
  bool in_select = false;
  bool select_has_default = false;
  int16_t select_cases = 0;
  int16_t select_chosen = -1;  // case index, kSelectDefault, or -1 while undecided
  uint64_t select_ready = 0;   // bit i = case i was ready when it looked
  uint64_t select_obj = 0;     // channel of the chosen case
  // Park/unpark bookkeeping (see replay.cpp): a GoUnblock that came before its GoBlock
  // (real mode: served before it parked) leaves a permit the GoBlock then consumes.
  bool wake_permit = false;
  bool soft_woken = false;     // Wake / WorkEnd already made it runnable; its GoUnblock is expected
  // Preemption: the runtime took its processor (it ran long while others waited).
  bool preempted = false;      // runnable because it was preempted, until its state changes
  uint32_t preemptions = 0;    // times it was preempted so far

  // time_in_state returns the time spent in s up to `now` (the current state included).
  int64_t time_in_state(GoState s, int64_t now) const {
    return time_in[static_cast<int>(s)] + (s == state ? now - since : 0);
  }
  // alive reports whether it has not finished (done or abandoned).
  bool alive() const { return state != GoState::done && state != GoState::abandoned; }
  bool operator==(const GoroutineInfo&) const = default;
};
inline constexpr int16_t kSelectDefault = -2;

// BufferedValue is one value sitting in a channel's buffer.
struct BufferedValue {
  ChanValue value;
  uint32_t sender = 0;
  bool operator==(const BufferedValue&) const = default;
};

// ParkedSender is a goroutine parked on a send. Its value is known when the recorded run
// shows the send completing later (the model looks ahead); value_known says so.
struct ParkedSender {
  uint32_t g = 0;
  ChanValue value;
  bool value_known = false;
  bool operator==(const ParkedSender&) const = default;
};

// ChannelInfo is one channel at the playhead.
struct ChannelInfo {
  uint64_t id = 0;
  const char* name = kNoText;
  int64_t capacity = 0;
  std::vector<BufferedValue> buffer;   // FIFO: front = next to be received
  std::vector<ParkedSender> senders;   // parked senders, in the order they parked
  std::vector<uint32_t> receivers;     // parked receivers, in the order they parked
  bool closed = false;
  uint32_t closed_by = 0;
  uint64_t sends = 0;                  // completed sends
  uint64_t messages = 0;               // values received (ok receives): messages passed
  int64_t reported_len = 0;            // buffer occupancy the runtime last reported (Event::b)
  bool operator==(const ChannelInfo&) const = default;
};

// WaitGroupInfo is one WaitGroup at the playhead.
struct WaitGroupInfo {
  uint64_t id = 0;
  int64_t counter = 0;
  std::vector<uint32_t> waiters;  // goroutines parked in Wait, in the order they parked
  uint64_t adds = 0, dones = 0;
  bool operator==(const WaitGroupInfo&) const = default;
};

// ProcessorInfo is one (virtual) processor: which goroutine it runs.
struct ProcessorInfo {
  uint32_t g = 0;      // 0 = idle
  bool busy = false;   // ProcStart / ProcStop (or a goroutine on it)
  bool operator==(const ProcessorInfo&) const = default;
};

// HandoffKind says where a value went in a Handoff.
enum class HandoffKind : uint8_t {
  direct,       // sender -> parked receiver (or receiver took from a parked sender)
  to_buffer,    // sender -> the channel's buffer
  from_buffer,  // the channel's buffer -> receiver
  closed,       // receiver got the zero value of a closed channel (from = 0)
};

// Handoff is one value moving at a channel, for the stage to animate. A direct transfer
// logged twice (ChanSend naming the receiver and ChanRecv naming the sender) is one
// Handoff, at the first of its two events.
struct Handoff {
  uint32_t event = 0;   // index of the event that made it
  int64_t ts = 0;
  HandoffKind kind = HandoffKind::direct;
  uint64_t chan = 0;
  uint32_t from = 0;    // sender (0 = the buffer or unknown)
  uint32_t to = 0;      // receiver (0 = the buffer)
  ChanValue value;
  bool operator==(const Handoff&) const = default;
};

// StuckGoroutine is a goroutine blocked when the run deadlocked.
struct StuckGoroutine {
  uint32_t g = 0;
  GoState state = GoState::blocked;
  BlockReason reason = BlockReason::None;
  uint64_t obj = 0;
  bool operator==(const StuckGoroutine&) const = default;
};

// ResultKind is how the run has ended so far (running until ProgramEnd, Panic or Deadlock).
// fatal: one of Go's fatal errors other than a deadlock (a stack overflow), which like a
// panic names the goroutine it happened in.
enum class ResultKind : uint8_t { running, ok, panic, deadlock, fatal };

// RunResult is how the run ended, in Go's words.
struct RunResult {
  ResultKind kind = ResultKind::running;
  const char* message = kNoText;  // "send on closed channel", "all goroutines are asleep - deadlock!"
  uint32_t goroutine = 0;               // the goroutine that panicked
  std::vector<StuckGoroutine> blocked;  // deadlock: the goroutines asleep when it was declared
  bool program_ended = false;           // ProgramEnd seen
  bool operator==(const RunResult&) const = default;
};

// ReplayState is the whole state after events [0, index).
struct ReplayState {
  std::size_t index = 0;        // events applied
  int64_t now = 0;              // ts of the last applied event (virtual time in the deterministic mode)
  int procs = 0;                // from ProgramStart
  bool real_mode = false;       // from ProgramStart: real threads, not the deterministic mode
  std::vector<GoroutineInfo> goroutines;  // in creation order (main first)
  std::vector<ChannelInfo> channels;      // in creation order
  std::vector<WaitGroupInfo> waitgroups;  // in first-use order
  std::vector<ProcessorInfo> processors;
  std::size_t output_lines = 0;           // lines printed so far (text: ReplayModel::output)
  uint64_t handoffs = 0;                  // handoffs so far
  Handoff last_handoff;                   // valid when handoffs > 0
  uint64_t dropped = 0;                   // events the runtime lost (Dropped)
  RunResult result;

  // goroutine, channel and waitgroup find by id (nullptr if not seen yet).
  const GoroutineInfo* goroutine(uint32_t id) const;
  const ChannelInfo* channel(uint64_t id) const;
  const WaitGroupInfo* waitgroup(uint64_t id) const;

  bool operator==(const ReplayState&) const = default;

  // Lookup tables (id -> position in goroutines / channels / waitgroups); kept in sync by
  // the fold. Any id works, 2^40 included (objects made outside a run).
  IdIndex g_pos, ch_pos, wg_pos;
  // Direct transfers logged once so far, waiting for their second event (see Handoff).
  // logged_by_receiver says which half was logged; a half only matches the other half.
  struct PendingDirect {
    uint64_t chan = 0;
    uint32_t from = 0, to = 0;
    ChanValue value;
    bool logged_by_receiver = false;
    bool operator==(const PendingDirect&) const = default;
  };
  std::vector<PendingDirect> pending_direct;
};

// OutputLine is one line the program printed.
struct OutputLine {
  uint32_t event = 0;
  uint32_t g = 0;
  const char* text = kNoText;
};

// ReplayModel is a recorded run that can be looked at at any event index.
class ReplayModel {
 public:
  // Options tunes the snapshots.
  struct Options {
    std::size_t snapshot_every = 1024;  // K: events between snapshots (at least)
    // adaptive spaces snapshots further apart when the state is big (many goroutines or
    // buffered values), so the copies stay O(events) memory in total.
    bool adaptive = true;
  };

  ReplayModel() = default;
  explicit ReplayModel(std::vector<Event> events) : ReplayModel(std::move(events), Options{}) {}
  ReplayModel(std::vector<Event> events, Options options);

  // size returns the number of events; valid indices for state_at are [0, size()].
  std::size_t size() const { return events_.size(); }
  std::span<const Event> events() const { return events_; }
  const Event& event(std::size_t i) const { return events_[i]; }

  // state_at returns the state after events [0, index) (index is clamped to size()).
  ReplayState state_at(std::size_t index) const;
  // seek moves `state` to index: folds forward when that is a short step ahead of where
  // it is, otherwise starts from the nearest snapshot. For players stepping every frame.
  void seek(ReplayState& state, std::size_t index) const;
  // final_state returns the state after every event.
  const ReplayState& final_state() const { return final_; }

  // output returns the lines printed in events [0, index).
  std::span<const OutputLine> output(std::size_t index) const;
  std::span<const OutputLine> output(const ReplayState& s) const { return std::span(output_).first(s.output_lines); }

  // handoffs returns every handoff of the run, in order.
  std::span<const Handoff> handoffs() const { return handoffs_; }
  // last_handoff returns the most recent handoff among events [0, index), or nullptr.
  const Handoff* last_handoff(std::size_t index) const;

  // next_event_of returns the index of the first event at or after `from` about goroutine
  // g (g or other == g), or size() if none; prev_event_of the last one before `from`, or
  // size() if none. For "step to the next event of the selected goroutine".
  std::size_t next_event_of(uint32_t g, std::size_t from) const;
  std::size_t prev_event_of(uint32_t g, std::size_t from) const;

  // step applies event state.index to state (state.index < size()): the fold, one event
  // at a time, for whoever wants to watch every change (the timeline builder does).
  void step(ReplayState& state) const { apply(state, state.index); }

  // snapshot_count says how many snapshots the model keeps (for tests and stats).
  std::size_t snapshot_count() const { return snapshots_.size(); }
  // fold_from_start folds events [0, index) one by one with no snapshot: the reference
  // the snapshots are tested against (O(index)).
  ReplayState fold_from_start(std::size_t index) const;

 private:
  void apply(ReplayState& s, std::size_t i) const;
  const ChanValue* send_value_for_block(std::size_t block_index) const;

  std::vector<Event> events_;
  Options options_;
  std::vector<ReplayState> snapshots_;        // snapshots_[k].index ascending, [0] = empty state
  ReplayState final_;
  std::vector<OutputLine> output_;
  std::vector<Handoff> handoffs_;
  // (GoBlock index, value) for parked senders whose send later completes; sorted.
  std::vector<std::pair<uint32_t, ChanValue>> send_values_;
  // Per goroutine (row events_of_pos_.find(id)): indices of events about it (ascending).
  IdIndex events_of_pos_;
  std::vector<std::vector<uint32_t>> events_of_;
};

// role_of derives a role from a goroutine name: "producer 3" -> "producer", "worker#12"
// -> "worker", "main" -> "main"; "" -> "goroutine".
std::string role_of(std::string_view name);

}  // namespace goscope
