// waitgroup.cpp: lesson "waitgroup" (assets/lessons/waitgroup.go).
//
//   main: wg.Add(1) ──go──▶ async
//   main: wg.Wait()  ┄┄┄┄┄┄ (blocked, counter 1)
//                           async: println("async thing")
//                           async: wg.Done()   counter 0 ──▶ wakes main
//   main returns
//
// The WaitGroup is the seed's fix for hello-goroutine: main may not return before the
// counter is back at zero, so the goroutine gets its turn.
#include "core/go.h"
#include "core/waitgroup.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void waitgroup_main(const Params&) {
  WaitGroup wg("wg");
  line(12); wg.Add(1);  // one goroutine to wait for

  go("async", 14, [wg]() mutable {
    line(15); println("async thing");
    line(16); wg.Done();  // the counter drops to 0
  });

  line(19); wg.Wait();  // blocks until the counter is 0
}

}  // namespace goscope::lessons
