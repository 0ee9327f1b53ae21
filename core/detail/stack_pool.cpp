// detail/stack_pool.cpp
#include "core/detail/stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <mutex>
#include <new>
#include <vector>

namespace goscope::detail {
namespace {

#if defined(GOSCOPE_ASAN) || defined(GOSCOPE_TSAN)
constexpr std::size_t kStackSize = 256 * 1024;  // sanitizers inflate frames
#else
constexpr std::size_t kStackSize = 64 * 1024;
#endif

struct Pool {
  std::mutex mu;
  std::vector<Stack> free;
  std::size_t mapped = 0;
  std::size_t guarded = 0;
  std::size_t guard_budget = 0;

  Pool() {
    // Each guarded stack costs two kernel VMAs; keep well inside max_map_count so the
    // rest of the process (heap, libraries, thread stacks) still has room.
    std::size_t max_maps = 65530;
    std::ifstream in("/proc/sys/vm/max_map_count");
    if (in) in >> max_maps;
    guard_budget = max_maps > 20000 ? (max_maps - 20000) / 2 : 0;
#if defined(GOSCOPE_ASAN) || defined(GOSCOPE_TSAN)
    // Sanitizers need many mappings of their own (TSan makes several per fiber).
    guard_budget = std::min<std::size_t>(guard_budget, 2000);
#endif
  }
};

Pool& pool() {
  static auto* p = new Pool();  // never destroyed: stacks may be released during exit
  return *p;
}

}  // namespace

std::size_t Stack::page_size() {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

std::size_t StackPool::stack_size() { return kStackSize; }

Stack StackPool::acquire() {
  Pool& p = pool();
  bool guard;
  {
    std::lock_guard<std::mutex> lock(p.mu);
    if (!p.free.empty()) {
      Stack s = p.free.back();
      p.free.pop_back();
      return s;
    }
    guard = p.guarded < p.guard_budget;
    ++p.mapped;
    if (guard) ++p.guarded;
  }
  Stack s;
  s.guarded = guard;
  s.mapping_size = kStackSize + (guard ? Stack::page_size() : 0);
  void* m = mmap(nullptr, s.mapping_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (m == MAP_FAILED) throw std::bad_alloc();
  s.mapping = static_cast<char*>(m);
  if (guard && mprotect(s.mapping, Stack::page_size(), PROT_NONE) != 0) {
    munmap(m, s.mapping_size);
    throw std::bad_alloc();
  }
  return s;
}

void StackPool::release(const Stack& s) {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  p.free.push_back(s);
}

void StackPool::trim(std::size_t keep) {
  Pool& p = pool();
  std::vector<Stack> drop;
  {
    std::lock_guard<std::mutex> lock(p.mu);
    while (p.free.size() > keep) {
      drop.push_back(p.free.back());
      p.free.pop_back();
      --p.mapped;
      if (drop.back().guarded) --p.guarded;
    }
  }
  for (const Stack& s : drop) munmap(s.mapping, s.mapping_size);
}

std::size_t StackPool::pooled() {
  std::lock_guard<std::mutex> lock(pool().mu);
  return pool().free.size();
}

std::size_t StackPool::mapped() {
  std::lock_guard<std::mutex> lock(pool().mu);
  return pool().mapped;
}

}  // namespace goscope::detail
