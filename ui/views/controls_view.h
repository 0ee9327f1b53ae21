// controls_view.h: the transport bar (play, step, speed, scrub), the run settings (seed,
// mode, processors) and one slider per lesson parameter; and the lesson picker.
#pragma once

namespace goscope::ui {

class Player;

// kSeedInRealMode is the seed field's tooltip in real mode, where the field is disabled.
inline constexpr const char* kSeedInRealMode =
    "The seed drives the deterministic scheduler only: with real threads the OS schedules "
    "the goroutines and every run differs, so the seed does nothing here. Switch to "
    "deterministic to replay a schedule by its seed.";

// controls_view draws the controls bar: restart, step back, play / pause, step forward,
// step the selected goroutine, speed, a scrubber over the run's events, then seed, mode,
// processors and the lesson's parameters (each with its range and description in a
// tooltip). Any change to a setting or parameter re-runs the lesson at once.
void controls_view(Player& player);

// lessons_view draws the lesson picker: every lesson's title, the current one with its
// summary; clicking one runs it.
void lessons_view(Player& player);

// help_marker draws a dimmed "(?)" that shows `text` in a tooltip (as imgui_demo's HelpMarker).
void help_marker(const char* text);

}  // namespace goscope::ui
