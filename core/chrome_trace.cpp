// chrome_trace.cpp: folds the event stream into per-goroutine state slices, handoff flows,
// counters and instants, and writes them as Chrome Trace Event JSON (format in the header).
#include "core/chrome_trace.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

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

enum class State : uint8_t { None, Runnable, Running, Blocked, Sleeping, Working, Done };

struct Goroutine {
  std::string name;
  State state = State::None;
  BlockReason reason = BlockReason::None;
  uint64_t obj = 0;
  int64_t since = 0;
};

struct Channel {
  std::string name;
  int64_t cap = -1;  // -1: no ChanMake seen
};

// One half of a handoff that waits for its other half.
struct PendingHalf {
  uint64_t flow_id;
  int64_t ts;
};

class Exporter {
 public:
  explicit Exporter(const ChromeTraceOptions& options) : options_(options) {}

  void apply(const Event& e);
  void write(std::ostream& out);

 private:
  Goroutine& goroutine(uint32_t g) { return goroutines_[g]; }
  void set_state(uint32_t g, State s, int64_t ts, BlockReason reason = BlockReason::None, uint64_t obj = 0);
  void close_slice(uint32_t g, Goroutine& st, int64_t end);
  void end_all(int64_t ts);
  void proc_busy(uint16_t proc, bool busy, int64_t ts);
  void on_send(const Event& e);
  void on_recv(const Event& e);
  void flow(char ph, uint64_t id, uint32_t tid, int64_t ts, const Event& e);
  void occupancy(const Event& e);
  void counter(const std::string& name, const char* series, int64_t value, uint32_t tid, int64_t ts);
  void instant(const std::string& name, const char* cat, char scope, uint32_t tid, int64_t ts, Json args);
  std::string chan_label(uint64_t obj) const;
  std::string object_label(BlockReason reason, uint64_t obj) const;
  std::string thread_name(uint32_t g, const Goroutine& st) const;

  const ChromeTraceOptions& options_;
  std::map<uint32_t, Goroutine> goroutines_;  // ordered by id: main (1) first
  std::map<uint64_t, Channel> channels_;
  // Processor -> since when it is busy (-1: idle). Ordered: P0 first.
  std::map<uint16_t, int64_t> procs_;
  bool runtime_thread_used_ = false;
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

const char* state_name(State s) {
  switch (s) {
    case State::Runnable: return "runnable";
    case State::Running: return "running";
    case State::Sleeping: return "sleeping";
    case State::Working: return "working";
    case State::Blocked: return "blocked";
    case State::None:
    case State::Done: break;
  }
  return "?";
}

void Exporter::set_state(uint32_t g, State s, int64_t ts, BlockReason reason, uint64_t obj) {
  Goroutine& st = goroutine(g);
  if (st.state == State::Done) return;  // late news about a finished goroutine
  // Real-mode clocks are read by different threads before the seq is taken, so a
  // goroutine's events can be a few ns out of order in time: never start before the
  // previous slice ended (this is what keeps slices on one thread from overlapping).
  ts = std::max(ts, st.since);
  if (st.state == s && (s != State::Blocked || (st.reason == reason && st.obj == obj))) return;
  if (st.state != State::None) close_slice(g, st, ts);
  st.state = s;
  st.reason = reason;
  st.obj = obj;
  st.since = ts;
}

void Exporter::close_slice(uint32_t g, Goroutine& st, int64_t end) {
  if (end <= st.since) return;  // nothing visible
  Json j;
  if (st.state == State::Blocked) {
    j["name"] = std::string("blocked on ") + short_name(st.reason);
  } else {
    j["name"] = state_name(st.state);
  }
  j["cat"] = "state";
  j["ph"] = "X";
  j["ts"] = us(st.since);
  j["dur"] = us(end - st.since);
  j["pid"] = kPid;
  j["tid"] = g;
  if (st.state == State::Blocked) {
    Json args;
    args["wait_reason"] = go_wait_reason(st.reason);
    if (st.obj) args["on"] = object_label(st.reason, st.obj);
    j["args"] = std::move(args);
  }
  body_.push_back(std::move(j));
}

void Exporter::end_all(int64_t ts) {
  for (auto& [g, st] : goroutines_) {
    if (st.state == State::None || st.state == State::Done) continue;
    close_slice(g, st, std::max(ts, st.since));
    st.state = State::Done;
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
    Json j;
    j["name"] = "busy";
    j["cat"] = "proc";
    j["ph"] = "X";
    j["ts"] = us(since);
    j["dur"] = us(end - since);
    j["pid"] = kProcPid;
    j["tid"] = proc;
    body_.push_back(std::move(j));
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

void Exporter::flow(char ph, uint64_t id, uint32_t tid, int64_t ts, const Event& e) {
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
}

void Exporter::on_send(const Event& e) {
  if (e.other == 0) {
    buffered_[{e.obj, e.g}].push_back(e.ts);
    return;
  }
  goroutine(e.other);  // make sure the receiver has a thread
  auto& waiting = recvs_waiting_[Key{e.obj, e.g, e.other}];
  if (!waiting.empty()) {
    flow('s', waiting.front().flow_id, e.g, e.ts, e);
    waiting.pop_front();
    return;
  }
  const uint64_t id = next_flow_id_++;
  flow('s', id, e.g, e.ts, e);
  sends_waiting_[Key{e.obj, e.g, e.other}].push_back({id, e.ts});
}

void Exporter::on_recv(const Event& e) {
  if (e.other == 0) return;  // from the buffer, sender unknown: no arrow to draw
  goroutine(e.other);
  auto& waiting = sends_waiting_[Key{e.obj, e.other, e.g}];
  if (!waiting.empty()) {
    flow('f', waiting.front().flow_id, e.g, e.ts, e);
    waiting.pop_front();
    return;
  }
  const uint64_t id = next_flow_id_++;
  auto& buffered = buffered_[{e.obj, e.other}];
  if (!buffered.empty()) {
    // The value went through the buffer: the arrow starts at the send.
    flow('s', id, e.other, buffered.front(), e);
    buffered.pop_front();
    flow('f', id, e.g, e.ts, e);
    return;
  }
  flow('f', id, e.g, e.ts, e);
  recvs_waiting_[Key{e.obj, e.other, e.g}].push_back({id, e.ts});
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
  switch (e.kind) {
    case EventKind::GoCreate:
      if (e.text && goroutine(e.other).name.empty()) goroutine(e.other).name = e.text;
      set_state(e.other, State::Runnable, e.ts);
      break;
    case EventKind::GoStart: set_state(e.g, State::Running, e.ts); break;
    case EventKind::GoBlock: {
      const auto reason = static_cast<BlockReason>(e.reason);
      if (reason == BlockReason::Sleep) {
        set_state(e.g, State::Sleeping, e.ts);
      } else if (reason == BlockReason::Work) {
        set_state(e.g, State::Working, e.ts);
      } else {
        set_state(e.g, State::Blocked, e.ts, reason, e.obj);
      }
      break;
    }
    case EventKind::GoUnblock:
    case EventKind::GoYield:
    case EventKind::GoPreempt: set_state(e.g, State::Runnable, e.ts); break;
    case EventKind::GoExit:
    case EventKind::GoAbandon: {
      Goroutine& st = goroutine(e.g);
      if (st.state != State::Done) {
        if (st.state != State::None) close_slice(e.g, st, std::max(e.ts, st.since));
        st.state = State::Done;
      }
      break;
    }
    case EventKind::Sleep: set_state(e.g, State::Sleeping, e.ts); break;
    case EventKind::Wake:
      // Wake may be reported by the timer (the sleeper is still asleep) or by the sleeper
      // once it runs again: only the first moves it on.
      if (goroutine(e.g).state == State::Sleeping) set_state(e.g, State::Runnable, e.ts);
      break;
    case EventKind::WorkBegin: set_state(e.g, State::Working, e.ts); break;
    case EventKind::WorkEnd:
      if (goroutine(e.g).state == State::Working) set_state(e.g, State::Running, e.ts);
      break;
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
      instant("events dropped", "tracer", 'g', kRuntimeTid, e.ts, Json{{"count", e.a}});
      break;
    case EventKind::ProgramEnd: end_all(e.ts); break;
    case EventKind::ProcStart: proc_busy(e.proc, true, e.ts); break;
    case EventKind::ProcStop: proc_busy(e.proc, false, e.ts); break;
    case EventKind::ProgramStart:
    case EventKind::GoLine:
    case EventKind::SelectBegin:
    case EventKind::SelectReady:
    case EventKind::SelectChosen:
    case EventKind::SelectDefault:
    case EventKind::TimerFire: break;
  }
}

void Exporter::write(std::ostream& out) {
  end_all(last_ts_);
  // Handoffs whose other half never showed up (it was dropped, or the run ended between
  // the two): give the arrow a zero-length partner on the other thread so it still pairs.
  for (auto& [key, halves] : sends_waiting_) {
    for (const PendingHalf& h : halves) {
      Event e;
      e.obj = std::get<0>(key);
      flow('f', h.flow_id, std::get<2>(key), h.ts, e);
    }
  }
  for (auto& [key, halves] : recvs_waiting_) {
    for (const PendingHalf& h : halves) {
      Event e;
      e.obj = std::get<0>(key);
      flow('s', h.flow_id, std::get<1>(key), h.ts, e);
    }
  }

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
  if (runtime_thread_used_) name_thread(kRuntimeTid, "runtime", int64_t{1} << 31);
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
  out << "\n],\n\"displayTimeUnit\":\"ns\"}\n";
}

}  // namespace

void write_chrome_trace(std::ostream& out, std::span<const Event> events, const ChromeTraceOptions& options) {
  Exporter exporter(options);
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
