// replay_test.cpp: the fold, event by event, on hand-made traces.
#include "ui/model/replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

using testing::TraceBuilder;

std::vector<uint32_t> senders_of(const ChannelInfo& c) {
  std::vector<uint32_t> ids;
  for (const ParkedSender& p : c.senders) ids.push_back(p.g);
  return ids;
}

TraceBuilder program_with_goroutines(int n, uint64_t ch = 1, int64_t cap = 0) {
  TraceBuilder t;
  t.start(1);
  t.create(0, 1, "main");
  t.run(1, 0);
  t.make_chan(1, ch, cap, "ch");
  for (int i = 0; i < n; ++i) t.create(1, 2 + i, ("worker " + std::to_string(i + 1)).c_str());
  return t;
}

TEST(Replay, ParkedReceiversQueueInTheOrderTheyBlocked) {
  TraceBuilder t = program_with_goroutines(3);
  t.block(1, BlockReason::Recv, 1);
  t.run(4, 0);
  t.block(4, BlockReason::Recv, 1);
  t.run(2, 0);
  t.block(2, BlockReason::Recv, 1);
  std::size_t all_parked = t.events.size();
  t.run(3, 0);
  t.send(3, 1, 7, 4);
  t.unblock(4, 3);
  ReplayModel m(t.events);

  ReplayState s = m.state_at(all_parked);
  EXPECT_EQ(s.channel(1)->receivers, (std::vector<uint32_t>{1, 4, 2}));
  EXPECT_EQ(s.goroutine(4)->state, GoState::blocked);
  EXPECT_EQ(s.goroutine(4)->reason, BlockReason::Recv);
  EXPECT_EQ(s.goroutine(4)->obj, 1u);

  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.channel(1)->receivers, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(end.goroutine(4)->state, GoState::runnable);
  EXPECT_EQ(end.goroutine(4)->woken_by, 3u);
}

TEST(Replay, ParkedSendersQueueInOrderWithTheValuesTheyWillSend) {
  TraceBuilder t = program_with_goroutines(2);
  t.run(2, 0);
  t.block(2, BlockReason::Send, 1);
  t.run(3, 0);
  t.block(3, BlockReason::Send, 1);
  std::size_t parked = t.events.size();
  t.run(1, 0);
  t.recv(1, 1, 42, 2);
  t.unblock(2, 1);
  t.run(2, 0);
  t.send(2, 1, 42, 1);
  ReplayModel m(t.events);

  ReplayState s = m.state_at(parked);
  const ChannelInfo& c = *s.channel(1);
  ASSERT_EQ(senders_of(c), (std::vector<uint32_t>{2, 3}));
  EXPECT_TRUE(c.senders[0].value_known);
  EXPECT_EQ(c.senders[0].value.str(), "42");
  // Goroutine 3's send never completes in this run: its value is not known.
  EXPECT_FALSE(c.senders[1].value_known);

  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(senders_of(*end.channel(1)), (std::vector<uint32_t>{3}));
  EXPECT_EQ(end.channel(1)->messages, 1u);
}

TEST(Replay, ASendThatParksTwiceKnowsItsValueBothTimes) {
  // Woken when a slot freed, beaten to it by another sender, parked again.
  TraceBuilder t = program_with_goroutines(2, 1, 1);
  t.run(2, 0);
  t.block(2, BlockReason::Send, 1);
  std::size_t first = t.events.size();
  t.unblock(2, 1);
  t.run(2, 0);
  t.block(2, BlockReason::Send, 1);
  std::size_t second = t.events.size();
  t.unblock(2, 1);
  t.run(2, 0);
  t.send(2, 1, 77, 0, 1);
  ReplayModel m(t.events);
  for (std::size_t at : {first, second}) {
    ReplayState s = m.state_at(at);
    const ChannelInfo& c = *s.channel(1);
    ASSERT_EQ(c.senders.size(), 1u) << at;
    EXPECT_TRUE(c.senders[0].value_known) << at;
    EXPECT_EQ(c.senders[0].value.str(), "77") << at;
  }
}

TEST(Replay, BufferedValuesComeOutFirstInFirstOut) {
  TraceBuilder t = program_with_goroutines(2, 1, 3);
  t.run(2, 0);
  t.send(2, 1, 10, 0, 1);
  t.send_text(2, 1, "hi", 0, 2);
  t.run(3, 0);
  t.send(3, 1, 30, 0, 3);
  std::size_t full = t.events.size();
  t.run(1, 0);
  t.recv(1, 1, 10, 2, 2);
  ReplayModel m(t.events);

  ReplayState s = m.state_at(full);
  const ChannelInfo& c = *s.channel(1);
  ASSERT_EQ(c.buffer.size(), 3u);
  EXPECT_EQ(c.buffer[0].value.str(), "10");
  EXPECT_EQ(c.buffer[0].sender, 2u);
  EXPECT_EQ(c.buffer[1].value.str(), "\"hi\"");
  EXPECT_EQ(c.buffer[2].sender, 3u);
  EXPECT_EQ(c.capacity, 3);

  ReplayState end = m.state_at(m.size());
  ASSERT_EQ(end.channel(1)->buffer.size(), 2u);
  EXPECT_EQ(end.channel(1)->buffer[0].value.str(), "\"hi\"");
  EXPECT_EQ(end.last_handoff.kind, HandoffKind::from_buffer);
  EXPECT_EQ(end.last_handoff.from, 2u);
  EXPECT_EQ(end.last_handoff.to, 1u);
}

TEST(Replay, CloseMarksTheChannelAndAClosedReceiveIsNoMessage) {
  TraceBuilder t = program_with_goroutines(1);
  t.run(2, 0);
  t.close(2, 1);
  t.run(1, 0);
  t.recv_closed(1, 1);
  ReplayModel m(t.events);
  ReplayState end = m.state_at(m.size());
  EXPECT_TRUE(end.channel(1)->closed);
  EXPECT_EQ(end.channel(1)->closed_by, 2u);
  EXPECT_EQ(end.channel(1)->messages, 0u);
  EXPECT_EQ(end.last_handoff.kind, HandoffKind::closed);
  EXPECT_FALSE(m.state_at(m.size() - 3).channel(1)->closed);
}

TEST(Replay, WaitGroupCountsAndQueuesItsWaiters) {
  TraceBuilder t = program_with_goroutines(2);
  const uint64_t wg = 5;
  t.wg_add(1, wg, 2, 2);
  t.wg_wait(1, wg, 2);
  t.block(1, BlockReason::WaitGroup, wg);
  t.run(2, 0);
  t.wg_done(2, wg, 1);
  std::size_t one_left = t.events.size();
  t.run(3, 0);
  t.wg_done(3, wg, 0);
  t.unblock(1, 3);
  ReplayModel m(t.events);

  ReplayState s = m.state_at(one_left);
  EXPECT_EQ(s.waitgroup(wg)->counter, 1);
  EXPECT_EQ(s.waitgroup(wg)->waiters, (std::vector<uint32_t>{1}));
  EXPECT_EQ(s.goroutine(1)->reason, BlockReason::WaitGroup);

  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.waitgroup(wg)->counter, 0);
  EXPECT_TRUE(end.waitgroup(wg)->waiters.empty());
  EXPECT_EQ(end.waitgroup(wg)->dones, 2u);
  EXPECT_EQ(end.goroutine(1)->woken_by, 3u);
}

TEST(Replay, GoroutinesAliveWhenMainReturnsAreAbandonedWhereTheyWaited) {
  TraceBuilder t = program_with_goroutines(2);
  t.run(2, 0);
  t.block(2, BlockReason::Send, 1);
  t.run(1, 0);
  t.exit(1);
  t.abandon(2);
  t.abandon(3);
  t.end(0);
  ReplayModel m(t.events);
  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.goroutine(1)->state, GoState::done);
  EXPECT_EQ(end.goroutine(2)->state, GoState::abandoned);
  EXPECT_EQ(end.goroutine(2)->reason, BlockReason::Send);
  EXPECT_EQ(end.goroutine(3)->state, GoState::abandoned);
  EXPECT_EQ(senders_of(*end.channel(1)), (std::vector<uint32_t>{2}));
  EXPECT_EQ(end.result.kind, ResultKind::ok);
  EXPECT_TRUE(end.result.program_ended);
  EXPECT_EQ(m.state_at(m.size() - 1).result.kind, ResultKind::running);
}

TEST(Replay, DeadlockListsTheGoroutinesAsleepWhenItWasDeclared) {
  TraceBuilder t = program_with_goroutines(1);
  t.block(1, BlockReason::Recv, 1);
  t.run(2, 0);
  t.block(2, BlockReason::NilSend, 0);
  t.deadlock();
  t.abandon(2);
  t.end(2, "all goroutines are asleep - deadlock!");
  ReplayModel m(t.events);
  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.result.kind, ResultKind::deadlock);
  EXPECT_STREQ(end.result.message, "all goroutines are asleep - deadlock!");
  ASSERT_EQ(end.result.blocked.size(), 2u);
  EXPECT_EQ(end.result.blocked[0].g, 1u);
  EXPECT_EQ(end.result.blocked[0].reason, BlockReason::Recv);
  EXPECT_EQ(end.result.blocked[0].obj, 1u);
  EXPECT_EQ(end.result.blocked[1].reason, BlockReason::NilSend);
}

TEST(Replay, PanicNamesTheGoroutineAndGoMessage) {
  TraceBuilder t = program_with_goroutines(1);
  t.close(1, 1);
  t.run(2, 0);
  t.panic(2, "send on closed channel");
  t.end(1, "send on closed channel");
  ReplayModel m(t.events);
  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.result.kind, ResultKind::panic);
  EXPECT_EQ(end.result.goroutine, 2u);
  EXPECT_STREQ(end.result.message, "send on closed channel");
}

TEST(Replay, GoLineMovesEachGoroutinesCurrentLine) {
  TraceBuilder t = program_with_goroutines(1);
  t.line(1, 12);
  t.run(2, 0);
  t.line(2, 30);
  t.line(2, 31);
  ReplayModel m(t.events);
  EXPECT_EQ(m.state_at(m.size() - 2).goroutine(1)->line, 12);
  EXPECT_EQ(m.state_at(m.size() - 2).goroutine(2)->line, 0);
  EXPECT_EQ(m.state_at(m.size() - 1).goroutine(2)->line, 30);
  EXPECT_EQ(m.state_at(m.size()).goroutine(2)->line, 31);
}

TEST(Replay, ReceiverServedBeforeItLogsItsBlockNeverStaysQueued) {
  // Real mode: R registered in the channel, S served it (ChanSend names R) and woke it,
  // and only then did R log its GoBlock. R's park returns at once.
  TraceBuilder t = program_with_goroutines(1);
  t.run(2, 1);
  t.send(2, 1, 5, 1);
  t.unblock(1, 2);
  t.block(1, BlockReason::Recv, 1);
  std::size_t after_block = t.events.size();
  t.recv(1, 1, 5, 2);
  ReplayModel m(t.events);
  ReplayState s = m.state_at(after_block);
  EXPECT_TRUE(s.channel(1)->receivers.empty());
  EXPECT_NE(s.goroutine(1)->state, GoState::blocked);
  EXPECT_EQ(s.goroutine(1)->woken_by, 2u);
  // The handoff is one transfer even though both sides logged it.
  EXPECT_EQ(m.handoffs().size(), 1u);
  EXPECT_EQ(m.handoffs()[0].from, 2u);
  EXPECT_EQ(m.handoffs()[0].to, 1u);
}

TEST(Replay, ReceiverServedBeforeItsBlockButWokenAfterLeavesTheQueueOnWake) {
  TraceBuilder t = program_with_goroutines(1);
  t.run(2, 1);
  t.send(2, 1, 5, 1);
  t.block(1, BlockReason::Recv, 1);
  std::size_t parked = t.events.size();
  t.unblock(1, 2);
  ReplayModel m(t.events);
  EXPECT_EQ(m.state_at(parked).channel(1)->receivers, (std::vector<uint32_t>{1}));
  EXPECT_TRUE(m.state_at(m.size()).channel(1)->receivers.empty());
  EXPECT_EQ(m.state_at(m.size()).goroutine(1)->state, GoState::runnable);
}

TEST(Replay, ABufferedValueReceivedBeforeItsSendWasLoggedNeverLingersInTheBuffer) {
  // Real mode: each side logs its event when its own operation completes, so the
  // receiver of a buffered value may log first.
  TraceBuilder t = program_with_goroutines(1, 1, 4);
  t.run(2, 1);
  t.recv(1, 1, 8, 2, 0);
  t.send(2, 1, 8, 0, 0);
  t.send(2, 1, 9, 0, 1);
  ReplayModel m(t.events);
  const ReplayState& end = m.final_state();
  ASSERT_EQ(end.channel(1)->buffer.size(), 1u);
  EXPECT_EQ(end.channel(1)->buffer[0].value.str(), "9");
  EXPECT_EQ(end.channel(1)->messages, 1u);
  EXPECT_EQ(m.handoffs().size(), 2u);  // 8 (once) and 9 into the buffer
  EXPECT_TRUE(end.pending_direct.empty());
}

TEST(Replay, UnblockOfAGoroutineInNoQueueIsHarmless) {
  TraceBuilder t = program_with_goroutines(1);
  t.run(2, 0);
  t.block(2, BlockReason::Sleep);
  t.unblock(2, 0);
  t.unblock(3, 0);  // no such goroutine yet
  ReplayModel m(t.events);
  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.goroutine(2)->state, GoState::runnable);
  EXPECT_TRUE(end.channel(1)->receivers.empty());
  EXPECT_TRUE(end.channel(1)->senders.empty());
}

TEST(Replay, SleepAndWorkShowAsTheirOwnStatesAndWorkHoldsItsProcessor) {
  TraceBuilder t = program_with_goroutines(1);
  t.sleep(1, 1000);
  t.block(1, BlockReason::Sleep);
  t.run(2, 0);
  t.work_begin(2, 5000);
  std::size_t working = t.events.size();
  t.advance(5000);
  t.work_end(2);
  t.preempt(2);
  ReplayModel m(t.events);
  ReplayState s = m.state_at(working);
  EXPECT_EQ(s.goroutine(1)->state, GoState::sleeping);
  EXPECT_EQ(s.goroutine(1)->proc, -1);
  EXPECT_EQ(s.goroutine(2)->state, GoState::working);
  EXPECT_EQ(s.goroutine(2)->proc, 0);
  EXPECT_EQ(s.processors.at(0).g, 2u);
  ReplayState end = m.state_at(m.size());
  EXPECT_EQ(end.goroutine(2)->state, GoState::runnable);
  EXPECT_EQ(end.processors.at(0).g, 0u);
}

TEST(Replay, APreemptedGoroutineWaitsForAProcessorAndSaysWhy) {
  // The deterministic mode's order: the simulated work ends, then the preemption.
  TraceBuilder t = program_with_goroutines(2);
  t.block(1, BlockReason::Recv, 1);
  t.run(2, 0);
  t.work_begin(2, 30'000'000);
  t.advance(10'000'000);
  t.work_end(2);
  t.preempt(2);
  const std::size_t preempted = t.events.size();
  t.run(3, 0);
  t.yield(3);
  const std::size_t yielded = t.events.size();
  t.run(2, 0);
  const std::size_t running_again = t.events.size();
  ReplayModel m(t.events);

  ReplayState s = m.state_at(preempted);
  const GoroutineInfo& g = *s.goroutine(2);
  EXPECT_EQ(g.state, GoState::runnable) << "waits for a processor";
  EXPECT_EQ(g.proc, -1);
  EXPECT_EQ(s.processors.at(0).g, 0u) << "the processor is free for another";
  EXPECT_TRUE(g.preempted);
  EXPECT_EQ(g.preemptions, 1u);

  s = m.state_at(yielded);
  EXPECT_FALSE(s.goroutine(3)->preempted) << "a yield is the goroutine's own choice";
  EXPECT_EQ(s.goroutine(3)->preemptions, 0u);
  EXPECT_TRUE(s.goroutine(2)->preempted) << "still waiting since its preemption";

  s = m.state_at(running_again);
  EXPECT_EQ(s.goroutine(2)->state, GoState::running);
  EXPECT_FALSE(s.goroutine(2)->preempted) << "running again: the news is over";
  EXPECT_EQ(s.goroutine(2)->preemptions, 1u) << "but it is counted";
  EXPECT_EQ(m.fold_from_start(running_again), s);
}

TEST(Replay, PreemptionWithoutWorkEndStillFreesTheProcessor) {
  // Real mode: a running goroutine preempted, and one preempted in the middle of its work.
  TraceBuilder t;
  t.start(2, /*mode=*/1);
  t.create(0, 1, "main");
  t.create(1, 2, "spinner");
  t.create(1, 3, "worker");
  t.run(2, 0);
  t.run(3, 1);
  t.work_begin(3, 50'000'000);
  t.advance(10'000'000);
  t.preempt(2);
  t.preempt(3);
  ReplayModel m(t.events);
  const ReplayState& end = m.final_state();
  for (uint32_t g : {2u, 3u}) {
    EXPECT_EQ(end.goroutine(g)->state, GoState::runnable) << g;
    EXPECT_EQ(end.goroutine(g)->proc, -1) << g;
    EXPECT_TRUE(end.goroutine(g)->preempted) << g;
  }
  EXPECT_EQ(end.goroutine(3)->reason, BlockReason::None) << "no longer working";
  EXPECT_EQ(end.processors.at(0).g, 0u);
  EXPECT_EQ(end.processors.at(1).g, 0u);
}

TEST(Replay, EventsNamePreemption) {
  Event e;
  e.kind = EventKind::GoPreempt;
  e.g = 7;
  EXPECT_STREQ(to_string(EventKind::GoPreempt), "GoPreempt");
  EXPECT_NE(describe(e).find("GoPreempt"), std::string::npos) << describe(e);
  EXPECT_NE(describe(e).find("7"), std::string::npos) << describe(e);
}

TEST(Replay, RoleIsTheNameWithoutItsNumber) {
  EXPECT_EQ(role_of("producer 3"), "producer");
  EXPECT_EQ(role_of("worker#12"), "worker");
  EXPECT_EQ(role_of("consumer"), "consumer");
  EXPECT_EQ(role_of("42"), "goroutine");
  EXPECT_EQ(role_of(""), "goroutine");
  ReplayModel m(testing::fan_in_trace());
  EXPECT_STREQ(m.final_state().goroutine(1)->role, "main");
  EXPECT_STREQ(m.final_state().goroutine(2)->role, "producer");
  EXPECT_STREQ(m.final_state().goroutine(3)->name, "producer 2");
  EXPECT_EQ(m.final_state().goroutine(3)->created_by, 1u);
  EXPECT_EQ(m.final_state().goroutine(3)->go_line, 11);
}

TEST(Replay, TimeInEachStateAddsUpToItsLife) {
  TraceBuilder t = program_with_goroutines(1);
  t.run(2, 0);
  t.block(2, BlockReason::Send, 1);
  t.advance(1000);
  t.run(1, 0);
  t.recv(1, 1, 3, 2);
  t.unblock(2, 1);
  t.run(2, 0);
  t.exit(2);
  ReplayModel m(t.events);
  const ReplayState& end = m.final_state();
  const GoroutineInfo& g = *end.goroutine(2);
  int64_t total = 0;
  for (int k = 0; k < kGoStateCount; ++k) total += g.time_in_state(static_cast<GoState>(k), end.now);
  EXPECT_EQ(total, end.now - m.event(g.created_at).ts);
  EXPECT_GE(g.time_in_state(GoState::blocked, end.now), 1000);
  EXPECT_GT(g.time_in_state(GoState::not_started, end.now), 0);
}

TEST(Replay, SelectShowsItsCasesReadinessAndChoice) {
  TraceBuilder t = program_with_goroutines(0);
  t.select_begin(1, 3, true);
  t.select_ready(1, 0b101);
  std::size_t looking = t.events.size();
  t.select_chosen(1, 2, 1);
  ReplayModel m(t.events);
  ReplayState s = m.state_at(looking);
  const GoroutineInfo& g = *s.goroutine(1);
  EXPECT_TRUE(g.in_select);
  EXPECT_EQ(g.select_cases, 3);
  EXPECT_TRUE(g.select_has_default);
  EXPECT_EQ(g.select_ready, 0b101u);
  const GoroutineInfo& done = *m.final_state().goroutine(1);
  EXPECT_FALSE(done.in_select);
  EXPECT_EQ(done.select_chosen, 2);
  EXPECT_EQ(done.select_obj, 1u);
}

TEST(Replay, FanInRunReadsAsTheLessonTellsIt) {
  ReplayModel m(testing::fan_in_trace());
  // Find the moment both producers are parked sending.
  std::size_t both = 0;
  for (std::size_t i = 0; i <= m.size(); ++i) {
    if (m.state_at(i).channel(1) && m.state_at(i).channel(1)->senders.size() == 2) {
      both = i;
      break;
    }
  }
  ASSERT_GT(both, 0u);
  ReplayState s = m.state_at(both);
  EXPECT_EQ(senders_of(*s.channel(1)), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(s.channel(1)->senders[0].value.str(), "101");
  EXPECT_EQ(s.channel(1)->senders[1].value.str(), "200");
  EXPECT_STREQ(s.channel(1)->name, "results");

  const ReplayState& end = m.final_state();
  EXPECT_EQ(end.channel(1)->messages, 4u);
  EXPECT_EQ(end.result.kind, ResultKind::ok);
  ASSERT_EQ(m.handoffs().size(), 4u);
  std::vector<std::string> values;
  for (const Handoff& h : m.handoffs()) values.push_back(h.value.str());
  EXPECT_EQ(values, (std::vector<std::string>{"100", "101", "200", "201"}));
  auto out = m.output(m.size());
  ASSERT_EQ(out.size(), 4u);
  EXPECT_STREQ(out[3].text, "201");
  EXPECT_EQ(m.output(end).size(), 4u);
}

TEST(Replay, LastHandoffIsTheMostRecentBeforeTheIndex) {
  ReplayModel m(testing::fan_in_trace());
  EXPECT_EQ(m.last_handoff(0), nullptr);
  for (std::size_t i = 0; i <= m.size(); ++i) {
    ReplayState s = m.state_at(i);
    const Handoff* h = m.last_handoff(i);
    if (s.handoffs == 0) {
      EXPECT_EQ(h, nullptr) << i;
    } else {
      ASSERT_NE(h, nullptr) << i;
      EXPECT_EQ(*h, s.last_handoff) << i;
      EXPECT_LT(h->event, i);
    }
  }
}

TEST(Replay, OutputUpToTheIndexOnly) {
  ReplayModel m(testing::fan_in_trace());
  std::size_t first_output = 0;
  while (m.event(first_output).kind != EventKind::Output) ++first_output;
  EXPECT_EQ(m.output(first_output).size(), 0u);
  EXPECT_EQ(m.output(first_output + 1).size(), 1u);
  EXPECT_STREQ(m.output(first_output + 1)[0].text, "100");
  EXPECT_EQ(m.state_at(first_output + 1).output_lines, 1u);
}

TEST(Replay, StepsThroughOneGoroutinesEvents) {
  ReplayModel m(testing::fan_in_trace());
  std::size_t i = m.next_event_of(3, 0);
  ASSERT_LT(i, m.size());
  EXPECT_EQ(m.event(i).kind, EventKind::GoCreate);  // named as `other` of its creation
  std::size_t count = 0;
  for (std::size_t k = i; k < m.size(); k = m.next_event_of(3, k + 1)) {
    EXPECT_TRUE(m.event(k).g == 3 || m.event(k).other == 3);
    ++count;
  }
  EXPECT_EQ(count, static_cast<std::size_t>(std::count_if(m.events().begin(), m.events().end(), [](const Event& e) {
              return e.g == 3 || e.other == 3;
            })));
  EXPECT_EQ(m.prev_event_of(3, i), m.size());
  EXPECT_EQ(m.prev_event_of(3, i + 1), i);
}

TEST(Replay, ProcessorsShowWhichGoroutineRunsWhere) {
  TraceBuilder t;
  t.start(2);
  t.create(0, 1, "main");
  t.create(1, 2, "worker 1");
  t.run(1, 0);
  t.run(2, 1);
  std::size_t both = t.events.size();
  t.block(1, BlockReason::Sleep);
  ReplayModel m(t.events);
  ReplayState s = m.state_at(both);
  ASSERT_EQ(s.processors.size(), 2u);
  EXPECT_EQ(s.processors[0].g, 1u);
  EXPECT_EQ(s.processors[1].g, 2u);
  EXPECT_EQ(m.final_state().processors[0].g, 0u);
  EXPECT_EQ(m.final_state().procs, 2);
}

}  // namespace
}  // namespace goscope
