// code_view.cpp: Go syntax colouring and the live line markers.
#include "ui/views/code_view.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "ui/views/player.h"
#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

constexpr std::array<std::string_view, 24> kKeywords = {
    "break", "case", "chan", "const", "continue", "default", "defer", "else",
    "fallthrough", "for", "func", "goto", "if", "import", "interface", "map",
    "package", "range", "return", "select", "struct", "switch", "type", "var"};

constexpr std::array<std::string_view, 32> kPredeclared = {
    "bool", "byte", "complex128", "error", "float32", "float64", "int", "int8", "int16",
    "int32", "int64", "rune", "string", "uint", "uint8", "uint32", "uint64", "uintptr",
    "append", "cap", "close", "copy", "delete", "len", "make", "new", "panic", "print",
    "println", "nil", "true", "false"};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<GoToken> tokenize_go(std::string_view s, bool& in_comment) {
  std::vector<GoToken> out;
  const int n = static_cast<int>(s.size());
  int i = 0;
  auto push = [&](GoToken::Kind k, int b, int e) {
    if (e <= b) return;
    if (!out.empty() && out.back().kind == k && out.back().end == b) {
      out.back().end = e;
    } else {
      out.push_back({k, b, e});
    }
  };
  while (i < n) {
    if (in_comment) {
      const std::size_t end = s.find("*/", static_cast<std::size_t>(i));
      const int e = end == std::string_view::npos ? n : static_cast<int>(end) + 2;
      push(GoToken::Kind::comment, i, e);
      if (end != std::string_view::npos) in_comment = false;
      i = e;
      continue;
    }
    const char c = s[i];
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      push(GoToken::Kind::comment, i, n);
      break;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      in_comment = true;
      push(GoToken::Kind::comment, i, i + 2);
      i += 2;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      int j = i + 1;
      while (j < n && s[j] != c) {
        if (s[j] == '\\' && c != '`') ++j;
        ++j;
      }
      const int e = std::min(n, j + 1);
      push(GoToken::Kind::string, i, e);
      i = e;
      continue;
    }
    if (c == '<' && i + 1 < n && s[i + 1] == '-') {
      push(GoToken::Kind::chan_op, i, i + 2);
      i += 2;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      int j = i;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_')) ++j;
      push(GoToken::Kind::number, i, j);
      i = j;
      continue;
    }
    if (ident_char(c)) {
      int j = i;
      while (j < n && ident_char(s[j])) ++j;
      const std::string_view w = s.substr(i, j - i);
      // A field or method after a dot (wg.Done, fmt.Println) is never a keyword.
      const bool after_dot = i > 0 && s[i - 1] == '.';
      GoToken::Kind k = GoToken::Kind::text;
      if (!after_dot) {
        if (w == "go") k = GoToken::Kind::chan_op;
        else if (std::find(kKeywords.begin(), kKeywords.end(), w) != kKeywords.end()) k = GoToken::Kind::keyword;
        else if (std::find(kPredeclared.begin(), kPredeclared.end(), w) != kPredeclared.end()) k = GoToken::Kind::type;
      }
      push(k, i, j);
      i = j;
      continue;
    }
    push(GoToken::Kind::text, i, i + 1);
    ++i;
  }
  return out;
}

ImU32 token_color(GoToken::Kind kind) {
  switch (kind) {
    case GoToken::Kind::text: return kCodeText;
    case GoToken::Kind::keyword: return kCodeKeyword;
    case GoToken::Kind::type: return kCodeType;
    case GoToken::Kind::string: return kCodeString;
    case GoToken::Kind::number: return kCodeNumber;
    case GoToken::Kind::comment: return kCodeComment;
    case GoToken::Kind::chan_op: return kCodeChanOp;
  }
  return kCodeText;
}

std::vector<CodeLine> split_go_source(std::string_view src) {
  std::vector<CodeLine> lines;
  bool in_comment = false;
  std::size_t pos = 0;
  while (pos <= src.size()) {
    std::size_t nl = src.find('\n', pos);
    if (nl == std::string_view::npos) nl = src.size();
    std::string t(src.substr(pos, nl - pos));
    // Tabs become four spaces: ImGui draws a tab as one narrow glyph.
    std::string expanded;
    for (char c : t) {
      if (c == '\t') expanded += "    ";
      else if (c != '\r') expanded += c;
    }
    CodeLine l{expanded, {}};
    l.tokens = tokenize_go(l.text, in_comment);
    lines.push_back(std::move(l));
    if (nl >= src.size()) break;
    pos = nl + 1;
  }
  while (!lines.empty() && lines.back().text.empty()) lines.pop_back();
  return lines;
}

const std::vector<CodeLine>& CodeView::lines_of(std::string_view source) {
  const std::size_t hash = std::hash<std::string_view>{}(source);
  if (hash != source_hash_ || lines_.empty()) {
    lines_ = split_go_source(source);
    source_hash_ = hash;
  }
  return lines_;
}

CodeView::Tags CodeView::tags_by_line(const Player& player) const {
  const ReplayState& s = player.state();
  // Goroutines per line, grouped for the tags. The listing is short, the goroutines at
  // most a few hundred: a flat pass per frame is cheap.
  Tags tags(lines_.size() + 1);
  for (const GoroutineInfo& g : s.goroutines) {
    // A goroutine that has not run yet (or never will) stands at its `go` statement.
    const int at = g.line > 0 ? g.line : g.go_line;
    if (at <= 0 || at > static_cast<int>(lines_.size()) || g.state == GoState::done) continue;
    const Shown sh = shown(s, g);
    const ImU32 col = state_color(sh.state, sh.reason);
    auto& row = tags[at];
    auto it = std::find_if(row.begin(), row.end(), [&](const TagGroup& t) { return t.role == g.role && t.color == col; });
    const bool hov = player.highlighted(g) || player.selected() == g.id;
    if (it == row.end()) {
      row.push_back({g.role, g.name, col, 1, g.id, hov});
    } else {
      ++it->count;
      it->hovered |= hov;
    }
  }
  return tags;
}

void CodeView::follow_action(const Player& player, const Tags& tags, float line_h) {
  // Follow the action: keep the line of a hovered goroutine, or else of the goroutine the
  // last event was about, in view (without fighting a learner who scrolls).
  const ReplayState& s = player.state();
  int follow = 0;
  if (const GoroutineInfo* g = s.goroutine(player.hovered_goroutine())) {
    follow = g->line;
  } else if (s.index != followed_index_ && s.index > 0) {
    // The playhead moved: bring the line of the goroutine that just acted into view.
    if (const GoroutineInfo* g2 = s.goroutine(player.model().event(s.index - 1).g)) follow = g2->line;
  }
  if (follow == 0 && s.index != followed_index_)
    for (std::size_t i = 1; i < tags.size() && follow == 0; ++i)
      if (!tags[i].empty()) follow = static_cast<int>(i);
  followed_index_ = s.index;
  if (follow > 0) {
    const float y = static_cast<float>(follow - 1) * line_h;
    const float top = ImGui::GetScrollY(), h = ImGui::GetWindowHeight();
    if (y < top + line_h || y > top + h - 2 * line_h) ImGui::SetScrollY(std::max(0.0f, y - h * 0.4f));
  }
}

namespace {

// draw_tokens draws a line's coloured runs from x and returns where the text ends.
float draw_tokens(ImDrawList* dl, const CodeLine& line, float x, float y) {
  for (const GoToken& t : line.tokens) {
    const char* b = line.text.data() + t.begin;
    const char* e = line.text.data() + t.end;
    dl->AddText(ImVec2(x, y), token_color(t.kind), b, e);
    x += ImGui::CalcTextSize(b, e).x;
  }
  return x;
}

// draw_tags draws who is on a line, in their state colours, at the right edge of what is
// visible (over the code if the line is long), so they never scroll out of sight.
void draw_tags(ImDrawList* dl, const std::vector<CodeView::TagGroup>& row, ImVec2 p, float text_end, float gutter,
               float line_h) {
  const float char_w = ImGui::CalcTextSize("0").x;
  const float em = ImGui::GetFontSize();
  std::vector<std::string> labels;
  float total = 0;
  for (const CodeView::TagGroup& t : row) {
    if (labels.size() == 4) {
      labels.push_back("+" + std::to_string(row.size() - 4));
      total += ImGui::CalcTextSize(labels.back().c_str()).x + 12;
      break;
    }
    char label[64];
    if (t.count == 1) std::snprintf(label, sizeof label, "%s", t.name);
    else std::snprintf(label, sizeof label, "%s x%d", t.role, t.count);
    labels.emplace_back(label);
    total += ImGui::CalcTextSize(label).x + 12;
  }
  const float visible_right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  float tx = std::max(std::min(text_end + em, visible_right - total), p.x + gutter + char_w * 8);
  for (std::size_t k = 0; k < labels.size(); ++k) {
    const char* label = labels[k].c_str();
    if (k == 4) {
      dl->AddText(ImVec2(tx, p.y + 1), kMutedText, label);
      break;
    }
    const CodeView::TagGroup& t = row[k];
    const ImVec2 ts = ImGui::CalcTextSize(label);
    const ImVec2 a(tx, p.y + 2), b(tx + ts.x + 8, p.y + line_h - 2);
    dl->AddRectFilled(a, b, t.color, 4.0f);
    if (t.hovered) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), kHighlight, 4.0f, 0, 2.0f);
    dl->AddText(ImVec2(tx + 4, p.y + 1), text_on(t.color), label);
    tx = b.x + 4;
  }
}

// line_tooltip lists the goroutines standing on line `number` and their states.
void line_tooltip(const ReplayState& s, int number) {
  ImGui::BeginTooltip();
  int listed = 0, more = 0;
  for (const GoroutineInfo& g : s.goroutines) {
    if ((g.line > 0 ? g.line : g.go_line) != number || g.state == GoState::done) continue;
    if (listed == 12) {
      ++more;
      continue;
    }
    const Shown sh = shown(s, g);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(sh.state, sh.reason)), "%s", g.name);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", state_label(sh.state, sh.reason));
    ++listed;
  }
  if (more) ImGui::TextDisabled("and %d more", more);
  ImGui::EndTooltip();
}

}  // namespace

void CodeView::draw_line(Player& player, const Tags& tags, int number, float width, float line_h) const {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float gutter = ImGui::CalcTextSize("0").x * 4.0f;
  const CodeLine& line = lines_[number - 1];
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, line_h));
  const bool hovered = player.interactive() && ImGui::IsItemHovered();
  if (hovered) player.hover_line(number);
  const auto& row = tags[number];

  // The band: the colour of the line's first goroutine, faint; brighter when pointed at.
  if (!row.empty()) {
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + line_h), with_alpha(row.front().color, 0.18f));
    dl->AddRectFilled(p, ImVec2(p.x + 3, p.y + line_h), row.front().color);
  }
  const GoroutineInfo* hovered_g = player.state().goroutine(player.hovered_goroutine());
  const int hovered_goroutine_line = hovered_g ? hovered_g->line : 0;
  if (hovered || number == hovered_goroutine_line || number == player.hovered_line())
    dl->AddRect(p, ImVec2(p.x + width, p.y + line_h), with_alpha(kHighlight, hovered ? 0.5f : 0.9f));

  char num[12];
  std::snprintf(num, sizeof num, "%3d", number);
  dl->AddText(ImVec2(p.x + 4, p.y + 1), kLineNumber, num);
  const float text_end = draw_tokens(dl, line, p.x + gutter + 6, p.y + 1);
  draw_tags(dl, row, p, text_end, gutter, line_h);
  if (hovered && !row.empty()) line_tooltip(player.state(), number);
}

void CodeView::draw(Player& player) {
  const LessonInfo* l = player.lesson();
  if (!l || l->go_source.empty()) {
    ImGui::TextDisabled("No Go listing for this lesson.");
    return;
  }
  const std::vector<CodeLine>& lines = lines_of(l->go_source);
  const Tags tags = tags_by_line(player);

  if (player.fonts().mono) ImGui::PushFont(player.fonts().mono);
  ImGui::BeginChild("##code-scroll", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  // Rows touch (no item spacing), so a row is exactly code_line_height() tall: the
  // clipper, the scroll maths and the hover all agree on where line N is.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  const float line_h = code_line_height();
  const float width = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
  follow_action(player, tags, line_h);

  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines.size()), line_h);
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) draw_line(player, tags, i + 1, width, line_h);
  ImGui::PopStyleVar();
  ImGui::EndChild();
  if (player.fonts().mono) ImGui::PopFont();
}

float code_line_height() { return std::floor(ImGui::GetFontSize() * 1.35f); }

}  // namespace goscope::ui
