// output_file.h: writing goscope's output files (screenshots, traces) and stdout so that a
// failure is reported, with its reason, instead of leaving a silently broken file.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace goscope::app {

// write_output_file writes `bytes` to `path` and reports whether every byte arrived.
// A new path or a regular file (through a symbolic link too) is written to a temporary
// file in the same folder and renamed over `path` only after the data is written,
// synced and closed, so a failed write leaves the old file as it was. An existing file
// that is not a regular one (/dev/stdout, a pipe, /dev/full) cannot be renamed onto and
// is written directly. On failure sets `problem` to "cannot write PATH: REASON".
bool write_output_file(const std::string& path, std::string_view bytes, std::string& problem);

// flush_stream flushes `out` and reports whether it is still good. When `out` is
// std::cout it keeps the reason of a failure for flush_stdout: glibc drops a buffer it
// could not write, so a later flush succeeds and cannot tell why.
bool flush_stream(std::ostream& out);

// flush_stdout flushes stdout and std::cout and reports whether everything written to
// them arrived; on failure sets `problem` to "cannot write to stdout: REASON".
bool flush_stdout(std::string& problem);

}  // namespace goscope::app
