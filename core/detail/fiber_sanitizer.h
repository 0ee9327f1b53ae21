// detail/fiber_sanitizer.h: telling AddressSanitizer and ThreadSanitizer about stack
// switches. Without this ASan mistakes a goroutine's stack for a stack overflow and TSan
// mixes up the happens-before of different goroutines. Compiles to nothing otherwise.
#pragma once

#include <cstddef>

#if defined(GOSCOPE_ASAN)
#include <sanitizer/asan_interface.h>
#endif
#if defined(GOSCOPE_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace goscope::detail::san {

// Each side of a switch keeps a FiberSan: the ASan fake-stack handle and the TSan fiber.
struct FiberSan {
  void* asan_fake_stack = nullptr;
  const void* asan_bottom = nullptr;  // bounds of the stack we are about to run on
  std::size_t asan_size = 0;
  void* tsan_fiber = nullptr;
};

// before_switch is called just before jumping to `to`; `dying` means the current stack
// will never be resumed (ASan then frees its fake stack).
inline void before_switch([[maybe_unused]] FiberSan& from, [[maybe_unused]] const FiberSan& to,
                          [[maybe_unused]] bool dying) {
#if defined(GOSCOPE_ASAN)
  __sanitizer_start_switch_fiber(dying ? nullptr : &from.asan_fake_stack, to.asan_bottom, to.asan_size);
#endif
#if defined(GOSCOPE_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber, 0);
#endif
}

// after_switch is called first thing after control arrives on a stack; `prev` learns the
// bounds of the stack we came from (so we can switch back to it later).
inline void after_switch([[maybe_unused]] FiberSan& self, [[maybe_unused]] FiberSan* prev) {
#if defined(GOSCOPE_ASAN)
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(self.asan_fake_stack, &bottom, &size);
  if (prev) {
    prev->asan_bottom = bottom;
    prev->asan_size = size;
  }
#endif
}

// reuse_stack clears what ASan remembers about a stack's previous goroutine (the
// redzones of frames that died without returning) before a new goroutine runs on it.
inline void reuse_stack([[maybe_unused]] void* bottom, [[maybe_unused]] std::size_t size) {
#if defined(GOSCOPE_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(bottom, size);
#endif
}

inline void* create_fiber() {
#if defined(GOSCOPE_TSAN)
  return __tsan_create_fiber(0);
#else
  return nullptr;
#endif
}
inline void destroy_fiber([[maybe_unused]] void* f) {
#if defined(GOSCOPE_TSAN)
  if (f) __tsan_destroy_fiber(f);
#endif
}
inline void* current_fiber() {
#if defined(GOSCOPE_TSAN)
  return __tsan_get_current_fiber();
#else
  return nullptr;
#endif
}

}  // namespace goscope::detail::san
