// detail/chan_epoch.h: epoch-based reclamation for the channels' segments.
//
// A channel's cells live in a linked list of segments. An operation reads a global
// segment pointer, claims a cell index with fetch-and-add and walks forward to the
// cell's segment; between the read and the walk the thread may be preempted for as long
// as the OS likes. A segment that every counter and every global pointer has passed can
// therefore still be in use by a slow thread, so it is not freed at once: it is retired
// here and freed once every thread that was inside an operation when it was retired has
// left it (Fraser's epoch-based reclamation).
//
//   EpochGuard g;        // at the start of every channel operation (nests)
//   ...                  // read segment pointers, touch cells
//                        // leave before parking: a parked goroutine holds no guard
//   epoch_retire(p, f);  // p is unreachable for operations that start from now on
//
// Two kinds of threads:
//   - offline threads (the default: the timer thread, a thread outside any run) announce
//     the global epoch when they enter an operation (one seq_cst exchange) and withdraw
//     the announcement when they leave (one release store);
//   - online threads (the scheduler's workers, between epoch_online() and
//     epoch_offline()) stay announced while they run goroutines: the moment between two
//     operations is a quiescent state (they hold no segment pointer then), so entering an
//     operation only compares the announcement with the global epoch (two plain loads)
//     and re-announces, with the fenced exchange, only when the global epoch has moved
//     on, i.e. once per reclamation round rather than once per operation. A worker goes
//     offline before it sleeps, so an idle worker never holds reclamation back.
//
// Why the online shortcut is safe: an online thread whose announcement already equals
// the global epoch e announced it with a fence at an earlier quiescent state, after
// which everything retired before e was unreachable; what is retired from e on is freed
// only when the global epoch reaches e + 2, which needs this thread to announce e + 1
// first, which it does only at a later quiescent state. A stale (relaxed) read of the
// global epoch can only delay reclamation, never free too early.
//
// Memory ordering: the fenced announcement is ordered before the operation's loads of
// segment pointers (seq_cst); the retirer advances the global epoch only after seeing
// every announced thread in the current epoch, and frees what was retired two epochs ago,
// so every access to a retired segment happens before its free.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace goscope::detail {

struct EpochRetired {
  void* p;
  void (*deleter)(void*);
  uint64_t epoch;  // the global epoch when it was retired
};

// EpochRecord is one thread's announcement. Records are never freed: a thread that exits
// gives its record back for the next thread to reuse, so the registry stays as small as
// the largest number of threads that ever ran channel operations at once.
struct alignas(64) EpochRecord {
  std::atomic<uint64_t> epoch{0};  // 0 = announces nothing (offline and outside operations)
  std::atomic<bool> in_use{false};
  EpochRecord* next = nullptr;     // registry link; set before publication, never changed
  int nest = 0;                    // owner thread only
  bool online = false;             // owner thread only
  std::vector<EpochRetired> limbo;  // owner thread only
};

extern std::atomic<uint64_t> g_epoch;
extern __thread EpochRecord* tl_epoch_record;

// epoch_announce publishes the current global epoch in rec (fenced); epoch_record_slow
// registers the calling thread.
void epoch_announce(EpochRecord* rec);
EpochRecord* epoch_record_slow();

// epoch_enter / epoch_leave bracket one operation; they nest per thread.
inline EpochRecord* epoch_enter() {
  EpochRecord* rec = tl_epoch_record;
  if (!rec) [[unlikely]] rec = epoch_record_slow();
  if (rec->nest++ == 0) {
    if (!rec->online ||
        rec->epoch.load(std::memory_order_relaxed) != g_epoch.load(std::memory_order_relaxed)) [[unlikely]] {
      epoch_announce(rec);
    }
  }
  return rec;
}

inline void epoch_leave(EpochRecord* rec) {
  if (--rec->nest == 0 && !rec->online) rec->epoch.store(0, std::memory_order_release);
}

// epoch_online makes the calling thread an online thread (see above): call it when a
// worker starts running goroutines. epoch_offline withdraws it: call it before the
// worker sleeps or stops. Both only between operations.
void epoch_online();
void epoch_offline();

// epoch_quiescent tells the reclaimer that an online thread holds no segment pointer
// now (a worker between two goroutines): it re-announces if the global epoch moved on.
inline void epoch_quiescent() {
  EpochRecord* rec = tl_epoch_record;
  if (rec && rec->online && rec->nest == 0 &&
      rec->epoch.load(std::memory_order_relaxed) != g_epoch.load(std::memory_order_relaxed)) {
    epoch_announce(rec);
  }
}

// epoch_retire hands p to the reclaimer: deleter(p) runs once no thread can still be
// using it. Call it from inside an EpochGuard.
void epoch_retire(void* p, void (*deleter)(void*));

// epoch_pending returns how many retired objects wait to be freed (tests).
uint64_t epoch_pending();

// epoch_collect tries hard to free everything retired so far (tests; call it from a
// thread outside any operation).
void epoch_collect();

// EpochGuard is the RAII form of epoch_enter / epoch_leave.
class EpochGuard {
 public:
  EpochGuard() : rec_(epoch_enter()) {}
  ~EpochGuard() { epoch_leave(rec_); }
  EpochGuard(const EpochGuard&) = delete;
  EpochGuard& operator=(const EpochGuard&) = delete;

 private:
  EpochRecord* rec_;
};

}  // namespace goscope::detail
