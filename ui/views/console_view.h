// console_view.h: the program's output up to the playhead, and how it ended in Go's words.
#pragma once

#include <string>

namespace goscope::ui {

class Player;

// console_view draws the console panel: every line printed before the playhead, then,
// once the playhead reaches the end of the run, the panic or deadlock message the way Go
// prints it, with each blocked goroutine, what it waits on and its line. Like ImGui's
// ExampleAppLog it follows new lines only while scrolled to the bottom.
void console_view(Player& player);

// end_report renders how the run has ended so far, as Go would print it ("" while it runs
// or when it ended normally): "panic: send on closed channel\n\ngoroutine 2 [running]:..."
// or "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan send]:...".
std::string end_report(const Player& player);

}  // namespace goscope::ui
