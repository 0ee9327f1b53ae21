// chan.h: Go's channels.
//
// A Chan<T> is a handle: copies share one channel, so a lambda can capture it by value.
// A default-constructed Chan is Go's nil channel: send and receive block forever, close
// panics, and select never chooses it.
//
// Example:
//
//   auto jobs = goscope::make_chan<int>(3, "jobs");   // buffered: ch := make(chan int, 3)
//   goscope::go([jobs]() mutable {
//     for (int j = 1; j <= 5; ++j) jobs.send(j);        // jobs <- j
//     jobs.close();
//   });
//   for (int j : jobs) goscope::println(std::to_string(j));  // for j := range jobs
//
// Semantics are Go's: an unbuffered channel (capacity 0) hands each value from a sender
// to a receiver, and whichever comes first waits for the other; a buffered channel
// blocks senders only when full and receivers only when empty; parked senders and
// receivers are served first come, first served. After close, receivers drain what is
// buffered, then get the zero value with ok == false; senders (parked or new) panic with
// "send on closed channel"; closing again panics with "close of closed channel", closing
// a nil channel with "close of nil channel".
//
// Lock-free: send, recv, recv_ok, try_send, try_recv, close, len and cap take no lock.
// Each claims its cell with one fetch-and-add and completes it with CAS operations
// (Koval, Alistarh, Elizarov, PPoPP 2023; see core/detail/chan_core.h). A blocking
// operation that has to wait parks its goroutine (which costs a context switch, not a
// lock). Segment memory is reclaimed as the counters move on (epoch-based reclamation,
// core/detail/chan_epoch.h); a channel's memory is bounded by what it buffers and by
// the operations waiting on it. In a run whose goroutines all share one thread (one
// worker, or the deterministic mode) the same algorithm runs with plain loads and stores
// instead of locked read-modify-writes; so a channel belongs to the goroutines of one
// run and must not be used by threads outside it while the run goes on. With several
// workers the plain form also runs while one worker runs alone (Config::solo); a worker
// that wakes up to run goroutines first waits until the lone one is outside its current
// channel operation (a handshake on the scheduler's side; no channel operation waits).
// Strictly, that waiting worker depends on the lone one's progress: while it waits it
// runs no goroutine, and the lone worker is within one operation of letting it in.
//
// Memory ordering: everything a goroutine did before send(v) is visible to the goroutine
// whose receive returns v; everything before close() is visible to a receive that
// returns ok == false because of it. (For an unbuffered channel the receive also
// happens before the send completes, as in Go's memory model.)
//
// Element types must be default-constructible (the zero value) and nothrow-movable.
// Empty types (struct {}) cost one byte per cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <string_view>
#include <utility>

#include "core/detail/chan_core.h"
#include "core/detail/chan_events.h"
#include "core/detail/park.h"

namespace goscope {

template <class T>
class Chan;

// TryRecv is the result of a non-blocking receive.
template <class T>
struct TryRecv {
  bool ready = false;  // false: the receive would have blocked (value and ok are meaningless)
  T value{};           // the value received (the zero value when !ok)
  bool ok = false;     // false: the channel is closed and drained
};

// make_chan makes a channel with room for `cap` buffered values (0 = unbuffered), like
// make(chan T, cap). `name` labels it in events and in the UI.
template <class T>
Chan<T> make_chan(std::size_t cap = 0, std::string_view name = {});

namespace detail {
template <class T>
ChanCore* core_of(const Chan<T>& c);
}  // namespace detail

template <class T>
class Chan {
  static_assert(std::is_default_constructible_v<T>, "a channel's element type needs a zero value");
  static_assert(std::is_nothrow_move_constructible_v<T>, "a channel's element type must move without throwing");

 public:
  // Chan() is the nil channel.
  Chan() = default;

  // send sends v (ch <- v): blocks until a receiver takes it or the buffer has room.
  void send(T v) {
    if (!core_) detail::block_forever(BlockReason::NilSend);
    detail::charge_op();
    const bool tr = detail::tracing();
    const uint32_t gid = tr ? detail::current_gid() : 0;
    detail::EventValue ev = tr ? detail::describe_value(v) : detail::EventValue{};
    detail::OpResult r = core_->send(&v, gid);
    if (r.status == detail::OpStatus::closed) detail::go_panic("send on closed channel");
    if (tr) detail::emit_chan_send(*core_, gid, r.partner, ev);
  }

  // recv receives a value (<-ch): blocks until one is there; the zero value once the
  // channel is closed and drained.
  T recv() { return recv_ok().first; }

  // recv_ok receives a value and whether it came from a send (v, ok := <-ch).
  std::pair<T, bool> recv_ok() {
    if (!core_) detail::block_forever(BlockReason::NilRecv);
    detail::charge_op();
    const bool tr = detail::tracing();
    const uint32_t gid = tr ? detail::current_gid() : 0;
    Slot slot;
    detail::OpResult r = core_->recv(slot.raw(), gid);
    return finish_recv(r, slot, tr, gid);
  }

  // try_send sends v if that needs no waiting (select { case ch <- v: default: }).
  // Panics with "send on closed channel" on a closed channel, like Go's select.
  bool try_send(T v) {
    if (!core_) return false;
    detail::charge_op();
    const bool tr = detail::tracing();
    const uint32_t gid = tr ? detail::current_gid() : 0;
    detail::EventValue ev = tr ? detail::describe_value(v) : detail::EventValue{};
    detail::OpResult r = core_->try_send(&v, gid);
    if (r.status == detail::OpStatus::would_block) return false;
    if (r.status == detail::OpStatus::closed) detail::go_panic("send on closed channel");
    if (tr) detail::emit_chan_send(*core_, gid, r.partner, ev);
    return true;
  }

  // try_recv receives if that needs no waiting (select { case v, ok := <-ch: default: }).
  TryRecv<T> try_recv() {
    if (!core_) return {};
    detail::charge_op();
    const bool tr = detail::tracing();
    const uint32_t gid = tr ? detail::current_gid() : 0;
    Slot slot;
    detail::OpResult r = core_->try_recv(slot.raw(), gid);
    if (r.status == detail::OpStatus::would_block) return {};
    auto [v, ok] = finish_recv(r, slot, tr, gid);
    return TryRecv<T>{true, std::move(v), ok};
  }

  // close closes the channel (close(ch)).
  void close() {
    if (!core_) detail::go_panic("close of nil channel");
    detail::charge_op();
    if (!core_->close()) detail::go_panic("close of closed channel");
    if (detail::tracing()) detail::emit_chan_close(*core_, detail::current_gid());
  }

  // len returns the number of values in the buffer (len(ch)), Go's count of what a
  // receive could take: a snapshot computed from the counters (min(senders, buffer end)
  // - receivers, less the cells of sends that gave up: see chan_core.h), exact whenever
  // no operation is in flight.
  std::size_t len() const { return core_ ? core_->len() : 0; }
  // cap returns the buffer's capacity (cap(ch)).
  std::size_t cap() const { return core_ ? core_->cap() : 0; }
  // id returns the channel's object id in events (0 for nil).
  uint64_t id() const { return core_ ? core_->id() : 0; }
  // is_nil reports whether this is the nil channel.
  bool is_nil() const { return !core_; }

  // operator== compares channel identity, like Go's == on channels.
  friend bool operator==(const Chan& a, const Chan& b) { return a.core_ == b.core_; }

  // Iterator makes `for (auto v : ch)` receive until the channel is closed and drained.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    Iterator() = default;
    explicit Iterator(Chan* ch) : ch_(ch) { ++*this; }
    T& operator*() { return value_; }
    Iterator& operator++() {
      auto [v, ok] = ch_->recv_ok();
      if (ok) {
        value_ = std::move(v);
      } else {
        ch_ = nullptr;
      }
      return *this;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.ch_ == b.ch_; }

   private:
    Chan* ch_ = nullptr;
    T value_{};
  };
  // begin receives the first value (blocking); end is "closed and drained".
  Iterator begin() { return Iterator(this); }
  Iterator end() { return Iterator(); }

 private:
  template <class U>
  friend Chan<U> make_chan(std::size_t cap, std::string_view name);
  friend detail::ChanCore* detail::core_of<T>(const Chan<T>& c);

  // Slot is raw storage the channel constructs a received value in.
  struct Slot {
    alignas(T) unsigned char bytes[sizeof(T)];
    void* raw() { return bytes; }
    T* get() { return std::launder(reinterpret_cast<T*>(bytes)); }
  };

  std::pair<T, bool> finish_recv(const detail::OpResult& r, Slot& slot, bool tr, uint32_t gid) {
    if (r.status == detail::OpStatus::closed) {
      if (tr) detail::emit_chan_recv(*core_, gid, 0, detail::describe_value(T{}), false);
      return {T{}, false};
    }
    std::pair<T, bool> out{std::move(*slot.get()), true};
    slot.get()->~T();
    if (tr) detail::emit_chan_recv(*core_, gid, r.partner, detail::describe_value(out.first), true);
    return out;
  }

  std::shared_ptr<detail::ChanCore> core_;
};

template <class T>
Chan<T> make_chan(std::size_t cap, std::string_view name) {
  Chan<T> c;
  c.core_ = std::make_shared<detail::ChanCore>(cap, detail::elem_ops<T>(), detail::new_object_id());
  if (detail::tracing()) detail::emit_chan_make(c.core_->id(), cap, name);
  return c;
}

namespace detail {
template <class T>
ChanCore* core_of(const Chan<T>& c) {
  return c.core_.get();
}
}  // namespace detail

}  // namespace goscope
