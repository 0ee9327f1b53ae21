// detail/stack_pool.h: goroutine stacks.
//
// Each stack is its own anonymous mapping: a PROT_NONE guard page at the low end (a
// stack overflow faults instead of corrupting a neighbour) and the usable stack above it,
// reserved but untouched, so a goroutine costs only the pages it actually touches.
// Stacks are pooled and reused; they are never unmapped when a goroutine ends (a fresh
// page costs 10-20 us to touch on these machines, a mapping a system call). trim() gives
// memory back between programs.
//
// Guard pages split mappings: with vm.max_map_count at 65530, 100,000 guarded stacks
// would not fit. Past a budget derived from max_map_count, new stacks are made without a
// guard page (adjacent unguarded mappings merge into one kernel VMA). guarded() tells.
#pragma once

#include <cstddef>

namespace goscope::detail {

struct Stack {
  char* mapping = nullptr;   // lowest address of the mapping (the guard page, if any)
  std::size_t mapping_size = 0;
  bool guarded = false;

  char* top() const { return mapping + mapping_size; }        // stacks grow down
  char* bottom() const { return mapping + (guarded ? page_size() : 0); }
  std::size_t usable() const { return static_cast<std::size_t>(top() - bottom()); }
  static std::size_t page_size();
};

class StackPool {
 public:
  // acquire returns a stack from the pool, or maps a new one. Thread-safe.
  static Stack acquire();
  // release returns a stack to the pool. Thread-safe.
  static void release(const Stack& s);
  // trim unmaps pooled stacks beyond `keep`.
  static void trim(std::size_t keep);
  // stack_size is the usable size of every stack.
  static std::size_t stack_size();
  // pooled returns how many stacks are waiting in the pool (for leak tests).
  static std::size_t pooled();
  // mapped returns how many stacks exist (pooled or in use).
  static std::size_t mapped();
};

}  // namespace goscope::detail
