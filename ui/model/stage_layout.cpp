// stage_layout.cpp: the stage's graph layout: links, ranks (columns), column geometry,
// the items of each column, then the WaitGroup gauges.
#include "ui/model/stage_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

namespace goscope {
namespace {

// Sizes in pixels at scale 1.
constexpr float kCardW = 196, kCardH = 40;
constexpr float kPipeH = 28, kSlotW = 34;
constexpr float kFontPx = 16;  // the font size at scale 1 (em = font size / 16)

template <class A, class B>
void add_unique(std::vector<std::pair<A, B>>& v, A a, B b) {
  if (std::find(v.begin(), v.end(), std::make_pair(a, b)) == v.end()) v.emplace_back(a, b);
}

// Links is who talks to whom over the whole run, beyond what the layout itself keeps.
struct Links {
  std::vector<std::pair<uint32_t, uint64_t>> closes;  // goroutine -> channel it closes
  std::map<uint64_t, int64_t> wg_max;                 // WaitGroup -> largest counter
};

// collect_links fills L's sends, receives, dones and waits from the events.
Links collect_links(const ReplayModel& model, StageLayout& L) {
  Links links;
  for (const Event& e : model.events()) {
    switch (e.kind) {
      case EventKind::ChanSend:
        if (e.g) add_unique(L.sends, e.g, e.obj);
        break;
      case EventKind::ChanRecv:
        if (e.g) add_unique(L.receives, e.obj, e.g);
        break;
      case EventKind::GoBlock:
        if (e.obj == 0) break;
        if (e.reason == static_cast<uint8_t>(BlockReason::Send)) add_unique(L.sends, e.g, e.obj);
        if (e.reason == static_cast<uint8_t>(BlockReason::Recv)) add_unique(L.receives, e.obj, e.g);
        if (e.reason == static_cast<uint8_t>(BlockReason::WaitGroup)) add_unique(L.waits, e.obj, e.g);
        break;
      case EventKind::ChanClose:
        if (e.g) add_unique(links.closes, e.g, e.obj);
        break;
      case EventKind::WgAdd:
      case EventKind::WgDone:
        if (e.kind == EventKind::WgDone && e.g) add_unique(L.dones, e.g, e.obj);
        links.wg_max[e.obj] = std::max(links.wg_max[e.obj], e.b);
        break;
      case EventKind::WgWait:
        if (e.g) add_unique(L.waits, e.obj, e.g);
        break;
      default:
        break;
    }
  }
  return links;
}

// queue_rows says how long a queue each channel end ever gets (an upper bound: the
// goroutines that ever parked there), so the layout leaves room for it.
std::map<uint64_t, int> queue_rows(const ReplayModel& model) {
  std::map<uint64_t, int> rows;
  std::map<uint64_t, std::vector<uint32_t>> send_q, recv_q;
  for (const Event& e : model.events()) {
    if (e.kind != EventKind::GoBlock || e.obj == 0) continue;
    auto& q = e.reason == static_cast<uint8_t>(BlockReason::Send) ? send_q[e.obj]
              : e.reason == static_cast<uint8_t>(BlockReason::Recv) ? recv_q[e.obj]
                                                                      : send_q[0];
    if (q.size() <= static_cast<std::size_t>(kStageMaxQueueChips) && std::find(q.begin(), q.end(), e.g) == q.end())
      q.push_back(e.g);
  }
  for (auto& [c, q] : send_q) rows[c] = std::max(rows[c], static_cast<int>(q.size()));
  for (auto& [c, q] : recv_q) rows[c] = std::max(rows[c], static_cast<int>(q.size()));
  return rows;
}

// Ranks are the columns of goroutines and channels.
struct Ranks {
  std::map<uint32_t, int> g;
  std::map<uint64_t, int> c;
};

// relax_ranks puts senders, then their channel, then its receivers, relaxed a bounded
// number of times so that a cycle (A -> ch1 -> B -> ch2 -> A) cannot loop forever.
void relax_ranks(const ReplayState& fin, const StageLayout& L, Ranks& rank) {
  for (auto [g, c] : L.sends) rank.g[g] = 0;
  for (auto [c, g] : L.receives) rank.g[g] = 0;
  const int cap = 2 * static_cast<int>(fin.channels.size()) + 2;
  for (int pass = 0; pass < cap; ++pass) {
    bool changed = false;
    for (const ChannelInfo& c : fin.channels) {
      int r = -1;
      for (auto [g, ch] : L.sends)
        if (ch == c.id) r = std::max(r, rank.g[g] + 1);
      if (r >= 0 && rank.c[c.id] != std::min(r, cap)) {
        rank.c[c.id] = std::min(r, cap);
        changed = true;
      }
    }
    for (auto [ch, g] : L.receives) {
      auto it = rank.c.find(ch);
      if (it == rank.c.end()) continue;
      if (rank.g[g] < it->second + 1 && it->second + 1 <= cap + 1) {
        rank.g[g] = it->second + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

// rank_the_rest places what the relaxation did not reach. A channel nobody sends on (a
// timer's) stands just left of its first receiver. Goroutines that touch no channel: the
// closer under the channel it closes; main at the left; anyone else right of the
// goroutine that started it.
void rank_the_rest(const ReplayState& fin, const StageLayout& L, const Links& links, Ranks& rank) {
  for (const ChannelInfo& c : fin.channels) {
    if (rank.c.count(c.id)) continue;
    int r = 1 << 20;
    for (auto [ch, g] : L.receives)
      if (ch == c.id) r = std::min(r, rank.g[g] - 1);
    rank.c[c.id] = r == (1 << 20) ? 0 : r;
  }
  for (const GoroutineInfo& g : fin.goroutines) {
    if (rank.g.count(g.id)) continue;
    auto cl = std::find_if(links.closes.begin(), links.closes.end(), [&](auto& p) { return p.first == g.id; });
    if (cl != links.closes.end() && rank.c.count(cl->second)) {
      rank.g[g.id] = rank.c[cl->second];
    } else if (g.id == 1 || g.created_by == 0 || !rank.g.count(g.created_by)) {
      rank.g[g.id] = 0;
    } else {
      rank.g[g.id] = rank.g[g.created_by] + 1;
    }
  }
}

// compact_ranks drops empty columns, so the stage uses its width; returns the column count.
int compact_ranks(Ranks& rank) {
  int lo = 0, hi = 0;
  for (auto& [g, r] : rank.g) lo = std::min(lo, r), hi = std::max(hi, r);
  for (auto& [c, r] : rank.c) lo = std::min(lo, r), hi = std::max(hi, r);
  std::vector<int> used(static_cast<std::size_t>(hi - lo + 1), 0);
  for (auto& [g, r] : rank.g) used[r - lo] = 1;
  for (auto& [c, r] : rank.c) used[r - lo] = 1;
  std::vector<int> remap(used.size(), 0);
  int ncols = 0;
  for (std::size_t k = 0; k < used.size(); ++k) {
    remap[k] = ncols;
    ncols += used[k];
  }
  for (auto& [g, r] : rank.g) r = remap[r - lo];
  for (auto& [c, r] : rank.c) r = remap[r - lo];
  return std::max(ncols, 1);
}

// Geometry is the stage's frame: columns, and the band between the banners and the gauges.
struct Geometry {
  float em = 1;
  float margin = 10;
  std::vector<float> col_x, col_w;  // column centres and widths
  float top = 0;
  float area_h = 0;
};

// column_geometry gives channel columns more width (their pipes need length).
Geometry column_geometry(const StageLayout& L, const Ranks& rank, bool has_waitgroups, float em) {
  Geometry geo;
  geo.em = em;
  std::vector<float> weight(L.columns, 1.0f);
  for (auto& [c, r] : rank.c) weight[r] = 1.35f;
  float wsum = 0;
  for (float w : weight) wsum += w;
  geo.margin = 10 * em;
  geo.col_x.resize(L.columns);
  geo.col_w.resize(L.columns);
  float x = geo.margin;
  for (int k = 0; k < L.columns; ++k) {
    geo.col_w[k] = (L.size.x - 2 * geo.margin) * weight[k] / wsum;
    geo.col_x[k] = x + geo.col_w[k] * 0.5f;
    x += geo.col_w[k];
  }
  geo.top = kStageTopBand * em + 8 * em;
  const float bottom = L.size.y - (has_waitgroups ? kStageGaugeBand * em : 8 * em);
  geo.area_h = std::max(bottom - geo.top, 40.0f);
  return geo;
}

// Column places one column's items, ordered by where what they connect to already
// stands (a barycentre pass), so lines cross as little as possible.
class ColumnPlacer {
 public:
  ColumnPlacer(const ReplayState& fin, const Ranks& rank, const std::map<uint64_t, int>& queue_rows, const Geometry& geo,
               StageLayout& L)
      : fin_(fin), rank_(rank), queue_rows_(queue_rows), geo_(geo), L_(L) {}

  void place(int k) {
    std::vector<uint64_t> chans = ordered_channels(k);
    std::vector<const GoroutineInfo*> gs = ordered_goroutines(k);
    const float em = geo_.em;
    const float card_item = (kCardH + 10) * em;
    float pipes_h = 0;
    for (uint64_t c : chans) pipes_h += pipe_item(c);
    const bool compact = pipes_h + card_item * static_cast<float>(gs.size()) > geo_.area_h;
    Grid grid;
    float figs_h = card_item * static_cast<float>(gs.size());
    if (compact && !gs.empty()) {
      grid = fit_grid(k, gs.size(), pipes_h);
      figs_h = static_cast<float>(grid.rows) * (grid.disc + 5);
    }
    const int items = static_cast<int>(chans.size()) + (gs.empty() ? 0 : compact ? 1 : static_cast<int>(gs.size()));
    const float content = pipes_h + figs_h;
    const float gap =
        items > 0 ? std::clamp((geo_.area_h - content) / static_cast<float>(items + 1), 0.0f, 40.0f * em) : 0;
    float y = geo_.top + std::max(0.0f, (geo_.area_h - content - gap * static_cast<float>(items - 1)) * 0.5f);

    for (uint64_t c : chans) {
      place_pipe(k, c, y);
      y += pipe_item(c) + gap;
    }
    if (compact) {
      place_discs(k, gs, grid, y);
    } else {
      for (const GoroutineInfo* g : gs) {
        place_card(k, *g, y, card_item);
        y += card_item + gap;
      }
    }
  }

 private:
  // Grid is the compact discs' arrangement in a column.
  struct Grid {
    float disc = 0;
    int per_row = 1;
    int rows = 0;
  };

  std::vector<uint64_t> ordered_channels(int k) {
    std::vector<uint64_t> chans;
    for (const ChannelInfo& c : fin_.channels)
      if (rank_.c.at(c.id) == k) chans.push_back(c.id);
    auto key = [&](uint64_t c) {
      float s = 0;
      int n = 0;
      for (auto [g, ch] : L_.sends)
        if (ch == c && gy_.count(g)) s += gy_[g], ++n;
      return n ? s / n : 1e9f + static_cast<float>(c);
    };
    std::stable_sort(chans.begin(), chans.end(), [&](uint64_t a, uint64_t b) { return key(a) < key(b); });
    return chans;
  }

  std::vector<const GoroutineInfo*> ordered_goroutines(int k) {
    std::vector<const GoroutineInfo*> gs;
    for (const GoroutineInfo& g : fin_.goroutines)
      if (rank_.g.at(g.id) == k) gs.push_back(&g);
    auto key = [&](const GoroutineInfo* g) {
      float s = 0;
      int n = 0;
      for (auto [ch, r] : L_.receives)
        if (r == g->id && cy_.count(ch)) s += cy_[ch], ++n;
      if (!n)
        for (auto [s2, ch] : L_.sends)
          if (s2 == g->id && cy_.count(ch)) s += cy_[ch], ++n;
      return n ? s / n : 1e9f;
    };
    std::stable_sort(gs.begin(), gs.end(), [&](const GoroutineInfo* a, const GoroutineInfo* b) {
      const float ka = key(a), kb = key(b);
      if (ka != kb) return ka < kb;
      if (std::string_view(a->role) != b->role) return a->created_at < b->created_at;
      return a->id < b->id;
    });
    return gs;
  }

  // pipe_item is a pipe's height in its column: its name above, the occupancy and the
  // queues of parked goroutines below (as many rows as the run ever needs, up to the
  // chips shown).
  float pipe_item(uint64_t c) const {
    const float em = geo_.em;
    auto it = queue_rows_.find(c);
    const int q = std::min(it == queue_rows_.end() ? 0 : it->second, kStageMaxQueueChips + 1);
    return (kPipeH + 44) * em + (q > 0 ? (static_cast<float>(q) + 1.2f) * (kFontPx * em + 4 * em) : 0.0f);
  }

  // fit_grid finds the largest disc whose grid fits what the pipes leave of the column.
  Grid fit_grid(int k, std::size_t count, float pipes_h) const {
    Grid grid;
    const float room = std::max(geo_.area_h - pipes_h, geo_.area_h * 0.4f);
    for (grid.disc = 30 * geo_.em; grid.disc > 9; grid.disc -= 1) {
      grid.per_row = std::max(1, static_cast<int>((geo_.col_w[k] - 6) / (grid.disc + 5)));
      grid.rows = (static_cast<int>(count) + grid.per_row - 1) / grid.per_row;
      if (static_cast<float>(grid.rows) * (grid.disc + 5) <= room) break;
    }
    return grid;
  }

  void place_pipe(int k, uint64_t c, float y) {
    const float em = geo_.em;
    StageLayout::Pipe p;
    p.id = c;
    p.column = k;
    const ChannelInfo* ci = fin_.channel(c);
    const int64_t capacity = ci ? ci->capacity : 0;
    p.slots = static_cast<int>(std::min<int64_t>(capacity, kStageMaxSlotsDrawn));
    p.height = kPipeH * em;
    p.length = std::clamp((p.slots > 0 ? static_cast<float>(p.slots) * kSlotW * em : 48 * em) + 12 * em, 50 * em,
                          geo_.col_w[k] - 12 * em);
    p.center = StageVec{geo_.col_x[k], y + 20 * em + p.height * 0.5f};
    for (auto [g, ch] : L_.sends) p.has_senders |= ch == c;
    for (auto [ch, g] : L_.receives) p.has_receivers |= ch == c;
    cy_[c] = p.center.y;
    L_.pipes.push_back(p);
  }

  void place_discs(int k, const std::vector<const GoroutineInfo*>& gs, const Grid& grid, float y) {
    const float cell = grid.disc + 5;
    const float row_w = cell * static_cast<float>(std::min<int>(grid.per_row, static_cast<int>(gs.size())));
    for (std::size_t i = 0; i < gs.size(); ++i) {
      StageLayout::Figure f;
      f.g = gs[i]->id;
      f.compact = true;
      f.column = k;
      f.half = StageVec{grid.disc * 0.5f, grid.disc * 0.5f};
      const int r = static_cast<int>(i) / grid.per_row, c = static_cast<int>(i) % grid.per_row;
      f.center = StageVec{geo_.col_x[k] - row_w * 0.5f + cell * (static_cast<float>(c) + 0.5f),
                          y + cell * (static_cast<float>(r) + 0.5f)};
      gy_[f.g] = f.center.y;
      L_.figures.push_back(f);
    }
  }

  void place_card(int k, const GoroutineInfo& g, float y, float card_item) {
    const float em = geo_.em;
    StageLayout::Figure f;
    f.g = g.id;
    f.column = k;
    f.half = StageVec{std::min(kCardW * em, geo_.col_w[k] - 10 * em) * 0.5f, kCardH * em * 0.5f};
    f.center = StageVec{geo_.col_x[k], y + card_item * 0.5f};
    gy_[f.g] = f.center.y;
    L_.figures.push_back(f);
  }

  const ReplayState& fin_;
  const Ranks& rank_;
  const std::map<uint64_t, int>& queue_rows_;
  const Geometry& geo_;
  StageLayout& L_;
  std::map<uint32_t, float> gy_;  // where placed goroutines stand (y)
  std::map<uint64_t, float> cy_;  // where placed channels stand (y)
};

// index_layout fills figure_of and pipe_of.
void index_layout(StageLayout& L) {
  for (std::size_t i = 0; i < L.figures.size(); ++i) L.figure_of.insert(L.figures[i].g, static_cast<uint32_t>(i));
  for (std::size_t i = 0; i < L.pipes.size(); ++i) L.pipe_of.insert(L.pipes[i].id, static_cast<uint32_t>(i));
}

// mean_x is where a gauge's story happens: the mean of the Done callers' mean and each waiter.
float mean_x(const StageLayout& L, uint64_t id, float otherwise) {
  float sx = 0;
  int n = 0;
  float dx = 0;
  int dn = 0;
  for (auto [g, w] : L.dones)
    if (w == id)
      if (const auto* f = L.figure(g)) dx += f->center.x, ++dn;
  if (dn) sx += dx / static_cast<float>(dn), ++n;
  for (auto [w, g] : L.waits)
    if (w == id)
      if (const auto* f = L.figure(g)) sx += f->center.x, ++n;
  return n ? sx / static_cast<float>(n) : otherwise;
}

// place_gauges puts WaitGroups in the bottom band, between the mean of those who call
// Done and those who Wait, so the gauge sits where its story happens; neighbours never
// overlap.
void place_gauges(const ReplayState& fin, const Links& links, const Geometry& geo, StageLayout& L) {
  const float em = geo.em;
  std::vector<uint64_t> wgs;
  for (const WaitGroupInfo& w : fin.waitgroups) wgs.push_back(w.id);
  for (auto& [id, m] : links.wg_max)
    if (std::find(wgs.begin(), wgs.end(), id) == wgs.end()) wgs.push_back(id);
  const float gauge_w = 170 * em;
  for (uint64_t id : wgs) {
    StageLayout::Gauge gg;
    gg.id = id;
    gg.width = gauge_w;
    auto m = links.wg_max.find(id);
    gg.max = std::max<int64_t>(1, m == links.wg_max.end() ? 0 : m->second);
    const float cxg = mean_x(L, id, L.size.x * 0.5f);
    gg.center = StageVec{std::clamp(cxg, gauge_w * 0.5f + geo.margin, L.size.x - gauge_w * 0.5f - geo.margin),
                         L.size.y - kStageGaugeBand * em + 26 * em};
    L.gauges.push_back(gg);
  }
  std::sort(L.gauges.begin(), L.gauges.end(), [](auto& a, auto& b) { return a.center.x < b.center.x; });
  for (std::size_t i = 1; i < L.gauges.size(); ++i)
    L.gauges[i].center.x = std::max(L.gauges[i].center.x, L.gauges[i - 1].center.x + gauge_w + 12 * em);
}

}  // namespace

StageLayout build_stage_layout(const ReplayModel& model, uint64_t run_id, StageVec size, float em) {
  StageLayout L;
  L.run_id = run_id;
  L.size = size;
  const ReplayState& fin = model.final_state();
  const Links links = collect_links(model, L);
  const std::map<uint64_t, int> rows = queue_rows(model);
  Ranks rank;
  relax_ranks(fin, L, rank);
  rank_the_rest(fin, L, links, rank);
  L.columns = compact_ranks(rank);
  const bool has_waitgroups = !(fin.waitgroups.empty() && links.wg_max.empty());
  const Geometry geo = column_geometry(L, rank, has_waitgroups, em);
  ColumnPlacer placer(fin, rank, rows, geo, L);
  for (int k = 0; k < L.columns; ++k) placer.place(k);
  index_layout(L);
  place_gauges(fin, links, geo, L);
  return L;
}

const StageLayout& StageLayoutCache::get(const ReplayModel& model, uint64_t run_id, StageVec size, float em) {
  if (layout_.run_id != run_id || std::abs(layout_.size.x - size.x) > 0.5f || std::abs(layout_.size.y - size.y) > 0.5f ||
      em_ != em || layout_.figures.empty()) {
    layout_ = build_stage_layout(model, run_id, size, em);
    em_ = em;
    ++builds_;
  }
  return layout_;
}

}  // namespace goscope
