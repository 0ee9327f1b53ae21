// detail/stack_pool.h: goroutine stacks.
//
// Every stack has a guard region at its low end: a goroutine that overflows its stack
// faults there (and the runtime reports Go's "fatal error: stack overflow") instead of
// writing into a neighbour. No stack is ever handed out without one.
//
// Guards must not cost a kernel mapping each: a process may hold vm.max_map_count
// mappings (65,530 by default), and a guard made with mprotect splits its stack's
// mapping in two. So stacks are carved from slabs, one mapping of many stacks each, and
// their guards are installed with madvise(MADV_GUARD_INSTALL) (Linux 6.13), which marks
// pages as guards in the page tables without splitting the mapping: the goroutine count
// is bounded by memory, not by mappings. Where the kernel lacks it, each stack is a
// mapping of its own with an mprotect guard, within a budget of mappings derived from
// max_map_count; past it acquire() fails (StackUnavailable) rather than hand out an
// unguarded stack.
//
// The usable part is reserved but untouched, so a goroutine costs the pages it touches.
// Stacks are pooled and reused, never unmapped per goroutine (a fresh page costs a page
// fault to touch, a mapping a system call); trim() gives the memory of the
// pooled stacks beyond a warm few back to the system between programs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace goscope::detail {

#if defined(GOSCOPE_ASAN) || defined(GOSCOPE_TSAN)
inline constexpr std::size_t kStackUsable = 256 * 1024;  // sanitizers inflate frames
#else
inline constexpr std::size_t kStackUsable = 64 * 1024;
#endif
// Larger than one page so that a frame a little bigger than a page still lands in it;
// goscope's own code is built with stack-clash protection, which probes every page of a
// large frame in order, so no frame can step over it.
inline constexpr std::size_t kStackGuard = 16 * 1024;

struct Stack {
  char* base = nullptr;  // lowest address: the guard region, then the usable stack
  uint32_t slab = kOwnMapping;  // the slab it was carved from, or kOwnMapping
  bool cold = false;            // pooled with its pages given back (trim)

  static constexpr uint32_t kOwnMapping = UINT32_MAX;

  char* bottom() const { return base + guard_size(); }
  char* top() const { return bottom() + usable(); }  // stacks grow down
  static constexpr std::size_t usable() { return kStackUsable; }     // bytes a goroutine's frames may use
  static constexpr std::size_t guard_size() { return kStackGuard; }  // bytes of the guard region below them
  // in_guard reports whether addr lies in this stack's guard region.
  bool in_guard(const void* addr) const {
    const char* p = static_cast<const char*>(addr);
    return p >= base && p < bottom();
  }
};

// StackUnavailable is thrown by acquire() when no guarded stack can be had.
struct StackUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StackPool {
 public:
  // acquire returns a pooled stack, or a new one. Thread-safe. Throws StackUnavailable
  // (with Go-style wording) when no guarded stack can be mapped.
  static Stack acquire();
  // release returns a stack to the pool. Thread-safe.
  static void release(const Stack& s);
  // trim keeps the `keep` most recently released stacks warm and gives the memory of the
  // other pooled stacks back: slabs with no stack in use are unmapped, other stacks'
  // pages are dropped (their guards stay). Thread-safe.
  static void trim(std::size_t keep);
  // kWarmStacks is what the runtime keeps warm between programs.
  static constexpr std::size_t kWarmStacks = 256;
  // pooled returns how many stacks are waiting in the pool (for leak tests).
  static std::size_t pooled();
  // mapped returns how many stacks exist (pooled or in use).
  static std::size_t mapped();
  // guard_install reports whether guards are page-table guards (MADV_GUARD_INSTALL)
  // rather than mprotect'ed pages with a mapping budget.
  static bool guard_install();
  // limit_own_mappings_for_testing makes new stacks take the fallback (a mapping each,
  // mprotect guard) with at most `budget` such stacks in all; 0 restores the default.
  static void limit_own_mappings_for_testing(std::size_t budget);
};

}  // namespace goscope::detail
