// detail/runtime_solo.cpp: solo, the plain (unlocked) form of channel operations for a
// real-mode worker that runs alone; the handshake of whoever joins it (see "Solo" below).
#include "core/detail/runtime_impl.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/detail/runtime_internal.h"

namespace goscope::detail {
namespace {

void membarrier_all() {
  if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) fatal("membarrier failed");
}

}  // namespace

// membarrier (Linux >= 4.14) makes every running thread of the process execute a full
// memory barrier: the cheap side of an asymmetric fence (see "Solo").
bool membarrier_ready() {
  static const bool ok = [] {
    const long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  }();
  return ok;
}

// ---------------------------------------------------------------------------------------
// Solo
//
// With several workers the channels run their shared form: four locked instructions a
// buffered message, several times the cost of the plain form one thread takes. Yet a
// producer and its consumer usually run on one worker (stealing takes only work that has
// waited), the other workers idle. So a worker that runs alone, solo, takes the plain
// form, as a one-worker run does; it must stop before anyone else touches a channel.
//
// Participants are the workers that run goroutines and the timer thread while it fires
// a timer; nactive_ counts them. A worker joins before it runs a goroutine after having
// looked for work elsewhere, and leaves when it finds none of its own; the timer thread
// joins around each callback. A worker that sees itself the only participant makes its
// op-mark the owner (hot_solo_owner), then re-reads nactive_ and backs off if someone
// joined meanwhile (Dekker, seq_cst on both sides). A joiner that finds an owner clears
// it and then waits until the owner is outside any channel operation: the owner sets its
// op-mark, then reads the owner field (a compiler fence only between them); the joiner
// clears the field, issues membarrier, then reads the op-mark. membarrier runs a full
// barrier on every thread of the process, so either the owner's mark is visible to the
// joiner (who waits for the release store that ends the operation) or the owner's read
// comes after the barrier and sees the cleared field (the operation takes the shared
// form). Run queues and park permits keep their shared form throughout: a thief may
// take from a solo worker at any time, and only channels pay for the difference.

bool Runtime::solo_available() { return membarrier_ready(); }

void Runtime::join_active(Worker* w) {
  if (w) w->active = true;
  nactive_.fetch_add(1, std::memory_order_seq_cst);
  if (!solo_enabled_) return;
  // Joiners take turns: a second joiner that found the owner already cleared must not
  // go on while the first still waits for the owner to leave its operation (it would
  // race with it). The mutex also hands the first joiner's acquire on to the next.
  std::lock_guard<std::mutex> lock(solo_mu_);
  std::atomic<uint32_t>* owner = hot_solo_owner.load(std::memory_order_seq_cst);
  if (!owner) return;
  hot_solo_owner.store(nullptr, std::memory_order_seq_cst);
  membarrier_all();
  // The owner is inside one channel operation (tens of ns) unless the OS took its core.
  for (int spins = 0; owner->load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 1000) {
      GOSCOPE_CPU_RELAX();
    } else {
      std::this_thread::yield();
    }
  }
}

void Runtime::leave_active(Worker* w) {
  if (w) {
    w->active = false;
    // Outside any operation here, so no handshake: the field just stops naming us.
    if (hot_solo_owner.load(std::memory_order_relaxed) == &w->op_mark)
      hot_solo_owner.store(nullptr, std::memory_order_seq_cst);
  }
  nactive_.fetch_sub(1, std::memory_order_seq_cst);
}

void Runtime::try_solo(Worker* w) {
  if (!solo_enabled_) return;
  std::atomic<uint32_t>* mine = &w->op_mark;
  if (nactive_.load(std::memory_order_relaxed) != 1 || hot_solo_owner.load(std::memory_order_relaxed) == mine) return;
  if (stopping()) return;
  hot_solo_owner.store(mine, std::memory_order_seq_cst);
  if (nactive_.load(std::memory_order_seq_cst) != 1) {
    hot_solo_owner.store(nullptr, std::memory_order_seq_cst);  // someone joined meanwhile
    return;
  }
  solo_phases_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace goscope::detail
