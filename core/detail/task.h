// detail/task.h: the function a goroutine runs.
//
// A move-only `void()` callable with room for small closures inline, so that starting
// a goroutine whose lambda captures a few handles (a WaitGroup, two channels) costs no
// heap allocation; std::function would allocate for any closure that is not trivially
// copyable. Larger closures go to the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <new>
#include <type_traits>
#include <utility>

namespace goscope::detail {

class Task {
 public:
  static constexpr std::size_t kInlineSize = 64;

  Task() = default;

  template <class F, class Fn = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<Fn, Task> && std::is_invocable_r_v<void, Fn&>>>
  Task(F&& f) {  // NOLINT: implicit, so go([]{...}) reads like Go
    if constexpr (sizeof(Fn) <= kInlineSize && alignof(Fn) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Fn>) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      ops_ = &InlineOps<Fn>::ops;
    } else {
      *reinterpret_cast<Fn**>(storage_) = new Fn(std::forward<F>(f));
      ops_ = &HeapOps<Fn>::ops;
    }
  }

  Task(Task&& o) noexcept : ops_(o.ops_) {
    if (ops_) ops_->relocate(o.storage_, storage_);
    o.ops_ = nullptr;
  }
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = o.ops_;
      if (ops_) ops_->relocate(o.storage_, storage_);
      o.ops_ = nullptr;
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  // operator() runs the closure.
  void operator()() { ops_->invoke(storage_); }
  // reset destroys the closure (and what it captured).
  void reset() {
    if (ops_) {
      const Ops* ops = ops_;
      ops_ = nullptr;
      ops->destroy(storage_);
    }
  }
  explicit operator bool() const { return ops_ != nullptr; }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*relocate)(void* from, void* to);  // move-construct into `to`, destroy `from`
    void (*destroy)(void*);
  };
  template <class Fn>
  struct InlineOps {
    static void invoke(void* p) { (*static_cast<Fn*>(p))(); }
    static void relocate(void* from, void* to) {
      ::new (to) Fn(std::move(*static_cast<Fn*>(from)));
      static_cast<Fn*>(from)->~Fn();
    }
    static void destroy(void* p) { static_cast<Fn*>(p)->~Fn(); }
    static constexpr Ops ops{&invoke, &relocate, &destroy};
  };
  template <class Fn>
  struct HeapOps {
    static void invoke(void* p) { (**static_cast<Fn**>(p))(); }
    static void relocate(void* from, void* to) { *static_cast<Fn**>(to) = *static_cast<Fn**>(from); }
    static void destroy(void* p) { delete *static_cast<Fn**>(p); }
    static constexpr Ops ops{&invoke, &relocate, &destroy};
  };

  alignas(std::max_align_t) unsigned char storage_[kInlineSize];
  const Ops* ops_ = nullptr;
};

// spawn starts a goroutine running `task` (see go.h).
uint32_t spawn(Task task, std::string_view name, int line);

}  // namespace goscope::detail
