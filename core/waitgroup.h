// waitgroup.h: Go's sync.WaitGroup.
//
// A WaitGroup is a counter with one special behaviour: Wait() blocks until the counter
// is zero. Add(n) moves it up, Done() moves it down by one; a negative counter panics
// with Go's "sync: negative WaitGroup counter".
//
// WaitGroup is a handle: copies share one counter, so a lambda can capture it by value
// and a goroutine can outlive the scope that made it.
//
// Example:
//
//   goscope::WaitGroup wg;
//   for (int i = 0; i < 3; ++i) {
//     wg.Add(1);
//     goscope::go([wg]() mutable { /* ... */ wg.Done(); });
//   }
//   wg.Wait();  // all three are done
//
// Memory ordering: everything a goroutine did before Done() (or Add()) that brought the
// counter to zero is visible to every goroutine whose Wait() returns because of it.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace goscope {

namespace detail { struct WaitGroupState; }

class WaitGroup {
 public:
  // WaitGroup() makes a new counter at zero. It may be made outside a run and used in
  // several runs one after another.
  WaitGroup();
  explicit WaitGroup(std::string_view name);

  // Add adds delta (which may be negative) to the counter; at zero it releases every
  // waiter. Panics with "sync: negative WaitGroup counter" if the counter goes below 0.
  void Add(int delta);
  // Done decrements the counter by one.
  void Done();
  // Wait blocks until the counter is zero. Many goroutines may wait at once; the group
  // may be reused once Wait has returned.
  void Wait();

  // counter returns the current count (for tests and the UI; racy by nature).
  int64_t counter() const;
  // id returns the WaitGroup's object id in events.
  uint64_t id() const;

 private:
  std::shared_ptr<detail::WaitGroupState> state_;
};

}  // namespace goscope
