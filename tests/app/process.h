// process.h: running the built goscope executable from a test and capturing what it says.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace goscope::test {

// Ran is what a command did: its exit code (-1 if it did not exit normally) and its
// stdout and stderr, captured separately.
struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// kGoscope is the executable under test, passed by CMake as $<TARGET_FILE:goscope>.
inline const std::string kGoscope = GOSCOPE_EXE;

// scratch_dir returns a fresh directory for this test's files.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("goscope-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::string text;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) text.append(buf.data(), n);
    std::fclose(f);
  }
  return text;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// files_in lists the names of the files in `dir`, sorted.
inline std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// kFileSizeLimit prefixes a shell command so that writing a file past 16 KiB (32 KiB
// where the shell counts 1 KiB blocks) fails with EFBIG instead of killing the process:
// a full disk, for tests, without root.
inline const std::string kFileSizeLimit = "trap '' XFSZ; ulimit -f 32; ";

// run_command runs `command` with /bin/sh in `dir`, stdout and stderr going to files there.
inline Ran run_command(const std::string& command, const std::filesystem::path& dir) {
  const std::string full = "cd '" + dir.string() + "' && ( " + command + " ) >stdout.txt 2>stderr.txt";
  const int status = std::system(full.c_str());
  Ran ran;
  ran.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  ran.out = slurp(dir / "stdout.txt");
  ran.err = slurp(dir / "stderr.txt");
  return ran;
}

// have_program reports whether `name` is on PATH.
inline bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// under_xvfb prefixes a command so it runs on a private virtual X display.
inline std::string under_xvfb(const std::string& command) {
  return "xvfb-run -a -s '-screen 0 1600x1000x24' " + command;
}

}  // namespace goscope::test
