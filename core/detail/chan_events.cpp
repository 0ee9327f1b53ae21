// chan_events.cpp: channel events and the nil channel's eternal wait.
#include "core/detail/chan_events.h"

#include "core/detail/runtime_impl.h"

namespace goscope::detail {
namespace {

// emit_now hands e straight to the running program's runtime, skipping detail::emit's
// lookup and by-value copy: these run on every traced channel operation, and only while
// tracing() (inside a run).
inline void emit_now(const Event& e) { runtime()->emit(e); }

// occupancy is the buffer occupancy an event reports. An unbuffered channel holds
// nothing, and its events skip the call (and its loads of the channel's counters).
inline int64_t occupancy(const ChanCore& c) { return c.cap() == 0 ? 0 : static_cast<int64_t>(c.len()); }

}  // namespace

void emit_chan_make(uint64_t obj, std::size_t cap, std::string_view name) {
  Event e;
  e.kind = EventKind::ChanMake;
  e.g = current_gid();
  e.obj = obj;
  e.a = static_cast<int64_t>(cap);
  e.text = name.empty() ? nullptr : intern(name);
  emit(e);
}

// emit_chan_op writes a ChanSend / ChanRecv event straight into the worker's ring slot.
[[gnu::always_inline]] static inline void emit_chan_op(EventKind kind, const ChanCore& c, uint32_t gid, uint32_t partner, const EventValue& v,
                         uint8_t reason) {
  Runtime* r = runtime();
  const int64_t b = occupancy(c);
  r->emit_op_with(r->deterministic() ? nullptr : r->this_worker(), gid, [&](Event& e) {
    e.kind = kind;
    e.g = gid;
    e.other = partner;
    e.obj = c.id();
    e.reason = reason;
    e.a = v.a;
    e.text = v.text;
    e.b = b;
  });
}

void emit_chan_send(const ChanCore& c, uint32_t gid, uint32_t partner, const EventValue& v) {
  emit_chan_op(EventKind::ChanSend, c, gid, partner, v, static_cast<uint8_t>(v.kind));
}

void emit_chan_recv(const ChanCore& c, uint32_t gid, uint32_t partner, const EventValue& v, bool ok) {
  emit_chan_op(EventKind::ChanRecv, c, gid, partner, v,
               static_cast<uint8_t>(static_cast<uint8_t>(v.kind) | (ok ? 0 : kRecvClosedBit)));
}

void emit_chan_close(const ChanCore& c, uint32_t gid) {
  Event e;
  e.kind = EventKind::ChanClose;
  e.g = gid;
  e.obj = c.id();
  e.b = occupancy(c);
  emit_now(e);
}

void block_forever(BlockReason reason) {
  for (;;) park(reason, 0);  // no one ever unparks us; the end of the program unwinds us
}

}  // namespace goscope::detail
