// The Chrome Trace Event JSON export, from hand-written event streams.
#include "trace/chrome_trace.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "tests/events/trace_checks.h"
#include "ui/model/replay.h"

namespace goscope {
namespace {

using nlohmann::json;
using goscope::testing::to_ns;

// A small scripted run: main makes an unbuffered channel `ch` and a buffered `jobs`,
// starts a worker that hands it 42 directly and puts a value into jobs, then main closes
// jobs, prints, sleeps and works.
class Script {
 public:
  Script& add(EventKind kind, int64_t ts, uint32_t g, uint32_t other = 0, uint64_t obj = 0, int64_t a = 0,
              int64_t b = 0, const char* text = nullptr, uint8_t reason = 0, uint16_t proc = 0) {
    Event e;
    e.proc = proc;
    e.seq = events_.size();
    e.kind = kind;
    e.ts = ts;
    e.g = g;
    e.other = other;
    e.obj = obj;
    e.a = a;
    e.b = b;
    e.text = text;
    e.reason = reason;
    events_.push_back(e);
    return *this;
  }
  const std::vector<Event>& events() const { return events_; }

 private:
  std::vector<Event> events_;
};

constexpr uint8_t kInt = static_cast<uint8_t>(ValueKind::Int);
constexpr uint8_t R(BlockReason r) { return static_cast<uint8_t>(r); }

std::vector<Event> handoff_program() {
  Script s;
  s.add(EventKind::ProgramStart, 0, 0, 0, 0, 1, 0)
      .add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::ProcStart, 0, 0)
      .add(EventKind::GoStart, 0, 1)
      .add(EventKind::ChanMake, 100, 1, 0, 1, 0, 0, "ch")
      .add(EventKind::ChanMake, 150, 1, 0, 2, 2, 0, "jobs")
      .add(EventKind::WgAdd, 180, 1, 0, 3, 1, 1)
      .add(EventKind::GoCreate, 200, 1, 2, 0, 12, 0, "worker")
      .add(EventKind::GoBlock, 300, 1, 0, 1, 0, 0, nullptr, R(BlockReason::Recv))
      .add(EventKind::ProcStop, 300, 0)
      .add(EventKind::ProcStart, 400, 0, 0, 0, 0, 0, nullptr, 0, 1)
      .add(EventKind::GoStart, 400, 2)
      .add(EventKind::ChanSend, 500, 2, 1, 1, 42, 0, nullptr, kInt)
      .add(EventKind::GoUnblock, 500, 1, 2)
      .add(EventKind::ChanRecv, 600, 1, 2, 1, 42, 0, nullptr, kInt)
      .add(EventKind::ChanSend, 700, 2, 0, 2, 7, 1, nullptr, kInt)
      .add(EventKind::WgDone, 800, 2, 0, 3, 0, 0)
      .add(EventKind::GoExit, 900, 2)
      .add(EventKind::ProcStop, 900, 0, 0, 0, 0, 0, nullptr, 0, 1)
      .add(EventKind::ProcStart, 1000, 0)
      .add(EventKind::GoStart, 1000, 1)
      .add(EventKind::ChanRecv, 1100, 1, 2, 2, 7, 0, nullptr, kInt)
      .add(EventKind::ChanClose, 1200, 1, 0, 2)
      .add(EventKind::Output, 1300, 1, 0, 0, 0, 0, "hello")
      .add(EventKind::Sleep, 1400, 1, 0, 0, 1000)
      .add(EventKind::GoBlock, 1400, 1, 0, 0, 0, 0, nullptr, R(BlockReason::Sleep))
      .add(EventKind::Wake, 2400, 1)
      .add(EventKind::GoUnblock, 2400, 1)
      .add(EventKind::GoStart, 2500, 1)
      .add(EventKind::WorkBegin, 2600, 1, 0, 0, 1000)
      .add(EventKind::WorkEnd, 3600, 1)
      .add(EventKind::ProgramEnd, 4000, 0);
  return s.events();
}

std::vector<json> of_phase(const json& trace, const std::string& ph) {
  std::vector<json> out;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == ph) out.push_back(e);
  }
  return out;
}

TEST(ChromeTrace, ParsesAndHasTheTraceEventStructure) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  goscope::testing::expect_well_formed_trace(trace);
}

TEST(ChromeTrace, NamesOneThreadPerGoroutineWithMainFirst) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  std::vector<std::pair<int64_t, std::string>> names;
  std::map<int64_t, int64_t> sort_index;
  std::string process;
  for (const auto& e : of_phase(trace, "M")) {
    if (e["pid"] == 1 && e["name"] == "thread_name") names.emplace_back(e["tid"], e["args"]["name"]);
    if (e["pid"] == 1 && e["name"] == "thread_sort_index") sort_index[e["tid"]] = e["args"]["sort_index"];
    if (e["pid"] == 1 && e["name"] == "process_name") process = e["args"]["name"];
  }
  EXPECT_EQ(process, "goscope");
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], (std::pair<int64_t, std::string>{1, "G1 main"}));
  EXPECT_EQ(names[1], (std::pair<int64_t, std::string>{2, "G2 worker"}));
  EXPECT_LT(sort_index[1], sort_index[2]);
}

TEST(ChromeTrace, OptionsRenameGoroutinesAndTheProcess) {
  ChromeTraceOptions options;
  options.process_name = "fan-in";
  options.goroutine_names[2] = "producer";
  const json trace = json::parse(chrome_trace_json(handoff_program(), options));
  bool renamed = false;
  for (const auto& e : of_phase(trace, "M")) {
    if (e["pid"] == 1 && e["name"] == "process_name") {
      EXPECT_EQ(e["args"]["name"], "fan-in");
    }
    if (e["name"] == "thread_name" && e["tid"] == 2) renamed = e["args"]["name"] == "G2 producer";
  }
  EXPECT_TRUE(renamed);
}

TEST(ChromeTrace, TurnsGoroutineStatesIntoSlicesInMicroseconds) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  auto slices = goscope::testing::slices_by_thread(trace);
  std::vector<std::tuple<int64_t, int64_t, std::string>> main_slices;
  for (const auto& s : slices[1]) main_slices.emplace_back(s.start, s.end, s.name);
  std::sort(main_slices.begin(), main_slices.end());
  const std::vector<std::tuple<int64_t, int64_t, std::string>> expected = {
      {0, 300, "running"},       {300, 500, "blocked on receive"}, {500, 1000, "runnable"},
      {1000, 1400, "running"},   {1400, 2400, "sleeping"},         {2400, 2500, "runnable"},
      {2500, 2600, "running"},   {2600, 3600, "working"},          {3600, 4000, "running"},
  };
  EXPECT_EQ(main_slices, expected);

  std::vector<std::tuple<int64_t, int64_t, std::string>> worker_slices;
  for (const auto& s : slices[2]) worker_slices.emplace_back(s.start, s.end, s.name);
  std::sort(worker_slices.begin(), worker_slices.end());
  const std::vector<std::tuple<int64_t, int64_t, std::string>> expected_worker = {
      {200, 400, "runnable"}, {400, 900, "running"}};
  EXPECT_EQ(worker_slices, expected_worker);

  // Timestamps are microseconds with a fraction; a blocked slice says on what.
  for (const auto& e : of_phase(trace, "X")) {
    if (e["name"] == "blocked on receive") {
      EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 0.3);
      EXPECT_DOUBLE_EQ(e["dur"].get<double>(), 0.2);
      EXPECT_EQ(e["args"]["wait_reason"], "chan receive");
      EXPECT_EQ(e["args"]["on"], "ch (chan 1)");
    }
  }
}

TEST(ChromeTrace, DrawsDirectAndBufferedHandoffsAsFlows) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  auto starts = of_phase(trace, "s");
  auto ends = of_phase(trace, "f");
  ASSERT_EQ(starts.size(), 2u);
  ASSERT_EQ(ends.size(), 2u);
  std::map<int64_t, std::pair<json, json>> flows;
  for (auto& s : starts) flows[s["id"]].first = s;
  for (auto& f : ends) flows[f["id"]].second = f;
  ASSERT_EQ(flows.size(), 2u);
  // Direct: worker sends 42 at 0.5 us, main receives it at 0.6 us.
  const auto& [s1, f1] = flows.begin()->second;
  EXPECT_EQ(s1["tid"], 2);
  EXPECT_EQ(to_ns(s1["ts"]), 500);
  EXPECT_EQ(f1["tid"], 1);
  EXPECT_EQ(to_ns(f1["ts"]), 600);
  EXPECT_EQ(s1["args"]["value"], "42");
  // Buffered: the arrow starts where 7 entered jobs (0.7 us) and ends at the receive.
  const auto& [s2, f2] = std::next(flows.begin())->second;
  EXPECT_EQ(s2["tid"], 2);
  EXPECT_EQ(to_ns(s2["ts"]), 700);
  EXPECT_EQ(f2["tid"], 1);
  EXPECT_EQ(to_ns(f2["ts"]), 1100);
  EXPECT_EQ(f2["args"]["chan"], "jobs (chan 2)");
}

TEST(ChromeTrace, CountsWaitGroupsAndBufferedChannelsButNotUnbufferedOnes) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  std::map<std::string, std::vector<int64_t>> series;
  for (const auto& e : of_phase(trace, "C")) {
    for (const auto& [k, v] : e["args"].items()) series[e["name"].get<std::string>() + "/" + k].push_back(v);
  }
  EXPECT_EQ(series["WaitGroup 3/counter"], (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(series["jobs (chan 2) len/len"], (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(series.count("ch (chan 1) len/len"), 0u);
}

TEST(ChromeTrace, MarksCloseOutputPanicAndDeadlockAsInstants) {
  auto events = handoff_program();
  Event panic;
  panic.kind = EventKind::Panic;
  panic.g = 1;
  panic.ts = 3900;
  panic.text = "send on closed channel";
  events.insert(events.end() - 1, panic);
  Event deadlock;
  deadlock.kind = EventKind::Deadlock;
  deadlock.ts = 3950;
  deadlock.text = "all goroutines are asleep - deadlock!";
  events.insert(events.end() - 1, deadlock);
  const json trace = json::parse(chrome_trace_json(events));
  goscope::testing::expect_well_formed_trace(trace);
  std::map<std::string, std::string> scope_of;
  for (const auto& e : of_phase(trace, "i")) scope_of[e["name"]] = e["s"];
  EXPECT_EQ(scope_of["close jobs (chan 2)"], "t");
  EXPECT_EQ(scope_of["hello"], "t");
  EXPECT_EQ(scope_of["panic: send on closed channel"], "t");
  EXPECT_EQ(scope_of["all goroutines are asleep - deadlock!"], "g");
}

TEST(ChromeTrace, ShowsWhenEachProcessorWasBusyInASecondProcess) {
  const json trace = json::parse(chrome_trace_json(handoff_program()));
  auto busy = goscope::testing::slices_by_thread(trace, 2);
  ASSERT_EQ(busy.size(), 2u);
  std::vector<std::pair<int64_t, int64_t>> p0, p1;
  for (const auto& s : busy[0]) p0.emplace_back(s.start, s.end);
  for (const auto& s : busy[1]) p1.emplace_back(s.start, s.end);
  std::sort(p0.begin(), p0.end());
  EXPECT_EQ(p0, (std::vector<std::pair<int64_t, int64_t>>{{0, 300}, {1000, 4000}})) << "closed at the end";
  EXPECT_EQ(p1, (std::vector<std::pair<int64_t, int64_t>>{{400, 900}}));
  std::map<int64_t, std::string> proc_names;
  std::string process;
  for (const auto& e : of_phase(trace, "M")) {
    if (e["pid"] == 2 && e["name"] == "thread_name") proc_names[e["tid"]] = e["args"]["name"];
    if (e["pid"] == 2 && e["name"] == "process_name") process = e["args"]["name"];
  }
  EXPECT_EQ(process, "processors");
  EXPECT_EQ(proc_names, (std::map<int64_t, std::string>{{0, "P0"}, {1, "P1"}}));
}

TEST(ChromeTrace, SameEventsGiveTheSameBytes) {
  const auto events = handoff_program();
  EXPECT_EQ(chrome_trace_json(events), chrome_trace_json(events));
}

TEST(ChromeTrace, PairsAHandoffWhoseReceiveWasReportedBeforeItsSend) {
  // Real mode: the receiver's event can win the race for a seq.
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1).add(EventKind::GoCreate, 0, 1, 2).add(EventKind::GoStart, 0, 1);
  s.add(EventKind::GoStart, 0, 2);
  s.add(EventKind::ChanRecv, 50, 2, 1, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::ChanSend, 40, 1, 2, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::ChanSend, 60, 1, 2, 9, 6, 0, nullptr, kInt);  // its receive is lost
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  EXPECT_EQ(of_phase(trace, "s").size(), 2u);
  EXPECT_EQ(of_phase(trace, "f").size(), 2u);
}

// thread_names maps each tid of pid 1 to its thread_name.
std::map<int64_t, std::string> thread_names(const json& trace) {
  std::map<int64_t, std::string> names;
  for (const auto& e : of_phase(trace, "M")) {
    if (e["pid"] == 1 && e["name"] == "thread_name") names[e["tid"]] = e["args"]["name"];
  }
  return names;
}

// flows_by_id pairs each arrow's start and end.
std::map<int64_t, std::pair<json, json>> flows_by_id(const json& trace) {
  std::map<int64_t, std::pair<json, json>> flows;
  for (auto& s : of_phase(trace, "s")) flows[s["id"]].first = s;
  for (auto& f : of_phase(trace, "f")) flows[f["id"]].second = f;
  return flows;
}

// A select in main waits on time.After (chan 3); the timer fires and the runtime (g 0)
// sends the tick straight to main. Then a second timer's tick waits in its buffer until
// main receives it.
std::vector<Event> timer_program() {
  constexpr uint8_t kSelect = R(BlockReason::Select);
  Script s;
  s.add(EventKind::ProgramStart, 0, 0, 0, 0, 1, 0)
      .add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::GoStart, 0, 1)
      .add(EventKind::ChanMake, 100, 1, 0, 3, 1, 0, "time.After")
      .add(EventKind::SelectBegin, 200, 1, 0, 0, 2, 0)
      .add(EventKind::GoBlock, 300, 1, 0, 3, 0, 0, nullptr, kSelect)
      .add(EventKind::TimerFire, 1000, 0, 0, 3, 1000)
      .add(EventKind::ChanSend, 1100, 0, 1, 3, 1000, 0, nullptr, kInt)
      .add(EventKind::GoUnblock, 1100, 1, 0)
      .add(EventKind::GoStart, 1200, 1)
      .add(EventKind::SelectChosen, 1200, 1, 0, 3, 1)
      .add(EventKind::ChanRecv, 1200, 1, 0, 3, 1000, 0, nullptr, kInt)
      .add(EventKind::ChanMake, 1300, 1, 0, 4, 1, 0, "time.After")
      .add(EventKind::TimerFire, 2000, 0, 0, 4, 2000)
      .add(EventKind::ChanSend, 2100, 0, 0, 4, 2000, 1, nullptr, kInt)
      .add(EventKind::ChanRecv, 2500, 1, 0, 4, 2000, 0, nullptr, kInt)
      .add(EventKind::ProgramEnd, 3000, 0);
  return s.events();
}

TEST(ChromeTrace, TheRuntimeThreadIsNamedAndItsTimerSendsStartFromATimerSlice) {
  const json trace = json::parse(chrome_trace_json(timer_program()));
  goscope::testing::expect_well_formed_trace(trace);
  EXPECT_EQ(thread_names(trace)[0], "runtime (timers)");
  auto timer_slices = goscope::testing::slices_by_thread(trace)[0];
  ASSERT_EQ(timer_slices.size(), 2u);
  EXPECT_EQ(timer_slices[0].name, "timer fires");
  EXPECT_EQ(timer_slices[0].start, 1000) << "from the TimerFire";
  EXPECT_GT(timer_slices[0].end, 1100) << "past the send it made";
  auto flows = flows_by_id(trace);
  ASSERT_EQ(flows.size(), 2u);
  for (const auto& [id, sf] : flows) {
    EXPECT_EQ(sf.first["tid"], 0) << "the runtime sent the tick";
    EXPECT_EQ(sf.second["tid"], 1);
  }
  // The tick leaves the runtime when its timer fires, and arrives at the receive (straight
  // into the select, or later out of the buffer).
  EXPECT_EQ(to_ns(flows.begin()->second.first["ts"]), 1000);
  EXPECT_EQ(to_ns(flows.begin()->second.second["ts"]), 1200);
  EXPECT_EQ(to_ns(std::next(flows.begin())->second.first["ts"]), 2000);
  EXPECT_EQ(to_ns(std::next(flows.begin())->second.second["ts"]), 2500);
}

TEST(ChromeTrace, AParkedSendersArrowStartsWhereItOfferedTheValue) {
  // The worker blocks on a send at 300; main's receive takes the value at 600; the worker
  // logs its ChanSend only when it runs again, at 800.
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::GoStart, 0, 1)
      .add(EventKind::GoCreate, 100, 1, 2, 0, 0, 0, "worker")
      .add(EventKind::GoBlock, 150, 1, 0, 0, 0, 0, nullptr, R(BlockReason::Sleep))
      .add(EventKind::GoStart, 200, 2)
      .add(EventKind::GoBlock, 300, 2, 0, 1, 0, 0, nullptr, R(BlockReason::Send))
      .add(EventKind::GoUnblock, 500, 1)
      .add(EventKind::GoStart, 500, 1)
      .add(EventKind::ChanRecv, 600, 1, 2, 1, 42, 0, nullptr, kInt)
      .add(EventKind::GoUnblock, 600, 2, 1)
      .add(EventKind::GoStart, 800, 2)
      .add(EventKind::ChanSend, 800, 2, 1, 1, 42, 0, nullptr, kInt)
      .add(EventKind::GoExit, 900, 2)
      .add(EventKind::ProgramEnd, 1000, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  auto flows = flows_by_id(trace);
  ASSERT_EQ(flows.size(), 1u) << "one handoff, one arrow";
  const auto& [start, end] = flows.begin()->second;
  EXPECT_EQ(start["tid"], 2);
  EXPECT_EQ(to_ns(start["ts"]), 300) << "where the worker blocked offering 42";
  EXPECT_EQ(end["tid"], 1);
  EXPECT_EQ(to_ns(end["ts"]), 600) << "where main took it";
  EXPECT_EQ(start["args"]["value"], "42");
}

TEST(ChromeTrace, ASelectThatSendsStartsItsArrowWhereItBlocked) {
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::GoCreate, 0, 1, 2, 0, 0, 0, "sender")
      .add(EventKind::GoStart, 0, 2)
      .add(EventKind::SelectBegin, 50, 2, 0, 0, 2, 0)
      .add(EventKind::GoBlock, 100, 2, 0, 7, 0, 0, nullptr, R(BlockReason::Select))  // parks on its first case's channel
      .add(EventKind::GoStart, 100, 1)
      .add(EventKind::ChanRecv, 400, 1, 2, 8, 5, 0, nullptr, kInt)  // takes the send case's value on chan 8
      .add(EventKind::GoUnblock, 400, 2, 1)
      .add(EventKind::GoStart, 700, 2)
      .add(EventKind::SelectChosen, 700, 2, 0, 8, 1)
      .add(EventKind::ChanSend, 700, 2, 1, 8, 5, 0, nullptr, kInt)
      .add(EventKind::ProgramEnd, 1000, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  auto flows = flows_by_id(trace);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(to_ns(flows.begin()->second.first["ts"]), 100);
  EXPECT_EQ(to_ns(flows.begin()->second.second["ts"]), 400);
}

TEST(ChromeTrace, AnArrowNeverStartsAfterItsReceiveEvenWhenClocksDisagree) {
  // Real mode: the sender's clock read after the receiver's; its send is logged first.
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1).add(EventKind::GoCreate, 0, 1, 2).add(EventKind::GoStart, 0, 1);
  s.add(EventKind::GoStart, 0, 2);
  s.add(EventKind::ChanSend, 70, 1, 2, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::ChanRecv, 65, 2, 1, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::ChanSend, 90, 1, 0, 4, 6, 1, nullptr, kInt);  // into a buffer, a little late
  s.add(EventKind::ChanRecv, 88, 2, 1, 4, 6, 0, nullptr, kInt);
  s.add(EventKind::ProgramEnd, 100, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  auto flows = flows_by_id(trace);
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(to_ns(flows.begin()->second.first["ts"]), 65);
  EXPECT_EQ(to_ns(std::next(flows.begin())->second.first["ts"]), 88);
}

TEST(ChromeTrace, AnArrowAtTheMomentAGoroutineExitsStillBindsToItsLastSlice) {
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1).add(EventKind::GoCreate, 0, 1, 2).add(EventKind::GoStart, 0, 1);
  s.add(EventKind::GoBlock, 10, 1, 0, 9, 0, 0, nullptr, R(BlockReason::Recv));
  s.add(EventKind::GoStart, 20, 2);
  s.add(EventKind::ChanSend, 30, 2, 1, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::GoExit, 30, 2);
  s.add(EventKind::GoUnblock, 30, 1, 2);
  s.add(EventKind::GoStart, 40, 1);
  s.add(EventKind::ChanRecv, 40, 1, 2, 9, 5, 0, nullptr, kInt);
  s.add(EventKind::ProgramEnd, 40, 0);
  goscope::testing::expect_well_formed_trace(json::parse(chrome_trace_json(s.events())));
}

TEST(ChromeTrace, SaysHowManyEventsWereDropped) {
  EXPECT_EQ(json::parse(chrome_trace_json(handoff_program()))["otherData"]["events_dropped"], 0);
  auto events = handoff_program();
  Event dropped;
  dropped.kind = EventKind::Dropped;
  dropped.ts = 650;
  dropped.a = 17;
  events.insert(events.begin() + 15, dropped);
  dropped.a = 3;
  events.insert(events.end() - 1, dropped);
  const json trace = json::parse(chrome_trace_json(events));
  goscope::testing::expect_well_formed_trace(trace);
  EXPECT_EQ(trace["otherData"]["events_dropped"], 20);
}

TEST(ChromeTrace, PreemptionMakesAGoroutineRunnableLikeAYield) {
  Script s;
  s.add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::GoStart, 0, 1)
      .add(EventKind::WorkBegin, 100, 1, 0, 0, 10000000)
      .add(EventKind::GoBlock, 100, 1, 0, 0, 0, 0, nullptr, R(BlockReason::Work))
      .add(EventKind::WorkEnd, 10000100, 1)
      .add(EventKind::GoPreempt, 10000100, 1)
      .add(EventKind::GoStart, 10000500, 1)
      .add(EventKind::GoYield, 10000600, 1)
      .add(EventKind::GoStart, 10000700, 1)
      .add(EventKind::ProgramEnd, 10000800, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  std::vector<std::tuple<int64_t, int64_t, std::string>> got;
  auto slices = goscope::testing::slices_by_thread(trace);
  for (const auto& sl : slices[1]) got.emplace_back(sl.start, sl.end, sl.name);
  std::sort(got.begin(), got.end());
  const std::vector<std::tuple<int64_t, int64_t, std::string>> expected = {
      {0, 100, "running"},           {100, 10000100, "working"},      {10000100, 10000500, "runnable"},
      {10000500, 10000600, "running"}, {10000600, 10000700, "runnable"}, {10000700, 10000800, "running"}};
  EXPECT_EQ(got, expected);
}

TEST(ChromeTrace, SlicesNeverOverlapEvenWhenTimestampsJitter) {
  // Random state changes for 5 goroutines with clocks that step back a little now and then
  // (as real-mode timestamps from different threads do): one thread's slices must still
  // tile without overlap.
  std::mt19937_64 rng(12345);
  const EventKind kinds[] = {EventKind::GoStart,  EventKind::GoBlock,   EventKind::GoUnblock, EventKind::GoYield,
                             EventKind::Sleep,    EventKind::Wake,      EventKind::WorkBegin, EventKind::WorkEnd,
                             EventKind::GoPreempt};
  Script s;
  for (uint32_t g = 1; g <= 5; ++g) s.add(EventKind::GoCreate, 0, g == 1 ? 0 : 1, g);
  int64_t ts = 0;
  for (int i = 0; i < 5000; ++i) {
    ts += static_cast<int64_t>(rng() % 100);
    const int64_t jitter = rng() % 7 == 0 ? -static_cast<int64_t>(rng() % 50) : 0;
    const EventKind k = kinds[rng() % std::size(kinds)];
    const auto reason = static_cast<uint8_t>(1 + rng() % 9);
    s.add(k, std::max<int64_t>(0, ts + jitter), static_cast<uint32_t>(1 + rng() % 5), 0, rng() % 3, 0, 0, nullptr,
          reason);
  }
  s.add(EventKind::ProgramEnd, ts + 10, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  goscope::testing::expect_well_formed_trace(trace);
  EXPECT_GT(of_phase(trace, "X").size(), 1000u);
}

TEST(ChromeTrace, WritesAFile) {
  const std::string path = ::testing::TempDir() + "goscope_trace_test.json";
  ASSERT_TRUE(write_chrome_trace_file(path, handoff_program()));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), chrome_trace_json(handoff_program()));
  std::remove(path.c_str());
  EXPECT_FALSE(write_chrome_trace_file("/nonexistent-dir/x.json", handoff_program()));
}

// The trace and the stage fold goroutine states the same way: each goroutine's slices,
// in order, name the states the UI model (ReplayModel) goes through.

// model_story lists the states the model gives g after each event, as slice names: a new
// entry where the state (or, blocked, its reason or object) changes, none for a state
// that lasts no time; it stops where g finishes.
std::vector<std::string> model_story(const std::vector<Event>& events, uint32_t g) {
  ReplayModel model(events);
  ReplayState s;
  struct Entry {
    std::string name;
    uint64_t obj;
    int64_t since;
  };
  std::vector<Entry> story;
  for (std::size_t i = 0; i < model.size(); ++i) {
    model.step(s);
    const GoroutineInfo* gi = s.goroutine(g);
    if (!gi) continue;
    if (!gi->alive()) break;
    const bool blocked = gi->state == GoState::blocked;
    Entry now{gi->state == GoState::not_started || gi->state == GoState::runnable ? "runnable"
              : blocked ? std::string("blocked on ") + short_name(gi->reason)
                        : to_string(gi->state),
              blocked ? gi->obj : 0, events[i].ts};
    if (!story.empty() && story.back().name == now.name && story.back().obj == now.obj) continue;
    if (!story.empty() && story.back().since == now.since) story.pop_back();  // lasted no time
    if (!story.empty() && story.back().name == now.name && story.back().obj == now.obj) continue;
    story.push_back(now);
  }
  std::vector<std::string> names;
  for (const Entry& e : story) names.push_back(e.name);
  return names;
}

std::vector<std::string> trace_story(const json& trace, uint32_t g) {
  std::vector<json> slices;
  for (const json& e : of_phase(trace, "X")) {
    if (e["cat"] == "state" && e["tid"] == g) slices.push_back(e);
  }
  std::stable_sort(slices.begin(), slices.end(), [](const json& x, const json& y) { return x["ts"] < y["ts"]; });
  std::vector<std::string> story;
  for (const json& e : slices) story.push_back(e["name"]);
  return story;
}

TEST(ChromeTraceAgreesWithTheModel, AnUnblockBeforeItsBlockLeavesTheGoroutineRunning) {
  // Real mode: the worker is served (GoUnblock) before it logs the GoBlock of the park
  // that then returns at once. It never waits: neither the stage nor the trace says so.
  Script s;
  s.add(EventKind::ProgramStart, 0, 0, 0, 0, 2, 1)
      .add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main")
      .add(EventKind::GoStart, 0, 1)
      .add(EventKind::ChanMake, 100, 1, 0, 1, 0, 0, "ch")
      .add(EventKind::GoCreate, 200, 1, 2, 0, 12, 0, "worker")
      .add(EventKind::GoStart, 300, 2, 0, 0, 0, 0, nullptr, 0, 1)
      .add(EventKind::GoUnblock, 400, 2, 1)
      .add(EventKind::ChanSend, 450, 1, 2, 1, 42, 0, nullptr, kInt)
      .add(EventKind::GoBlock, 500, 2, 0, 1, 0, 0, nullptr, R(BlockReason::Recv))
      .add(EventKind::ChanRecv, 600, 2, 1, 1, 42, 0, nullptr, kInt)
      .add(EventKind::GoExit, 700, 2)
      .add(EventKind::GoExit, 800, 1)
      .add(EventKind::ProgramEnd, 900, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  EXPECT_EQ(trace_story(trace, 2), (std::vector<std::string>{"runnable", "running"}));
  for (uint32_t g : {1u, 2u}) EXPECT_EQ(trace_story(trace, g), model_story(s.events(), g)) << "G" << g;
}

TEST(ChromeTraceAgreesWithTheModel, OnEveryGoroutineOfAScriptedRun) {
  const std::vector<Event> events = handoff_program();
  const json trace = json::parse(chrome_trace_json(events));
  for (uint32_t g : {1u, 2u}) EXPECT_EQ(trace_story(trace, g), model_story(events, g)) << "G" << g;
}

TEST(ChromeTraceAgreesWithTheModel, OnEveryGoroutineOfARandomRun) {
  // Random scheduling events, in any order: whatever the model makes of them, the trace
  // makes the same.
  std::mt19937 rng(7);
  Script s;
  s.add(EventKind::ProgramStart, 0, 0, 0, 0, 2, 1).add(EventKind::GoCreate, 0, 0, 1, 0, 0, 0, "main");
  for (uint32_t g = 2; g <= 4; ++g) s.add(EventKind::GoCreate, 10, 1, g, 0, 0, 0, "w");
  const EventKind kinds[] = {EventKind::GoStart, EventKind::GoBlock, EventKind::GoUnblock, EventKind::GoYield,
                             EventKind::GoPreempt, EventKind::Sleep,  EventKind::Wake,      EventKind::WorkBegin,
                             EventKind::WorkEnd,  EventKind::GoLine,  EventKind::Output};
  int64_t ts = 100;
  for (int i = 0; i < 400; ++i) {
    const uint32_t g = 1 + rng() % 4;
    const EventKind k = kinds[rng() % std::size(kinds)];
    const auto reason = static_cast<BlockReason>(1 + rng() % 5);
    s.add(k, ts += 100, g, k == EventKind::GoUnblock ? 1 + rng() % 4 : 0, k == EventKind::GoBlock ? 1 + rng() % 2 : 0,
          0, 0, k == EventKind::Output ? "x" : nullptr, k == EventKind::GoBlock ? R(reason) : 0);
  }
  s.add(EventKind::ProgramEnd, ts + 100, 0);
  const json trace = json::parse(chrome_trace_json(s.events()));
  for (uint32_t g = 1; g <= 4; ++g) EXPECT_EQ(trace_story(trace, g), model_story(s.events(), g)) << "G" << g;
}

}  // namespace
}  // namespace goscope
