// chan_events_test.cpp: what channel operations, select and timers tell the event
// stream (who handed what to whom, buffer occupancy, why a goroutine blocked).
#include <algorithm>
#include <string>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/recorder.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "tests/core/chan_fixture.h"

using namespace goscope;
using namespace goscope::chantest;
using std::chrono::milliseconds;

namespace {

// Traced runs the program in the deterministic mode with a sink and returns its events.
std::vector<Event> Traced(std::function<void()> fn, uint64_t seed = 1, int procs = 1) {
  Recorder keep;
  Config c;
  c.mode = Mode::deterministic;
  c.procs = procs;
  c.seed = seed;
  c.sink = &keep;
  Outcome out = run(c, std::move(fn));
  EXPECT_EQ(out.kind, OutcomeKind::ok) << out.report();
  return keep.take();
}

std::vector<Event> OfKind(const std::vector<Event>& ev, EventKind k) {
  std::vector<Event> out;
  std::copy_if(ev.begin(), ev.end(), std::back_inserter(out), [k](const Event& e) { return e.kind == k; });
  return out;
}

TEST(ChanEvents, HandoffNamesSenderReceiverAndValue) {
  uint64_t id = 0;
  uint32_t receiver = 0;
  auto ev = Traced([&] {
    auto ch = make_chan<int>(0, "answers");
    id = ch.id();
    receiver = go([ch]() mutable { ch.recv(); });
    sleep(milliseconds(1));  // the receiver parks first
    ch.send(42);
    sleep(milliseconds(1));
  });
  auto make = OfKind(ev, EventKind::ChanMake);
  ASSERT_EQ(make.size(), 1u);
  EXPECT_EQ(make[0].obj, id);
  EXPECT_EQ(make[0].a, 0);
  EXPECT_STREQ(make[0].text, "answers");

  auto sends = OfKind(ev, EventKind::ChanSend);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].g, 1u);
  EXPECT_EQ(sends[0].other, receiver);  // taken directly by the parked receiver
  EXPECT_EQ(sends[0].obj, id);
  EXPECT_EQ(sends[0].reason, static_cast<uint8_t>(ValueKind::Int));
  EXPECT_EQ(sends[0].a, 42);
  EXPECT_EQ(sends[0].b, 0);

  auto recvs = OfKind(ev, EventKind::ChanRecv);
  ASSERT_EQ(recvs.size(), 1u);
  EXPECT_EQ(recvs[0].g, receiver);
  EXPECT_EQ(recvs[0].other, 1u);
  EXPECT_EQ(recvs[0].a, 42);
  EXPECT_EQ(recvs[0].reason & kRecvClosedBit, 0);

  // The receiver blocked on this channel for a receive, and main woke it.
  bool blocked = false, woken = false;
  for (const Event& e : ev) {
    if (e.kind == EventKind::GoBlock && e.g == receiver) {
      blocked = true;
      EXPECT_EQ(e.reason, static_cast<uint8_t>(BlockReason::Recv));
      EXPECT_EQ(e.obj, id);
    }
    if (e.kind == EventKind::GoUnblock && e.g == receiver && e.other == 1u) woken = true;
  }
  EXPECT_TRUE(blocked);
  EXPECT_TRUE(woken);
}

TEST(ChanEvents, BufferedSendsShowOccupancyAndReceivesNameTheSender) {
  auto ev = Traced([] {
    auto ch = make_chan<std::string>(2);
    ch.send("a");
    ch.send("b");
    ch.recv();
    ch.close();
    ch.recv();
    ch.recv_ok();
  });
  auto sends = OfKind(ev, EventKind::ChanSend);
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].other, 0u);  // into the buffer
  EXPECT_EQ(sends[0].b, 1);
  EXPECT_EQ(sends[1].b, 2);
  EXPECT_EQ(sends[0].reason, static_cast<uint8_t>(ValueKind::Text));
  EXPECT_STREQ(sends[0].text, "a");
  auto recvs = OfKind(ev, EventKind::ChanRecv);
  ASSERT_EQ(recvs.size(), 3u);
  EXPECT_EQ(recvs[0].other, 1u);  // the value main sent
  EXPECT_STREQ(recvs[0].text, "a");
  EXPECT_EQ(recvs[0].b, 1);
  EXPECT_STREQ(recvs[1].text, "b");
  EXPECT_EQ(recvs[1].b, 0);
  EXPECT_NE(recvs[2].reason & kRecvClosedBit, 0);  // closed and drained
  EXPECT_EQ(OfKind(ev, EventKind::ChanClose).size(), 1u);
}

TEST(ChanEvents, SelectSaysWhatWasReadyAndWhatItChose) {
  uint64_t a_id = 0, b_id = 0;
  auto ev = Traced([&] {
    auto a = make_chan<int>(1);
    auto b = make_chan<int>(1);
    a_id = a.id();
    b_id = b.id();
    b.send(7);
    int v = 0;
    select({recv_case(a, &v), recv_case(b, &v)});
    select({recv_case(a, &v), default_case()});
  });
  auto begins = OfKind(ev, EventKind::SelectBegin);
  ASSERT_EQ(begins.size(), 2u);
  EXPECT_EQ(begins[0].a, 2);
  EXPECT_EQ(begins[0].b, 0);
  EXPECT_EQ(begins[1].b, 1);
  auto ready = OfKind(ev, EventKind::SelectReady);
  ASSERT_GE(ready.size(), 2u);
  EXPECT_EQ(ready[0].a, 0b10);  // only b
  auto chosen = OfKind(ev, EventKind::SelectChosen);
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0].a, 1);
  EXPECT_EQ(chosen[0].obj, b_id);
  auto recvs = OfKind(ev, EventKind::ChanRecv);
  ASSERT_EQ(recvs.size(), 1u);
  EXPECT_EQ(recvs[0].a, 7);
  EXPECT_EQ(recvs[0].obj, b_id);
  auto defaults = OfKind(ev, EventKind::SelectDefault);
  ASSERT_EQ(defaults.size(), 1u);
  EXPECT_EQ(defaults[0].a, 1);
  (void)a_id;
}

TEST(ChanEvents, BlockedSelectAndNilChannelsGiveTheirReasons) {
  auto ev = Traced([] {
    auto a = make_chan<int>();
    go([a]() mutable {
      sleep(milliseconds(1));
      a.send(1);
    });
    select({recv_case(a), recv_case(make_chan<int>())});  // waits for the sender
    go([] { Chan<int>().send(1); });
    sleep(milliseconds(1));
  });
  bool select_block = false, nil_send = false;
  for (const Event& e : ev) {
    if (e.kind != EventKind::GoBlock) continue;
    if (e.reason == static_cast<uint8_t>(BlockReason::Select)) select_block = true;
    if (e.reason == static_cast<uint8_t>(BlockReason::NilSend)) nil_send = true;
  }
  EXPECT_TRUE(select_block);
  EXPECT_TRUE(nil_send);
}

TEST(ChanEvents, TimersSayWhenTheyFire) {
  uint64_t id = 0;
  auto ev = Traced([&] {
    auto t = after(milliseconds(5));
    id = t.id();
    t.recv();
  });
  auto fires = OfKind(ev, EventKind::TimerFire);
  ASSERT_EQ(fires.size(), 1u);
  EXPECT_EQ(fires[0].obj, id);
  EXPECT_GE(fires[0].ts, 5'000'000);
}

TEST(ChanEvents, SameSeedSameTrace) {
  auto program = [] {
    auto a = make_chan<int>();
    auto b = make_chan<int>(2);
    auto done = make_chan<bool>();
    for (int p = 0; p < 3; ++p) {
      go([=]() mutable {
        for (int i = 0; i < 20; ++i) select({send_case(a, i), send_case(b, -i)});
        done.send(true);
      });
    }
    go([=]() mutable {
      for (int i = 0; i < 60; ++i) {
        int v;
        select({recv_case(a, &v), recv_case(b, &v)});
      }
    });
    for (int p = 0; p < 3; ++p) done.recv();
  };
  for (int procs : {1, 2}) {
    auto t1 = Traced(program, 42, procs);
    auto t2 = Traced(program, 42, procs);
    ASSERT_EQ(t1.size(), t2.size());
    for (std::size_t i = 0; i < t1.size(); ++i) {
      ASSERT_EQ(describe(t1[i]), describe(t2[i])) << "event " << i;
    }
    auto t3 = Traced(program, 43, procs);
    bool differs = t1.size() != t3.size();
    for (std::size_t i = 0; !differs && i < t1.size(); ++i) differs = describe(t1[i]) != describe(t3[i]);
    EXPECT_TRUE(differs) << "another seed, another schedule";
  }
}

}  // namespace
