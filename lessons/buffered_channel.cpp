// buffered_channel.cpp: lesson "buffered-channel" (assets/lessons/buffered-channel.go).
//
//   producer ──▶ ch [ buffer slots ] ──▶ main (the consumer)
//   fast: sends run ahead            slow: 100ms per value
//   until the buffer is full
//
// A buffered channel lets the sender run ahead of the receiver by `buffer` values. The
// producer only blocks when every slot is taken; from then on it sends one value each
// time the slow consumer takes one out.
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "core/time.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void buffered_channel_main(const Params& params) {
  constexpr int messages = 6;
  line(17); auto ch = make_chan<int>(static_cast<std::size_t>(params.at("buffer")), "ch");

  go("producer", 19, [ch]() mutable {
    for (int i = 0; i < messages; i++) {
      line(21); ch.send(i);  // blocks only while the buffer is full
      line(22); println("sent " + std::to_string(i));
    }
    line(24); ch.close();
  });

  // main is the consumer, and a slow one.
  line(28);
  for (int v : ch) {
    line(29); sleep(100ms);  // handling a value takes a while
    line(30); println("received " + std::to_string(v));
    line(28);
  }
}

}  // namespace goscope::lessons
