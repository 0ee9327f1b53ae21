// code_view.h: the lesson's Go listing, syntax-highlighted, with every goroutine's
// current line marked in its state colour and tagged with its name.
#pragma once

#include <string_view>
#include <vector>

#include <imgui.h>

namespace goscope::ui {

class Player;

// GoToken is one coloured run of a Go source line: columns [begin, end) of the line.
struct GoToken {
  enum class Kind { text, keyword, type, string, number, comment, chan_op };
  Kind kind = Kind::text;
  int begin = 0;
  int end = 0;
};

// tokenize_go splits one line of Go into coloured runs (keywords, predeclared types and
// functions, strings, runes, numbers, comments, and the `<-` and `go` that are where
// goroutines meet). `in_comment` carries an open /* comment from line to line.
std::vector<GoToken> tokenize_go(std::string_view line, bool& in_comment);

// token_color is the colour of a token kind.
ImU32 token_color(GoToken::Kind kind);

// code_line_height is the height of one row of the listing (for the current font).
float code_line_height();

// code_view draws the listing. Hovering a line highlights the goroutines on it (on the
// stage, next frame); a goroutine hovered on the stage lights its line here.
void code_view(Player& player);

}  // namespace goscope::ui
