// narration_view.h: a lesson's narration, markdown rendered: headings, paragraphs,
// **strong** and *emphasis*, `inline code`, fenced code blocks, bulleted and numbered lists.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace goscope::ui {

class Player;

// MdSpan is a run of text with one style inside a block.
struct MdSpan {
  enum class Style { text, strong, emphasis, code };
  Style style = Style::text;
  std::string text;
};

// MdBlock is one block of a markdown document.
struct MdBlock {
  enum class Kind { heading, paragraph, bullet, numbered, code, rule };
  Kind kind = Kind::paragraph;
  int level = 0;              // heading: 1..6; lists: nesting depth (0 = top)
  int number = 0;             // numbered list: the item's number
  std::vector<MdSpan> spans;  // code blocks: one text span holding the lines
};

// parse_markdown splits a document into blocks (the subset lesson narrations use).
std::vector<MdBlock> parse_markdown(std::string_view text);

// parse_inline splits one block's text into styled spans.
std::vector<MdSpan> parse_inline(std::string_view text);

// NarrationView draws the current lesson's narration, wrapped to the panel's width. It
// keeps the parsed blocks of the last narration drawn: parsed once per lesson (keyed by
// the text's hash), since the narration is a few kilobytes and only changes with it.
class NarrationView {
 public:
  void draw(Player& player);

 private:
  std::size_t parsed_hash_ = 0;
  std::vector<MdBlock> blocks_;
};

// draw_markdown draws parsed blocks at the cursor, wrapped to the available width.
void draw_markdown(const std::vector<MdBlock>& blocks, const struct Fonts& fonts);

}  // namespace goscope::ui
