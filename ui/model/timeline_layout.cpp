// timeline_layout.cpp: time <-> pixels, and the level of detail of lanes and counters.
#include "ui/model/timeline_layout.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace goscope {

void TimelineViewport::zoom(double x, double factor) {
  if (!(factor > 0)) return;
  double t = t_of(x);
  double span = std::max((t1 - t0) / factor, min_span);
  double frac = (x - x0) / (x1 - x0);
  t0 = t - frac * span;
  t1 = t0 + span;
}

void TimelineViewport::pan(double dx) {
  double dt = dx * ns_per_px();
  t0 -= dt;
  t1 -= dt;
}

void TimelineViewport::fit(double begin, double end) {
  t0 = begin;
  t1 = std::max(end, begin + min_span);
}

namespace {

float clip(double x, const TimelineViewport& vp) { return static_cast<float>(std::clamp(x, vp.x0, vp.x1)); }

}  // namespace

namespace {

// draw_entries is lane_draw_list over any sorted, disjoint entries (a lane's segments or
// one of its LaneLod levels); rectangles name entries by index.
void draw_entries(std::span<const TimelineSegment> seg, const TimelineViewport& vp, std::vector<LaneRect>& out,
                  double min_px) {
  out.clear();
  if (seg.empty() || !(vp.t1 > vp.t0)) return;
  if (!(min_px > 0)) min_px = 1.0;
  const std::size_t n = seg.size();
  // The viewport's maps with the division done once (this runs per rectangle per frame).
  const double px_per_ns = (vp.x1 - vp.x0) / (vp.t1 - vp.t0);
  const double ns_per_px = 1.0 / px_per_ns;
  auto X = [&](int64_t t) { return vp.x0 + (static_cast<double>(t) - vp.t0) * px_per_ns; };
  auto T = [&](double x) { return vp.t0 + (x - vp.x0) * ns_per_px; };
  // dominant samples the style at a few times across [ta, tb) (segments i..j-1, a run of
  // narrow ones a pixel or so wide): a folded rectangle is drawn in the colour that
  // covers most of it. The samples sit at the golden-ratio sequence, so that a periodic
  // pattern is unlikely to line up with them.
  std::array<uint8_t, kSegmentStyleCount> votes{};  // of the last dominant() call
  auto dominant = [&](std::size_t i, std::size_t j, double ta, double tb) {
    constexpr int kSamples = 3;
    votes.fill(0);
    SegmentStyle best = style_of(seg[i]);
    uint8_t best_votes = 0;
    for (int k = 0; k < kSamples; ++k) {
      double f = (k + 1) * 0.6180339887498949;
      double t = ta + (tb - ta) * (f - std::floor(f));
      auto it = std::upper_bound(seg.begin() + static_cast<std::ptrdiff_t>(i), seg.begin() + static_cast<std::ptrdiff_t>(j),
                                 t, [](double x, const TimelineSegment& s) { return x < static_cast<double>(s.t1); });
      if (it == seg.begin() + static_cast<std::ptrdiff_t>(j)) continue;
      SegmentStyle st = style_of(*it);
      if (++votes[static_cast<int>(st)] > best_votes) {
        best_votes = votes[static_cast<int>(st)];
        best = st;
      }
    }
    return best;
  };
  // Segments are sorted and disjoint, so t1 is sorted too: the first visible one is the
  // first that ends after the left edge.
  auto first_ending_after = [&](std::size_t from, double t) {
    auto it = std::upper_bound(seg.begin() + static_cast<std::ptrdiff_t>(from), seg.end(), t,
                               [](double x, const TimelineSegment& s) { return x < static_cast<double>(s.t1); });
    return static_cast<std::size_t>(it - seg.begin());
  };
  // gallop finds the same as first_ending_after(from, t) when the answer is usually a few
  // segments ahead (folding one pixel): O(log distance) instead of O(log n), and it stays
  // in the cache lines just read.
  auto gallop = [&](std::size_t from, double t) {
    std::size_t step = 1, lo = from;
    while (lo + step < n && static_cast<double>(seg[lo + step - 1].t1) <= t) {
      lo += step;
      step *= 2;
    }
    std::size_t hi = std::min(n, lo + step);
    auto it = std::upper_bound(seg.begin() + static_cast<std::ptrdiff_t>(lo), seg.begin() + static_cast<std::ptrdiff_t>(hi),
                               t, [](double x, const TimelineSegment& s) { return x < static_cast<double>(s.t1); });
    return static_cast<std::size_t>(it - seg.begin());
  };
  std::size_t i = first_ending_after(0, vp.t0);
  bool last_folded = false;  // out.back() came from folding narrow segments
  while (i < n && static_cast<double>(seg[i].t0) < vp.t1) {
    double xa = X(seg[i].t0);
    double xb = X(seg[i].t1);
    if (xb - xa >= min_px) {
      SegmentStyle st = style_of(seg[i]);
      // A segment under two pixels wide in the main colour of the folded stretch it
      // follows joins that stretch: same picture, one rectangle fewer.
      if (last_folded && xb - xa < 2 * min_px && out.back().dominant == st &&
          out.back().first + out.back().count == i && out.back().x1 >= static_cast<float>(xa) - 1e-3f) {
        out.back().x1 = std::max(out.back().x1, clip(xb, vp));
        out.back().count += 1;
        out.back().style = SegmentStyle::mixed;
        ++i;
        continue;
      }
      out.push_back({clip(xa, vp), clip(xb, vp), st, static_cast<uint32_t>(i), 1, st});
      last_folded = false;
      ++i;
      continue;
    }
    // A narrow segment: fold it with every segment that ends within min_px of its start,
    // found by searching rather than by walking them.
    double tlim = T(xa + min_px);
    std::size_t j = gallop(i + 1, tlim);
    // The next one straddles the limit; take it too if it is narrow, so that the folded
    // rectangle reaches past the limit and every rectangle advances by min_px.
    if (j < n && static_cast<double>(seg[j].t0) < vp.t1 &&
        X(seg[j].t1) - X(seg[j].t0) < min_px) {
      ++j;
    }
    std::size_t count = j - i;
    double xe = std::max(X(seg[j - 1].t1), xa + min_px);
    votes.fill(0);
    SegmentStyle main_style = count == 1 ? style_of(seg[i]) : dominant(i, j, T(xa), T(xe));
    if (count == 1) votes[static_cast<int>(main_style)] = 1;
    // A stretch that keeps switching between two states should not flicker between two
    // colours pixel by pixel because of sampling: while the previous stretch's colour is
    // still seen here, stay with it.
    if (!out.empty() && last_folded && votes[static_cast<int>(out.back().dominant)] > 0) main_style = out.back().dominant;
    // Neighbouring folded pixels with the same main colour make one rectangle, so a busy
    // stretch costs one rectangle per change of colour, not one per pixel.
    // So does a segment under two pixels wide just before it, in the same colour.
    bool joins_previous = !out.empty() && out.back().dominant == main_style && out.back().first + out.back().count == i &&
                          out.back().x1 >= static_cast<float>(xa) - 1e-3f &&
                          (last_folded || out.back().x1 - out.back().x0 < 2 * min_px);
    if (joins_previous) {
      LaneRect& r = out.back();
      r.x1 = std::max(r.x1, clip(xe, vp));
      r.count += static_cast<uint32_t>(count);
      r.style = SegmentStyle::mixed;
    } else if (count == 1) {
      out.push_back({clip(xa, vp), clip(xa + min_px, vp), main_style, static_cast<uint32_t>(i), 1, main_style});
    } else {
      out.push_back({clip(xa, vp), clip(xe, vp), SegmentStyle::mixed, static_cast<uint32_t>(i),
                     static_cast<uint32_t>(count), main_style});
    }
    last_folded = true;
    i = j;
  }
}

}  // namespace

void lane_draw_list(std::span<const TimelineSegment> segments, const TimelineViewport& vp, std::vector<LaneRect>& out,
                    double min_px) {
  draw_entries(segments, vp, out, min_px);
}

LaneLod build_lane_lod(std::span<const TimelineSegment> segments) {
  LaneLod lod;
  if (segments.size() < 2 * LaneLod::kMinLevelSize) return lod;
  const int64_t span = segments.back().t1 - segments.front().t0;
  int64_t width = std::max<int64_t>(1, span / 65536);
  std::span<const TimelineSegment> below = segments;
  bool below_is_fine = true;
  while (below.size() >= 2 * LaneLod::kMinLevelSize) {
    std::vector<TimelineSegment> level;
    level.reserve(below.size() / 4 + 1);
    std::size_t a = 0;
    while (a < below.size()) {
      // A chunk: consecutive entries narrower than `width`, until it is `width` wide; an
      // entry at least `width` wide stays alone. Its style is the one covering most time.
      std::array<int64_t, kSegmentStyleCount> time_by_style{};
      std::array<std::pair<GoState, BlockReason>, kSegmentStyleCount> example{};
      std::size_t b = a;
      uint32_t fine_count = 0;
      do {
        const TimelineSegment& e = below[b];
        int st = static_cast<int>(style_of(e));
        time_by_style[st] += e.duration();
        example[st] = {e.state, e.reason};
        fine_count += below_is_fine ? 1 : e.partner;
        ++b;
      } while (b < below.size() && below[b - 1].t1 - below[a].t0 < width && below[b].duration() < width &&
               below[a].duration() < width);
      TimelineSegment c;
      c.t0 = below[a].t0;
      c.t1 = below[b - 1].t1;
      int best = static_cast<int>(std::max_element(time_by_style.begin(), time_by_style.end()) - time_by_style.begin());
      c.state = example[best].first;
      c.reason = example[best].second;
      c.obj = b - a == 1 ? below[a].obj : 0;
      c.event = below_is_fine ? static_cast<uint32_t>(&below[a] - segments.data()) : below[a].event;
      c.partner = fine_count;
      level.push_back(c);
      a = b;
    }
    if (level.size() * 4 > below.size() * 3) break;  // not folding any more: stop
    lod.widths.push_back(width);
    lod.levels.push_back(std::move(level));
    below = lod.levels.back();
    below_is_fine = false;
    width *= 8;
  }
  return lod;
}

void lane_draw_list(std::span<const TimelineSegment> segments, const LaneLod& lod, const TimelineViewport& vp,
                    std::vector<LaneRect>& out, double min_px) {
  // The coarsest level whose chunks of several segments are all narrower than min_px
  // (they are under twice the level's width) draws the same picture from fewer entries.
  const double px_ns = vp.ns_per_px() * (min_px > 0 ? min_px : 1.0);
  int level = -1;
  for (std::size_t k = 0; k < lod.levels.size(); ++k) {
    if (2.0 * static_cast<double>(lod.widths[k]) <= px_ns) level = static_cast<int>(k);
  }
  if (level < 0) {
    draw_entries(segments, vp, out, min_px);
    return;
  }
  const auto& chunks = lod.levels[level];
  draw_entries(chunks, vp, out, min_px);
  // Name segments, not chunks: a rectangle covering several segments is mixed.
  for (LaneRect& r : out) {
    const TimelineSegment& first = chunks[r.first];
    const TimelineSegment& last = chunks[r.first + r.count - 1];
    uint32_t fine_first = first.event;
    uint32_t fine_count = last.event + last.partner - fine_first;
    if (fine_count > 1) r.style = SegmentStyle::mixed;
    r.first = fine_first;
    r.count = fine_count;
  }
}

std::pair<std::size_t, std::size_t> visible_arrows(std::span<const TimelineArrow> arrows, const TimelineViewport& vp) {
  auto before = [](const TimelineArrow& a, double t) { return static_cast<double>(a.t) < t; };
  auto lo = std::lower_bound(arrows.begin(), arrows.end(), vp.t0, before);
  auto hi = std::upper_bound(arrows.begin(), arrows.end(), vp.t1,
                             [](double t, const TimelineArrow& a) { return t < static_cast<double>(a.t); });
  return {static_cast<std::size_t>(lo - arrows.begin()), static_cast<std::size_t>(hi - arrows.begin())};
}

void arrow_draw_list(std::span<const TimelineArrow> arrows, const TimelineViewport& vp, std::vector<uint32_t>& out,
                     int per_px) {
  out.clear();
  if (!(vp.t1 > vp.t0)) return;
  if (per_px < 1) per_px = 1;
  auto [i, end] = visible_arrows(arrows, vp);
  while (i < end) {
    // Take up to per_px arrows from this pixel column, then jump to the next column.
    double column = std::floor(vp.x_of(static_cast<double>(arrows[i].t)));
    for (int k = 0; k < per_px && i < end && std::floor(vp.x_of(static_cast<double>(arrows[i].t))) == column; ++k, ++i) {
      out.push_back(static_cast<uint32_t>(i));
    }
    double next_t = vp.t_of(column + 1.0);
    auto it = std::lower_bound(arrows.begin() + static_cast<std::ptrdiff_t>(i), arrows.begin() + static_cast<std::ptrdiff_t>(end),
                               next_t, [](const TimelineArrow& a, double t) { return static_cast<double>(a.t) < t; });
    i = std::max(i, static_cast<std::size_t>(it - arrows.begin()));
  }
}

void counter_draw_list(const CounterTrack& track, int64_t end_time, const TimelineViewport& vp,
                       std::vector<CounterColumn>& out) {
  out.clear();
  const auto& pts = track.points;
  const std::size_t n = pts.size();
  if (n == 0 || !(vp.t1 > vp.t0)) return;
  auto end_of = [&](std::size_t k) { return static_cast<double>(k + 1 < n ? pts[k + 1].t : end_time); };
  // The step holding at the left edge: the last point at or before it.
  auto it = std::upper_bound(pts.begin(), pts.end(), vp.t0,
                             [](double t, const CounterPoint& p) { return t < static_cast<double>(p.t); });
  std::size_t k = it == pts.begin() ? 0 : static_cast<std::size_t>(it - pts.begin()) - 1;
  double ts = std::max(static_cast<double>(pts[k].t), vp.t0);
  while (k < n && ts < vp.t1) {
    double te = end_of(k);
    if (te <= ts) {  // a step of no length (or past the end)
      ++k;
      if (k < n) ts = std::max(ts, static_cast<double>(pts[k].t));
      continue;
    }
    double xa = vp.x_of(ts);
    double xb = vp.x_of(te);
    if (xb - xa >= 1.0 || k + 1 == n) {
      int64_t v = pts[k].value;
      out.push_back({clip(xa, vp), clip(std::max(xb, xa + 1.0), vp), v, v});
      ++k;
      if (k < n) ts = static_cast<double>(pts[k].t);
      continue;
    }
    // Steps narrower than a pixel: one column for every point that starts in this pixel.
    double tlim = vp.t_of(xa + 1.0);
    // Gallop from k: the answer is usually near, and the search stays in cache.
    std::size_t lo = k + 1, step = 1;
    while (lo + step <= n && static_cast<double>(pts[lo + step - 1].t) < tlim) {
      lo += step;
      step *= 2;
    }
    auto jt = std::lower_bound(pts.begin() + static_cast<std::ptrdiff_t>(lo),
                               pts.begin() + static_cast<std::ptrdiff_t>(std::min(n, lo + step)), tlim,
                               [](const CounterPoint& p, double t) { return static_cast<double>(p.t) < t; });
    std::size_t j = static_cast<std::size_t>(jt - pts.begin());
    auto [mn, mx] = track.levels.empty() ? std::pair<int64_t, int64_t>{pts[k].value, pts[k].value} : track.range(k, j);
    if (track.levels.empty()) {
      for (std::size_t q = k; q < j; ++q) {
        mn = std::min(mn, pts[q].value);
        mx = std::max(mx, pts[q].value);
      }
    }
    out.push_back({clip(xa, vp), clip(xa + 1.0, vp), mn, mx});
    // The last of them holds on past the pixel.
    k = j - 1;
    ts = tlim;
  }
}

}  // namespace goscope
