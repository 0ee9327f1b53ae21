// replay.cpp: folding events into ReplayState, and the snapshots that make any index cheap.
//
// The fold is one switch over EventKind (as Tracy's Worker::Process). Its rules:
//   - GoBlock / GoUnblock alone decide queue membership (parked senders, receivers,
//     WaitGroup waiters). ChanSend / ChanRecv move values and count messages only.
//   - park/unpark is a permit (core/detail/park.h): an unpark may come before the park
//     it matches. A GoUnblock for a goroutine that is running or runnable leaves a permit;
//     its next GoBlock consumes it and the goroutine does not park. A GoUnblock for a
//     goroutine not in any queue is harmless.
//   - Sleep / Wake and WorkBegin / WorkEnd also move the state, in case the runtime logs
//     them without a GoBlock / GoUnblock pair; when it logs both, the pair is a no-op.
//   - Abandoned goroutines keep their place in queues: they died waiting there, and the
//     stage shows them killed at the channel.
#include "ui/model/replay.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace goscope {

const char kNoText[] = "";

namespace {
constexpr const char* kGoStateNames[] = {
    "not started", "runnable", "running", "blocked", "sleeping", "working", "done", "abandoned",
};
static_assert(std::size(kGoStateNames) == kGoStateCount, "one name per GoState");
}  // namespace

const char* to_string(GoState s) {
  const auto i = static_cast<std::size_t>(s);
  return i < std::size(kGoStateNames) ? kGoStateNames[i] : "?";
}

ChanValue ChanValue::from_event(const Event& e) {
  ChanValue v;
  v.kind = value_kind(e);
  if (v.kind == ValueKind::Int) v.i = e.a;
  if (v.kind == ValueKind::Text) v.text = e.text;
  return v;
}

std::string ChanValue::str() const { return value_text(kind, i, text); }

std::string role_of(std::string_view name) {
  std::size_t end = name.size();
  while (end > 0) {
    char c = name[end - 1];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '#' || c == '-' || c == '_') {
      --end;
    } else {
      break;
    }
  }
  if (end == 0) return "goroutine";
  return std::string(name.substr(0, end));
}

namespace {

template <class T>
const T* find_by(const std::vector<T>& items, const IdIndex& pos, uint64_t id) {
  const uint32_t p = pos.find(id);
  return p == IdIndex::kAbsent ? nullptr : &items[p];
}

// Fold applies one event to one ReplayState: apply() is one switch over EventKind that
// calls a typed handler per kind (as Tracy's Worker::Process), and the helpers above the
// handlers are the rules they share.
class Fold {
 public:
  // send_value: for a GoBlock on a send, the value the send later completes with (the
  // model's look-ahead), or nullptr.
  Fold(ReplayState& s, const Event& e, std::size_t index, const ChanValue* send_value)
      : s(s), e(e), i(index), send_value(send_value) {}

  void apply() {
    s.index = i + 1;
    s.now = std::max(s.now, e.ts);  // real mode: seq order and clock order may disagree slightly
    switch (e.kind) {
      case EventKind::ProgramStart: return on_program_start();
      case EventKind::ProgramEnd: return on_program_end();
      case EventKind::GoCreate: return on_go_create();
      case EventKind::GoStart: return on_go_start();
      case EventKind::GoBlock: return on_go_block();
      case EventKind::GoUnblock: return on_go_unblock();
      case EventKind::GoYield: return on_go_yield();
      case EventKind::GoPreempt: return on_go_preempt();
      case EventKind::GoExit: return on_go_exit();
      case EventKind::GoAbandon: return on_go_abandon();
      case EventKind::GoLine: return on_go_line();
      case EventKind::ChanMake: return on_chan_make();
      case EventKind::ChanSend: return on_chan_send();
      case EventKind::ChanRecv: return on_chan_recv();
      case EventKind::ChanClose: return on_chan_close();
      case EventKind::SelectBegin: return on_select_begin();
      case EventKind::SelectReady: return on_select_ready();
      case EventKind::SelectChosen: return on_select_chosen();
      case EventKind::SelectDefault: return on_select_default();
      case EventKind::WgAdd: return on_wg_add();
      case EventKind::WgDone: return on_wg_done();
      case EventKind::WgWait: return on_wg_wait();
      case EventKind::Sleep: return on_sleep();
      case EventKind::Wake: return on_wake();
      case EventKind::WorkBegin: return on_work_begin();
      case EventKind::WorkEnd: return on_work_end();
      case EventKind::Output: return on_output();
      case EventKind::Panic: return on_panic();
      case EventKind::Deadlock: return on_deadlock();
      case EventKind::ProcStart: return on_proc_start();
      case EventKind::ProcStop: return on_proc_stop();
      case EventKind::Dropped: return on_dropped();
      case EventKind::TimerFire: return;  // the GoUnblock / ChanSend it causes say what changed
    }
  }

 private:
  ReplayState& s;
  const Event& e;
  const std::size_t i;
  const ChanValue* send_value;

  // ---- Tables ------------------------------------------------------------------------

  GoroutineInfo* goroutine(uint32_t id) {
    if (id == 0) return nullptr;
    bool added = false;
    const uint32_t pos = s.g_pos.find_or_add(id, static_cast<uint32_t>(s.goroutines.size()), &added);
    if (added) {
      // A goroutine seen before its GoCreate (main, or events lost): make it up.
      GoroutineInfo g;
      g.id = id;
      g.name = id == 1 ? "main" : intern("goroutine " + std::to_string(id));
      g.role = intern(id == 1 ? std::string("main") : role_of(g.name));
      g.state = GoState::runnable;
      g.since = s.now;
      g.created_at = static_cast<uint32_t>(i);
      s.goroutines.push_back(g);
    }
    return &s.goroutines[pos];
  }

  GoroutineInfo* find(uint32_t id) {
    const uint32_t pos = s.g_pos.find(id);
    return pos == IdIndex::kAbsent ? nullptr : &s.goroutines[pos];
  }

  ChannelInfo& channel(uint64_t id) {
    bool added = false;
    const uint32_t pos = s.ch_pos.find_or_add(id, static_cast<uint32_t>(s.channels.size()), &added);
    if (added) {
      ChannelInfo c;
      c.id = id;
      s.channels.push_back(std::move(c));
    }
    return s.channels[pos];
  }

  WaitGroupInfo& waitgroup(uint64_t id) {
    bool added = false;
    const uint32_t pos = s.wg_pos.find_or_add(id, static_cast<uint32_t>(s.waitgroups.size()), &added);
    if (added) {
      WaitGroupInfo w;
      w.id = id;
      s.waitgroups.push_back(std::move(w));
    }
    return s.waitgroups[pos];
  }

  ProcessorInfo& processor(int p) {
    if (static_cast<std::size_t>(p) >= s.processors.size()) s.processors.resize(p + 1);
    return s.processors[p];
  }

  // subject is the goroutine the event is about (made up if not seen yet; nullptr for the
  // runtime), now marked as touched by this event.
  GoroutineInfo* subject() {
    GoroutineInfo* g = goroutine(e.g);
    if (g) g->last_event = static_cast<uint32_t>(i);
    return g;
  }

  // live_subject is subject() unless it has finished: a finished goroutine stays
  // finished, so scheduling events about it (only a lost or reordered event could
  // produce them) change nothing.
  GoroutineInfo* live_subject() {
    GoroutineInfo* g = subject();
    return g && g->alive() ? g : nullptr;
  }

  // ---- Rules the handlers share --------------------------------------------------------

  void set_state(GoroutineInfo& g, GoState to) {
    if (g.state == to) return;
    g.time_in[static_cast<int>(g.state)] += std::max<int64_t>(0, s.now - g.since);
    g.since = s.now;
    g.state = to;
    g.preempted = false;  // a preemption is news until the goroutine moves on
  }

  void take_proc(GoroutineInfo& g, int p) {
    release_proc(g);
    ProcessorInfo& pi = processor(p);
    if (pi.g != 0 && pi.g != g.id) {
      // The previous occupant left without saying so (a lost event): it no longer holds p.
      if (GoroutineInfo* old = find(pi.g); old && old->proc == p) old->proc = -1;
    }
    pi.g = g.id;
    pi.busy = true;
    g.proc = p;
  }

  void release_proc(GoroutineInfo& g) {
    if (g.proc >= 0 && static_cast<std::size_t>(g.proc) < s.processors.size() && s.processors[g.proc].g == g.id)
      s.processors[g.proc].g = 0;
    g.proc = -1;
  }

  static bool parked(const GoroutineInfo& g) {
    return g.state == GoState::blocked || g.state == GoState::sleeping || g.state == GoState::working;
  }

  // leave_queue takes g out of whatever queue its current block put it in (if it is there).
  void leave_queue(const GoroutineInfo& g) {
    if (g.obj == 0) return;
    const uint32_t ch = s.ch_pos.find(g.obj);
    const uint32_t wg = s.wg_pos.find(g.obj);
    switch (g.reason) {
      case BlockReason::Send:
        if (ch != IdIndex::kAbsent) {
          auto& q = s.channels[ch].senders;
          auto it = std::find_if(q.begin(), q.end(), [&](const ParkedSender& p) { return p.g == g.id; });
          if (it != q.end()) q.erase(it);
        }
        break;
      case BlockReason::Recv:
        if (ch != IdIndex::kAbsent) std::erase(s.channels[ch].receivers, g.id);
        break;
      case BlockReason::WaitGroup:
        if (wg != IdIndex::kAbsent) std::erase(s.waitgroups[wg].waiters, g.id);
        break;
      default:
        break;
    }
  }

  // unpark makes a parked g runnable (or running, for the end of work that holds its proc).
  void unpark(GoroutineInfo& g, GoState to) {
    leave_queue(g);
    if (to != GoState::running) release_proc(g);
    set_state(g, to);
    g.reason = BlockReason::None;
    g.obj = 0;
  }

  // self_acts is called for events only g itself can log: if g still looks parked, its
  // park returned without a logged GoUnblock, so it is not parked any more.
  void self_acts(GoroutineInfo& g) {
    if (parked(g) && g.state != GoState::working) unpark(g, GoState::running);
    if (g.state == GoState::not_started || g.state == GoState::runnable) set_state(g, GoState::running);
  }

  void record_handoff(HandoffKind kind, uint32_t from, uint32_t to, const ChanValue& v) {
    Handoff h;
    h.event = static_cast<uint32_t>(i);
    h.ts = s.now;
    h.kind = kind;
    h.chan = e.obj;
    h.from = from;
    h.to = to;
    h.value = v;
    s.last_handoff = h;
    ++s.handoffs;
  }

  // direct_seen reports whether the other half of a direct transfer was already logged
  // (and forgets it); otherwise remembers this half. Each side logs its own event when its
  // operation completes, so either half may come first.
  bool direct_seen(uint64_t chan, uint32_t from, uint32_t to, const ChanValue& v, bool by_receiver) {
    auto& p = s.pending_direct;
    auto it = std::find_if(p.begin(), p.end(), [&](const ReplayState::PendingDirect& d) {
      return d.chan == chan && d.logged_by_receiver != by_receiver && d.to == to &&
             (d.from == from || d.from == 0 || from == 0) && d.value == v;
    });
    if (it != p.end()) {
      p.erase(it);
      return true;
    }
    // Bounded: if a runtime logs only one half, old entries must not pile up in every snapshot.
    if (p.size() >= 64) p.erase(p.begin());
    p.push_back({chan, from, to, v, by_receiver});
    return false;
  }

  // received_early reports whether a receive already took the value a buffered send is
  // only now logging (real mode: the receiver logged first); it forgets that receive.
  bool received_early(uint64_t chan, uint32_t sender, const ChanValue& v) {
    auto& p = s.pending_direct;
    auto it = std::find_if(p.begin(), p.end(), [&](const ReplayState::PendingDirect& d) {
      return d.chan == chan && d.logged_by_receiver && (d.from == sender || d.from == 0) && d.value == v;
    });
    if (it == p.end()) return false;
    p.erase(it);
    return true;
  }

  // ---- The run -------------------------------------------------------------------------

  void on_program_start() {
    s.procs = static_cast<int>(e.a);
    s.real_mode = is_real_mode(e);
    if (s.procs > 0 && s.processors.size() < static_cast<std::size_t>(s.procs)) s.processors.resize(s.procs);
  }

  void on_program_end() {
    s.result.program_ended = true;
    if (s.result.kind == ResultKind::running) s.result.kind = result_kind(outcome_of(e));
    if (e.text && *e.text && !*s.result.message) s.result.message = e.text;
  }

  static ResultKind result_kind(ProgramOutcome o) {
    switch (o) {
      case ProgramOutcome::ok: return ResultKind::ok;
      case ProgramOutcome::panic: return ResultKind::panic;
      case ProgramOutcome::deadlock: return ResultKind::deadlock;
      case ProgramOutcome::fatal: return ResultKind::fatal;
    }
    return ResultKind::ok;
  }

  void on_panic() {
    subject();
    if (s.result.kind != ResultKind::running && s.result.kind != ResultKind::ok) return;
    s.result.kind = is_fatal_error(e) ? ResultKind::fatal : ResultKind::panic;
    s.result.message = e.text ? e.text : kNoText;
    s.result.goroutine = e.g;
  }

  void on_deadlock() {
    if (s.result.kind != ResultKind::running && s.result.kind != ResultKind::ok) return;
    s.result.kind = ResultKind::deadlock;
    s.result.message = e.text ? e.text : kNoText;
    s.result.blocked.clear();
    for (const GoroutineInfo& gi : s.goroutines) {
      if (gi.alive()) s.result.blocked.push_back({gi.id, gi.state, gi.reason, gi.obj});
    }
  }

  void on_output() {
    if (GoroutineInfo* g = subject()) self_acts(*g);
    ++s.output_lines;
  }

  void on_dropped() { s.dropped += static_cast<uint64_t>(std::max<int64_t>(e.a, 0)); }

  // ---- Goroutines ----------------------------------------------------------------------

  void on_go_create() {
    if (GoroutineInfo* g = subject()) self_acts(*g);
    if (e.other == 0) return;
    const bool existed = find(e.other) != nullptr;
    GoroutineInfo* n = goroutine(e.other);
    if (e.text && *e.text) {
      n->name = e.text;
      n->role = intern(e.other == 1 ? std::string("main") : role_of(e.text));
    }
    n->created_by = e.g;
    n->go_line = static_cast<int32_t>(e.a);
    n->last_event = static_cast<uint32_t>(i);
    if (!existed) {
      n->state = GoState::not_started;
      n->since = s.now;
    }
  }

  void on_go_start() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    if (parked(*g)) unpark(*g, GoState::running);
    set_state(*g, GoState::running);
    take_proc(*g, e.proc);
  }

  void on_go_block() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    if (g->wake_permit) {
      // Its unpark came first (served before it parked): park returns at once.
      g->wake_permit = false;
      return;
    }
    g->soft_woken = false;
    const BlockReason reason = block_reason(e);
    const GoState to = reason == BlockReason::Sleep  ? GoState::sleeping
                       : reason == BlockReason::Work ? GoState::working
                                                     : GoState::blocked;
    const bool same_place = parked(*g) && g->reason == reason && g->obj == e.obj;
    if (parked(*g) && !same_place) leave_queue(*g);
    set_state(*g, to);
    g->reason = reason;
    g->obj = e.obj;
    if (to != GoState::working) release_proc(*g);
    if (!same_place && e.obj != 0) join_queue(*g, reason);
  }

  // join_queue parks g at the channel or WaitGroup its block names.
  void join_queue(const GoroutineInfo& g, BlockReason reason) {
    if (reason == BlockReason::Send) {
      ParkedSender p{g.id, {}, false};
      if (send_value) {
        p.value = *send_value;
        p.value_known = true;
      }
      channel(e.obj).senders.push_back(p);
    } else if (reason == BlockReason::Recv) {
      channel(e.obj).receivers.push_back(g.id);
    } else if (reason == BlockReason::WaitGroup) {
      waitgroup(e.obj).waiters.push_back(g.id);
    }
  }

  void on_go_unblock() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    g->woken_by = e.other;
    if (parked(*g)) {
      unpark(*g, GoState::runnable);
    } else if (g->soft_woken) {
      g->soft_woken = false;  // the GoUnblock that goes with the Wake / WorkEnd already applied
    } else if (g->state == GoState::running || g->state == GoState::runnable) {
      g->wake_permit = true;
    }
  }

  // to_runnable: g leaves its processor while it could run on (a yield or a preemption).
  void to_runnable(GoroutineInfo& g) {
    if (parked(g)) unpark(g, GoState::runnable);
    release_proc(g);
    set_state(g, GoState::runnable);
  }

  void on_go_yield() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    self_acts(*g);
    to_runnable(*g);
  }

  void on_go_preempt() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    to_runnable(*g);
    // Forced off its processor: runnable like a yield, but not its own choice.
    g->preempted = true;
    ++g->preemptions;
  }

  void on_go_exit() {
    GoroutineInfo* g = subject();
    if (!g) return;
    leave_queue(*g);
    release_proc(*g);
    set_state(*g, GoState::done);
    g->reason = BlockReason::None;
    g->obj = 0;
    g->wake_permit = g->soft_woken = false;
  }

  void on_go_abandon() {
    GoroutineInfo* g = live_subject();
    if (!g) return;
    release_proc(*g);
    set_state(*g, GoState::abandoned);
  }

  void on_go_line() {
    GoroutineInfo* g = subject();
    if (!g) return;
    self_acts(*g);
    g->line = static_cast<int32_t>(e.a);
  }

  void on_sleep() {
    GoroutineInfo* g = live_subject();
    if (!g || parked(*g)) return;
    set_state(*g, GoState::sleeping);
    g->reason = BlockReason::Sleep;
    g->obj = 0;
    release_proc(*g);
  }

  void on_wake() {
    GoroutineInfo* g = live_subject();
    if (!g || g->state != GoState::sleeping) return;
    unpark(*g, GoState::runnable);
    g->soft_woken = true;
  }

  void on_work_begin() {
    GoroutineInfo* g = live_subject();
    if (!g || parked(*g)) return;
    set_state(*g, GoState::working);
    g->reason = BlockReason::Work;
    g->obj = 0;
    // Deterministic mode: simulated work holds its processor.
    if (g->proc < 0 && !s.real_mode) take_proc(*g, e.proc);
  }

  void on_work_end() {
    GoroutineInfo* g = live_subject();
    if (!g || g->state != GoState::working) return;
    unpark(*g, GoState::running);
    g->soft_woken = true;
  }

  // ---- Channels ------------------------------------------------------------------------

  void on_chan_make() {
    subject();
    ChannelInfo& c = channel(e.obj);
    c.capacity = e.a;
    if (e.text) c.name = e.text;
  }

  void on_chan_send() {
    subject();
    ChannelInfo& c = channel(e.obj);
    const ChanValue v = ChanValue::from_event(e);
    ++c.sends;
    c.reported_len = e.b;
    if (e.other == 0) {
      if (received_early(e.obj, e.g, v)) return;  // the value is already out again
      c.buffer.push_back({v, e.g});
      record_handoff(HandoffKind::to_buffer, e.g, 0, v);
    } else if (!direct_seen(e.obj, e.g, e.other, v, false)) {
      record_handoff(HandoffKind::direct, e.g, e.other, v);
    }
  }

  void on_chan_recv() {
    subject();
    ChannelInfo& c = channel(e.obj);
    const ChanValue v = ChanValue::from_event(e);
    c.reported_len = e.b;
    if (recv_closed(e)) {
      record_handoff(HandoffKind::closed, 0, e.g, v);
      return;
    }
    ++c.messages;
    if (!c.buffer.empty()) {
      // Go's rule: a receive takes the head of the buffer. Match the value (and sender)
      // so that a real-mode reordering takes the right entry; else trust the head if
      // the runtime says the buffer shrank.
      auto it = std::find_if(c.buffer.begin(), c.buffer.end(), [&](const BufferedValue& b) {
        return b.value == v && (e.other == 0 || b.sender == e.other);
      });
      if (it == c.buffer.end() && e.b < static_cast<int64_t>(c.buffer.size())) it = c.buffer.begin();
      if (it != c.buffer.end()) {
        const uint32_t from = it->sender;
        c.buffer.erase(it);
        record_handoff(HandoffKind::from_buffer, from, e.g, v);
        return;
      }
    }
    if (!direct_seen(e.obj, e.other, e.g, v, true)) record_handoff(HandoffKind::direct, e.other, e.g, v);
  }

  void on_chan_close() {
    if (GoroutineInfo* g = subject()) self_acts(*g);
    ChannelInfo& c = channel(e.obj);
    c.closed = true;
    c.closed_by = e.g;
  }

  // ---- Select --------------------------------------------------------------------------

  void on_select_begin() {
    GoroutineInfo* g = subject();
    if (!g) return;
    g->in_select = true;
    g->select_cases = static_cast<int16_t>(e.a);
    g->select_has_default = e.b != 0;
    g->select_ready = 0;
    g->select_chosen = -1;
    g->select_obj = 0;
  }

  void on_select_ready() {
    if (GoroutineInfo* g = subject()) g->select_ready = static_cast<uint64_t>(e.a);
  }

  void on_select_chosen() {
    GoroutineInfo* g = subject();
    if (!g) return;
    g->in_select = false;
    g->select_chosen = static_cast<int16_t>(e.a);
    g->select_obj = e.obj;
  }

  void on_select_default() {
    GoroutineInfo* g = subject();
    if (!g) return;
    g->in_select = false;
    g->select_chosen = kSelectDefault;
  }

  // ---- WaitGroups ----------------------------------------------------------------------

  void on_wg_add() {
    subject();
    WaitGroupInfo& w = waitgroup(e.obj);
    w.counter = e.b;
    ++w.adds;
  }

  void on_wg_done() {
    subject();
    WaitGroupInfo& w = waitgroup(e.obj);
    w.counter = e.b;
    ++w.dones;
  }

  void on_wg_wait() {
    subject();
    waitgroup(e.obj).counter = e.b;
  }

  // ---- Processors ----------------------------------------------------------------------

  void on_proc_start() { processor(e.proc).busy = true; }

  void on_proc_stop() {
    ProcessorInfo& p = processor(e.proc);
    p.busy = false;
    if (p.g == 0) return;
    if (GoroutineInfo* old = find(p.g); old && old->proc == e.proc && old->state != GoState::working) old->proc = -1;
    p.g = 0;
  }
};

}  // namespace

const GoroutineInfo* ReplayState::goroutine(uint32_t id) const { return find_by(goroutines, g_pos, id); }
const ChannelInfo* ReplayState::channel(uint64_t id) const { return find_by(channels, ch_pos, id); }
const WaitGroupInfo* ReplayState::waitgroup(uint64_t id) const { return find_by(waitgroups, wg_pos, id); }

const ChanValue* ReplayModel::send_value_for_block(std::size_t block_index) const {
  auto it = std::lower_bound(send_values_.begin(), send_values_.end(), block_index,
                             [](const auto& p, std::size_t i) { return p.first < i; });
  if (it == send_values_.end() || it->first != block_index) return nullptr;
  return &it->second;
}

void ReplayModel::apply(ReplayState& s, std::size_t i) const {
  const Event& e = events_[i];
  Fold(s, e, i, e.kind == EventKind::GoBlock ? send_value_for_block(i) : nullptr).apply();
}

ReplayModel::ReplayModel(std::vector<Event> events, Options options)
    : events_(std::move(events)), options_(options) {
  if (options_.snapshot_every == 0) options_.snapshot_every = 1;

  // Look ahead once: the value each parked sender is trying to send is the value of its
  // next ChanSend on the same channel (logged when the send completes). One send may park
  // more than once (woken, beaten to the slot, parked again): every such GoBlock gets it.
  {
    IdIndex pending_pos;                         // goroutine id -> its row in pending
    std::vector<std::vector<uint32_t>> pending;  // per goroutine: its GoBlock(Send) indices since its last send
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const Event& e = events_[i];
      bool send_block = e.kind == EventKind::GoBlock && block_reason(e) == BlockReason::Send && e.obj;
      if (!send_block && e.kind != EventKind::ChanSend) continue;
      bool added = false;
      const uint32_t row = pending_pos.find_or_add(e.g, static_cast<uint32_t>(pending.size()), &added);
      if (added) pending.emplace_back();
      auto& p = pending[row];
      if (send_block) {
        p.push_back(static_cast<uint32_t>(i));
        continue;
      }
      ChanValue v = ChanValue::from_event(e);
      for (uint32_t b : p) {
        if (events_[b].obj == e.obj) send_values_.push_back({b, v});
      }
      p.clear();
    }
    std::sort(send_values_.begin(), send_values_.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
  }

  // Events about each goroutine, for stepping through one goroutine's story.
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const Event& e = events_[i];
    for (uint32_t id : {e.g, e.other}) {
      if (id == 0 || (id == e.other && e.other == e.g)) continue;
      bool added = false;
      const uint32_t row = events_of_pos_.find_or_add(id, static_cast<uint32_t>(events_of_.size()), &added);
      if (added) events_of_.emplace_back();
      events_of_[row].push_back(static_cast<uint32_t>(i));
    }
  }

  // Fold everything once: snapshots, the output and the handoffs along the way.
  ReplayState s;
  snapshots_.push_back(s);
  std::size_t last = 0;
  for (std::size_t i = 0; i < events_.size(); ++i) {
    uint64_t handoffs = s.handoffs;
    apply(s, i);
    if (s.handoffs != handoffs) handoffs_.push_back(s.last_handoff);
    if (events_[i].kind == EventKind::Output) {
      const Event& e = events_[i];
      output_.push_back({static_cast<uint32_t>(i), e.g, e.text ? e.text : kNoText});
    }
    std::size_t spacing = options_.snapshot_every;
    if (options_.adaptive) {
      // Copying a snapshot costs about its weight; space them so that the copies add
      // up to O(events) and one copy costs no more than folding the gap.
      std::size_t weight = s.goroutines.size() + s.waitgroups.size();
      for (const ChannelInfo& c : s.channels) weight += 1 + c.buffer.size() + c.senders.size() + c.receivers.size();
      spacing = std::max(spacing, weight);
    }
    if (s.index - last >= spacing) {
      snapshots_.push_back(s);
      last = s.index;
    }
  }
  final_ = std::move(s);
}

ReplayState ReplayModel::state_at(std::size_t index) const {
  ReplayState s;
  seek(s, index);
  return s;
}

void ReplayModel::seek(ReplayState& state, std::size_t index) const {
  index = std::min(index, events_.size());
  if (snapshots_.empty()) {
    state = ReplayState{};
    return;
  }
  auto it = std::upper_bound(snapshots_.begin(), snapshots_.end(), index,
                             [](std::size_t i, const ReplayState& snap) { return i < snap.index; });
  const ReplayState& snap = *(it - 1);
  // Fold on from where the caller already is when that is nearer than the snapshot.
  if (!(state.index <= index && state.index >= snap.index)) {
    state = snap;
  }
  for (std::size_t i = state.index; i < index; ++i) apply(state, i);
}

ReplayState ReplayModel::fold_from_start(std::size_t index) const {
  ReplayState s;
  index = std::min(index, events_.size());
  for (std::size_t i = 0; i < index; ++i) apply(s, i);
  return s;
}

std::span<const OutputLine> ReplayModel::output(std::size_t index) const {
  auto it = std::lower_bound(output_.begin(), output_.end(), index,
                             [](const OutputLine& l, std::size_t i) { return l.event < i; });
  return std::span(output_).first(static_cast<std::size_t>(it - output_.begin()));
}

const Handoff* ReplayModel::last_handoff(std::size_t index) const {
  auto it = std::lower_bound(handoffs_.begin(), handoffs_.end(), index,
                             [](const Handoff& h, std::size_t i) { return h.event < i; });
  if (it == handoffs_.begin()) return nullptr;
  return &*(it - 1);
}

std::size_t ReplayModel::next_event_of(uint32_t g, std::size_t from) const {
  const uint32_t row = events_of_pos_.find(g);
  if (row == IdIndex::kAbsent) return events_.size();
  const auto& v = events_of_[row];
  auto it = std::lower_bound(v.begin(), v.end(), from);
  return it == v.end() ? events_.size() : *it;
}

std::size_t ReplayModel::prev_event_of(uint32_t g, std::size_t from) const {
  const uint32_t row = events_of_pos_.find(g);
  if (row == IdIndex::kAbsent) return events_.size();
  const auto& v = events_of_[row];
  auto it = std::lower_bound(v.begin(), v.end(), from);
  return it == v.begin() ? events_.size() : *(it - 1);
}

}  // namespace goscope
