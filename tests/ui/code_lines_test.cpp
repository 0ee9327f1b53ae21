// code_lines_test.cpp: the code view's listing, split and tokenized once per lesson.
#include <gtest/gtest.h>

#include "ui/views/code_view.h"

namespace goscope::ui {
namespace {

TEST(SplitGoSource, TabsBecomeFourSpacesAndTrailingBlankLinesGo) {
  const std::vector<CodeLine> lines = split_go_source("package main\n\nfunc main() {\n\tgo f()\n}\n\n\n");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[3].text, "    go f()");
  EXPECT_TRUE(lines[1].text.empty());
  EXPECT_FALSE(lines[0].tokens.empty());
}

TEST(SplitGoSource, ABlockCommentSpansLines) {
  const std::vector<CodeLine> lines = split_go_source("/* one\ntwo */ x := 1\n");
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_FALSE(lines[1].tokens.empty());
  EXPECT_EQ(lines[1].tokens.front().kind, GoToken::Kind::comment);
}

}  // namespace
}  // namespace goscope::ui
