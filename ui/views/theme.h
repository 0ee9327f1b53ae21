// theme.h: the colours that mean something, defined once for every view.
//
// A goroutine's state has one colour everywhere: its figure on the stage, its tag in the
// code listing, its lane on the timeline and its row in the stats. The colours follow a
// traffic light a learner already knows: green runs, amber is ready but waits for a
// processor, warm reds are blocked (one hue per thing it waits for), blue sleeps, grey
// has not started or is done, and dark red was killed unfinished.
//
// Example:
//
//   ImU32 c = goscope::ui::state_color(g.state, g.reason);
//   draw_list->AddRectFilled(min, max, c, 4.0f);
//   ImGui::TextUnformatted(goscope::ui::state_label(g.state, g.reason));
#pragma once

#include <cstdint>

#include <imgui.h>

#include "core/event.h"
#include "ui/model/replay.h"
#include "ui/model/timeline.h"

namespace goscope::ui {

// style_color returns the colour of a timeline segment style; every other state colour
// is derived from it, so the stage and the timeline always agree.
ImU32 style_color(SegmentStyle style);

// state_color returns the colour of a goroutine in `state` (blocked split by `reason`).
inline ImU32 state_color(GoState state, BlockReason reason) { return style_color(style_of(state, reason)); }

// state_label names a goroutine's state for a learner, with what it waits for:
// "running", "ready (waits for a processor)", "blocked: send", "killed: main returned".
const char* state_label(GoState state, BlockReason reason);

// with_alpha returns `color` with its alpha multiplied by `alpha` (0..1).
ImU32 with_alpha(ImU32 color, float alpha);

// mix returns the colour t of the way from a to b (0 = a, 1 = b), alpha included.
ImU32 mix(ImU32 a, ImU32 b, float t);

// text_on returns black or white, whichever reads better on `background`.
ImU32 text_on(ImU32 background);

// Colours of the stage's non-goroutine things.
inline constexpr ImU32 kStageBackground = IM_COL32(0x15, 0x18, 0x1D, 0xFF);
inline constexpr ImU32 kPipe = IM_COL32(0x8B, 0x94, 0x9E, 0xFF);        // channel outline
inline constexpr ImU32 kPipeFill = IM_COL32(0x22, 0x27, 0x2E, 0xFF);    // empty slot
inline constexpr ImU32 kValue = IM_COL32(0xFD, 0xDD, 0x00, 0xFF);       // a value (Go's yellow)
inline constexpr ImU32 kGauge = IM_COL32(0xA3, 0x71, 0xF7, 0xFF);       // WaitGroup counter
inline constexpr ImU32 kFlow = IM_COL32(0x8B, 0x94, 0x9E, 0x40);        // who talks to whom, faint
inline constexpr ImU32 kKilled = IM_COL32(0xFF, 0x3B, 0x30, 0xFF);      // the cross over a killed goroutine
inline constexpr ImU32 kHighlight = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);   // hover ring
inline constexpr ImU32 kCulprit = IM_COL32(0xFF, 0x3B, 0x30, 0xFF);     // deadlock / panic outline
inline constexpr ImU32 kMutedText = IM_COL32(0x95, 0x9C, 0xA8, 0xFF);
inline constexpr ImU32 kPreempted = IM_COL32(0xFF, 0x8C, 0x1A, 0xFF);   // the runtime took its processor
inline constexpr ImU32 kDropped = IM_COL32(0xFF, 0xB0, 0x20, 0xFF);     // the run lost events: warning

// Syntax colours of the Go listing.
inline constexpr ImU32 kCodeText = IM_COL32(0xD4, 0xD7, 0xDD, 0xFF);
inline constexpr ImU32 kCodeKeyword = IM_COL32(0xC6, 0x78, 0xDD, 0xFF);
inline constexpr ImU32 kCodeType = IM_COL32(0x56, 0xB6, 0xC2, 0xFF);
inline constexpr ImU32 kCodeString = IM_COL32(0x98, 0xC3, 0x79, 0xFF);
inline constexpr ImU32 kCodeNumber = IM_COL32(0xD1, 0x9A, 0x66, 0xFF);
inline constexpr ImU32 kCodeComment = IM_COL32(0x7F, 0x84, 0x8E, 0xFF);
inline constexpr ImU32 kCodeChanOp = IM_COL32(0xFD, 0xDD, 0x00, 0xFF);  // <- and go: where goroutines meet
inline constexpr ImU32 kLineNumber = IM_COL32(0x5C, 0x63, 0x70, 0xFF);

}  // namespace goscope::ui
