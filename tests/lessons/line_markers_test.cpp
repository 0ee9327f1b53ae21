// line_markers_test.cpp: the line markers of every lesson point at the matching
// statement of its Go twin: a goroutine blocked on a send sits on a line with `<-`, a
// printing goroutine on a line with Println, and so on. This is what keeps the C++
// programs and the Go listings in step when either changes.
#include <gtest/gtest.h>

#include <map>

#include "core/recorder.h"
#include "lesson_test_support.h"

namespace goscope::lessons {
namespace {

using namespace testing;

bool contains(const std::string& text, const char* what) { return text.find(what) != std::string::npos; }

std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  return s;
}

class LineMarkers : public ::testing::TestWithParam<std::string> {};

TEST_P(LineMarkers, PointAtTheMatchingStatementOfTheGoTwin) {
  const Lesson& lesson = lesson_or_die(GetParam());
  const std::vector<std::string> source = lines(lesson.go_source);
  auto text = [&](int64_t line) -> std::string {
    return line >= 1 && line <= static_cast<int64_t>(source.size()) ? source[line - 1] : "";
  };
  for (int procs : {1, 3}) {
    Recorder log;
    Config config = deterministic(procs, 7);
    config.sink = &log;
    run_lesson(lesson, defaults(lesson), config);

    std::map<uint32_t, int64_t> at;  // goroutine -> its current Go line
    int checked = 0;
    for (const Event& e : log.events()) {
      SCOPED_TRACE(describe(e));
      if (e.g == 0) continue;  // the runtime itself (main's creation, a timer firing) has no line
      switch (e.kind) {
        case EventKind::GoCreate:
          EXPECT_TRUE(contains(text(e.a), "go func")) << "line " << e.a << ": " << text(e.a);
          checked++;
          break;
        case EventKind::GoLine: {
          std::string statement = trimmed(text(e.a));
          EXPECT_FALSE(statement.empty()) << "line " << e.a << " is blank or outside the listing";
          EXPECT_NE(statement.rfind("//", 0), 0u) << "line " << e.a << " is a comment";
          at[e.g] = e.a;
          break;
        }
        case EventKind::GoBlock: {
          std::string statement = text(at[e.g]);
          switch (static_cast<BlockReason>(e.reason)) {
            case BlockReason::Send:
            case BlockReason::Recv:
              EXPECT_TRUE(contains(statement, "<-") || contains(statement, "range")) << statement;
              break;
            case BlockReason::Select: EXPECT_TRUE(contains(statement, "select")) << statement; break;
            case BlockReason::WaitGroup: EXPECT_TRUE(contains(statement, "Wait()")) << statement; break;
            case BlockReason::Sleep: EXPECT_TRUE(contains(statement, "Sleep")) << statement; break;
            case BlockReason::Work: EXPECT_TRUE(contains(statement, "spin")) << statement; break;
            default: break;
          }
          checked++;
          break;
        }
        case EventKind::Output:
          EXPECT_TRUE(contains(text(at[e.g]), "fmt.Print")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::ChanSend:
          EXPECT_TRUE(contains(text(at[e.g]), "<-")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::ChanRecv: {
          std::string statement = text(at[e.g]);
          EXPECT_TRUE(contains(statement, "<-") || contains(statement, "range") || contains(statement, "select"))
              << statement;
          checked++;
          break;
        }
        case EventKind::ChanClose:
          EXPECT_TRUE(contains(text(at[e.g]), "close(")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::WgAdd:
          EXPECT_TRUE(contains(text(at[e.g]), "wg.Add")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::WgDone:
          EXPECT_TRUE(contains(text(at[e.g]), "wg.Done")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::WorkBegin:
          EXPECT_TRUE(contains(text(at[e.g]), "spin")) << text(at[e.g]);
          checked++;
          break;
        case EventKind::Sleep:
          EXPECT_TRUE(contains(text(at[e.g]), "Sleep")) << text(at[e.g]);
          checked++;
          break;
        default:
          break;
      }
    }
    EXPECT_GT(checked, 0) << "the run said nothing a line could be checked against";
    // Every goroutine that ran shows where it is, so the UI can light a line for it.
    for (const Event& e : log.events()) {
      if (e.kind == EventKind::GoStart) {
        EXPECT_TRUE(at.count(e.g)) << "goroutine " << e.g << " ran without a line";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, LineMarkers, ::testing::ValuesIn(kLessonIds), test_name);

}  // namespace
}  // namespace goscope::lessons
