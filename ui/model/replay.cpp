// replay.cpp: folding events into ReplayState, and the snapshots that make any index cheap.
//
// The fold is one switch over EventKind (as Tracy's Worker::Process). Its rules:
//   - GoBlock / GoUnblock alone decide queue membership (parked senders, receivers,
//     WaitGroup waiters). ChanSend / ChanRecv move values and count messages only.
//   - park/unpark is a permit (core/detail/sched.h): an unpark may come before the park
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

namespace goscope {

const char kNoText[] = "";

const char* to_string(GoState s) {
  switch (s) {
    case GoState::not_started: return "not started";
    case GoState::runnable: return "runnable";
    case GoState::running: return "running";
    case GoState::blocked: return "blocked";
    case GoState::sleeping: return "sleeping";
    case GoState::working: return "working";
    case GoState::done: return "done";
    case GoState::abandoned: return "abandoned";
  }
  return "?";
}

ChanValue ChanValue::from_event(const Event& e) {
  ChanValue v;
  v.kind = static_cast<ValueKind>(e.reason & 0x7f);
  if (v.kind == ValueKind::Int) v.i = e.a;
  if (v.kind == ValueKind::Text) v.text = e.text;
  if (v.kind != ValueKind::Int && v.kind != ValueKind::Text) v.kind = ValueKind::None;
  return v;
}

std::string ChanValue::str() const {
  switch (kind) {
    case ValueKind::Int: return std::to_string(i);
    case ValueKind::Text: return text ? std::string("\"") + text + "\"" : std::string();
    case ValueKind::None: break;
  }
  return {};
}

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
const T* find_by(const std::vector<T>& items, const std::vector<uint32_t>& pos, uint64_t id) {
  if (id >= pos.size() || pos[id] == 0) return nullptr;
  return &items[pos[id] - 1];
}

// Fold is the fold's working set: one ReplayState and the event being applied.
struct Fold {
  ReplayState& s;

  GoroutineInfo* goroutine(uint32_t id, std::size_t index) {
    if (id == 0) return nullptr;
    if (id >= s.g_pos.size()) s.g_pos.resize(std::max<std::size_t>(id + 1, s.g_pos.size() * 2), 0);
    if (s.g_pos[id] == 0) {
      // A goroutine seen before its GoCreate (main, or events lost): make it up.
      GoroutineInfo g;
      g.id = id;
      g.name = id == 1 ? "main" : intern("goroutine " + std::to_string(id));
      g.role = intern(id == 1 ? std::string("main") : role_of(g.name));
      g.state = GoState::runnable;
      g.since = s.now;
      g.created_at = static_cast<uint32_t>(index);
      s.goroutines.push_back(g);
      s.g_pos[id] = static_cast<uint32_t>(s.goroutines.size());
    }
    return &s.goroutines[s.g_pos[id] - 1];
  }

  ChannelInfo& channel(uint64_t id) {
    if (id >= s.ch_pos.size()) s.ch_pos.resize(std::max<std::size_t>(id + 1, s.ch_pos.size() * 2), 0);
    if (s.ch_pos[id] == 0) {
      ChannelInfo c;
      c.id = id;
      s.channels.push_back(std::move(c));
      s.ch_pos[id] = static_cast<uint32_t>(s.channels.size());
    }
    return s.channels[s.ch_pos[id] - 1];
  }

  WaitGroupInfo& waitgroup(uint64_t id) {
    if (id >= s.wg_pos.size()) s.wg_pos.resize(std::max<std::size_t>(id + 1, s.wg_pos.size() * 2), 0);
    if (s.wg_pos[id] == 0) {
      WaitGroupInfo w;
      w.id = id;
      s.waitgroups.push_back(std::move(w));
      s.wg_pos[id] = static_cast<uint32_t>(s.waitgroups.size());
    }
    return s.waitgroups[s.wg_pos[id] - 1];
  }

  ProcessorInfo& processor(int p) {
    if (static_cast<std::size_t>(p) >= s.processors.size()) s.processors.resize(p + 1);
    return s.processors[p];
  }

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

  GoroutineInfo* find(uint32_t id) {
    if (id >= s.g_pos.size() || s.g_pos[id] == 0) return nullptr;
    return &s.goroutines[s.g_pos[id] - 1];
  }

  static bool parked(const GoroutineInfo& g) {
    return g.state == GoState::blocked || g.state == GoState::sleeping || g.state == GoState::working;
  }

  // leave_queue takes g out of whatever queue its current block put it in (if it is there).
  void leave_queue(const GoroutineInfo& g) {
    if (g.obj == 0) return;
    switch (g.reason) {
      case BlockReason::Send:
        if (g.obj < s.ch_pos.size() && s.ch_pos[g.obj]) {
          auto& q = s.channels[s.ch_pos[g.obj] - 1].senders;
          auto it = std::find_if(q.begin(), q.end(), [&](const ParkedSender& p) { return p.g == g.id; });
          if (it != q.end()) q.erase(it);
        }
        break;
      case BlockReason::Recv:
        if (g.obj < s.ch_pos.size() && s.ch_pos[g.obj]) {
          auto& q = s.channels[s.ch_pos[g.obj] - 1].receivers;
          auto it = std::find(q.begin(), q.end(), g.id);
          if (it != q.end()) q.erase(it);
        }
        break;
      case BlockReason::WaitGroup:
        if (g.obj < s.wg_pos.size() && s.wg_pos[g.obj]) {
          auto& q = s.waitgroups[s.wg_pos[g.obj] - 1].waiters;
          auto it = std::find(q.begin(), q.end(), g.id);
          if (it != q.end()) q.erase(it);
        }
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

  void record_handoff(const Event& e, std::size_t index, HandoffKind kind, uint32_t from, uint32_t to,
                      const ChanValue& v) {
    Handoff h;
    h.event = static_cast<uint32_t>(index);
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
    for (std::size_t k = 0; k < p.size(); ++k) {
      const ReplayState::PendingDirect& d = p[k];
      if (d.chan == chan && d.logged_by_receiver != by_receiver && d.to == to &&
          (d.from == from || d.from == 0 || from == 0) && d.value == v) {
        p.erase(p.begin() + static_cast<std::ptrdiff_t>(k));
        return true;
      }
    }
    remember(chan, from, to, v, by_receiver);
    return false;
  }

  void remember(uint64_t chan, uint32_t from, uint32_t to, const ChanValue& v, bool by_receiver) {
    auto& p = s.pending_direct;
    // Bounded: if a runtime logs only one half, old entries must not pile up in every snapshot.
    if (p.size() >= 64) p.erase(p.begin());
    p.push_back({chan, from, to, v, by_receiver});
  }

  // received_early reports whether a receive already took the value a buffered send is
  // only now logging (real mode: the receiver logged first); it forgets that receive.
  bool received_early(uint64_t chan, uint32_t sender, const ChanValue& v) {
    auto& p = s.pending_direct;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const ReplayState::PendingDirect& d = p[k];
      if (d.chan == chan && d.logged_by_receiver && (d.from == sender || d.from == 0) && d.value == v) {
        p.erase(p.begin() + static_cast<std::ptrdiff_t>(k));
        return true;
      }
    }
    return false;
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
  Fold f{s};
  s.index = i + 1;
  s.now = std::max(s.now, e.ts);  // real mode: seq order and clock order may disagree slightly

  GoroutineInfo* g = nullptr;
  auto subject = [&]() -> GoroutineInfo* {
    g = f.goroutine(e.g, i);
    if (g) g->last_event = static_cast<uint32_t>(i);
    return g;
  };

  // A goroutine that has finished stays finished: scheduling events about it (only a
  // lost or reordered event could produce them) change nothing.
  auto dead = [&] { return g && !g->alive(); };

  switch (e.kind) {
    case EventKind::ProgramStart:
      s.procs = static_cast<int>(e.a);
      s.mode = static_cast<int>(e.b);
      if (s.procs > 0 && s.processors.size() < static_cast<std::size_t>(s.procs)) s.processors.resize(s.procs);
      break;

    case EventKind::ProgramEnd:
      s.result.program_ended = true;
      if (s.result.kind == ResultKind::running) {
        s.result.kind = e.a == 1   ? ResultKind::panic
                        : e.a == 2 ? ResultKind::deadlock
                        : e.a == 3 ? ResultKind::fatal
                                   : ResultKind::ok;
      }
      if (e.text && *e.text && !*s.result.message) s.result.message = e.text;
      break;

    case EventKind::GoCreate: {
      if (subject()) f.self_acts(*g);
      if (e.other == 0) break;
      bool existed = f.find(e.other) != nullptr;
      GoroutineInfo* n = f.goroutine(e.other, i);
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
      break;
    }

    case EventKind::GoStart:
      if (!subject() || dead()) break;
      if (f.parked(*g)) f.unpark(*g, GoState::running);
      f.set_state(*g, GoState::running);
      f.take_proc(*g, e.proc);
      break;

    case EventKind::GoBlock: {
      if (!subject() || dead()) break;
      auto reason = static_cast<BlockReason>(e.reason);
      if (g->wake_permit) {
        // Its unpark came first (served before it parked): park returns at once.
        g->wake_permit = false;
        break;
      }
      if (g->soft_woken) g->soft_woken = false;
      GoState to = reason == BlockReason::Sleep ? GoState::sleeping
                   : reason == BlockReason::Work ? GoState::working
                                                 : GoState::blocked;
      if (f.parked(*g) && (g->reason != reason || g->obj != e.obj)) f.leave_queue(*g);
      bool already_there = f.parked(*g) && g->reason == reason && g->obj == e.obj;
      f.set_state(*g, to);
      g->reason = reason;
      g->obj = e.obj;
      if (to != GoState::working) f.release_proc(*g);
      if (already_there || e.obj == 0) break;
      if (reason == BlockReason::Send) {
        ParkedSender p{g->id, {}, false};
        if (const ChanValue* v = send_value_for_block(i)) {
          p.value = *v;
          p.value_known = true;
        } else if (e.b == static_cast<int64_t>(ValueKind::Int) || e.b == static_cast<int64_t>(ValueKind::Text)) {
          // A runtime may say the value in the GoBlock itself (a / text, kind in b): then
          // even a send that never completes (a deadlock) shows what it holds.
          p.value.kind = static_cast<ValueKind>(e.b);
          p.value.i = p.value.kind == ValueKind::Int ? e.a : 0;
          p.value.text = p.value.kind == ValueKind::Text ? e.text : nullptr;
          p.value_known = true;
        }
        f.channel(e.obj).senders.push_back(p);
      } else if (reason == BlockReason::Recv) {
        f.channel(e.obj).receivers.push_back(g->id);
      } else if (reason == BlockReason::WaitGroup) {
        f.waitgroup(e.obj).waiters.push_back(g->id);
      }
      break;
    }

    case EventKind::GoUnblock:
      if (!subject() || dead()) break;
      g->woken_by = e.other;
      if (f.parked(*g)) {
        f.unpark(*g, GoState::runnable);
      } else if (g->soft_woken) {
        g->soft_woken = false;  // the GoUnblock that goes with the Wake / WorkEnd already applied
      } else if (g->state == GoState::running || g->state == GoState::runnable) {
        g->wake_permit = true;
      }
      break;

    case EventKind::GoYield:
    case EventKind::GoPreempt:
      if (!subject() || dead()) break;
      if (e.kind == EventKind::GoYield) f.self_acts(*g);
      if (f.parked(*g)) f.unpark(*g, GoState::runnable);
      f.release_proc(*g);
      f.set_state(*g, GoState::runnable);
      if (e.kind == EventKind::GoPreempt) {
        // Forced off its processor: runnable like a yield, but not its own choice.
        g->preempted = true;
        ++g->preemptions;
      }
      break;

    case EventKind::GoExit:
      if (!subject()) break;
      f.leave_queue(*g);
      f.release_proc(*g);
      f.set_state(*g, GoState::done);
      g->reason = BlockReason::None;
      g->obj = 0;
      g->wake_permit = g->soft_woken = false;
      break;

    case EventKind::GoAbandon:
      if (!subject() || dead()) break;
      f.release_proc(*g);
      f.set_state(*g, GoState::abandoned);
      break;

    case EventKind::GoLine:
      if (!subject()) break;
      f.self_acts(*g);
      g->line = static_cast<int32_t>(e.a);
      break;

    case EventKind::ChanMake: {
      subject();
      ChannelInfo& c = f.channel(e.obj);
      c.capacity = e.a;
      if (e.text) c.name = e.text;
      break;
    }

    case EventKind::ChanSend: {
      subject();
      ChannelInfo& c = f.channel(e.obj);
      ChanValue v = ChanValue::from_event(e);
      ++c.sends;
      c.reported_len = e.b;
      if (e.other == 0) {
        if (f.received_early(e.obj, e.g, v)) break;  // the value is already out again
        c.buffer.push_back({v, e.g});
        f.record_handoff(e, i, HandoffKind::to_buffer, e.g, 0, v);
      } else if (!f.direct_seen(e.obj, e.g, e.other, v, false)) {
        f.record_handoff(e, i, HandoffKind::direct, e.g, e.other, v);
      }
      break;
    }

    case EventKind::ChanRecv: {
      subject();
      ChannelInfo& c = f.channel(e.obj);
      ChanValue v = ChanValue::from_event(e);
      c.reported_len = e.b;
      if (e.reason & kRecvClosedBit) {
        f.record_handoff(e, i, HandoffKind::closed, 0, e.g, v);
        break;
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
          uint32_t from = it->sender;
          c.buffer.erase(it);
          f.record_handoff(e, i, HandoffKind::from_buffer, from, e.g, v);
          break;
        }
      }
      if (!f.direct_seen(e.obj, e.other, e.g, v, true)) f.record_handoff(e, i, HandoffKind::direct, e.other, e.g, v);
      break;
    }

    case EventKind::ChanClose: {
      if (subject()) f.self_acts(*g);
      ChannelInfo& c = f.channel(e.obj);
      c.closed = true;
      c.closed_by = e.g;
      break;
    }

    case EventKind::SelectBegin:
      if (!subject()) break;
      g->in_select = true;
      g->select_cases = static_cast<int16_t>(e.a);
      g->select_has_default = e.b != 0;
      g->select_ready = 0;
      g->select_chosen = -1;
      g->select_obj = 0;
      break;
    case EventKind::SelectReady:
      if (subject()) g->select_ready = static_cast<uint64_t>(e.a);
      break;
    case EventKind::SelectChosen:
      if (!subject()) break;
      g->in_select = false;
      g->select_chosen = static_cast<int16_t>(e.a);
      g->select_obj = e.obj;
      break;
    case EventKind::SelectDefault:
      if (!subject()) break;
      g->in_select = false;
      g->select_chosen = kSelectDefault;
      break;

    case EventKind::WgAdd: {
      subject();
      WaitGroupInfo& w = f.waitgroup(e.obj);
      w.counter = e.b;
      ++w.adds;
      break;
    }
    case EventKind::WgDone: {
      subject();
      WaitGroupInfo& w = f.waitgroup(e.obj);
      w.counter = e.b;
      ++w.dones;
      break;
    }
    case EventKind::WgWait:
      subject();
      f.waitgroup(e.obj).counter = e.b;
      break;

    case EventKind::Sleep:
      if (!subject() || dead()) break;
      if (!f.parked(*g)) {
        f.set_state(*g, GoState::sleeping);
        g->reason = BlockReason::Sleep;
        g->obj = 0;
        f.release_proc(*g);
      }
      break;
    case EventKind::Wake:
      if (!subject() || dead()) break;
      if (g->state == GoState::sleeping) {
        f.unpark(*g, GoState::runnable);
        g->soft_woken = true;
      }
      break;
    case EventKind::WorkBegin:
      if (!subject() || dead()) break;
      if (!f.parked(*g)) {
        f.set_state(*g, GoState::working);
        g->reason = BlockReason::Work;
        g->obj = 0;
        if (g->proc < 0 && s.mode == 0) f.take_proc(*g, e.proc);
      }
      break;
    case EventKind::WorkEnd:
      if (!subject() || dead()) break;
      if (g->state == GoState::working) {
        f.unpark(*g, GoState::running);
        g->soft_woken = true;
      }
      break;

    case EventKind::Output:
      if (subject()) f.self_acts(*g);
      ++s.output_lines;
      break;

    case EventKind::Panic:
      subject();
      if (s.result.kind == ResultKind::running || s.result.kind == ResultKind::ok) {
        s.result.kind = e.a == 1 ? ResultKind::fatal : ResultKind::panic;
        s.result.message = e.text ? e.text : kNoText;
        s.result.goroutine = e.g;
      }
      break;

    case EventKind::Deadlock:
      if (s.result.kind == ResultKind::running || s.result.kind == ResultKind::ok) {
        s.result.kind = ResultKind::deadlock;
        s.result.message = e.text ? e.text : kNoText;
        s.result.blocked.clear();
        for (const GoroutineInfo& gi : s.goroutines) {
          if (gi.alive()) s.result.blocked.push_back({gi.id, gi.state, gi.reason, gi.obj});
        }
      }
      break;

    case EventKind::ProcStart:
      f.processor(e.proc).busy = true;
      break;
    case EventKind::ProcStop: {
      ProcessorInfo& p = f.processor(e.proc);
      p.busy = false;
      if (p.g) {
        if (GoroutineInfo* old = f.find(p.g); old && old->proc == e.proc && old->state != GoState::working) old->proc = -1;
        p.g = 0;
      }
      break;
    }
    case EventKind::Dropped:
      s.dropped += static_cast<uint64_t>(e.a);
      break;
    case EventKind::TimerFire:
      break;
  }
}

ReplayModel::ReplayModel(std::vector<Event> events, Options options)
    : events_(std::move(events)), options_(options) {
  if (options_.snapshot_every == 0) options_.snapshot_every = 1;

  // Look ahead once: the value each parked sender is trying to send is the value of its
  // next ChanSend on the same channel (logged when the send completes). One send may park
  // more than once (woken, beaten to the slot, parked again): every such GoBlock gets it.
  {
    std::vector<std::vector<uint32_t>> pending;  // per goroutine: its GoBlock(Send) indices since its last send
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const Event& e = events_[i];
      bool send_block = e.kind == EventKind::GoBlock && static_cast<BlockReason>(e.reason) == BlockReason::Send && e.obj;
      if (!send_block && e.kind != EventKind::ChanSend) continue;
      if (e.g >= pending.size()) pending.resize(std::max<std::size_t>(e.g + 1, pending.size() * 2));
      auto& p = pending[e.g];
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
      if (id >= events_of_.size()) events_of_.resize(std::max<std::size_t>(id + 1, events_of_.size() * 2));
      events_of_[id].push_back(static_cast<uint32_t>(i));
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
  if (g >= events_of_.size()) return events_.size();
  const auto& v = events_of_[g];
  auto it = std::lower_bound(v.begin(), v.end(), from);
  return it == v.end() ? events_.size() : *it;
}

std::size_t ReplayModel::prev_event_of(uint32_t g, std::size_t from) const {
  if (g >= events_of_.size()) return events_.size();
  const auto& v = events_of_[g];
  auto it = std::lower_bound(v.begin(), v.end(), from);
  return it == v.begin() ? events_.size() : *(it - 1);
}

}  // namespace goscope
