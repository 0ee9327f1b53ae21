// chrome_trace.cpp: turns the event stream into per-goroutine state slices, handoff flows,
// counters and instants, and writes them as Chrome Trace Event JSON (format in the header).
//
// Goroutine states are not folded here: the exporter steps the UI model's fold
// (ReplayModel, ui/model/replay.h) along with the events and cuts a slice wherever a
// goroutine's GoState (with its reason and object, while blocked) changes, so a trace
// and the stage can never disagree about what a goroutine was doing.
#include "trace/chrome_trace.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "ui/model/replay.h"

namespace goscope {

namespace {

// ordered_json keeps keys in insertion order: "name, cat, ph, ts, ..." reads well and,
// like every other choice here, does not depend on anything but the events.
using Json = nlohmann::ordered_json;

constexpr int kPid = 1;
constexpr int kProcPid = 2;  // the processors (Go's Ps): when each one was busy
constexpr uint32_t kRuntimeTid = 0;

// us converts event nanoseconds to Chrome's microseconds. Exact: ns below 2^53 are exact
// doubles, the division is correctly rounded, and the writer prints the shortest text that
// reads back as the same double, so ts * 1000 rounds back to the original ns.
double us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

// complete_event is a Chrome "X" event: a slice on thread tid of process pid from since
// to end (ns).
Json complete_event(std::string name, const char* cat, int64_t since, int64_t end, int pid, uint64_t tid) {
  Json j;
  j["name"] = std::move(name);
  j["cat"] = cat;
  j["ph"] = "X";
  j["ts"] = us(since);
  j["dur"] = us(end - since);
  j["pid"] = pid;
  j["tid"] = tid;
  return j;
}

// Goroutine is one goroutine's thread: the slice it is in (the model's state when the
// slice began) and what the arrows need.
struct Goroutine {
  std::string name;
  bool open = false;      // a slice is open: state, reason, obj and since describe it
  bool finished = false;  // exited, abandoned or the program ended: no more slices
  GoState state = GoState::not_started;
  BlockReason reason = BlockReason::None;
  uint64_t obj = 0;
  int64_t since = 0;
  // A sender that blocked offered its value when it blocked; its ChanSend is logged only
  // when it runs again, after the receive. -1: no offer pending.
  int64_t offered = -1;
  uint64_t offered_on = 0;  // the channel (0: a select, any of its channels)
  bool offer_drawn = false;  // a receive already drew the arrow from that offer
  int64_t last_flow = -1;    // the latest arrow end on its thread: its last slice must cover it
  int64_t ended = -1;        // where its last slice ended (once finished)
};

struct Channel {
  std::string name;
  int64_t cap = -1;  // -1: no ChanMake seen
};

// One half of a handoff that waits for its other half.
struct PendingHalf {
  uint64_t flow_id;
  int64_t ts;
  std::size_t json = 0;  // index in body_ of the half already written
  uint32_t tid = 0;      // the thread it was written on
};

// The runtime's own thread (tid 0) gets a short slice at every moment it acts for the
// program (a timer fires, an arrow leaves it), so arrows from it have a slice to start
// from: one deterministic runtime operation long.
constexpr int64_t kRuntimeSliceNs = 100;

class Exporter {
 public:
  Exporter(const ChromeTraceOptions& options, const ReplayModel& model) : options_(options), model_(model) {}

  // apply takes the next event (model_.event(fold_.index)).
  void apply(const Event& e);
  void write(std::ostream& out);

 private:
  Goroutine& goroutine(uint32_t g) { return goroutines_[g]; }
  void follow_model(uint32_t g, int64_t ts);
  void set_state(uint32_t g, GoState s, int64_t ts, BlockReason reason, uint64_t obj);
  void close_slice(uint32_t g, Goroutine& st, int64_t end);
  void finish(uint32_t g, Goroutine& st, int64_t ts);
  void end_all(int64_t ts);
  void proc_busy(uint16_t proc, bool busy, int64_t ts);
  void on_send(const Event& e);
  void on_recv(const Event& e);
  int64_t send_start(const Event& e);
  bool offering(const Goroutine& sender, uint64_t chan) const;
  void offer(uint32_t g, int64_t ts, BlockReason reason, uint64_t obj);
  void runtime_acts(int64_t ts, uint64_t obj);
  void write_runtime_slices();
  void pair_lonely_halves();
  std::size_t flow(char ph, uint64_t id, uint32_t tid, int64_t ts, const Event& e);
  void start_no_later_than(const PendingHalf& start, int64_t ts);
  void occupancy(const Event& e);
  void counter(const std::string& name, const char* series, int64_t value, uint32_t tid, int64_t ts);
  void instant(const std::string& name, const char* cat, char scope, uint32_t tid, int64_t ts, Json args);
  std::string chan_label(uint64_t obj) const;
  std::string object_label(BlockReason reason, uint64_t obj) const;
  std::string thread_name(uint32_t g, const Goroutine& st) const;

  const ChromeTraceOptions& options_;
  const ReplayModel& model_;
  ReplayState fold_;  // the model's state after the events applied so far
  std::map<uint32_t, Goroutine> goroutines_;  // ordered by id: main (1) first
  std::map<uint64_t, Channel> channels_;
  // Processor -> since when it is busy (-1: idle). Ordered: P0 first.
  std::map<uint16_t, int64_t> procs_;
  bool runtime_thread_used_ = false;
  // When the runtime acted, and on which channel: its slices, made at the end.
  std::vector<std::pair<int64_t, uint64_t>> runtime_moments_;
  // Timer channels -> when their timer last fired (where its tick leaves the runtime).
  std::map<uint64_t, int64_t> fired_at_;
  uint64_t events_dropped_ = 0;
  int64_t last_ts_ = 0;
  uint64_t next_flow_id_ = 1;
  // Handoffs seen from one side only, keyed by (channel, sender, receiver), oldest first.
  using Key = std::tuple<uint64_t, uint32_t, uint32_t>;
  std::map<Key, std::deque<PendingHalf>> sends_waiting_, recvs_waiting_;
  // Buffered sends (no partner yet), keyed by (channel, sender): when a receive later names
  // that sender, the arrow starts where the value entered the buffer.
  std::map<std::pair<uint64_t, uint32_t>, std::deque<int64_t>> buffered_;
  std::vector<Json> body_;
};

// slice_name names a slice of state s: a goroutine not started yet waits to run like a
// runnable one; a blocked one says on what.
std::string slice_name(GoState s, BlockReason reason) {
  switch (s) {
    case GoState::not_started:
    case GoState::runnable: return "runnable";
    case GoState::running: return "running";
    case GoState::sleeping: return "sleeping";
    case GoState::working: return "working";
    case GoState::blocked: return std::string("blocked on ") + short_name(reason);
    case GoState::done:
    case GoState::abandoned: break;
  }
  return "?";
}

// same_slice reports whether state s (reason, obj) continues slice st.
bool same_slice(const Goroutine& st, GoState s, BlockReason reason, uint64_t obj) {
  if (s == GoState::blocked || st.state == GoState::blocked) {
    return st.state == s && st.reason == reason && st.obj == obj;
  }
  return slice_name(st.state, st.reason) == slice_name(s, reason);
}

// follow_model brings g's thread to the state the model's fold gives it after the event
// at ts: a new slice when the state changed, the end of its slices once it is done or
// abandoned.
void Exporter::follow_model(uint32_t g, int64_t ts) {
  if (g == kRuntimeTid) return;
  const GoroutineInfo* gi = fold_.goroutine(g);
  if (!gi) return;
  if (!gi->alive()) {
    finish(g, goroutine(g), ts);
    return;
  }
  const bool blocked = gi->state == GoState::blocked;
  set_state(g, gi->state, ts, blocked ? gi->reason : BlockReason::None, blocked ? gi->obj : 0);
}

void Exporter::set_state(uint32_t g, GoState s, int64_t ts, BlockReason reason, uint64_t obj) {
  Goroutine& st = goroutine(g);
  if (st.finished) return;  // late news about a finished goroutine
  // Real-mode clocks are read by different threads before the seq is taken, so a
  // goroutine's events can be a few ns out of order in time: never start before the
  // previous slice ended (this is what keeps slices on one thread from overlapping).
  ts = std::max(ts, st.since);
  if (st.open && same_slice(st, s, reason, obj)) return;
  if (st.open) close_slice(g, st, ts);
  st.open = true;
  st.state = s;
  st.reason = reason;
  st.obj = obj;
  st.since = ts;
}

void Exporter::close_slice(uint32_t g, Goroutine& st, int64_t end) {
  if (end <= st.since) return;  // nothing visible
  Json j = complete_event(slice_name(st.state, st.reason), "state", st.since, end, kPid, g);
  if (st.state == GoState::blocked) {
    Json args;
    args["wait_reason"] = go_wait_reason(st.reason);
    if (st.obj) args["on"] = object_label(st.reason, st.obj);
    j["args"] = std::move(args);
  }
  body_.push_back(std::move(j));
}

void Exporter::finish(uint32_t g, Goroutine& st, int64_t ts) {
  if (st.finished) return;
  if (st.open) {
    // An arrow may end on the very moment g exits: its last slice must still hold it.
    int64_t end = std::max(ts, st.since);
    if (st.last_flow >= st.since) end = std::max(end, st.last_flow + 1);
    close_slice(g, st, end);
    st.ended = end;
  }
  st.open = false;
  st.finished = true;
  st.offered = -1;
}

void Exporter::end_all(int64_t ts) {
  for (auto& [g, st] : goroutines_) {
    if (st.open) finish(g, st, ts);
  }
  for (auto& [p, since] : procs_) {
    if (since >= 0) proc_busy(p, false, ts);
  }
}

void Exporter::proc_busy(uint16_t proc, bool busy, int64_t ts) {
  int64_t& since = procs_.try_emplace(proc, -1).first->second;
  if (busy) {
    if (since < 0) since = ts;
    return;
  }
  if (since < 0) return;
  // Clamped like goroutine slices: one processor's slices never overlap.
  const int64_t end = std::max(ts, since);
  if (end > since) {
    body_.push_back(complete_event("busy", "proc", since, end, kProcPid, proc));
  }
  since = -1;
}

std::string Exporter::chan_label(uint64_t obj) const {
  auto it = channels_.find(obj);
  std::string id = "chan " + std::to_string(obj);
  if (it == channels_.end() || it->second.name.empty()) return id;
  return it->second.name + " (" + id + ")";
}

std::string Exporter::object_label(BlockReason reason, uint64_t obj) const {
  if (reason == BlockReason::WaitGroup) return "WaitGroup " + std::to_string(obj);
  return chan_label(obj);
}

std::string Exporter::thread_name(uint32_t g, const Goroutine& st) const {
  if (g == kRuntimeTid) return "runtime";
  std::string name = st.name;
  if (auto it = options_.goroutine_names.find(g); it != options_.goroutine_names.end()) name = it->second;
  if (name.empty() && g == 1) name = "main";
  return "G" + std::to_string(g) + (name.empty() ? "" : " " + name);
}

std::size_t Exporter::flow(char ph, uint64_t id, uint32_t tid, int64_t ts, const Event& e) {
  if (tid == kRuntimeTid) {
    runtime_acts(ts, e.obj);
  } else {
    Goroutine& st = goroutine(tid);
    st.last_flow = std::max(st.last_flow, ts);
  }
  Json j;
  j["name"] = "handoff";
  j["cat"] = "handoff";
  j["ph"] = std::string(1, ph);
  j["id"] = id;
  j["ts"] = us(ts);
  j["pid"] = kPid;
  j["tid"] = tid;
  if (ph == 'f') j["bp"] = "e";  // bind to the slice enclosing ts, not the next one
  Json args;
  args["chan"] = chan_label(e.obj);
  if (std::string v = value_text(e); !v.empty()) args["value"] = std::move(v);
  j["args"] = std::move(args);
  body_.push_back(std::move(j));
  return body_.size() - 1;
}

// start_no_later_than moves an arrow's start (already written) back to ts if it is later:
// real-mode clocks of two threads can disagree by a few ns, and an arrow never goes back
// in time.
void Exporter::start_no_later_than(const PendingHalf& start, int64_t ts) {
  if (start.ts <= ts) return;
  body_[start.json]["ts"] = us(ts);
  if (start.tid == kRuntimeTid) runtime_acts(ts, 0);
}

bool Exporter::offering(const Goroutine& sender, uint64_t chan) const {
  return sender.offered >= 0 && (sender.offered_on == 0 || sender.offered_on == chan);
}

void Exporter::offer(uint32_t g, int64_t ts, BlockReason reason, uint64_t obj) {
  Goroutine& st = goroutine(g);
  st.offer_drawn = false;
  if (reason == BlockReason::Send || reason == BlockReason::Select) {
    st.offered = std::max(ts, st.since);
    // A select parks on its first case's channel; its send may be on any of them.
    st.offered_on = reason == BlockReason::Send ? obj : 0;
  } else {
    st.offered = -1;
  }
}

// send_start returns when the value of a send left its sender: when it blocked offering
// it, or the send itself. It consumes the offer.
int64_t Exporter::send_start(const Event& e) {
  if (e.g == kRuntimeTid) {
    runtime_acts(e.ts, e.obj);  // the timer's callback sends its tick
    auto fired = fired_at_.find(e.obj);
    return fired == fired_at_.end() ? e.ts : std::min(fired->second, e.ts);
  }
  Goroutine& st = goroutine(e.g);
  const int64_t start = offering(st, e.obj) ? std::min(st.offered, e.ts) : e.ts;
  st.offered = -1;
  return start;
}

void Exporter::runtime_acts(int64_t ts, uint64_t obj) {
  runtime_thread_used_ = true;
  runtime_moments_.emplace_back(ts, obj);
}

// write_runtime_slices turns the runtime's moments into "timer fires" slices, merging
// those that touch, so they never overlap.
void Exporter::write_runtime_slices() {
  std::sort(runtime_moments_.begin(), runtime_moments_.end());
  for (std::size_t i = 0; i < runtime_moments_.size();) {
    const auto [start, obj] = runtime_moments_[i];
    int64_t end = start + kRuntimeSliceNs;
    for (++i; i < runtime_moments_.size() && runtime_moments_[i].first <= end; ++i) {
      end = std::max(end, runtime_moments_[i].first + kRuntimeSliceNs);
    }
    Json j = complete_event("timer fires", "timer", start, end, kPid, kRuntimeTid);
    if (obj) j["args"] = Json{{"chan", chan_label(obj)}};
    body_.push_back(std::move(j));
  }
}

void Exporter::on_send(const Event& e) {
  const int64_t start = send_start(e);
  if (e.g != kRuntimeTid) {
    Goroutine& st = goroutine(e.g);
    if (st.offer_drawn) {
      st.offer_drawn = false;  // the receive that took the offered value drew its arrow
      return;
    }
  }
  if (e.other == 0) {
    buffered_[{e.obj, e.g}].push_back(start);
    return;
  }
  goroutine(e.other);  // make sure the receiver has a thread
  auto& waiting = recvs_waiting_[Key{e.obj, e.g, e.other}];
  if (!waiting.empty()) {
    flow('s', waiting.front().flow_id, e.g, std::min(start, waiting.front().ts), e);
    waiting.pop_front();
    return;
  }
  const uint64_t id = next_flow_id_++;
  const std::size_t json = flow('s', id, e.g, start, e);
  sends_waiting_[Key{e.obj, e.g, e.other}].push_back({id, start, json, e.g});
}

void Exporter::on_recv(const Event& e) {
  if (e.g != kRuntimeTid) goroutine(e.g).offered = -1;  // a select that received sent nothing
  if (recv_closed(e)) return;  // the zero value of a closed channel: nobody sent it
  const uint32_t from = e.other;
  // 0: the sender is unknown, or the runtime (a timer's tick waits in the buffer).
  if (from != kRuntimeTid) goroutine(from);
  auto& waiting = sends_waiting_[Key{e.obj, from, e.g}];
  if (!waiting.empty()) {
    start_no_later_than(waiting.front(), e.ts);
    flow('f', waiting.front().flow_id, e.g, e.ts, e);
    waiting.pop_front();
    return;
  }
  auto& buffered = buffered_[{e.obj, from}];
  if (!buffered.empty()) {
    // The value went through the buffer: the arrow starts at the send.
    const uint64_t id = next_flow_id_++;
    flow('s', id, from, std::min(buffered.front(), e.ts), e);
    buffered.pop_front();
    flow('f', id, e.g, e.ts, e);
    return;
  }
  // A tick taken before the timer's send was logged (real mode) waits for it; any other
  // value of unknown origin has no arrow.
  if (from == kRuntimeTid && !fired_at_.count(e.obj)) return;
  if (from != kRuntimeTid && offering(goroutine(from), e.obj)) {
    // The sender blocked offering this value and logs its send only when it runs again:
    // the arrow goes from its offer to this receive.
    Goroutine& sender = goroutine(from);
    const uint64_t id = next_flow_id_++;
    flow('s', id, from, std::min(sender.offered, e.ts), e);
    flow('f', id, e.g, e.ts, e);
    sender.offered = -1;
    sender.offer_drawn = true;
    return;
  }
  const uint64_t id = next_flow_id_++;
  const std::size_t json = flow('f', id, e.g, e.ts, e);
  recvs_waiting_[Key{e.obj, from, e.g}].push_back({id, e.ts, json, e.g});
}

void Exporter::counter(const std::string& name, const char* series, int64_t value, uint32_t tid, int64_t ts) {
  Json j;
  j["name"] = name;
  j["cat"] = "counter";
  j["ph"] = "C";
  j["ts"] = us(ts);
  j["pid"] = kPid;
  j["tid"] = tid;
  j["args"] = Json{{series, value}};
  body_.push_back(std::move(j));
}

void Exporter::occupancy(const Event& e) {
  auto it = channels_.find(e.obj);
  if (it != channels_.end() && it->second.cap == 0) return;  // unbuffered: always empty
  counter(chan_label(e.obj) + " len", "len", e.b, e.g, e.ts);
}

void Exporter::instant(const std::string& name, const char* cat, char scope, uint32_t tid, int64_t ts, Json args) {
  if (tid == kRuntimeTid) runtime_thread_used_ = true;
  Json j;
  j["name"] = name;
  j["cat"] = cat;
  j["ph"] = "i";
  j["s"] = std::string(1, scope);
  j["ts"] = us(ts);
  j["pid"] = kPid;
  j["tid"] = tid;
  if (!args.is_null()) j["args"] = std::move(args);
  body_.push_back(std::move(j));
}

void Exporter::apply(const Event& e) {
  last_ts_ = std::max(last_ts_, e.ts);
  if (e.g != kRuntimeTid) goroutine(e.g);
  model_.step(fold_);
  if (e.kind != EventKind::ProgramEnd) {
    // Only the goroutines an event names can change state with it.
    follow_model(e.g, e.ts);
    if (e.other != e.g) follow_model(e.other, e.ts);
  }
  switch (e.kind) {
    case EventKind::GoCreate:
      if (e.text && goroutine(e.other).name.empty()) goroutine(e.other).name = e.text;
      break;
    case EventKind::GoBlock: offer(e.g, e.ts, block_reason(e), e.obj); break;
    case EventKind::ChanMake: {
      Channel& c = channels_[e.obj];
      c.name = e.text ? e.text : "";
      c.cap = e.a;
      if (c.cap > 0) counter(chan_label(e.obj) + " len", "len", 0, e.g, e.ts);
      break;
    }
    case EventKind::ChanSend:
      on_send(e);
      occupancy(e);
      break;
    case EventKind::ChanRecv:
      on_recv(e);
      occupancy(e);
      break;
    case EventKind::ChanClose:
      instant("close " + chan_label(e.obj), "chan", 't', e.g, e.ts, Json{{"chan", chan_label(e.obj)}});
      break;
    case EventKind::WgAdd:
    case EventKind::WgDone:
    case EventKind::WgWait:
      counter("WaitGroup " + std::to_string(e.obj), "counter", e.b, e.g, e.ts);
      break;
    case EventKind::Output:
      instant(e.text ? e.text : "", "output", 't', e.g, e.ts, Json());
      break;
    case EventKind::Panic:
      instant(std::string("panic: ") + (e.text ? e.text : ""), "panic", 't', e.g, e.ts, Json());
      break;
    case EventKind::Deadlock:
      instant(e.text ? e.text : "all goroutines are asleep - deadlock!", "deadlock", 'g', e.g, e.ts, Json());
      break;
    case EventKind::Dropped:
      events_dropped_ += static_cast<uint64_t>(std::max<int64_t>(e.a, 0));
      instant("events dropped", "tracer", 'g', kRuntimeTid, e.ts, Json{{"count", e.a}});
      break;
    case EventKind::TimerFire:
      fired_at_[e.obj] = e.ts;
      runtime_acts(e.ts, e.obj);
      break;
    case EventKind::ProgramEnd: end_all(e.ts); break;
    case EventKind::ProcStart: proc_busy(e.proc, true, e.ts); break;
    case EventKind::ProcStop: proc_busy(e.proc, false, e.ts); break;
    case EventKind::ProgramStart:
    case EventKind::GoStart:
    case EventKind::GoUnblock:
    case EventKind::GoYield:
    case EventKind::GoPreempt:
    case EventKind::GoExit:
    case EventKind::GoAbandon:
    case EventKind::Sleep:
    case EventKind::Wake:
    case EventKind::WorkBegin:
    case EventKind::WorkEnd:
    case EventKind::GoLine:
    case EventKind::SelectBegin:
    case EventKind::SelectReady:
    case EventKind::SelectChosen:
    case EventKind::SelectDefault: break;
  }
}

// pair_lonely_halves gives handoffs whose other half never showed up (it was dropped, or
// the run ended between the two) a zero-length partner on the other thread, so the arrow
// still pairs. The partner stays inside its thread's life.
void Exporter::pair_lonely_halves() {
  auto within_life = [&](uint32_t g, int64_t ts) {
    if (g == kRuntimeTid) return ts;
    const Goroutine& st = goroutine(g);
    return st.finished && st.ended >= 0 && st.ended <= ts ? st.ended - 1 : ts;
  };
  for (auto& [key, halves] : sends_waiting_) {
    for (const PendingHalf& h : halves) {
      Event e;
      e.obj = std::get<0>(key);
      const int64_t ts = within_life(std::get<2>(key), h.ts);
      start_no_later_than(h, ts);
      flow('f', h.flow_id, std::get<2>(key), ts, e);
    }
  }
  for (auto& [key, halves] : recvs_waiting_) {
    for (const PendingHalf& h : halves) {
      Event e;
      e.obj = std::get<0>(key);
      flow('s', h.flow_id, std::get<1>(key), within_life(std::get<1>(key), h.ts), e);
    }
  }
}

void Exporter::write(std::ostream& out) {
  pair_lonely_halves();
  end_all(last_ts_);
  write_runtime_slices();

  std::vector<Json> meta;
  meta.push_back(Json{{"name", "process_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", 0},
                      {"args", Json{{"name", options_.process_name}}}});
  meta.push_back(Json{{"name", "process_sort_index"}, {"ph", "M"}, {"pid", kPid}, {"tid", 0},
                      {"args", Json{{"sort_index", kPid}}}});
  auto name_thread = [&](uint32_t tid, const std::string& name, int64_t sort_index) {
    meta.push_back(Json{{"name", "thread_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", tid},
                        {"args", Json{{"name", name}}}});
    meta.push_back(Json{{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", kPid}, {"tid", tid},
                        {"args", Json{{"sort_index", sort_index}}}});
  };
  for (const auto& [g, st] : goroutines_) {
    if (g != kRuntimeTid) name_thread(g, thread_name(g, st), g);
  }
  if (runtime_thread_used_) name_thread(kRuntimeTid, fired_at_.empty() ? "runtime" : "runtime (timers)", int64_t{1} << 31);
  if (!procs_.empty()) {
    meta.push_back(Json{{"name", "process_name"}, {"ph", "M"}, {"pid", kProcPid}, {"tid", 0},
                        {"args", Json{{"name", "processors"}}}});
    meta.push_back(Json{{"name", "process_sort_index"}, {"ph", "M"}, {"pid", kProcPid}, {"tid", 0},
                        {"args", Json{{"sort_index", kProcPid}}}});
    for (const auto& [p, since] : procs_) {
      meta.push_back(Json{{"name", "thread_name"}, {"ph", "M"}, {"pid", kProcPid}, {"tid", p},
                          {"args", Json{{"name", "P" + std::to_string(p)}}}});
    }
  }

  out << "{\"traceEvents\":[\n";
  bool first = true;
  auto put = [&](const Json& j) {
    if (!first) out << ",\n";
    first = false;
    // Program output may hold invalid UTF-8: replace it rather than throw.
    out << j.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  for (const Json& j : meta) put(j);
  for (const Json& j : body_) put(j);
  // Always said, 0 included: a trace that lost events must not pass for a whole one.
  out << "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"events_dropped\":" << events_dropped_ << "}}\n";
}

}  // namespace

void write_chrome_trace(std::ostream& out, std::span<const Event> events, const ChromeTraceOptions& options) {
  // The model is only stepped here, never sought: one snapshot (the empty state) is enough.
  ReplayModel::Options fold_only;
  fold_only.snapshot_every = SIZE_MAX;
  fold_only.adaptive = false;
  const ReplayModel model(std::vector<Event>(events.begin(), events.end()), fold_only);
  Exporter exporter(options, model);
  for (const Event& e : events) exporter.apply(e);
  exporter.write(out);
}

std::string chrome_trace_json(std::span<const Event> events, const ChromeTraceOptions& options) {
  std::ostringstream out;
  write_chrome_trace(out, events, options);
  return std::move(out).str();
}

bool write_chrome_trace_file(const std::string& path, std::span<const Event> events,
                             const ChromeTraceOptions& options) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return false;
  write_chrome_trace(out, events, options);
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace goscope
