// event.h: the event contract between goscope's runtime and everything that watches it.
//
// Every state change in the runtime (a goroutine created, blocked, unblocked; a value
// handed over at a channel; a WaitGroup counter moving; ...) is one Event. The stream of
// events is the only thing the UI knows about a run: the UI model folds it into state,
// the trace writer turns it into Chrome Trace Event JSON.
//
// Events are small plain structs (64 bytes, one cache line). Strings travel as pointers
// to string literals or to text interned with intern(), never as per-event allocations,
// so an Event can be copied with memcpy and stored in a ring.
//
// Field use per kind is listed beside each EventKind. Common fields:
//   seq    global order of the run (0, 1, 2, ... with no gaps unless events were dropped)
//   ts     nanoseconds since the run started: virtual time in the deterministic mode,
//          steady-clock time in real mode
//   g      the goroutine the event is about (0 = the runtime itself)
//   other  the partner goroutine (who unblocked g, who received g's value, ...), 0 if none
//   obj    the object: a channel id or a WaitGroup id (ids are small integers, unique
//          within a run, in creation order)
//   proc   the (virtual) processor g ran on when the event happened
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace goscope {

// EventKind names one kind of state change. Field use: a, b, text, reason.
enum class EventKind : uint8_t {
  ProgramStart,   // a = procs, b = mode (0 deterministic, 1 real: is_real_mode), text = nullptr
  ProgramEnd,     // a = ProgramOutcome (outcome_of), text = message
  GoCreate,       // g = creator (0 for main), other = new goroutine, text = name, a = Go line of the `go` statement
  GoStart,        // g starts or resumes running on proc
  GoBlock,        // g blocks; reason = BlockReason, obj = the channel / WaitGroup (0 for sleep, nil channel)
  GoUnblock,      // g becomes runnable again; other = the goroutine that woke it (0 = timer / runtime)
  GoYield,        // g calls yield() (Gosched): running -> runnable
  GoPreempt,      // g was preempted: running -> runnable after a 10 ms time slice while others
                  // waited (inside work() it follows a WorkEnd)
  GoExit,         // g's function returned
  GoAbandon,      // g was still alive when main returned (or the run ended) and died unfinished
  GoLine,         // g is now at line a of the lesson's Go listing
  ChanMake,       // obj = channel, a = capacity, text = name (may be nullptr)
  ChanSend,       // g sent on obj; other = receiver that took it directly (0 = into the buffer);
                  // value in a/text (see ValueKind in reason); b = buffer occupancy after
  ChanRecv,       // g received on obj; other = the sender whose value it was (0 if unknown);
                  // value in a/text; b = buffer occupancy after; reason bit 7 set = !ok (closed:
                  // recv_closed)
  ChanClose,      // g closed obj
  SelectBegin,    // g enters a select with a = number of cases, b = 1 if it has a default
  SelectReady,    // a = bitmask of the cases ready when g looked (case i -> bit i, up to 64)
  SelectChosen,   // g's select completed case a (on channel obj)
  SelectDefault,  // g's select took its default case
  WgAdd,          // g called Add(a) on WaitGroup obj; b = counter after
  WgDone,         // g called Done() on obj; b = counter after
  WgWait,         // g called Wait() on obj; b = counter when it looked (0 = returns at once)
  Sleep,          // g sleeps for a ns
  Wake,           // g's sleep ended
  WorkBegin,      // g starts a ns of simulated CPU work (occupies its processor)
  WorkEnd,        // g's simulated work is done
  Output,         // g printed text (one line, no newline)
  Panic,          // g panicked; text = Go's message ("send on closed channel"); a = 1: a fatal
                  // error instead ("stack overflow": Go says "fatal error:", not "panic:";
                  // is_fatal_error)
  Deadlock,       // every goroutine is asleep; text = Go's message
  ProcStart,      // processor proc becomes busy (runs a goroutine)
  ProcStop,       // processor proc becomes idle
  Dropped,        // a = number of events dropped because a ring was full
  TimerFire,      // a timer on channel obj fired (after / ticker)
};
inline constexpr int kEventKindCount = static_cast<int>(EventKind::TimerFire) + 1;

// BlockReason says what a blocked goroutine waits for (Event::reason of GoBlock).
enum class BlockReason : uint8_t {
  None,
  Send,       // chan send
  Recv,       // chan receive
  Select,     // select (with at least one non-nil case)
  WaitGroup,  // sync.WaitGroup.Wait
  Sleep,      // time.Sleep
  NilSend,    // chan send (nil chan): forever
  NilRecv,    // chan receive (nil chan): forever
  SelectNoCases,  // select {}: forever
  Work,       // simulated CPU work (deterministic mode: holds its processor)
};
inline constexpr int kBlockReasonCount = static_cast<int>(BlockReason::Work) + 1;

// ProgramOutcome is how a run ended (Event::a of ProgramEnd). Same values as the
// runtime's OutcomeKind.
enum class ProgramOutcome : uint8_t {
  ok = 0,
  panic = 1,
  deadlock = 2,
  fatal = 3,  // one of Go's fatal errors other than a deadlock (a stack overflow)
};

// ValueKind says how a channel event carries its value (low bits of Event::reason for
// ChanSend / ChanRecv).
enum class ValueKind : uint8_t {
  None = 0,   // no printable value (struct{} or a type without a formatter)
  Int = 1,    // the value is Event::a
  Text = 2,   // the value is Event::text
};
inline constexpr uint8_t kRecvClosedBit = 0x80;  // ChanRecv: the receive got ok == false

// Event is one state change. 64 bytes, trivially copyable.
struct Event {
  uint64_t seq = 0;
  int64_t ts = 0;
  const char* text = nullptr;
  int64_t a = 0;
  int64_t b = 0;
  uint64_t obj = 0;
  uint32_t g = 0;
  uint32_t other = 0;
  uint16_t proc = 0;
  EventKind kind = EventKind::ProgramStart;
  uint8_t reason = 0;
  uint32_t reserved = 0;  // 0 in every delivered event; inside the tracer's rings it marks
                          // a switch record (see core/detail/tracer.h)
};
static_assert(sizeof(Event) == 64, "Event must stay one cache line");
static_assert(std::is_trivially_copyable_v<Event>);

// The accessors below decode the fields whose meaning depends on the kind, so that no
// consumer repeats the contract's numbers. Each names the kinds it applies to.

// is_real_mode reports whether a ProgramStart event starts a real-mode run (b == 1).
inline bool is_real_mode(const Event& e) { return e.b == 1; }

// outcome_of returns how the run ended, from a ProgramEnd event (unknown values: ok).
inline ProgramOutcome outcome_of(const Event& e) {
  return e.a >= 0 && e.a <= static_cast<int64_t>(ProgramOutcome::fatal) ? static_cast<ProgramOutcome>(e.a)
                                                                         : ProgramOutcome::ok;
}

// is_fatal_error reports whether a Panic event is a fatal error ("fatal error: stack
// overflow") rather than a panic.
inline bool is_fatal_error(const Event& e) { return e.a == 1; }

// block_reason returns what a GoBlock (or GoAbandon) event's goroutine waits for.
inline BlockReason block_reason(const Event& e) {
  return e.reason < kBlockReasonCount ? static_cast<BlockReason>(e.reason) : BlockReason::None;
}

// value_kind returns how a ChanSend / ChanRecv event carries its value (unknown: None).
inline ValueKind value_kind(const Event& e) {
  const uint8_t k = e.reason & static_cast<uint8_t>(~kRecvClosedBit);
  return k == static_cast<uint8_t>(ValueKind::Int) || k == static_cast<uint8_t>(ValueKind::Text)
             ? static_cast<ValueKind>(k)
             : ValueKind::None;
}

// recv_closed reports whether a ChanRecv event got ok == false (the channel was closed
// and empty: the value is the zero value, nobody sent it).
inline bool recv_closed(const Event& e) { return (e.reason & kRecvClosedBit) != 0; }

// EventSink receives the events of a run, in seq order, in batches. The runtime calls
// on_events from one thread at a time (the consumer); on_events must not call back
// into the runtime.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // on_events receives the next batch of events, seq-contiguous with the previous batch
  // (except where a Dropped event says some were lost).
  virtual void on_events(std::span<const Event> events) = 0;
  // on_run_end is called once after the last batch of a run.
  virtual void on_run_end() {}
  // drops_when_behind says what a real-mode run does when the sink falls behind and a
  // worker's event ring is full: false (the default) makes the worker wait until the
  // consumer has made room, so that the sink gets every event (a recording is complete);
  // true drops the event instead and reports the loss in a Dropped event, for live views
  // that must not slow the program down. The deterministic mode never drops.
  virtual bool drops_when_behind() const { return false; }
};

// intern returns a pointer to a NUL-terminated copy of s that lives until the process
// ends; the same text always gives the same pointer. Thread-safe. Use it for event text
// that is not a literal (goroutine names, printed lines, values as text).
const char* intern(std::string_view s);

// to_string names an event kind ("GoBlock"; "?" for a value out of range).
const char* to_string(EventKind k);
// go_wait_reason names a block reason the way Go's tracebacks do ("chan send",
// "chan receive", "select", "semacquire", "sleep", "chan send (nil chan)", ...).
const char* go_wait_reason(BlockReason r);
// short_name names a block reason for people ("send", "receive", "WaitGroup", ...).
const char* short_name(BlockReason r);

// value_text renders a channel value the way Go prints it ("42", "\"hi\"", "" if it has
// none): the one place values become text.
std::string value_text(ValueKind kind, int64_t i, const char* text);
// value_text renders the value carried by a ChanSend / ChanRecv event.
std::string value_text(const Event& e);

// describe renders one event as a line of text, for logs and tests.
std::string describe(const Event& e);

}  // namespace goscope
