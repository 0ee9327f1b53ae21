// select.h: Go's select statement.
//
// select blocks until one of its cases can proceed, then completes exactly that one and
// returns its index in the list. Among cases ready at the same time it picks uniformly
// at random (from the run's seeded generator in the deterministic mode). With a
// default_case it never blocks: if no other case is ready, it returns the default's
// index. Cases on nil channels are never chosen; a select with no cases (or only nil
// ones and no default) blocks forever.
//
// Example:
//
//   int v = 0;
//   bool ok = false;
//   switch (goscope::select({goscope::recv_case(results, &v, &ok),
//                            goscope::recv_case(timeout),
//                            goscope::send_case(out, 42)})) {
//     case 0: /* v, ok := <-results */ break;
//     case 1: /* <-timeout */ break;
//     case 2: /* out <- 42 sent */ break;
//   }
//
// A send case on a closed channel panics with "send on closed channel" when chosen, as
// in Go. The channels named in the cases must outlive the select call (they do when they
// are variables of the caller).
//
// How it works (Kotlin's select, Go's semantics): first every case is tried without
// blocking, in a random order. If none is ready, each case stores a waiter in a cell of
// its channel; one atomic word in the select decides which partner wins, the losers'
// cells are marked interrupted before select returns, and later operations skip them.
// A select never pairs with itself. A send and a receive case on one unbuffered channel
// wait in both directions, as in Go: when the two meet in a cell (the channel was idle),
// they wait together in the next one, which the next sender and the next receiver both
// come to (a two-way offer, see core/detail/chan_core.h); close completes the receive
// case (zero value, ok == false), as Go's close does. Of several cases of one direction
// on such a channel, one (at random) waits: a partner would take only one of them.
//
// Memory ordering: as for the channel operation of the chosen case (see chan.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>

#include "core/chan.h"

namespace goscope {

class SelectCase;

// select runs a select statement over `cases` and returns the index of the case that
// completed (the default's index if it was taken).
std::size_t select(std::initializer_list<SelectCase> cases);
template <class T>
SelectCase recv_case(const Chan<T>& ch, T* v = nullptr, bool* ok = nullptr);
template <class T>
SelectCase send_case(const Chan<T>& ch, T v);

namespace detail {
struct SelectCaseAccess;
}

// SelectCase is one case of a select; make it with recv_case, send_case or default_case,
// right inside the select's braces.
class SelectCase {
 public:
  enum class Kind : uint8_t { recv, send, fallback };

  SelectCase(const SelectCase&) = delete;
  SelectCase& operator=(const SelectCase&) = delete;
  SelectCase(SelectCase&& o) noexcept
      : kind_(o.kind_), core_(o.core_), elem_size_(o.elem_size_), elem_align_(o.elem_align_), dst_(o.dst_),
        ok_(o.ok_), take_(o.take_), zero_(o.zero_), describe_(o.describe_), destroy_(o.destroy_),
        relocate_(o.relocate_) {
    if (o.value_ == static_cast<void*>(o.box_)) {
      relocate_(box_, o.box_);
      value_ = box_;
    } else {
      value_ = o.value_;
    }
    o.value_ = nullptr;
  }
  ~SelectCase() {
    if (value_) destroy_(value_, value_ != static_cast<void*>(box_));
  }

 private:
  friend struct detail::SelectCaseAccess;
  template <class T>
  friend SelectCase recv_case(const Chan<T>& ch, T* v, bool* ok);
  template <class T>
  friend SelectCase send_case(const Chan<T>& ch, T v);
  friend SelectCase default_case();

  explicit SelectCase(Kind k) : kind_(k) {}

  Kind kind_;
  detail::ChanCore* core_ = nullptr;  // nullptr: nil channel (or the default case)
  std::size_t elem_size_ = 0;
  std::size_t elem_align_ = 1;
  // receive: where the value goes (optional) and how
  void* dst_ = nullptr;
  bool* ok_ = nullptr;
  void (*take_)(void* dst, void* tmp) = nullptr;  // *dst = move(*tmp) (dst may be null); destroys *tmp
  void (*zero_)(void* dst) = nullptr;             // *dst = T{}
  detail::EventValue (*describe_)(const void* v) = nullptr;
  // send: the value, owned by the case (mutable: cases sit in a const initializer_list)
  alignas(16) mutable unsigned char box_[32];
  mutable void* value_ = nullptr;
  void (*destroy_)(void* v, bool heap) = nullptr;
  void (*relocate_)(void* dst, void* src) = nullptr;  // move-construct into dst, destroy src
};

// recv_case is `case v, ok := <-ch:` (v and ok may be null: `case <-ch:`).
template <class T>
SelectCase recv_case(const Chan<T>& ch, T* v, bool* ok) {
  SelectCase c(SelectCase::Kind::recv);
  c.core_ = detail::core_of(ch);
  c.elem_size_ = sizeof(T);
  c.elem_align_ = alignof(T);
  c.dst_ = v;
  c.ok_ = ok;
  c.take_ = [](void* dst, void* tmp) {
    T* t = std::launder(static_cast<T*>(tmp));
    if (dst) *static_cast<T*>(dst) = std::move(*t);
    t->~T();
  };
  c.zero_ = [](void* dst) {
    if (dst) *static_cast<T*>(dst) = T{};
  };
  c.describe_ = [](const void* p) { return detail::describe_value(*static_cast<const T*>(p)); };
  return c;
}

// send_case is `case ch <- v:`.
template <class T>
SelectCase send_case(const Chan<T>& ch, T v) {
  SelectCase c(SelectCase::Kind::send);
  c.core_ = detail::core_of(ch);
  c.elem_size_ = sizeof(T);
  c.elem_align_ = alignof(T);
  if constexpr (sizeof(T) <= sizeof(c.box_) && alignof(T) <= 16) {
    c.value_ = ::new (static_cast<void*>(c.box_)) T(std::move(v));
  } else {
    c.value_ = new T(std::move(v));
  }
  c.destroy_ = [](void* p, bool heap) {
    if (heap) {
      delete static_cast<T*>(p);
    } else {
      std::launder(static_cast<T*>(p))->~T();
    }
  };
  c.relocate_ = [](void* dst, void* src) {
    T* t = std::launder(static_cast<T*>(src));
    ::new (dst) T(std::move(*t));
    t->~T();
  };
  c.describe_ = [](const void* p) { return detail::describe_value(*static_cast<const T*>(p)); };
  return c;
}

// default_case is `default:`.
inline SelectCase default_case() { return SelectCase(SelectCase::Kind::fallback); }

}  // namespace goscope
