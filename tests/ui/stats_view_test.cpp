// stats_view_test.cpp: the statistics panel draws every tab, clips long tables to the
// rows on screen, and sums blocked time the way its label says.
#include <gtest/gtest.h>

#include <string>

#include "tests/ui/imgui_harness.h"
#include "ui/views/stats_view.h"

namespace goscope {
namespace {

using test::ImGuiHarness;

RunStats many_goroutines(int n) {
  RunStats st;
  st.begin = 0;
  st.end = st.run_ns = 1'000'000;
  st.procs = 4;
  st.events = 12345;
  st.goroutines = static_cast<uint64_t>(n);
  st.goroutines_done = static_cast<uint64_t>(n);
  st.messages = 1000;
  st.busy_ns = 2'000'000;
  st.utilisation = 0.5;
  for (int i = 0; i < n; ++i) {
    GoroutineStats g;
    g.g = static_cast<uint32_t>(i + 1);
    g.name = i == 0 ? "main" : "worker";
    g.lifetime = 1'000'000;
    g.blocked = 250'000;
    g.blocked_share = 0.25;
    g.time_in[static_cast<int>(GoState::running)] = 750'000;
    g.time_in[static_cast<int>(GoState::blocked)] = 250'000;
    g.time_in_style[static_cast<int>(SegmentStyle::running)] = 750'000;
    g.time_in_style[static_cast<int>(SegmentStyle::blocked_recv)] = 250'000;
    st.goroutine_stats.push_back(g);
  }
  for (int c = 0; c < 3; ++c) {
    ChannelStats ch;
    ch.id = static_cast<uint64_t>(c + 1);
    ch.name = "jobs";
    ch.capacity = 10;
    ch.messages = 333;
    ch.mean_occupancy = 4.5;
    ch.max_occupancy = 10;
    ch.senders_parked = 1000;
    st.channel_stats.push_back(ch);
  }
  return st;
}

struct StatsWindow {
  ImGuiHarness ui{ImVec2(1600, 1000)};
  RunStats stats;
  ui::StatsOptions options;
  ui::StatsFrame last;
  std::function<void()> draw() {
    return [this] {
      ImGui::SetNextWindowPos(ImVec2(1040, 720));
      ImGui::SetNextWindowSize(ImVec2(560, 280));
      ImGui::Begin("Stats", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
      last = ui::draw_stats(stats, options);
      ImGui::End();
    };
  }
};

TEST(StatsView, BlockedShareIsBlockedTimeOverAllLifetimes) {
  RunStats st = many_goroutines(4);
  st.goroutine_stats[0].blocked = 1'000'000;  // main blocked all its life
  EXPECT_DOUBLE_EQ(ui::blocked_share_of_all(st), (1'000'000 + 3 * 250'000) / 4e6);
  EXPECT_DOUBLE_EQ(ui::blocked_share_of_all(RunStats{}), 0.0);
}

TEST(StatsView, EachTabDrawsAndLongTablesAreClipped) {
  StatsWindow w;
  w.stats = many_goroutines(5000);
  w.options.items_name = "jobs";
  w.options.items = 100000;
  bool drew_workers = false;
  w.options.workers_tab = [&] {
    drew_workers = true;
    ImGui::TextUnformatted("plot");
  };
  for (int tab = 0; tab < 4; ++tab) {
    w.options.open_tab = tab;
    w.ui.frame(w.draw());
    w.options.open_tab = -1;
    w.ui.frame(w.draw());
    switch (tab) {
      case 1:
        EXPECT_GT(w.last.goroutine_rows, 3);
        EXPECT_LT(w.last.goroutine_rows, 40);  // of 5000: what fits in 280 px
        break;
      case 2:
        EXPECT_EQ(w.last.channel_rows, 3);
        break;
      case 3:
        EXPECT_TRUE(w.last.workers_tab);
        EXPECT_TRUE(drew_workers);
        break;
      default:
        EXPECT_EQ(w.last.goroutine_rows, 0);
        EXPECT_FALSE(w.last.workers_tab);
    }
    EXPECT_GT(w.ui.vertex_count(), 200u) << "tab " << tab;
  }
}

TEST(StatsView, NoWorkersTabWithoutASweep) {
  StatsWindow w;
  w.stats = many_goroutines(3);
  w.options.open_tab = 3;
  w.ui.frame(w.draw());
  w.ui.frame(w.draw());
  EXPECT_FALSE(w.last.workers_tab);
}

}  // namespace
}  // namespace goscope
