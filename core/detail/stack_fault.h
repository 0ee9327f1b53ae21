// detail/stack_fault.h: a goroutine that overflows its stack ends its program with Go's
// "fatal error: stack overflow", not the process with SIGSEGV.
//
// The overflow faults in the stack's guard region (stack_pool.h). goscope's SIGSEGV
// handler runs on an alternate signal stack of the worker thread (the goroutine's own
// stack has no room left), asks the runtime whether the fault address is in the running
// goroutine's guard, and if so the runtime ends the program and switches away from that
// goroutine for good, never returning into it. Any other fault is passed to the handler
// that was installed before goscope's (a sanitizer's), or ends the process with a
// one-line note on stderr and the default action.
//
// Caveat: a C++ goroutine that overflows inside a library call holding a lock (malloc's)
// leaves that lock held. The runtime checks for headroom at its own entry points (print,
// go, blocking calls) and reports the overflow there, before it takes any lock.
#pragma once

#include <signal.h>

#include <cstddef>

namespace goscope::detail {

// FaultScope: while one lives on a thread, that thread has an alternate signal stack and
// goscope's SIGSEGV handler is installed (once per process, kept afterwards). Every thread
// that runs goroutines holds one.
class FaultScope {
 public:
  FaultScope();
  ~FaultScope();
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;

 private:
  void* mem_ = nullptr;
  std::size_t size_ = 0;
  stack_t old_{};
  bool restore_ = false;
};

// on_stack_fault is the runtime's side (runtime_goroutines.cpp): it returns when addr is not in
// the guard of the goroutine running on this thread, and does not return otherwise.
void on_stack_fault(const void* addr);

}  // namespace goscope::detail
