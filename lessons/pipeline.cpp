// pipeline.cpp: lesson "pipeline" (assets/lessons/pipeline.go).
//
//   generator ──▶ naturals ──▶ squarer ──▶ squares ──▶ printer ──▶ done ──▶ main
//   1, 2, 3...                 x * x                   println
//   close(naturals) ─ends─▶ squarer's range; close(squares) ─ends─▶ printer's range
//
// Each stage is a goroutine that reads from the channel before it and writes to the
// one after it. Closing a channel is how a stage says "no more": the next stage's range
// loop ends, it closes its own output, and the end flows down the pipe.
#include <cstdint>
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void pipeline_main(const Params& params) {
  const int64_t numbers = params.at("numbers");
  line(14); auto naturals = make_chan<int64_t>(0, "naturals");
  line(15); auto squares = make_chan<int64_t>(0, "squares");
  line(16); auto done = make_chan<bool>(0, "done");

  go("generator", 18, [naturals, numbers]() mutable {
    for (int64_t x = 1; x <= numbers; x++) {
      line(20); naturals.send(x);
    }
    line(22); naturals.close();  // no more numbers: ends the squarer's range
  });

  go("squarer", 25, [naturals, squares]() mutable {
    line(26);
    for (int64_t x : naturals) {
      line(27); squares.send(x * x);
      line(26);
    }
    line(29); squares.close();  // ends the printer's range
  });

  go("printer", 32, [squares, done]() mutable {
    line(33);
    for (int64_t x : squares) {
      line(34); println(std::to_string(x));
      line(33);
    }
    line(36); done.send(true);
  });

  line(39); done.recv();  // main waits for the last stage
}

}  // namespace goscope::lessons
