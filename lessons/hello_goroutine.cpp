// hello_goroutine.cpp: lesson "hello-goroutine" (assets/lessons/hello-goroutine.go).
//
//   main ──go──▶ async      "please run this some time later"
//   main returns            the program is over; async never ran
//
// The go statement only asks the scheduler to run the function later. main goes on at
// once, reaches its end, and the program ends with it: the goroutine is abandoned
// before it was ever scheduled, so "async thing" is never printed.
#include "core/go.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void hello_goroutine_main(const Params&) {
  // The go statement asks the scheduler to run this function later...
  go("async", 9, [] {
    line(10); println("async thing");
  });
  // ...but main returns at once, and the program ends with it.
  line(13);
}

}  // namespace goscope::lessons
