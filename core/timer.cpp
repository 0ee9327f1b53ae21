// timer.cpp: after() and Ticker on the runtime's timers (detail::add_timer).
#include "core/timer.h"

#include "core/detail/chan_events.h"
#include "core/detail/park.h"

namespace goscope {
namespace detail {

// TickerState is shared by the Ticker handles and the pending timer callback.
struct TickerState {
  Chan<Duration> C;
  int64_t period = 0;
  std::atomic<bool> stopped{false};
  std::atomic<uint64_t> timer{0};
};

namespace {

// fire_into does what a Go timer does when it fires: a non-blocking send of the current
// time into a channel with a buffer of one.
void fire_into(const Chan<Duration>& ch) {
  ChanCore* core = core_of(ch);
  Duration t(now_ns());
  const bool tr = tracing();
  if (tr) {
    Event e;
    e.kind = EventKind::TimerFire;
    e.obj = core->id();
    e.a = t.count();
    emit(e);
  }
  OpResult r = core->try_send(&t, 0);
  if (tr && r.status == OpStatus::done) emit_chan_send(*core, 0, r.partner, describe_value(t));
}

void arm(const std::shared_ptr<TickerState>& s) {
  uint64_t id = add_timer(s->period, [s] {
    if (s->stopped.load(std::memory_order_acquire)) return;
    fire_into(s->C);
    arm(s);
  });
  s->timer.store(id, std::memory_order_release);
  // Stop may have run between add_timer and the store: it could not cancel this one.
  if (s->stopped.load(std::memory_order_acquire)) cancel_timer(id);
}

}  // namespace
}  // namespace detail

Chan<Duration> after(Duration d) {
  Chan<Duration> ch = make_chan<Duration>(1, "time.After");
  detail::add_timer(d.count(), [ch] { detail::fire_into(ch); });
  return ch;
}

Ticker::Ticker(Duration period) {
  if (period.count() <= 0) detail::go_panic("non-positive interval for NewTicker");
  C = make_chan<Duration>(1, "time.Ticker");
  state_ = std::make_shared<detail::TickerState>();
  state_->C = C;
  state_->period = period.count();
  detail::arm(state_);
}

void Ticker::Stop() {
  if (!state_) return;
  state_->stopped.store(true, std::memory_order_release);
  detail::cancel_timer(state_->timer.load(std::memory_order_acquire));
}

}  // namespace goscope
