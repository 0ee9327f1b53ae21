// stage_layout.h: where everything of a run stands on the stage: pure graph layout, no ImGui.
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
// When a column holds more figures than fit (up to 64 workers), its figures become
// compact discs in a grid.
//
// Example:
//
//   goscope::StageLayoutCache cache;                       // one per stage
//   const goscope::StageLayout& L = cache.get(model, run_id, {900, 600}, em);
//   if (const auto* f = L.figure(2)) draw_card(origin + f->center, f->half);
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ui/model/id_index.h"
#include "ui/model/replay.h"

namespace goscope {

// StageVec is a point or a size on the stage, in pixels.
struct StageVec {
  float x = 0;
  float y = 0;
};

// Sizes of the stage in pixels at scale 1 (em = font size / 16 scales them).
inline constexpr float kStageTopBand = 34;    // status line and banners
inline constexpr float kStageGaugeBand = 92;  // WaitGroups
inline constexpr int kStageMaxSlotsDrawn = 10;   // a bigger buffer draws as this many slots and a fill bar
inline constexpr int kStageMaxQueueChips = 5;    // parked goroutines listed at a channel end (then "+N")

// StageLayout is where everything of a run stands on a stage of a given size, relative to
// the stage's top-left corner.
struct StageLayout {
  uint64_t run_id = 0;
  StageVec size{0, 0};

  // Figure is one goroutine's place.
  struct Figure {
    uint32_t g = 0;
    StageVec center{0, 0};
    StageVec half{0, 0};  // half the card's size (compact: the disc's radius in x and y)
    bool compact = false;
    int column = 0;
  };
  // Pipe is one channel's place: a horizontal pipe centred at `center`.
  struct Pipe {
    uint64_t id = 0;
    StageVec center{0, 0};
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
    StageVec center{0, 0};
    float width = 0;
    int64_t max = 1;       // the largest its counter got in the run (the gauge's scale)
  };

  std::vector<Figure> figures;
  std::vector<Pipe> pipes;
  std::vector<Gauge> gauges;
  IdIndex figure_of;  // goroutine id -> index in figures
  IdIndex pipe_of;    // channel id -> index in pipes (ids may be 2^40 and up: see IdIndex)
  // Who talks to whom over the whole run (drawn faintly, so the shape shows at once).
  std::vector<std::pair<uint32_t, uint64_t>> sends;    // goroutine -> channel
  std::vector<std::pair<uint64_t, uint32_t>> receives; // channel -> goroutine
  std::vector<std::pair<uint32_t, uint64_t>> dones;    // goroutine -> WaitGroup
  std::vector<std::pair<uint64_t, uint32_t>> waits;    // WaitGroup -> goroutine
  int columns = 0;

  const Figure* figure(uint32_t g) const {
    const uint32_t i = figure_of.find(g);
    return i != IdIndex::kAbsent ? &figures[i] : nullptr;
  }
  const Pipe* pipe(uint64_t ch) const {
    const uint32_t i = pipe_of.find(ch);
    return i != IdIndex::kAbsent ? &pipes[i] : nullptr;
  }
  const Gauge* gauge(uint64_t wg) const {
    for (const Gauge& g : gauges)
      if (g.id == wg) return &g;
    return nullptr;
  }
};

// build_stage_layout lays out the whole run of `model` on a stage of `size` pixels, with
// sizes scaled by `em` (font size / 16). `run_id` is stored for caches.
StageLayout build_stage_layout(const ReplayModel& model, uint64_t run_id, StageVec size, float em);

// StageLayoutCache keeps the layout of the last run drawn: it depends on the run, the
// stage size and the scale only, so a stage rebuilds it when one of those changes.
class StageLayoutCache {
 public:
  // get returns the layout for this run, size and scale, building it if needed.
  const StageLayout& get(const ReplayModel& model, uint64_t run_id, StageVec size, float em);
  // builds counts the layouts built (tests: a still stage does not rebuild).
  int builds() const { return builds_; }

 private:
  StageLayout layout_;
  float em_ = 0;
  int builds_ = 0;
};

}  // namespace goscope
