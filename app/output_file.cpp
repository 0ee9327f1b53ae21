// output_file.cpp: POSIX file writes with every error checked, including close's.
#include "app/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace goscope::app {
namespace {

int stdout_errno = 0;  // why the first failed flush of std::cout failed

std::string cannot_write(const std::string& path, int error) {
  return "cannot write " + path + ": " + std::strerror(error);
}

// write_all writes every byte, going on after short writes and signals.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// finish closes fd after `ok` work; false with errno set if the work or the close failed
// (a close can report a write the kernel deferred).
bool finish(int fd, bool ok) {
  const int error = errno;
  if (::close(fd) != 0 && ok) return false;
  errno = error;
  return ok;
}

bool write_directly(const std::string& path, std::string_view bytes, std::string& problem) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 || !finish(fd, write_all(fd, bytes))) {
    problem = cannot_write(path, errno);
    return false;
  }
  return true;
}

// open_temporary creates a new file next to `target`; -1 with errno set if it cannot.
int open_temporary(const std::filesystem::path& target, std::string& temp) {
  const std::string stem = (target.parent_path() / ("." + target.filename().string())).string() +
                           ".tmp" + std::to_string(::getpid());
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp = stem + (attempt ? "-" + std::to_string(attempt) : "");
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

// write_replacing writes a temporary file and renames it over `target`; `shown` is the
// path the user gave, for the message.
bool write_replacing(const std::filesystem::path& target, const std::string& shown, std::string_view bytes,
                     const struct stat* old, std::string& problem) {
  std::string temp;
  const int fd = open_temporary(target, temp);
  if (fd < 0) {
    problem = cannot_write(shown, errno);
    return false;
  }
  // A replaced file keeps its permissions; a failed fchmod only leaves the default ones.
  if (old) (void)::fchmod(fd, old->st_mode & 07777);
  bool ok = write_all(fd, bytes);
  // fsync surfaces what the file system deferred (a full disk on NFS, an I/O error).
  if (ok && ::fsync(fd) != 0 && errno != EINVAL) ok = false;
  ok = finish(fd, ok) && ::rename(temp.c_str(), target.c_str()) == 0;
  if (!ok) {
    problem = cannot_write(shown, errno);
    ::unlink(temp.c_str());
  }
  return ok;
}

}  // namespace

bool write_output_file(const std::string& path, std::string_view bytes, std::string& problem) {
  if (path.empty()) {
    problem = "cannot write a file with an empty name";
    return false;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      problem = cannot_write(path, errno);
      return false;
    }
    return write_replacing(path, path, bytes, nullptr, problem);
  }
  if (!S_ISREG(st.st_mode)) return write_directly(path, bytes, problem);
  // Through a symbolic link, replace the file it points to, not the link.
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  if (ec) return write_directly(path, bytes, problem);
  return write_replacing(target, path, bytes, &st, problem);
}

bool flush_stream(std::ostream& out) {
  errno = 0;
  if (out.flush()) return true;
  if (&out == &std::cout && stdout_errno == 0) stdout_errno = errno;
  return false;
}

bool flush_stdout(std::string& problem) {
  // stdout before std::cout, whose flush is stdout's: a second flush would find the
  // failed buffer dropped and no reason.
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int error = errno != 0 ? errno : stdout_errno;
  std::cout.flush();
  if (flushed && !std::ferror(stdout) && !std::cout.fail()) return true;
  problem = "cannot write to stdout: ";
  problem += error != 0 ? std::strerror(error) : "an earlier write failed";
  return false;
}

}  // namespace goscope::app
