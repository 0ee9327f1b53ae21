// player_text_test.cpp: the narration's markdown parser and the Go listing's tokenizer.
#include <gtest/gtest.h>

#include "ui/views/code_view.h"
#include "ui/views/narration_view.h"

namespace goscope {
namespace {

using ui::GoToken;
using ui::MdBlock;
using ui::MdSpan;

TEST(Markdown, HeadingsParagraphsListsAndCodeBlocksBecomeBlocks) {
  const auto blocks = ui::parse_markdown(
      "# Fan-in\n\nMany producers,\none consumer.\n\n## What to watch\n\n- first\n- second\n  continued\n"
      "1. one\n2. two\n\n```go\nch <- 1\n<-ch\n```\n");
  ASSERT_EQ(blocks.size(), 8u);
  EXPECT_EQ(blocks[0].kind, MdBlock::Kind::heading);
  EXPECT_EQ(blocks[0].level, 1);
  EXPECT_EQ(blocks[1].kind, MdBlock::Kind::paragraph);
  ASSERT_EQ(blocks[1].spans.size(), 1u);
  EXPECT_EQ(blocks[1].spans[0].text, "Many producers, one consumer.");
  EXPECT_EQ(blocks[2].level, 2);
  EXPECT_EQ(blocks[3].kind, MdBlock::Kind::bullet);
  EXPECT_EQ(blocks[4].spans[0].text, "second continued");
  EXPECT_EQ(blocks[5].kind, MdBlock::Kind::numbered);
  EXPECT_EQ(blocks[6].number, 2);
  EXPECT_EQ(blocks[7].kind, MdBlock::Kind::code);
  EXPECT_EQ(blocks[7].spans[0].text, "ch <- 1\n<-ch");
}

TEST(Markdown, InlineStylesSplitIntoSpans) {
  const auto spans = ui::parse_inline("a **strong** and *soft* `ch <- v`, snake_case 2 * 3");
  ASSERT_EQ(spans.size(), 7u);
  EXPECT_EQ(spans[1].style, MdSpan::Style::strong);
  EXPECT_EQ(spans[1].text, "strong");
  EXPECT_EQ(spans[3].style, MdSpan::Style::emphasis);
  EXPECT_EQ(spans[3].text, "soft");
  EXPECT_EQ(spans[5].style, MdSpan::Style::code);
  EXPECT_EQ(spans[5].text, "ch <- v");
  EXPECT_EQ(spans[6].style, MdSpan::Style::text);
  EXPECT_EQ(spans[6].text, ", snake_case 2 * 3");
}

std::string kinds(std::string_view line) {
  bool in_comment = false;
  std::string out;
  for (const GoToken& t : ui::tokenize_go(line, in_comment)) {
    const char k = "tkysnc<"[static_cast<int>(t.kind)];
    out += std::string(static_cast<std::size_t>(t.end - t.begin), k);
  }
  return out;
}

TEST(GoTokens, KeywordsStringsNumbersCommentsAndChannelOperators) {
  EXPECT_EQ(kinds("for i := 0; i < 3; i++ {"), "kkkttttttnttttttnttttttt");
  EXPECT_EQ(kinds("ch <- \"hi\" // send"), "ttt<<tsssstccccccc");
  EXPECT_EQ(kinds("go func() {"), "<<tkkkktttt");
  EXPECT_EQ(kinds("x := make(chan int, 3)"), "tttttyyyytkkkktyyyttnt");
  EXPECT_EQ(kinds("wg.Done()"), "ttttttttt") << "a method named like a keyword stays text";
}

TEST(GoTokens, BlockCommentsCarryAcrossLines) {
  bool in_comment = false;
  auto first = ui::tokenize_go("x /* start", in_comment);
  EXPECT_TRUE(in_comment);
  auto second = ui::tokenize_go("still */ y", in_comment);
  EXPECT_FALSE(in_comment);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second.front().kind, GoToken::Kind::comment);
  EXPECT_EQ(second.front().end, 8);
}

}  // namespace
}  // namespace goscope
