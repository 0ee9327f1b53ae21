// event.cpp: interning and the names of events.
#include "core/event.h"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

namespace goscope {

const char* intern(std::string_view s) {
  // A global table: interning happens only when a sink is attached, and the same few
  // names and values repeat, so a mutex here is not on any hot path that matters.
  // std::unordered_set never moves its nodes, so c_str() pointers stay valid.
  static std::mutex mu;
  static auto* table = new std::unordered_set<std::string>();  // never destroyed: pointers outlive main()
  std::lock_guard<std::mutex> lock(mu);
  auto it = table->emplace(s).first;
  return it->c_str();
}

const char* to_string(EventKind k) {
  switch (k) {
#define GOSCOPE_KIND(name) case EventKind::name: return #name;
    GOSCOPE_KIND(ProgramStart) GOSCOPE_KIND(ProgramEnd) GOSCOPE_KIND(GoCreate)
    GOSCOPE_KIND(GoStart) GOSCOPE_KIND(GoBlock) GOSCOPE_KIND(GoUnblock) GOSCOPE_KIND(GoYield)
    GOSCOPE_KIND(GoPreempt) GOSCOPE_KIND(GoExit) GOSCOPE_KIND(GoAbandon) GOSCOPE_KIND(GoLine)
    GOSCOPE_KIND(ChanMake) GOSCOPE_KIND(ChanSend) GOSCOPE_KIND(ChanRecv) GOSCOPE_KIND(ChanClose)
    GOSCOPE_KIND(SelectBegin) GOSCOPE_KIND(SelectReady) GOSCOPE_KIND(SelectChosen)
    GOSCOPE_KIND(SelectDefault) GOSCOPE_KIND(WgAdd) GOSCOPE_KIND(WgDone) GOSCOPE_KIND(WgWait)
    GOSCOPE_KIND(Sleep) GOSCOPE_KIND(Wake) GOSCOPE_KIND(WorkBegin) GOSCOPE_KIND(WorkEnd)
    GOSCOPE_KIND(Output) GOSCOPE_KIND(Panic) GOSCOPE_KIND(Deadlock) GOSCOPE_KIND(ProcStart)
    GOSCOPE_KIND(ProcStop) GOSCOPE_KIND(Dropped) GOSCOPE_KIND(TimerFire)
#undef GOSCOPE_KIND
  }
  return "?";
}

const char* go_wait_reason(BlockReason r) {
  switch (r) {
    case BlockReason::None: return "runnable";
    case BlockReason::Send: return "chan send";
    case BlockReason::Recv: return "chan receive";
    case BlockReason::Select: return "select";
    case BlockReason::WaitGroup: return "semacquire";
    case BlockReason::Sleep: return "sleep";
    case BlockReason::NilSend: return "chan send (nil chan)";
    case BlockReason::NilRecv: return "chan receive (nil chan)";
    case BlockReason::SelectNoCases: return "select (no cases)";
    case BlockReason::Work: return "running";
  }
  return "?";
}

const char* short_name(BlockReason r) {
  switch (r) {
    case BlockReason::None: return "none";
    case BlockReason::Send: return "send";
    case BlockReason::Recv: return "receive";
    case BlockReason::Select: return "select";
    case BlockReason::WaitGroup: return "WaitGroup";
    case BlockReason::Sleep: return "sleep";
    case BlockReason::NilSend: return "send on nil channel";
    case BlockReason::NilRecv: return "receive on nil channel";
    case BlockReason::SelectNoCases: return "empty select";
    case BlockReason::Work: return "work";
  }
  return "?";
}

std::string value_text(const Event& e) {
  switch (static_cast<ValueKind>(e.reason & 0x7f)) {
    case ValueKind::Int: return std::to_string(e.a);
    case ValueKind::Text: return e.text ? std::string("\"") + e.text + "\"" : std::string();
    case ValueKind::None: break;
  }
  return {};
}

std::string describe(const Event& e) {
  std::string s = "#" + std::to_string(e.seq) + " t=" + std::to_string(e.ts) + " p" +
                  std::to_string(e.proc) + " g" + std::to_string(e.g) + " " + to_string(e.kind);
  switch (e.kind) {
    case EventKind::GoBlock:
      s += std::string(" ") + go_wait_reason(static_cast<BlockReason>(e.reason));
      if (e.obj) s += " obj=" + std::to_string(e.obj);
      break;
    case EventKind::ChanSend:
    case EventKind::ChanRecv:
      s += " ch=" + std::to_string(e.obj) + " value=" + value_text(e) + " len=" + std::to_string(e.b);
      if (e.kind == EventKind::ChanRecv && (e.reason & kRecvClosedBit)) s += " closed";
      break;
    default:
      if (e.obj) s += " obj=" + std::to_string(e.obj);
      if (e.a || e.b) s += " a=" + std::to_string(e.a) + " b=" + std::to_string(e.b);
      break;
  }
  if (e.other) s += " other=g" + std::to_string(e.other);
  if (e.text && e.kind != EventKind::ChanSend && e.kind != EventKind::ChanRecv) s += std::string(" \"") + e.text + "\"";
  return s;
}

}  // namespace goscope
