// stage_view.h: the stage: the running program drawn as figures, pipes and gauges.
//
// Layout is by role and follows the data: goroutines that only send stand on the left,
// each channel one column to the right of its senders, each receiver one column right of
// the channel it receives from. Fan-in comes out many-into-one (producers -> ch -> main),
// fan-out one-into-many (producer -> jobs -> workers -> results -> main), a pipeline a
// chain. A goroutine that talks to no channel stands under the channel it closes (the
// closer), or right of the goroutine that started it. WaitGroups sit in a band at the
// bottom, between those who call Done and those who Wait. The layout covers every
// goroutine of the whole run, so a figure never moves while the run plays.
//
//   producer 1 --\                      gauge: wg [###  ] 3
//   producer 2 ----> [ch | 3 | 1 ] ---> main
//   producer 3 --/   waiting to send: producer 3 (value 3)
//
// When a column holds more figures than fit (up to 64 workers), its figures become
// compact discs in a grid, coloured the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

namespace goscope::ui {

class Player;

// StageLayout is where everything of a run stands on a stage of a given size, relative to
// the stage's top-left corner.
struct StageLayout {
  uint64_t run_id = 0;
  ImVec2 size{0, 0};

  // Figure is one goroutine's place.
  struct Figure {
    uint32_t g = 0;
    ImVec2 center{0, 0};
    ImVec2 half{0, 0};   // half the card's size (compact: the disc's radius in x and y)
    bool compact = false;
    int column = 0;
  };
  // Pipe is one channel's place: a horizontal pipe centred at `center`.
  struct Pipe {
    uint64_t id = 0;
    ImVec2 center{0, 0};
    float length = 0;
    float height = 0;
    int slots = 0;         // buffer places drawn (capacity, or fewer for big buffers)
    int column = 0;
    bool has_receivers = false;  // anyone ever received from it in this run
    bool has_senders = false;
  };
  // Gauge is one WaitGroup's place in the bottom band.
  struct Gauge {
    uint64_t id = 0;
    ImVec2 center{0, 0};
    float width = 0;
    int64_t max = 1;       // the largest its counter got in the run (the gauge's scale)
  };

  std::vector<Figure> figures;
  std::vector<Pipe> pipes;
  std::vector<Gauge> gauges;
  std::vector<uint32_t> figure_of;  // goroutine id -> index in figures + 1 (0 = none)
  std::vector<uint32_t> pipe_of;    // channel id -> index in pipes + 1
  // Who talks to whom over the whole run (drawn faintly, so the shape shows at once).
  std::vector<std::pair<uint32_t, uint64_t>> sends;    // goroutine -> channel
  std::vector<std::pair<uint64_t, uint32_t>> receives; // channel -> goroutine
  std::vector<std::pair<uint32_t, uint64_t>> dones;    // goroutine -> WaitGroup
  std::vector<std::pair<uint64_t, uint32_t>> waits;    // WaitGroup -> goroutine
  int columns = 0;

  const Figure* figure(uint32_t g) const {
    return g < figure_of.size() && figure_of[g] ? &figures[figure_of[g] - 1] : nullptr;
  }
  const Pipe* pipe(uint64_t ch) const {
    return ch < pipe_of.size() && pipe_of[ch] ? &pipes[pipe_of[ch] - 1] : nullptr;
  }
  const Gauge* gauge(uint64_t wg) const {
    for (const Gauge& g : gauges)
      if (g.id == wg) return &g;
    return nullptr;
  }
};

// dropped_banner_text is the warning over a stage whose run lost `dropped` events ("" if
// none): the picture is then incomplete, and the learner must not trust it blindly.
std::string dropped_banner_text(uint64_t dropped);

// build_stage_layout lays out the player's whole run on a stage of `size` pixels.
StageLayout build_stage_layout(const Player& player, ImVec2 size);

// stage_view draws the stage at the player's playhead, filling the available region.
// Hovering a figure highlights its line in the code view; clicking selects it (for
// "step to its next event").
void stage_view(Player& player);

}  // namespace goscope::ui
