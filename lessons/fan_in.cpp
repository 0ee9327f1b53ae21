// fan_in.cpp: lesson "fan-in" (assets/lessons/fan-in.go).
//
//   producer 1 ──┐
//   producer 2 ──┼──▶ ch ──▶ main (the consumer: counts who sent what)
//   producer N ──┘
//        │ wg.Done()
//        ▼
//      wg ──▶ closer: wg.Wait(), then close(ch) ──▶ ends main's range
//
// Many goroutines send into one channel; one goroutine receives everything. Nobody may
// close a channel others still send on, so a closer goroutine waits for every producer
// (the WaitGroup) and then closes, which ends the consumer's range.
#include <string>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/waitgroup.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void fan_in_main(const Params& params) {
  const int producers = static_cast<int>(params.at("producers"));
  const int messages = static_cast<int>(params.at("messages"));
  line(19); auto ch = make_chan<int>(static_cast<std::size_t>(params.at("buffer")), "ch");

  WaitGroup wg("wg");
  for (int p = 1; p <= producers; p++) {
    line(23); wg.Add(1);
    go("producer " + std::to_string(p), 24, [ch, wg, p, messages]() mutable {
      for (int m = 1; m <= messages; m++) {
        line(27); ch.send(p);  // each value says who sent it
      }
      line(25); wg.Done();  // the deferred Done, as the producer returns
    });
  }

  go("closer", 32, [ch, wg]() mutable {  // once every producer is done, nobody sends again
    line(33); wg.Wait();
    line(34); ch.close();
  });

  // main is the consumer: it receives until ch is closed and drained.
  std::vector<int> received(producers + 1);
  int total = 0;
  line(40);
  for (int p : ch) {
    received[p]++;
    total++;
    line(40);
  }
  line(44); println("received " + std::to_string(total) + " messages");
  for (int p = 1; p <= producers; p++) {
    line(46); println("producer " + std::to_string(p) + " sent " + std::to_string(received[p]));
  }
}

}  // namespace goscope::lessons
