// code_view.h: the lesson's Go listing, syntax-highlighted, with every goroutine's
// current line marked in its state colour and tagged with its name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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

// CodeLine is one source line, tokenized once per lesson.
struct CodeLine {
  std::string text;
  std::vector<GoToken> tokens;
};

// split_go_source splits a Go listing into lines (tabs as four spaces) and tokenizes
// them; trailing empty lines are dropped.
std::vector<CodeLine> split_go_source(std::string_view src);

// CodeView is the listing's state across frames: the lesson's lines, tokenized when the
// source changes, and the playhead the scroll last followed.
class CodeView {
 public:
  // draw draws the listing. Hovering a line highlights the goroutines on it (on the
  // stage, next frame); a goroutine hovered on the stage lights its line here.
  void draw(Player& player);

  // TagGroup is goroutines drawn as one tag: a name, or "worker x12" for many of a role
  // in the same state on the same line.
  struct TagGroup {
    const char* role;
    const char* name;
    ImU32 color;
    int count;
    uint32_t first;
    bool hovered;
  };
  using Tags = std::vector<std::vector<TagGroup>>;  // line number -> its tags

 private:
  const std::vector<CodeLine>& lines_of(std::string_view source);
  Tags tags_by_line(const Player& player) const;
  void follow_action(const Player& player, const Tags& tags, float line_h);
  void draw_line(Player& player, const Tags& tags, int number, float width, float line_h) const;

  std::size_t source_hash_ = 0;
  std::vector<CodeLine> lines_;
  std::size_t followed_index_ = static_cast<std::size_t>(-1);
};

}  // namespace goscope::ui
