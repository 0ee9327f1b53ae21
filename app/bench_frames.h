// bench_frames.h: --bench-frames N: how much one frame of the app costs with the
// timeline fitted to a whole run.
//
// goscope --lesson ID [--set ...] [--size WxH] [--screenshot F.png] --bench-frames N
// runs the lesson, opens the window (use xvfb-run where there is no display), draws
// the whole app with the timeline fitted to the run, and prints
//   median 1.23 ms/frame, 45678 vertices
// The time is CPU time of the UI thread from ImGui::NewFrame to the end of ImGui::Render
// (context hooks mark both ends), so it measures goscope's drawing, not the GL driver:
// under Xvfb, Mesa's software rasteriser costs far more than building the frame. The
// vertices are the frame's draw data. Frames before the timed ones (laying out the run,
// the stats tab's sweep) are not timed; with --screenshot the last frame is saved too.
#pragma once

#include "app/cli.h"
#include "app/lesson_request.h"

namespace goscope::app {

// run_bench_frames does --bench-frames for the checked lesson request and returns the
// exit code (1 without a display).
int run_bench_frames(const Options& options, const LessonRequest& request);

}  // namespace goscope::app
