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
// Cost: entering is one thread-local load and one seq_cst exchange on the thread's own
// cache line (no shared writes); leaving is one release store. A thread that stays out
// of operations never delays anyone; a thread inside one delays reclamation only.
//
// Memory ordering: the exchange on entry is ordered before the operation's loads of
// segment pointers (seq_cst); the retirer advances the global epoch only after seeing
// every active thread in the current epoch, and frees what was retired two epochs ago,
// so every access to a retired segment happens before its free.
#pragma once

#include <cstdint>

namespace goscope::detail {

struct EpochRecord;

// epoch_enter / epoch_leave bracket one operation; they nest per thread.
EpochRecord* epoch_enter();
void epoch_leave(EpochRecord* rec);

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
