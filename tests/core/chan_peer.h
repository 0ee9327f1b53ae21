// chan_peer.h: what the channel tests may read of a channel's internals.
#pragma once

#include <cstdint>

#include "core/chan.h"

namespace goscope::detail {
// ChanCoreTestPeer reads a channel's counters: how many senders and receivers have taken
// a cell so far (the order in which they will be served).
struct ChanCoreTestPeer {
  template <class T>
  static uint64_t senders(const Chan<T>& ch) {
    return core_of(ch)->S_.load() & ~(uint64_t{1} << 63);
  }
  template <class T>
  static uint64_t receivers(const Chan<T>& ch) {
    return core_of(ch)->R_.load();
  }
};
}  // namespace goscope::detail
