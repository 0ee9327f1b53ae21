// unbuffered_channel.cpp: lesson "unbuffered-channel" (assets/lessons/unbuffered-channel.go).
//
//   sender                         ch (no room)        main
//   ch <- "Hello!!!"  waits ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄  sleeps 100ms
//                     ◀──────────── "Hello!!!" ──────▶ msg := <-ch   (handover)
//   sleeps 100ms      ┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄  msg = <-ch    waits
//   ch <- "Bye!!!"    ◀──────────── "Bye!!!" ────────▶ (handover)
//
// An unbuffered channel holds nothing: a send completes only when a receiver takes the
// value, and a receive only when a sender hands one over. First the sender waits for
// main, then main waits for the sender.
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "core/time.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void unbuffered_channel_main(const Params&) {
  line(11); auto ch = make_chan<std::string>(0, "ch");  // unbuffered: only a handover

  go("sender", 13, [ch]() mutable {
    line(14); ch.send("Hello!!!");  // main is still asleep: the sender waits here
    line(15); sleep(100ms);
    line(16); ch.send("Bye!!!");  // main is already waiting: handed over at once
  });

  line(19); sleep(100ms);
  line(20); std::string msg = ch.recv();  // the sender is waiting: take its value at once
  line(21); println("received " + msg);
  line(22); msg = ch.recv();  // nothing sent yet: main waits for the sender
  line(23); println("received " + msg);
}

}  // namespace goscope::lessons
