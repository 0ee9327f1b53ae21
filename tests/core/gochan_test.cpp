// gochan_test.cpp: Go's own channel programs from golang/go test/chan/ (fifo, sieve1,
// goroutines, nonblock, select3, doubleselect, select6, select7, zerosize), ported with
// the same inputs and the same checks. Where the Go program panics to fail, the port
// fails the test (and panics the run, so the Outcome says so too).
#include <map>
#include <string>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"

using namespace goscope;
using namespace goscope::chantest;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// ---- fifo.go: a buffered channel and a chain of unbuffered ones keep FIFO order.

constexpr int kFifoN = 10;

void AsynchFifo() {
  auto ch = make_chan<int>(kFifoN);
  for (int i = 0; i < kFifoN; i++) ch.send(i);
  for (int i = 0; i < kFifoN; i++) {
    if (ch.recv() != i) panic("bad receive");
  }
}

void Chain(Chan<int> ch, int val, Chan<int> in, Chan<int> out) {
  in.recv();
  if (ch.recv() != val) panic(std::to_string(val));
  out.send(1);
}

void SynchFifo() {
  auto ch = make_chan<int>();
  auto in = make_chan<int>();
  auto start = in;
  for (int i = 0; i < kFifoN; i++) {
    auto out = make_chan<int>();
    go([=] { Chain(ch, i, in, out); });
    in = out;
  }
  start.send(0);
  for (int i = 0; i < kFifoN; i++) ch.send(i);
  in.recv();
}

TEST_P(ChanTest, GoFifoKeepsOrder) {
  Run([] {
    AsynchFifo();
    SynchFifo();
  });
}

// ---- sieve1.go: the concurrent prime sieve.

TEST_P(ChanTest, GoSieve1FindsThePrimes) {
  Run([] {
    auto primes = make_chan<int>();
    go([primes]() mutable {  // Sieve
      auto ch = make_chan<int>();
      go([ch]() mutable {  // Generate
        for (int i = 2;; i++) ch.send(i);
      });
      for (;;) {
        int prime = ch.recv();
        primes.send(prime);
        auto ch1 = make_chan<int>();
        go([in = ch, out = ch1, prime]() mutable {  // Filter
          for (int i : in) {
            if (i % prime != 0) out.send(i);
          }
        });
        ch = ch1;
      }
    });
    const int a[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97};
    for (int want : a) {
      int x = primes.recv();
      EXPECT_EQ(x, want);
      if (x != want) panic("fail");
    }
  });
}

// ---- goroutines.go: a chain of 10,000 goroutines passing one value along.

TEST_P(ChanTest, GoGoroutinesChainOfTenThousand) {
  const int n = 10000 / kScale;
  Outcome out = Run([n] {
    auto leftmost = make_chan<int>();
    auto right = leftmost;
    auto left = leftmost;
    for (int i = 0; i < n; i++) {
      right = make_chan<int>();
      go([left, right]() mutable { left.send(right.recv()); });
      left = right;
    }
    go([c = right]() mutable { c.send(1); });
    EXPECT_EQ(leftmost.recv(), 1);
  });
  EXPECT_EQ(out.goroutines, static_cast<uint64_t>(n) + 2);
}

// ---- nonblock.go: non-blocking sends and receives (select with default) against
// goroutines that come later, for unbuffered and buffered channels of four types.

template <class T>
void NonblockRound(Chan<T> c, Chan<bool> sync, int buffer, T to_receiver, T want_from_sender, T from_sender,
                   const std::function<void()>& pause) {
  constexpr int kMaxTries = 10000;
  go([c, sync, to_receiver]() mutable {  // receiver
    if (c.recv() != to_receiver) panic("receiver value");
    sync.send(true);
  });
  int tries = 0;
  for (;;) {
    if (select({send_case(c, to_receiver), default_case()}) == 0) break;
    if (++tries > kMaxTries) panic("receiver never came");
    pause();
  }
  sync.recv();
  go([c, sync, from_sender]() mutable {  // sender
    c.send(from_sender);
    sync.send(true);
  });
  if (buffer > 0) sync.recv();
  tries = 0;
  T got{};
  for (;;) {
    if (select({recv_case(c, &got), default_case()}) == 0) break;
    if (++tries > kMaxTries) panic("sender never came");
    pause();
  }
  if (got != want_from_sender) panic("sender value");
  if (buffer == 0) sync.recv();
}

TEST_P(ChanTest, GoNonblockSendsAndReceivesWithoutBlocking) {
  Run([] {
    Ticker ticker(std::chrono::microseconds(10));
    auto pause = [&ticker] {
      ticker.C.recv();
      ticker.C.recv();
      yield();
      yield();
      yield();
    };
    auto sync = make_chan<bool>();
    for (int buffer = 0; buffer < 2; buffer++) {
      auto c32 = make_chan<int32_t>(buffer);
      auto c64 = make_chan<int64_t>(buffer);
      auto cb = make_chan<bool>(buffer);
      auto cs = make_chan<std::string>(buffer);
      int32_t i32 = 0;
      int64_t i64 = 0;
      bool b = false;
      std::string s;
      if (select({recv_case(c32, &i32), default_case()}) == 0) panic("blocked i32sender");
      if (select({recv_case(c64, &i64), default_case()}) == 0) panic("blocked i64sender");
      if (select({recv_case(cb, &b), default_case()}) == 0) panic("blocked bsender");
      if (select({recv_case(cs, &s), default_case()}) == 0) panic("blocked ssender");
      NonblockRound<int32_t>(c32, sync, buffer, 123, 234, 234, pause);
      NonblockRound<int64_t>(c64, sync, buffer, 123456, 234567, 234567, pause);
      NonblockRound<bool>(cb, sync, buffer, true, true, true, pause);
      NonblockRound<std::string>(cs, sync, buffer, "hello", "hello again", "hello again", pause);
    }
    ticker.Stop();
  });
}

// ---- select3.go: the table of what blocks and what does not.

const std::string kAlways = "function did not";
const std::string kNever = "function did";

void testBlock(const std::string& signal, std::function<void()> f) {
  auto c = make_chan<std::string>();
  go([c, f]() mutable {
    f();
    c.send(kNever);  // f didn't block
  });
  go([c, signal]() mutable {
    if (signal == kNever) {
      sleep(seconds(10));  // long enough not to miss our window by accident
    } else {
      sleep(milliseconds(10));
    }
    c.send(kAlways);  // f blocked always
  });
  std::string got = c.recv();
  EXPECT_EQ(got, signal);
  if (got != signal) panic(signal + " block");
}

TEST_P(ChanTest, GoSelect3TableOfWhatBlocks) {
  Run([] {
    const int async = 1;  // asynchronous channels
    Chan<int> nilch;
    auto closedch = make_chan<int>();
    closedch.close();
    auto unreachable = [] { panic("control flow shouldn't reach here"); };

    // sending/receiving from a nil channel blocks
    testBlock(kAlways, [nilch]() mutable { nilch.send(7); });
    testBlock(kAlways, [nilch]() mutable { nilch.recv(); });
    // sending/receiving from a nil channel inside a select is never selected
    if (select({send_case(nilch, 7), default_case()}) == 0) unreachable();
    if (select({recv_case(nilch), default_case()}) == 0) unreachable();
    // sending to an async channel with free buffer space never blocks
    testBlock(kNever, [] { make_chan<int>(async).send(7); });
    // receiving from a closed channel never blocks
    testBlock(kNever, [closedch]() mutable {
      for (int i = 0; i < 10; i++) {
        if (closedch.recv() != 0) panic("expected zero value when reading from closed channel");
        auto [x, ok] = closedch.recv_ok();
        if (x != 0 || ok) panic("expected 0, false from closed channel");
      }
    });
    // receiving from a non-ready channel always blocks
    testBlock(kAlways, [] { make_chan<int>().recv(); });
    // empty selects always block
    testBlock(kAlways, [] { select({}); });
    // selects with only nil channels always block
    testBlock(kAlways, [nilch, unreachable] {
      select({recv_case(nilch)});
      unreachable();
    });
    testBlock(kAlways, [nilch, unreachable] {
      select({send_case(nilch, 7)});
      unreachable();
    });
    testBlock(kAlways, [nilch, unreachable] {
      select({recv_case(nilch), send_case(nilch, 7)});
      unreachable();
    });
    // selects with non-ready non-nil channels always block
    testBlock(kAlways, [unreachable] {
      auto ch = make_chan<int>();
      select({recv_case(ch)});
      unreachable();
    });
    // selects with default cases don't block
    testBlock(kNever, [] { select({default_case()}); });
    testBlock(kNever, [nilch, unreachable] {
      if (select({recv_case(nilch), default_case()}) == 0) unreachable();
    });
    testBlock(kNever, [nilch, unreachable] {
      if (select({send_case(nilch, 7), default_case()}) == 0) unreachable();
    });
    // selects with ready channels don't block
    testBlock(kNever, [unreachable] {
      auto ch = make_chan<int>(async);
      if (select({send_case(ch, 7), default_case()}) == 1) unreachable();
    });
    testBlock(kNever, [unreachable] {
      auto ch = make_chan<int>(async);
      ch.send(7);
      if (select({recv_case(ch), default_case()}) == 1) unreachable();
    });
    // selects with closed channels behave like ordinary operations
    testBlock(kNever, [closedch] { select({recv_case(closedch)}); });
    testBlock(kNever, [closedch] {
      int x = 1;
      select({recv_case(closedch, &x)});
      if (x != 0) panic("x");
    });
    testBlock(kNever, [closedch] {
      int x = 1;
      bool ok = true;
      select({recv_case(closedch, &x, &ok)});
      if (x != 0 || ok) panic("x, ok");
    });
    // select should not get confused if it sees itself
    testBlock(kAlways, [] {
      auto c = make_chan<int>();
      select({send_case(c, 1), recv_case(c)});
    });
  });
}

// The two panicking rows of select3's table: each ends its program with Go's panic.
TEST_P(ChanTest, GoSelect3SendToClosedChannelPanics) {
  Outcome out = RunAny([] {
    auto closedch = make_chan<int>();
    closedch.close();
    closedch.send(7);
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "send on closed channel");
}

TEST_P(ChanTest, GoSelect3SelectSendToClosedChannelPanics) {
  Outcome out = RunAny([] {
    auto closedch = make_chan<int>();
    closedch.close();
    select({send_case(closedch, 7)});
  });
  EXPECT_EQ(out.kind, OutcomeKind::panic);
  EXPECT_EQ(out.message, "send on closed channel");
}

// ---- doubleselect.go: a sender selecting over four channels, four muxes, no value lost
// or duplicated.

TEST_P(ChanTest, GoDoubleSelectDeliversEachValueOnce) {
  const int iterations = (GetParam().mode == Mode::deterministic ? 20000 : 100000) / kScale;
  Run([iterations] {
    auto c1 = make_chan<int>(), c2 = make_chan<int>(), c3 = make_chan<int>(), c4 = make_chan<int>();
    auto done = make_chan<bool>();
    auto cmux = make_chan<int>();
    go([=]() mutable {  // sender
      for (int i = 0; i < iterations; i++) {
        select({send_case(c1, i), send_case(c2, i), send_case(c3, i), send_case(c4, i)});
      }
      c4.close();
      c3.close();
      c2.close();
      c1.close();
    });
    for (auto in : {c1, c2, c3, c4}) {
      go([cmux, in, done]() mutable {  // mux
        for (int v : in) cmux.send(v);
        done.send(true);
      });
    }
    go([done, cmux]() mutable {
      done.recv();
      done.recv();
      done.recv();
      done.recv();
      cmux.close();
    });
    std::vector<bool> seen(iterations, false);  // recver
    int n = 0;
    for (int v : cmux) {
      if (seen[v]) {
        ADD_FAILURE() << "got duplicate value: " << v;
        panic("fail");
      }
      seen[v] = true;
      ++n;
    }
    EXPECT_EQ(n, iterations);
  });
}

// ---- select6.go: a select case that lost must not corrupt the wait queue.

TEST_P(ChanTest, GoSelect6LosingCaseDoesNotCorruptTheQueue) {
  Run([] {
    auto c1 = make_chan<bool>(), c2 = make_chan<bool>(), c3 = make_chan<bool>();
    go([c1]() mutable { c1.recv(); });
    go([c1, c2, c3]() mutable {
      if (select({recv_case(c1), recv_case(c2)}) == 0) panic("dummy");
      c3.send(true);
      c1.recv();
    });
    go([c2]() mutable { c2.send(true); });
    c3.recv();
    c1.send(true);
    c1.send(true);
  });
}

// ---- select7.go: every pairing of plain / one-case select / two-case select on both ends.

using RecvFn = void (*)(Chan<int>);
void recv1(Chan<int> c) { c.recv(); }
void recv2(Chan<int> c) { select({recv_case(c)}); }
void recv3(Chan<int> c) {
  auto c2 = make_chan<int>();
  select({recv_case(c), recv_case(c2)});
}
void send1(RecvFn recv) {
  auto c = make_chan<int>();
  go([recv, c] { recv(c); });
  yield();
  c.send(1);
}
void send2(RecvFn recv) {
  auto c = make_chan<int>();
  go([recv, c] { recv(c); });
  yield();
  select({send_case(c, 1)});
}
void send3(RecvFn recv) {
  auto c = make_chan<int>();
  go([recv, c] { recv(c); });
  yield();
  auto c2 = make_chan<int>();
  select({send_case(c, 1), send_case(c2, 1)});
}

TEST_P(ChanTest, GoSelect7EveryPairingOfSelectAndPlainOps) {
  Run([] {
    send1(recv1);
    send2(recv1);
    send3(recv1);
    send1(recv2);
    send2(recv2);
    send3(recv2);
    send1(recv3);
    send2(recv3);
    send3(recv3);
  });
}

// ---- zerosize.go: channels of zero-size elements.

struct Empty {};

TEST_P(ChanTest, GoZeroSizeElements) {
  Run([] {
    auto a = make_chan<std::array<char, 0>>();
    auto b = make_chan<std::array<char, 0>>(1);
    auto c = make_chan<Empty>();
    auto d = make_chan<Empty>(1);
    // and they work: a signal over each
    go([a, c]() mutable {
      a.send({});
      c.send(Empty{});
    });
    a.recv();
    c.recv();
    b.send({});
    d.send(Empty{});
    EXPECT_EQ(b.len(), 1u);
    EXPECT_EQ(d.len(), 1u);
    b.recv();
    d.close();
    EXPECT_TRUE(d.recv_ok().second);
    EXPECT_FALSE(d.recv_ok().second);
  });
}

}  // namespace
