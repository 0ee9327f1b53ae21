// id_index.h: ids from the event stream -> positions in the model's tables.
//
// Ids are small integers within a run (goroutines, channels and WaitGroups count from 1),
// but not always: an object made outside a run gets an id from 2^40 up (core/go.cpp,
// new_object_id), and a damaged or foreign trace may say anything. So no table is ever
// sized by an id: IdIndex keeps small ids in a direct table and the rest in a sorted
// list, and every table of the model (goroutines, channels, WaitGroups, timeline lanes
// and tracks) finds its rows through one.
//
// Example:
//
//   IdIndex pos;
//   std::vector<ChannelInfo> channels;
//   if (pos.find(id) == IdIndex::kAbsent) { pos.insert(id, channels.size()); channels.push_back({}); }
//   ChannelInfo& c = channels[pos.find(id)];
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace goscope {

// IdIndex maps ids to positions (uint32_t) in a table. Cheap to copy (snapshots copy it)
// and comparable, so states that hold one still compare field by field.
class IdIndex {
 public:
  // kAbsent is what find returns for an id never inserted.
  static constexpr uint32_t kAbsent = UINT32_MAX;
  // kDenseIds: ids below it live in the direct table (which grows to the largest such id
  // seen, never beyond), the others in the sorted list.
  static constexpr uint64_t kDenseIds = uint64_t{1} << 16;

  // find returns id's position, or kAbsent.
  uint32_t find(uint64_t id) const {
    if (id < kDenseIds) return id < dense_.size() ? dense_[id] : kAbsent;
    auto it = std::lower_bound(sparse_.begin(), sparse_.end(), id,
                               [](const std::pair<uint64_t, uint32_t>& p, uint64_t k) { return p.first < k; });
    return it != sparse_.end() && it->first == id ? it->second : kAbsent;
  }
  bool contains(uint64_t id) const { return find(id) != kAbsent; }

  // insert records that id is at pos (replacing what it was at, if anything).
  void insert(uint64_t id, uint32_t pos) {
    if (id < kDenseIds) {
      if (id >= dense_.size()) dense_.resize(std::max<std::size_t>(id + 1, dense_.size() * 2), kAbsent);
      dense_[id] = pos;
      return;
    }
    auto it = std::lower_bound(sparse_.begin(), sparse_.end(), id,
                               [](const std::pair<uint64_t, uint32_t>& p, uint64_t k) { return p.first < k; });
    if (it != sparse_.end() && it->first == id) {
      it->second = pos;
    } else {
      sparse_.insert(it, {id, pos});
    }
  }

  // find_or_add returns id's position, first inserting it at `next` if it is absent
  // (added says which).
  uint32_t find_or_add(uint64_t id, uint32_t next, bool* added = nullptr) {
    uint32_t pos = find(id);
    if (added) *added = pos == kAbsent;
    if (pos == kAbsent) insert(id, pos = next);
    return pos;
  }

  bool operator==(const IdIndex&) const = default;

 private:
  std::vector<uint32_t> dense_;                          // id -> position (kAbsent: none)
  std::vector<std::pair<uint64_t, uint32_t>> sparse_;    // sorted by id
};

}  // namespace goscope
