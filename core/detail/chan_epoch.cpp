// chan_epoch.cpp: epoch-based reclamation (see chan_epoch.h).
#include "core/detail/chan_epoch.h"

#include <atomic>
#include <vector>

namespace goscope::detail {

namespace {

using Retired = EpochRetired;

// Orphans: what a thread still had to free when it exited; adopted by the next collector.
struct OrphanBatch {
  std::vector<Retired> items;
  OrphanBatch* next = nullptr;
};

std::atomic<EpochRecord*> g_records{nullptr};
std::atomic<OrphanBatch*> g_orphans{nullptr};
std::atomic<uint64_t> g_pending{0};

constexpr std::size_t kCollectEvery = 32;

}  // namespace

std::atomic<uint64_t> g_epoch{2};
__thread EpochRecord* tl_epoch_record = nullptr;

namespace {

void free_ready(std::vector<Retired>& items) {
  uint64_t e = g_epoch.load(std::memory_order_seq_cst);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].epoch + 2 <= e) {
      items[i].deleter(items[i].p);
      g_pending.fetch_sub(1, std::memory_order_relaxed);
    } else {
      items[kept++] = items[i];
    }
  }
  items.resize(kept);
}

// try_advance moves the global epoch on if every thread inside an operation entered
// in the current one.
void try_advance() {
  uint64_t e = g_epoch.load(std::memory_order_seq_cst);
  for (EpochRecord* r = g_records.load(std::memory_order_acquire); r; r = r->next) {
    uint64_t v = r->epoch.load(std::memory_order_seq_cst);
    if (v != 0 && v != e) return;
  }
  g_epoch.compare_exchange_strong(e, e + 1, std::memory_order_seq_cst);
}

void adopt_orphans(EpochRecord* rec) {
  if (!g_orphans.load(std::memory_order_relaxed)) return;
  OrphanBatch* b = g_orphans.exchange(nullptr, std::memory_order_acquire);
  while (b) {
    rec->limbo.insert(rec->limbo.end(), b->items.begin(), b->items.end());
    OrphanBatch* n = b->next;
    delete b;
    b = n;
  }
}

void collect(EpochRecord* rec) {
  adopt_orphans(rec);
  try_advance();
  free_ready(rec->limbo);
}

EpochRecord* acquire_record() {
  for (EpochRecord* r = g_records.load(std::memory_order_acquire); r; r = r->next) {
    bool expect = false;
    if (!r->in_use.load(std::memory_order_relaxed) &&
        r->in_use.compare_exchange_strong(expect, true, std::memory_order_acquire)) {
      return r;
    }
  }
  auto* r = new EpochRecord;
  r->in_use.store(true, std::memory_order_relaxed);
  EpochRecord* head = g_records.load(std::memory_order_relaxed);
  do {
    r->next = head;
  } while (!g_records.compare_exchange_weak(head, r, std::memory_order_release, std::memory_order_relaxed));
  return r;
}

// Owner gives the thread's record back when the thread exits.
struct Owner {
  EpochRecord* rec = nullptr;
  ~Owner() {
    if (!rec) return;
    if (!rec->limbo.empty()) {
      auto* b = new OrphanBatch;
      b->items.swap(rec->limbo);
      OrphanBatch* head = g_orphans.load(std::memory_order_relaxed);
      do {
        b->next = head;
      } while (!g_orphans.compare_exchange_weak(head, b, std::memory_order_release, std::memory_order_relaxed));
    }
    rec->nest = 0;
    rec->online = false;
    rec->epoch.store(0, std::memory_order_release);
    rec->in_use.store(false, std::memory_order_release);
  }
};

thread_local Owner tl_owner;

EpochRecord* this_record() {
  EpochRecord* r = tl_epoch_record;
  return r ? r : epoch_record_slow();
}

}  // namespace

EpochRecord* epoch_record_slow() {
  EpochRecord* r = acquire_record();
  tl_owner.rec = r;
  tl_epoch_record = r;
  return r;
}

void epoch_announce(EpochRecord* rec) {
  uint64_t e = g_epoch.load(std::memory_order_relaxed);
  for (;;) {
    rec->epoch.exchange(e, std::memory_order_seq_cst);
    uint64_t now = g_epoch.load(std::memory_order_seq_cst);
    if (now == e) break;
    e = now;
  }
}

void epoch_online() {
  EpochRecord* rec = this_record();
  rec->online = true;
  if (rec->nest == 0) epoch_announce(rec);
}

void epoch_offline() {
  EpochRecord* rec = this_record();
  rec->online = false;
  if (rec->nest == 0) rec->epoch.store(0, std::memory_order_release);
}

void epoch_retire(void* p, void (*deleter)(void*)) {
  EpochRecord* rec = this_record();
  rec->limbo.push_back(Retired{p, deleter, g_epoch.load(std::memory_order_seq_cst)});
  g_pending.fetch_add(1, std::memory_order_relaxed);
  if (rec->limbo.size() % kCollectEvery == 0) collect(rec);
}

uint64_t epoch_pending() { return g_pending.load(std::memory_order_relaxed); }

void epoch_collect() {
  EpochRecord* rec = this_record();
  for (int i = 0; i < 4; ++i) collect(rec);
}

}  // namespace goscope::detail
