// deadlock.cpp: lesson "deadlock" (assets/lessons/deadlock.go).
//
//   main ── ch <- "Hello!!!" ──▶ ch (no room) ──▶ (no receiver, ever)
//
// An unbuffered send waits for a receiver. There is no other goroutine, so nobody will
// ever receive: every goroutine is asleep, and Go (like goscope) ends the program with
// "fatal error: all goroutines are asleep - deadlock!".
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void deadlock_main(const Params&) {
  line(8); auto ch = make_chan<std::string>(0, "ch");  // unbuffered: a send waits for a receiver

  line(10); println("sending Hello!!!");
  line(11); ch.send("Hello!!!");  // nobody will ever receive: main waits forever
  line(12); println("sent");  // never reached
}

}  // namespace goscope::lessons
