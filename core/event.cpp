// event.cpp: interning and the names of events.
#include "core/event.h"

#include <memory>
#include <mutex>
#include <string>
#include <iterator>
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

namespace {

// The names, in EventKind / BlockReason order: a kind added to the enum without its name
// here fails to compile.
constexpr const char* kEventKindNames[] = {
    "ProgramStart", "ProgramEnd",  "GoCreate",     "GoStart",       "GoBlock",   "GoUnblock", "GoYield",
    "GoPreempt",    "GoExit",      "GoAbandon",    "GoLine",        "ChanMake",  "ChanSend",  "ChanRecv",
    "ChanClose",    "SelectBegin", "SelectReady",  "SelectChosen",  "SelectDefault", "WgAdd", "WgDone",
    "WgWait",       "Sleep",       "Wake",         "WorkBegin",     "WorkEnd",   "Output",    "Panic",
    "Deadlock",     "ProcStart",   "ProcStop",     "Dropped",       "TimerFire",
};
static_assert(std::size(kEventKindNames) == kEventKindCount, "one name per EventKind");

constexpr const char* kGoWaitReasons[] = {
    "runnable", "chan send", "chan receive", "select", "semacquire", "sleep",
    "chan send (nil chan)", "chan receive (nil chan)", "select (no cases)", "running",
};
static_assert(std::size(kGoWaitReasons) == kBlockReasonCount, "one Go wait reason per BlockReason");

constexpr const char* kShortNames[] = {
    "none", "send", "receive", "select", "WaitGroup", "sleep",
    "send on nil channel", "receive on nil channel", "empty select", "work",
};
static_assert(std::size(kShortNames) == kBlockReasonCount, "one short name per BlockReason");

}  // namespace

const char* to_string(EventKind k) {
  const auto i = static_cast<std::size_t>(k);
  return i < std::size(kEventKindNames) ? kEventKindNames[i] : "?";
}

const char* go_wait_reason(BlockReason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < std::size(kGoWaitReasons) ? kGoWaitReasons[i] : "?";
}

const char* short_name(BlockReason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < std::size(kShortNames) ? kShortNames[i] : "?";
}

std::string value_text(ValueKind kind, int64_t i, const char* text) {
  switch (kind) {
    case ValueKind::Int: return std::to_string(i);
    case ValueKind::Text: return text ? std::string("\"") + text + "\"" : std::string();
    case ValueKind::None: break;
  }
  return {};
}

std::string value_text(const Event& e) { return value_text(value_kind(e), e.a, e.text); }

std::string describe(const Event& e) {
  std::string s = "#" + std::to_string(e.seq) + " t=" + std::to_string(e.ts) + " p" +
                  std::to_string(e.proc) + " g" + std::to_string(e.g) + " " + to_string(e.kind);
  switch (e.kind) {
    case EventKind::GoBlock:
      s += std::string(" ") + go_wait_reason(block_reason(e));
      if (e.obj) s += " obj=" + std::to_string(e.obj);
      break;
    case EventKind::ChanSend:
    case EventKind::ChanRecv:
      s += " ch=" + std::to_string(e.obj) + " value=" + value_text(e) + " len=" + std::to_string(e.b);
      if (e.kind == EventKind::ChanRecv && recv_closed(e)) s += " closed";
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
