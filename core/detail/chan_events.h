// detail/chan_events.h: how channel operations describe themselves in events.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/detail/chan_core.h"
#include "core/detail/park.h"
#include "core/event.h"

namespace goscope::detail {

// EventValue is a value as a ChanSend / ChanRecv event carries it.
struct EventValue {
  ValueKind kind = ValueKind::None;
  int64_t a = 0;
  const char* text = nullptr;
};

template <class T>
struct is_duration : std::false_type {};
template <class R, class P>
struct is_duration<std::chrono::duration<R, P>> : std::true_type {};

// describe_value renders integers (and enums, bools, durations in ns) as Int and text
// as Text; anything else carries no value.
template <class T>
EventValue describe_value(const T& v) {
  if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    return {ValueKind::Int, static_cast<int64_t>(v), nullptr};
  } else if constexpr (is_duration<T>::value) {
    return {ValueKind::Int, static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(v).count()),
            nullptr};
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    return {ValueKind::Text, 0, intern(v)};
  } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
    return {ValueKind::Text, 0, v ? intern(v) : nullptr};
  } else {
    return {};
  }
}


void emit_chan_make(uint64_t obj, std::size_t cap, std::string_view name);
void emit_chan_send(const ChanCore& c, uint32_t gid, uint32_t partner, const EventValue& v);
void emit_chan_recv(const ChanCore& c, uint32_t gid, uint32_t partner, const EventValue& v, bool ok);
void emit_chan_close(const ChanCore& c, uint32_t gid);

// block_forever parks the caller for good (operations on a nil channel, select {}).
[[noreturn]] void block_forever(BlockReason reason);

}  // namespace goscope::detail
