// select.cpp: lesson "select" (assets/lessons/select.go).
//
//   sender 1 ── "fast 1..3", one every 100ms ──▶ fast ──┐
//   sender 2 ── "slow 1" after 250ms ──────────▶ slow ──┼──▶ main: select
//   time.After(500ms) ─────────────────────────▶ timeout┘
//
// select waits on several channels at once and takes whichever is ready first. With a
// default case it never waits at all. A timer channel (after) gives up waiting.
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/timer.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void select_main(const Params&) {
  line(11); auto fast = make_chan<std::string>(0, "fast");
  line(12); auto slow = make_chan<std::string>(0, "slow");

  go("sender 1", 14, [fast]() mutable {  // a message every 100ms
    for (int i = 1; i <= 3; i++) {
      line(16); sleep(100ms);
      line(17); fast.send("fast " + std::to_string(i));
    }
  });

  go("sender 2", 21, [slow]() mutable {  // one message after 250ms
    line(22); sleep(250ms);
    line(23); slow.send("slow 1");
  });

  // With a default case select never waits: nothing has been sent yet.
  std::string msg;
  line(27);
  switch (select({recv_case(fast, &msg), default_case()})) {
    case 0: line(29); println("got " + msg); break;
    default: line(31); println("nothing ready yet"); break;
  }

  // Take whatever comes first, until the timeout fires.
  line(35); auto timeout = after(500ms);
  for (;;) {
    line(37);
    switch (select({recv_case(fast, &msg), recv_case(slow, &msg), recv_case(timeout)})) {
      case 0: line(39); println("got " + msg); break;
      case 1: line(41); println("got " + msg); break;
      case 2: line(43); println("timeout"); line(44); return;
    }
  }
}

}  // namespace goscope::lessons
