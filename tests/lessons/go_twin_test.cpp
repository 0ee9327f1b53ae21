// go_twin_test.cpp: every lesson's Go twin (assets/lessons/<id>.go), built with the real
// Go toolchain, prints what the lesson prints on goscope. Skipped where Go is not
// installed. The toolchain gets its own HOME, GOCACHE and GOPATH in a temporary
// directory, so it runs in a clean CI checkout; each twin is built once (about 0.3 s).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "lesson_test_support.h"

namespace goscope::lessons {
namespace {

using namespace testing;
namespace fs = std::filesystem;

constexpr const char* kGo = "/usr/bin/go";

// Shell quoting for paths and arguments.
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

// GoToolchain builds and runs Go twins in a temporary directory.
class GoToolchain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kGo) || dir_ != nullptr) return;
    char pattern[] = "/tmp/goscope-go-twins-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return;
    dir_ = new fs::path(pattern);
  }
  static void TearDownTestSuite() {
    if (dir_ != nullptr) {
      std::error_code ignored;
      fs::remove_all(*dir_, ignored);
      delete dir_;
      dir_ = nullptr;
    }
  }

  void SetUp() override {
    if (!fs::exists(kGo)) GTEST_SKIP() << kGo << " is not installed";
    ASSERT_NE(dir_, nullptr) << "no temporary directory";
  }

  // sh runs a command with the Go toolchain's environment and captures its output.
  static Result sh(const std::string& command) {
    const fs::path& d = *dir_;
    std::string env = "env -i PATH=/usr/bin:/bin HOME=" + shell_quoted(d.string()) + " GOCACHE=" +
                      shell_quoted((d / "cache").string()) + " GOPATH=" + shell_quoted((d / "gopath").string()) +
                      " GOFLAGS= GO111MODULE=on ";
    std::string out = (d / "stdout").string(), err = (d / "stderr").string();
    int status = std::system((env + command + " >" + shell_quoted(out) + " 2>" + shell_quoted(err)).c_str());
    Result result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
  }

  // binary builds the lesson's twin once and returns the executable's path.
  static std::string binary(const std::string& id) {
    fs::path exe = *dir_ / id;
    if (!fs::exists(exe)) {
      std::string source = std::string(GOSCOPE_SOURCE_DIR) + "/assets/lessons/" + id + ".go";
      Result built = sh(std::string(kGo) + " build -o " + shell_quoted(exe.string()) + " " + shell_quoted(source));
      EXPECT_EQ(built.exit_code, 0) << "go build " << id << ":\n" << built.err;
    }
    return exe.string();
  }

  // run_twin runs the lesson's twin with the given flags.
  static Result run_twin(const std::string& id, const std::string& flags = "") {
    return sh(shell_quoted(binary(id)) + " " + flags);
  }

  static fs::path* dir_;
};

fs::path* GoToolchain::dir_ = nullptr;

class GoTwin : public GoToolchain, public ::testing::WithParamInterface<std::string> {};

TEST_P(GoTwin, PrintsWhatTheLessonPrintsOnGoscope) {
  const std::string& id = GetParam();
  const Lesson& lesson = lesson_or_die(id);
  Result twin = run_twin(id);
  Outcome goscope_run = run_lesson(lesson, defaults(lesson), deterministic(2, 1));
  // Go is free to order what its synchronisation leaves open; goscope's deterministic
  // run must match the recorded order exactly (lesson_runs_test).
  EXPECT_TRUE(same_lines(lines(twin.out), goscope_run.output, order_fixed_by_synchronization(id)));
  EXPECT_TRUE(same_lines(lines(twin.out), recorded_output(id), order_fixed_by_synchronization(id)));
  if (expected_kind(id) == OutcomeKind::ok) {
    EXPECT_EQ(twin.exit_code, 0) << twin.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, GoTwin, ::testing::ValuesIn(kLessonIds), test_name);

TEST_F(GoToolchain, DeadlockEndsWithTheSameReportAsOnGoscope) {
  Result twin = run_twin("deadlock");
  EXPECT_EQ(twin.exit_code, 2) << "Go exits 2 on a fatal error";
  Outcome out = run_lesson(*find("deadlock"), {}, deterministic(1, 1));
  std::vector<std::string> go_report = lines(twin.err), our_report = lines(out.report());
  ASSERT_GE(go_report.size(), 3u) << twin.err;
  ASSERT_GE(our_report.size(), 3u) << out.report();
  // "fatal error: all goroutines are asleep - deadlock!", "", "goroutine 1 [chan send]:"
  for (std::size_t i = 0; i < 3; i++) EXPECT_EQ(our_report[i], go_report[i]) << "line " << i;
}

TEST_F(GoToolchain, FlagsRunTheTwinWithOtherParameters) {
  struct Case {
    const char* id;
    Params overrides;
    std::string flags;
  };
  const std::vector<Case> cases = {
      {"buffered-channel", {{"buffer", 0}}, "-buffer 0"},
      {"buffered-channel", {{"buffer", 5}}, "-buffer 5"},
      {"fan-in", {{"producers", 8}, {"messages", 3}, {"buffer", 2}}, "-producers 8 -messages 3 -buffer 2"},
      {"fan-out", {{"jobs", 100}, {"workers", 8}, {"work_ms", 1}, {"kind", 1}}, "-jobs 100 -workers 8 -work_ms 1 -kind io"},
      {"fan-out", {{"jobs", 7}, {"workers", 3}, {"buffer", 0}, {"work_ms", 2}, {"kind", 0}}, "-jobs 7 -workers 3 -buffer 0 -work_ms 2 -kind cpu"},
      {"pipeline", {{"numbers", 12}}, "-numbers 12"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.id) + " " + c.flags);
    const Lesson& lesson = *find(c.id);
    Params params = with(lesson, c.overrides);
    Result twin = run_twin(c.id, c.flags);
    EXPECT_EQ(twin.exit_code, 0) << twin.err;
    Outcome out = run_lesson(lesson, params, deterministic(2, 3));
    EXPECT_TRUE(same_lines(lines(twin.out), out.output, order_fixed_by_synchronization(c.id)));
    EXPECT_TRUE(same_lines(out.output, expected_output(c.id, params), true));
  }
}

}  // namespace
}  // namespace goscope::lessons
