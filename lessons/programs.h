// programs.h: the lessons' programs, one function per lesson, each in its own file
// (lessons/<id>.cpp) beside its Go twin (assets/lessons/<id>.go).
//
// Each runs as the program's main goroutine (goroutine 1) under goscope::run. The
// goscope::line(N) calls mark line N of the Go twin, so the UI can light every
// goroutine's current line; the `line` argument of go() is the `go` statement's line.
// A statement that matters (a channel operation, a print, a Wait, a sleep) is written on
// one line after its marker, `line(33); jobs.send(j);`, so the Go line numbers run down
// the left margin. A range loop marks its `for ... range` line before the loop and again
// at the end of the body, where the next receive waits.
// tests/lessons/line_markers_test.cpp checks every marker against the Go listing.
#pragma once

#include "lessons/lesson.h"

namespace goscope::lessons {

void hello_goroutine_main(const Params& params);
void waitgroup_main(const Params& params);
void unbuffered_channel_main(const Params& params);
void buffered_channel_main(const Params& params);
void fan_in_main(const Params& params);
void fan_out_main(const Params& params);
void select_main(const Params& params);
void pipeline_main(const Params& params);
void deadlock_main(const Params& params);

}  // namespace goscope::lessons
