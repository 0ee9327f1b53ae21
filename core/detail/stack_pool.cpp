// detail/stack_pool.cpp
#include "core/detail/stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  // Linux 6.13; older headers lack the name
#endif

namespace goscope::detail {
namespace {

constexpr std::size_t kUsable = kStackUsable;
constexpr std::size_t kGuard = kStackGuard;
constexpr std::size_t kSlot = kGuard + kUsable;
constexpr uint32_t kSlabStacks = 64;

struct Slab {
  char* base = nullptr;  // nullptr once unmapped
  uint32_t in_use = 0;   // stacks handed out and not released
};

struct Pool {
  std::mutex mu;
  std::vector<Stack> free;  // last released at the back
  std::vector<Slab> slabs;
  std::vector<Stack> carve;  // fresh stacks of the newest slab, not yet handed out
  std::size_t mapped = 0;
  // The fallback: stacks with a mapping of their own (two VMAs each with the guard).
  bool install = true;  // MADV_GUARD_INSTALL works here
  std::size_t own = 0;
  std::size_t own_budget = 0;
  std::size_t own_budget_default = 0;
  bool forced_fallback = false;

  Pool() {
    // Keep well inside max_map_count so the rest of the process (heap, libraries,
    // thread stacks, sanitizers) still has room.
    std::size_t max_maps = 65530;
    std::ifstream in("/proc/sys/vm/max_map_count");
    if (in) in >> max_maps;
    own_budget_default = max_maps > 20000 ? (max_maps - 20000) / 2 : 0;
#if defined(GOSCOPE_ASAN) || defined(GOSCOPE_TSAN)
    own_budget_default = std::min<std::size_t>(own_budget_default, 2000);  // TSan maps per fiber
#endif
    own_budget = own_budget_default;
  }
};

Pool& pool() {
  static auto* p = new Pool();  // never destroyed: stacks may be released during exit
  return *p;
}

[[noreturn]] void unavailable(const std::string& why) {
  throw StackUnavailable("runtime: cannot allocate a goroutine stack with a guard (" + why + ")");
}

// map_slab maps a slab of kSlabStacks stacks and installs their guards; false when the
// kernel cannot install guards (then the pool falls back for good). Called with p.mu held.
bool map_slab(Pool& p) {
  void* m = mmap(nullptr, kSlot * kSlabStacks, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (m == MAP_FAILED) unavailable(std::string("mmap: ") + std::strerror(errno));
  char* base = static_cast<char*>(m);
  for (uint32_t i = 0; i < kSlabStacks; ++i) {
    if (madvise(base + i * kSlot, kGuard, MADV_GUARD_INSTALL) != 0) {
      munmap(m, kSlot * kSlabStacks);
      return false;
    }
  }
  const auto index = static_cast<uint32_t>(p.slabs.size());
  p.slabs.push_back(Slab{base, 0});
  // Hand out from the top of the slab down, as a stack of pooled stacks would.
  for (uint32_t i = 0; i < kSlabStacks; ++i) p.carve.push_back(Stack{base + i * kSlot, index, false});
  p.mapped += kSlabStacks;
  return true;
}

// map_own maps one stack with an mprotect guard (the fallback). Called with p.mu held.
Stack map_own(Pool& p) {
  if (p.own >= p.own_budget)
    unavailable("vm.max_map_count leaves room for " + std::to_string(p.own_budget) +
                " guarded stacks without MADV_GUARD_INSTALL");
  void* m = mmap(nullptr, kSlot, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                 -1, 0);
  if (m == MAP_FAILED) unavailable(std::string("mmap: ") + std::strerror(errno));
  if (mprotect(m, kGuard, PROT_NONE) != 0) {
    const int err = errno;
    munmap(m, kSlot);
    unavailable(std::string("mprotect: ") + std::strerror(err));
  }
  ++p.own;
  ++p.mapped;
  return Stack{static_cast<char*>(m), Stack::kOwnMapping, false};
}

void unmap_own(Pool& p, const Stack& s) {
  munmap(s.base, kSlot);
  --p.own;
  --p.mapped;
}

}  // namespace

Stack StackPool::acquire() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  Stack s;
  if (!p.free.empty() && (!p.forced_fallback || p.free.back().slab == Stack::kOwnMapping)) {
    s = p.free.back();
    p.free.pop_back();
  } else if (p.forced_fallback) {
    s = map_own(p);
  } else {
    if (p.carve.empty() && p.install && !p.forced_fallback && !map_slab(p)) p.install = false;
    if (!p.carve.empty()) {
      s = p.carve.back();
      p.carve.pop_back();
    } else {
      s = map_own(p);
    }
  }
  if (s.slab != Stack::kOwnMapping) ++p.slabs[s.slab].in_use;
  s.cold = false;  // it is about to be touched
  return s;
}

void StackPool::release(const Stack& s) {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  if (s.slab != Stack::kOwnMapping) --p.slabs[s.slab].in_use;
  if (s.slab == Stack::kOwnMapping && p.own > p.own_budget) {
    unmap_own(p, s);  // over a lowered test budget: do not keep it
    return;
  }
  p.free.push_back(s);
}

void StackPool::trim(std::size_t keep) {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  if (p.free.size() <= keep) return;
  const auto cold_end = p.free.end() - static_cast<std::ptrdiff_t>(keep);
  // Slabs with no stack in use go back whole: one munmap for 64 stacks, page tables too.
  std::vector<bool> drop_slab(p.slabs.size(), false);
  for (std::size_t i = 0; i < p.slabs.size(); ++i) drop_slab[i] = p.slabs[i].base && p.slabs[i].in_use == 0;
  // ... unless a stack kept warm lives there.
  for (auto it = cold_end; it != p.free.end(); ++it)
    if (it->slab != Stack::kOwnMapping) drop_slab[it->slab] = false;
  if (!p.carve.empty()) drop_slab[p.carve.front().slab] = false;
  std::vector<Stack> kept;
  kept.reserve(p.free.size());
  for (auto it = p.free.begin(); it != cold_end; ++it) {
    Stack s = *it;
    if (s.slab == Stack::kOwnMapping) {
      unmap_own(p, s);
      continue;
    }
    if (drop_slab[s.slab]) continue;
    if (!s.cold) {
      // Its slab stays (a stack in it is in use): drop the pages, keep the guard.
      madvise(s.bottom(), kUsable, MADV_DONTNEED);
      s.cold = true;
    }
    kept.push_back(s);
  }
  for (std::size_t i = 0; i < p.slabs.size(); ++i) {
    if (!drop_slab[i]) continue;
    munmap(p.slabs[i].base, kSlot * kSlabStacks);
    p.slabs[i].base = nullptr;
    p.mapped -= kSlabStacks;
  }
  kept.insert(kept.end(), cold_end, p.free.end());
  p.free.swap(kept);
}

std::size_t StackPool::pooled() {
  std::lock_guard<std::mutex> lock(pool().mu);
  return pool().free.size() + pool().carve.size();
}

std::size_t StackPool::mapped() {
  std::lock_guard<std::mutex> lock(pool().mu);
  return pool().mapped;
}

bool StackPool::guard_install() {
  std::lock_guard<std::mutex> lock(pool().mu);
  return pool().install && !pool().forced_fallback;
}

void StackPool::limit_own_mappings_for_testing(std::size_t budget) {
  trim(0);  // so that what the pool holds does not hide the budget
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  p.forced_fallback = budget != 0;
  p.own_budget = budget != 0 ? budget : p.own_budget_default;
}

}  // namespace goscope::detail
