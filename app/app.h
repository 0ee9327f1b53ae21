// app.h: what goscope does once its command line is parsed.
#pragma once

#include "app/cli.h"
#include "app/lesson_request.h"

namespace goscope::app {

// run_gui opens the app window on the checked lesson request (null: the first lesson) and runs until it is closed, or, with --screenshot,
// renders options.frames frames, writes the PNG and returns. Returns the exit code:
// 0 ok, 1 no display, kExitOutput (3) the PNG could not be written.
int run_gui(const Options& options, const LessonRequest* request);

// run_options does what the options ask for: a headless lesson command (--list, --run,
// --sweep, --trace) or the window. Returns the process exit code.
int run_options(const Options& options);

}  // namespace goscope::app
