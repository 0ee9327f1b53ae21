// compare.h: the logic of `goscope-bench --compare`: which metrics exist, how samples
// become medians and ratios, and how the result is printed (JSON or a table).
//
// The comparison runs every workload for three peers (goscope, Go, Boost.Fiber), one
// fresh child process per measurement, interleaved over several rounds; this file holds
// only the parts that do not measure anything, so unit tests can check them.
//
// Example:
//
//   goscope::bench::Samples s;
//   s.add("yield_ns", Peer::goscope, 41.0);
//   s.add("yield_ns", Peer::go, 70.0);
//   std::vector<Row> rows = s.rows();          // one Row per metric, in contract order
//   std::puts(to_json(rows).c_str());          // [{"metric":"yield_ns","unit":"ns",...}, ...]
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goscope::bench {

// Peer names a runtime in the comparison.
enum class Peer { goscope, go, boost_fiber };
inline constexpr std::array<Peer, 3> kPeers = {Peer::goscope, Peer::go, Peer::boost_fiber};

// to_string names a peer the way the JSON keys do ("goscope", "go", "boost_fiber").
std::string_view to_string(Peer p);
// parse_peer is the inverse of to_string; nullopt for an unknown name.
std::optional<Peer> parse_peer(std::string_view name);

// Metric describes one line of the comparison. The names and units are a contract (the
// README table and scripts read them); all metrics are "lower is better".
struct Metric {
  std::string_view name;   // "pingpong_unbuffered_rt_ns"
  std::string_view unit;   // "ns", "bytes" or "x" (a ratio)
  int procs;               // worker threads (GOMAXPROCS) the workload runs on
  long iterations;         // operations per measurement in a full run
  long quick_iterations;   // operations per measurement with --quick (CI smoke)
  std::string_view what;   // one line for people: what is timed
};

// metrics returns every metric of the comparison, in the order they are reported.
const std::vector<Metric>& metrics();
// find_metric returns the metric called name, or nullptr.
const Metric* find_metric(std::string_view name);

// median returns the median of values (the mean of the middle two for an even count),
// nullopt when there are none.
std::optional<double> median(std::vector<double> values);

// ratio returns ours / the better (lower) of the peers that have a value, nullopt when
// ours is missing, no peer has a value, or the best peer is not positive.
std::optional<double> ratio(std::optional<double> ours, std::optional<double> go,
                            std::optional<double> boost_fiber);

// Row is one line of the result: the median of each peer's samples (nullopt where a peer
// has no equivalent or every measurement failed) and why a cell is empty.
struct Row {
  std::string metric;
  std::string unit;
  std::optional<double> goscope, go, boost_fiber;
  std::string note;  // why cells are empty, or how to read the line
  int rounds = 0;    // how many samples the goscope median is over

  std::optional<double> value(Peer p) const;
  std::optional<double> ratio() const { return bench::ratio(goscope, go, boost_fiber); }
};

// Samples collects measurements, many per (metric, peer), and notes per metric.
class Samples {
 public:
  // add records one measurement of metric by peer.
  void add(std::string_view metric, Peer peer, double value);
  // note attaches a remark to a metric's row (kept once, in the order given).
  void note(std::string_view metric, std::string_view text);
  // of returns every measurement of metric by peer, in the order added.
  const std::vector<double>& of(std::string_view metric, Peer peer) const;
  // rows turns the samples into one Row per metric of metrics(), in contract order.
  std::vector<Row> rows() const;

 private:
  std::map<std::string, std::array<std::vector<double>, 3>, std::less<>> samples_;
  std::map<std::string, std::vector<std::string>, std::less<>> notes_;
};

// to_json renders rows as a JSON array of {"metric", "unit", "goscope", "go",
// "boost_fiber"} objects, exactly those keys, null for a missing value.
std::string to_json(const std::vector<Row>& rows);

// Machine describes where a comparison ran, for the table's header.
struct Machine {
  std::string date;     // UTC, ISO 8601
  std::string uname;    // `uname -srm` and the host name
  std::string cpu;      // model name from /proc/cpuinfo
  int cpus = 0;         // online CPUs
  std::string go_version;  // `go version`, empty when Go is missing
  std::string boost_version;
  std::string clock;    // what the ns columns count: "wall" or "process CPU time"
};
// this_machine fills Machine for the running process (Go and Boost versions left empty).
Machine this_machine();

// to_table renders rows as a readable table (metric, goscope, Go, Boost.Fiber, ratio)
// with the machine and the command line above it and the notes below.
std::string to_table(const std::vector<Row>& rows, const Machine& m, std::string_view command);
// to_markdown renders the same as a markdown table, for the README.
std::string to_markdown(const std::vector<Row>& rows, const Machine& m, std::string_view command);

// format_value prints a cell: a plain number with three significant digits or more
// ("245", "41.5", "2531", "1.07" for a ratio), "-" for a missing value.
std::string format_value(std::optional<double> v, std::string_view unit);

// Measurement is one line a measuring process prints: {"metric": "...", "value": 12.5}
// (value null when the peer has no equivalent), with an optional "note".
struct Measurement {
  std::string metric;
  std::optional<double> value;
  std::string note;
};

// to_json_line renders m as the one-line JSON a measuring process prints.
std::string to_json_line(const Measurement& m);

// parse_measurements reads the JSON lines a measuring process (the Go program or a
// goscope-bench child) printed. Blank lines are skipped; any other line that is not a
// JSON object with a string "metric" and a numeric or null "value" is an error, reported
// in *error (with the line) and nothing is returned.
std::optional<std::vector<Measurement>> parse_measurements(std::string_view text, std::string* error);

}  // namespace goscope::bench
