// output_file_test.cpp: writing output files so that a failure is reported with its reason
// and never leaves a broken or half-replaced file.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "app/output_file.h"
#include "tests/app/process.h"

namespace goscope::app {
namespace {

namespace fs = std::filesystem;

TEST(OutputFile, WritesANewFile) {
  const fs::path dir = test::scratch_dir("out-new");
  std::string problem;
  ASSERT_TRUE(write_output_file((dir / "a.txt").string(), "hello", problem)) << problem;
  EXPECT_EQ(test::slurp(dir / "a.txt"), "hello");
  EXPECT_EQ(test::files_in(dir), std::vector<std::string>{"a.txt"});
}

TEST(OutputFile, ReplacesAFileKeepingItsPermissions) {
  const fs::path dir = test::scratch_dir("out-replace");
  const fs::path path = dir / "a.txt";
  test::write_file(path, "a much longer old text");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  std::string problem;
  ASSERT_TRUE(write_output_file(path.string(), "new", problem)) << problem;
  EXPECT_EQ(test::slurp(path), "new");
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(test::files_in(dir), std::vector<std::string>{"a.txt"});
}

TEST(OutputFile, ThroughASymbolicLinkReplacesTheTargetAndKeepsTheLink) {
  const fs::path dir = test::scratch_dir("out-link");
  test::write_file(dir / "target.txt", "old");
  fs::create_symlink("target.txt", dir / "link.txt");
  std::string problem;
  ASSERT_TRUE(write_output_file((dir / "link.txt").string(), "new", problem)) << problem;
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(test::slurp(dir / "target.txt"), "new");
  EXPECT_EQ(test::files_in(dir), (std::vector<std::string>{"link.txt", "target.txt"}));
}

TEST(OutputFile, AFullDeviceFailsWithTheReason) {
  std::string problem;
  EXPECT_FALSE(write_output_file("/dev/full", "bytes", problem));
  EXPECT_EQ(problem, "cannot write /dev/full: No space left on device");
}

TEST(OutputFile, ADeviceThatTakesTheBytesIsWrittenDirectly) {
  std::string problem;
  EXPECT_TRUE(write_output_file("/dev/null", "bytes", problem)) << problem;
  EXPECT_TRUE(fs::is_character_file("/dev/null")) << "not replaced by a regular file";
}

TEST(OutputFile, AMissingFolderOrAFolderFailsWithTheReason) {
  const fs::path dir = test::scratch_dir("out-missing");
  std::string problem;
  EXPECT_FALSE(write_output_file((dir / "no" / "a.txt").string(), "x", problem));
  EXPECT_EQ(problem, "cannot write " + (dir / "no" / "a.txt").string() + ": No such file or directory");
  EXPECT_FALSE(write_output_file(dir.string(), "x", problem));
  EXPECT_EQ(problem, "cannot write " + dir.string() + ": Is a directory");
  EXPECT_FALSE(write_output_file("", "x", problem));
  EXPECT_FALSE(problem.empty());
}

}  // namespace
}  // namespace goscope::app
