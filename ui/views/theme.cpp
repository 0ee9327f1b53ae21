// theme.cpp: state colours and the little colour arithmetic the views share.
#include "ui/views/theme.h"

#include <algorithm>

namespace goscope::ui {

ImU32 style_color(SegmentStyle style) {
  switch (style) {
    case SegmentStyle::not_started: return IM_COL32(0x6E, 0x76, 0x81, 0xFF);
    case SegmentStyle::runnable: return IM_COL32(0xE3, 0xC5, 0x4A, 0xFF);
    case SegmentStyle::running: return IM_COL32(0x3F, 0xB9, 0x50, 0xFF);
    case SegmentStyle::blocked_send: return IM_COL32(0xF2, 0x74, 0x2B, 0xFF);
    case SegmentStyle::blocked_recv: return IM_COL32(0xF8, 0x51, 0x49, 0xFF);
    case SegmentStyle::blocked_select: return IM_COL32(0xDB, 0x61, 0xA2, 0xFF);
    case SegmentStyle::blocked_waitgroup: return IM_COL32(0xA3, 0x71, 0xF7, 0xFF);
    case SegmentStyle::blocked_forever: return IM_COL32(0xB6, 0x23, 0x24, 0xFF);
    case SegmentStyle::sleeping: return IM_COL32(0x58, 0xA6, 0xFF, 0xFF);
    case SegmentStyle::working: return IM_COL32(0x39, 0xC5, 0xCF, 0xFF);
    case SegmentStyle::done: return IM_COL32(0x48, 0x4F, 0x58, 0xFF);
    case SegmentStyle::abandoned: return IM_COL32(0x8E, 0x15, 0x19, 0xFF);
    case SegmentStyle::mixed: return IM_COL32(0x8B, 0x94, 0x9E, 0xFF);
  }
  return IM_COL32(0x8B, 0x94, 0x9E, 0xFF);
}

const char* state_label(GoState state, BlockReason reason) {
  switch (state) {
    case GoState::not_started: return "not started yet";
    case GoState::runnable: return "ready: waits for a CPU";
    case GoState::running: return "running";
    case GoState::sleeping: return "sleeping";
    case GoState::working: return "working (on a processor)";
    case GoState::done: return "done";
    case GoState::abandoned: return "killed: main returned";
    case GoState::blocked:
      switch (reason) {
        case BlockReason::Send: return "blocked: send";
        case BlockReason::Recv: return "blocked: receive";
        case BlockReason::Select: return "blocked: select";
        case BlockReason::WaitGroup: return "blocked: wg.Wait";
        case BlockReason::NilSend: return "blocked forever: send on nil chan";
        case BlockReason::NilRecv: return "blocked forever: receive on nil chan";
        case BlockReason::SelectNoCases: return "blocked forever: select {}";
        case BlockReason::Sleep: return "sleeping";
        case BlockReason::Work: return "working";
        case BlockReason::None: return "blocked";
      }
      break;
  }
  return "?";
}

ImU32 with_alpha(ImU32 color, float alpha) {
  const float a = static_cast<float>((color >> IM_COL32_A_SHIFT) & 0xFF) * std::clamp(alpha, 0.0f, 1.0f);
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(a + 0.5f) << IM_COL32_A_SHIFT);
}

ImU32 mix(ImU32 a, ImU32 b, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  auto channel = [&](int shift) {
    const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
    return static_cast<ImU32>(x + (y - x) * t + 0.5f) << shift;
  };
  return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) |
         channel(IM_COL32_A_SHIFT);
}

ImU32 text_on(ImU32 background) {
  const float r = static_cast<float>((background >> IM_COL32_R_SHIFT) & 0xFF);
  const float g = static_cast<float>((background >> IM_COL32_G_SHIFT) & 0xFF);
  const float b = static_cast<float>((background >> IM_COL32_B_SHIFT) & 0xFF);
  // Perceived brightness (ITU-R BT.601 weights): dark text on light fills.
  return 0.299f * r + 0.587f * g + 0.114f * b > 140.0f ? IM_COL32(0x10, 0x12, 0x16, 0xFF)
                                                      : IM_COL32(0xF5, 0xF6, 0xF8, 0xFF);
}

}  // namespace goscope::ui
