// detail/stack_fault.cpp
#include "core/detail/stack_fault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace goscope::detail {
namespace {

#if defined(GOSCOPE_ASAN) || defined(GOSCOPE_TSAN)
constexpr std::size_t kSignalStack = 256 * 1024;  // the runtime's end-of-program path, instrumented
#else
constexpr std::size_t kSignalStack = 64 * 1024;
#endif

struct sigaction previous;  // the SIGSEGV handler before goscope's

// say writes text to stderr with write(2), which is safe in a signal handler.
void say(const char* text) {
  const std::size_t n = std::strlen(text);
  [[maybe_unused]] ssize_t r = write(STDERR_FILENO, text, n);
}

void pass_on(int sig, siginfo_t* info, void* context) {
  if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
    previous.sa_sigaction(sig, info, context);
    return;
  }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(sig);
    return;
  }
  // Go's words for a fault it cannot blame on a goroutine, then the default action: the
  // faulting instruction runs again and the process ends as it would have without us.
  char line[96];
  std::snprintf(line, sizeof line, "unexpected fault address %p\nfatal error: fault\n", info->si_addr);
  say(line);
  signal(sig, SIG_DFL);
}

void on_segv(int sig, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  on_stack_fault(info->si_addr);  // returns only when it is not a goroutine's overflow
  errno = saved_errno;
  pass_on(sig, info, context);
}

void install_handler() {
  struct sigaction sa{};
  sa.sa_sigaction = on_segv;
  sigemptyset(&sa.sa_mask);
  // SA_NODEFER: the handler leaves by switching to another goroutine, never by returning,
  // so the kernel would never unblock SIGSEGV again for this thread.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGSEGV, &sa, &previous);
}

}  // namespace

FaultScope::FaultScope() {
  static std::once_flag once;
  std::call_once(once, install_handler);
  size_ = std::max<std::size_t>(kSignalStack, SIGSTKSZ);
  void* m = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return;  // no signal stack: an overflow ends the process, as before
  mem_ = m;
  stack_t ss{};
  ss.ss_sp = mem_;
  ss.ss_size = size_;
  restore_ = sigaltstack(&ss, &old_) == 0;
}

FaultScope::~FaultScope() {
  if (restore_) {
    if (old_.ss_flags & SS_DISABLE) {
      stack_t off{};
      off.ss_flags = SS_DISABLE;
      sigaltstack(&off, nullptr);
    } else {
      sigaltstack(&old_, nullptr);
    }
  }
  if (mem_) munmap(mem_, size_);
}

}  // namespace goscope::detail
