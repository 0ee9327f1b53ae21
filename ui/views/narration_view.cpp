// narration_view.cpp: a small markdown renderer on ImDrawList. ImGui 1.86 has no rich
// text, so inline styles are laid out word by word: measure, wrap, draw, then reserve
// the block's height with a Dummy so scrolling works.
#include "ui/views/narration_view.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include <imgui.h>

#include "ui/views/app_shell.h"
#include "ui/views/player.h"
#include "ui/views/theme.h"

namespace goscope::ui {
namespace {

constexpr ImU32 kStrong = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
constexpr ImU32 kEmphasis = IM_COL32(0x8C, 0xC8, 0xFF, 0xFF);
constexpr ImU32 kInlineCode = IM_COL32(0xF0, 0xC6, 0x74, 0xFF);
constexpr ImU32 kCodeBg = IM_COL32(0x2A, 0x2F, 0x38, 0xFF);
constexpr ImU32 kHeading = IM_COL32(0x00, 0xAD, 0xD8, 0xFF);

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int indent_of(std::string_view line) {
  int n = 0;
  for (char c : line) {
    if (c == ' ') ++n;
    else if (c == '\t') n += 4;
    else break;
  }
  return n;
}

// list_marker returns the length of a list marker at the start of `s` ("- ", "* ",
// "12. "), 0 if none; sets number for numbered items.
std::size_t list_marker(std::string_view s, int& number) {
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
    number = 0;
    return 2;
  }
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
    number = std::stoi(std::string(s.substr(0, i)));
    return i + 2;
  }
  return 0;
}

}  // namespace

std::vector<MdSpan> parse_inline(std::string_view t) {
  std::vector<MdSpan> out;
  std::string cur;
  auto flush = [&](MdSpan::Style st = MdSpan::Style::text) {
    if (!cur.empty()) out.push_back({st, cur});
    cur.clear();
  };
  std::size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '`') {
      const std::size_t end = t.find('`', i + 1);
      if (end != std::string_view::npos) {
        flush();
        out.push_back({MdSpan::Style::code, std::string(t.substr(i + 1, end - i - 1))});
        i = end + 1;
        continue;
      }
    }
    if ((c == '*' || c == '_') && i + 1 < t.size() && t[i + 1] == c) {
      const std::size_t end = t.find(std::string{c, c}, i + 2);
      if (end != std::string_view::npos) {
        flush();
        out.push_back({MdSpan::Style::strong, std::string(t.substr(i + 2, end - i - 2))});
        i = end + 2;
        continue;
      }
    }
    // A single * or _ opens emphasis only before a non-space (so "2 * 3" and snake_case stay text).
    const bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(t[i - 1]));
    if ((c == '*' || (c == '_' && word_start)) && i + 1 < t.size() && t[i + 1] != ' ') {
      const std::size_t end = t.find(c, i + 1);
      if (end != std::string_view::npos && end > i + 1) {
        flush();
        out.push_back({MdSpan::Style::emphasis, std::string(t.substr(i + 1, end - i - 1))});
        i = end + 1;
        continue;
      }
    }
    cur += c;
    ++i;
  }
  flush();
  return out;
}

std::vector<MdBlock> parse_markdown(std::string_view text) {
  std::vector<MdBlock> blocks;
  std::string para;  // the paragraph or list item being gathered
  MdBlock pending;
  bool open = false;
  auto close = [&] {
    if (open) {
      pending.spans = parse_inline(para);
      blocks.push_back(std::move(pending));
    }
    pending = MdBlock{};
    para.clear();
    open = false;
  };

  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::string_view line = trim(raw);

    if (line.starts_with("```")) {
      close();
      MdBlock code;
      code.kind = MdBlock::Kind::code;
      std::string body;
      while (pos <= text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view l = text.substr(pos, e - pos);
        pos = e + 1;
        if (trim(l).starts_with("```")) break;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        body += std::string(l) + "\n";
      }
      if (!body.empty()) body.pop_back();
      code.spans.push_back({MdSpan::Style::code, body});
      blocks.push_back(std::move(code));
      continue;
    }
    if (line.empty()) {
      close();
      if (nl >= text.size()) break;
      continue;
    }
    if (line[0] == '#') {
      close();
      int level = 0;
      while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
      MdBlock h;
      h.kind = MdBlock::Kind::heading;
      h.level = std::min(level, 6);
      h.spans = parse_inline(trim(line.substr(level)));
      blocks.push_back(std::move(h));
      continue;
    }
    if (line == "---" || line == "***" || line == "___") {
      close();
      blocks.push_back(MdBlock{MdBlock::Kind::rule, 0, 0, {}});
      continue;
    }
    int number = 0;
    if (const std::size_t m = list_marker(line, number)) {
      close();
      open = true;
      pending.kind = number ? MdBlock::Kind::numbered : MdBlock::Kind::bullet;
      pending.number = number;
      pending.level = indent_of(raw) / 2;
      para = std::string(line.substr(m));
      continue;
    }
    // A continuation line joins the paragraph or list item being gathered.
    if (!open) {
      open = true;
      pending.kind = MdBlock::Kind::paragraph;
    } else {
      para += ' ';
    }
    para += std::string(line);
  }
  close();
  return blocks;
}

namespace {

// Flow lays out styled words left to right, wrapping at `right`.
struct Flow {
  ImDrawList* dl;
  const Fonts& fonts;
  float left, right, x, y, line_h;

  ImFont* font_for(MdSpan::Style s) const {
    ImFont* f = s == MdSpan::Style::code && fonts.mono ? fonts.mono : ImGui::GetFont();
    return f;
  }

  void word(std::string_view w, MdSpan::Style style, bool space_before) {
    ImFont* f = font_for(style);
    const float size = f->FontSize;
    const float space = ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), 1e9f, 0, " ").x;
    const ImVec2 ws = f->CalcTextSizeA(size, 1e9f, 0, w.data(), w.data() + w.size());
    float at = x + (space_before && x > left ? space : 0);
    if (at + ws.x > right && x > left) {
      x = left;
      y += line_h;
      at = left;
    }
    const float dy = (line_h - size) * 0.5f;
    ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
    switch (style) {
      case MdSpan::Style::text: break;
      case MdSpan::Style::strong: col = kStrong; break;
      case MdSpan::Style::emphasis: col = kEmphasis; break;
      case MdSpan::Style::code:
        col = kInlineCode;
        dl->AddRectFilled(ImVec2(at - 2, y + 1), ImVec2(at + ws.x + 2, y + line_h - 1), kCodeBg, 3.0f);
        break;
    }
    dl->AddText(f, size, ImVec2(at, y + dy), col, w.data(), w.data() + w.size());
    // Strong text gets a one-pixel double strike: a bold face is not loaded at body size.
    if (style == MdSpan::Style::strong) dl->AddText(f, size, ImVec2(at + 1, y + dy), col, w.data(), w.data() + w.size());
    x = at + ws.x;
  }

  // spans places every word; a space in the source (inside a span or between two)
  // becomes a gap, so "`ch`," keeps its comma against the code.
  void spans(const std::vector<MdSpan>& ss) {
    bool need_space = false;
    for (const MdSpan& s : ss) {
      std::string_view t = s.text;
      if (s.style == MdSpan::Style::code) {  // inline code never breaks inside
        word(t, s.style, need_space);
        need_space = false;
        continue;
      }
      std::size_t i = 0;
      while (i < t.size()) {
        if (t[i] == ' ') {
          need_space = true;
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j < t.size() && t[j] != ' ') ++j;
        word(t.substr(i, j - i), s.style, need_space);
        need_space = false;
        i = j;
      }
    }
  }
};

}  // namespace

void draw_markdown(const std::vector<MdBlock>& blocks, const Fonts& fonts) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float em = ImGui::GetFontSize();
  const float width = ImGui::GetContentRegionAvail().x;
  for (const MdBlock& b : blocks) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    switch (b.kind) {
      case MdBlock::Kind::heading: {
        ImFont* f = fonts.heading ? fonts.heading : ImGui::GetFont();
        const float size = b.level <= 1 ? f->FontSize * 1.1f : b.level == 2 ? f->FontSize * 0.95f : em;
        if (p.y > ImGui::GetWindowPos().y + 40) ImGui::Dummy(ImVec2(0, em * 0.3f));
        p = ImGui::GetCursorScreenPos();
        std::string t;
        for (const MdSpan& s : b.spans) t += s.text;
        const ImVec2 ts = f->CalcTextSizeA(size, 1e9f, width, t.c_str());
        dl->AddText(f, size, p, b.level <= 1 ? kStrong : kHeading, t.c_str(), nullptr, width);
        ImGui::Dummy(ImVec2(width, ts.y + (b.level <= 1 ? 4.0f : 1.0f)));
        if (b.level <= 1) dl->AddLine(ImVec2(p.x, p.y + ts.y + 2), ImVec2(p.x + width, p.y + ts.y + 2), IM_COL32(0x33, 0x38, 0x42, 0xFF));
        break;
      }
      case MdBlock::Kind::paragraph:
      case MdBlock::Kind::bullet:
      case MdBlock::Kind::numbered: {
        const float indent = b.kind == MdBlock::Kind::paragraph ? 0.0f : em * (1.2f + 1.2f * b.level);
        const float line_h = ImGui::GetTextLineHeightWithSpacing() - 2.0f;
        if (b.kind == MdBlock::Kind::bullet) {
          dl->AddCircleFilled(ImVec2(p.x + indent - em * 0.6f, p.y + line_h * 0.5f), em * 0.16f, ImGui::GetColorU32(ImGuiCol_Text));
        } else if (b.kind == MdBlock::Kind::numbered) {
          char num[16];
          std::snprintf(num, sizeof num, "%d.", b.number);
          const float w = ImGui::CalcTextSize(num).x;
          dl->AddText(ImVec2(p.x + indent - w - em * 0.3f, p.y), ImGui::GetColorU32(ImGuiCol_Text), num);
        }
        Flow f{dl, fonts, p.x + indent, p.x + width, p.x + indent, p.y, line_h};
        f.spans(b.spans);
        ImGui::Dummy(ImVec2(width, f.y - p.y + line_h));
        if (b.kind == MdBlock::Kind::paragraph) ImGui::Dummy(ImVec2(0, em * 0.25f));
        break;
      }
      case MdBlock::Kind::code: {
        ImFont* f = fonts.mono ? fonts.mono : ImGui::GetFont();
        const std::string& t = b.spans.empty() ? std::string() : b.spans[0].text;
        const ImVec2 ts = f->CalcTextSizeA(f->FontSize, 1e9f, 0, t.c_str());
        const float pad = em * 0.4f;
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + ts.y + 2 * pad), kCodeBg, 4.0f);
        dl->PushClipRect(p, ImVec2(p.x + width, p.y + ts.y + 2 * pad), true);
        dl->AddText(f, f->FontSize, ImVec2(p.x + pad, p.y + pad), kCodeText, t.c_str());
        dl->PopClipRect();
        ImGui::Dummy(ImVec2(width, ts.y + 2 * pad));
        ImGui::Dummy(ImVec2(0, em * 0.2f));
        break;
      }
      case MdBlock::Kind::rule:
        dl->AddLine(ImVec2(p.x, p.y + em * 0.5f), ImVec2(p.x + width, p.y + em * 0.5f), IM_COL32(0x33, 0x38, 0x42, 0xFF));
        ImGui::Dummy(ImVec2(width, em));
        break;
    }
  }
}

void NarrationView::draw(Player& player) {
  const LessonInfo* l = player.lesson();
  if (!l) {
    ImGui::TextDisabled("Pick a lesson on the left.");
    return;
  }
  const std::size_t hash = std::hash<std::string_view>{}(l->narration);
  if (hash != parsed_hash_ || blocks_.empty()) {
    blocks_ = parse_markdown(l->narration);
    parsed_hash_ = hash;
  }
  draw_markdown(blocks_, player.fonts());
}

}  // namespace goscope::ui
