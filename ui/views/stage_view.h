// stage_view.h: the stage: the running program drawn as figures, pipes and gauges.
//
// Where everything stands is the model's StageLayout (ui/model/stage_layout.h: by role,
// senders left of their channel, receivers right of it, WaitGroups in a bottom band);
// this view draws it at the playhead, and the Player owns its cache.
//
//   producer 1 --\                      gauge: wg [###  ] 3
//   producer 2 ----> [ch | 3 | 1 ] ---> main
//   producer 3 --/   waiting to send: producer 3 (value 3)
//
// A column with more figures than fit (up to 64 workers) draws them as compact discs in
// a grid, coloured the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/model/stage_layout.h"

namespace goscope::ui {

class Player;

// StageLayout is the model's layout (ui/model/stage_layout.h), in the views' namespace.
using StageLayout = goscope::StageLayout;

// dropped_banner_text is the warning over a stage whose run lost `dropped` events ("" if
// none): the picture is then incomplete, and the learner must not trust it blindly.
std::string dropped_banner_text(uint64_t dropped);

// build_stage_layout lays out the player's whole run on a stage of `size` pixels, at the
// current font's scale (ui/model/stage_layout.h does the work).
StageLayout build_stage_layout(const Player& player, ImVec2 size);

// stage_view draws the stage at the player's playhead, filling the available region.
// Hovering a figure highlights its line in the code view; clicking selects it (for
// "step to its next event").
void stage_view(Player& player);

}  // namespace goscope::ui
