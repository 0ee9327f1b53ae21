// compare.cpp: metrics, medians, ratios and the printed forms of a comparison.
#include "bench/compare.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace goscope::bench {

std::string_view to_string(Peer p) {
  switch (p) {
    case Peer::goscope: return "goscope";
    case Peer::go: return "go";
    case Peer::boost_fiber: return "boost_fiber";
  }
  return "?";
}

std::optional<Peer> parse_peer(std::string_view name) {
  for (Peer p : kPeers)
    if (to_string(p) == name) return p;
  return std::nullopt;
}

const std::vector<Metric>& metrics() {
  // Iteration counts aim at 20-200 ms per measurement on a 2-core machine: long enough
  // to swamp timer and start-up noise, short enough for 5 interleaved rounds.
  static const std::vector<Metric> all = {
      {"pingpong_unbuffered_rt_ns", "ns", 1, 200000, 2000,
       "round trip: a sends on unbuffered ping, b receives and sends back on pong"},
      {"pingpong_buffered1_rt_ns", "ns", 1, 200000, 2000,
       "the same round trip over two channels of capacity 1"},
      {"spsc_cap128_ns", "ns", 1, 2000000, 10000,
       "per message: one producer, one consumer, capacity 128"},
      {"mpmc_4x4_cap128_ns", "ns", 1, 2000000, 10000,
       "per message: 4 producers, 4 consumers, one channel of capacity 128"},
      {"select2_pingpong_rt_ns", "ns", 1, 200000, 2000,
       "round trip where both sides receive with a select over two channels"},
      {"yield_ns", "ns", 1, 1000000, 10000,
       "per yield of one goroutine while a second one yields too (Gosched)"},
      {"spawn_join_ns", "ns", 1, 200000, 2000, "start one goroutine and wait for it to finish"},
      {"parked_bytes_per_goroutine", "bytes", 1, 100000, 1000,
       "RSS growth per goroutine with 100,000 parked, in a fresh process"},
      {"pingpong_unbuffered_rt_ns_2t", "ns", 2, 100000, 1000,
       "unbuffered ping-pong round trip on two worker threads"},
      {"spsc_cap128_ns_2t", "ns", 2, 1000000, 10000, "SPSC capacity 128 on two worker threads"},
      {"mpmc_4x4_cap128_ns_2t", "ns", 2, 1000000, 10000,
       "4 producers / 4 consumers capacity 128 on two worker threads"},
      {"event_emit_ns", "ns", 1, 1000000, 10000,
       "cost of one user event with a recording sink attached (traced minus untraced)"},
      {"pingpong_traced_over_untraced", "x", 1, 200000, 2000,
       "unbuffered ping-pong time with tracing on divided by tracing off"},
  };
  return all;
}

const Metric* find_metric(std::string_view name) {
  for (const Metric& m : metrics())
    if (m.name == name) return &m;
  return nullptr;
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::optional<double> ratio(std::optional<double> ours, std::optional<double> go,
                            std::optional<double> boost_fiber) {
  if (!ours) return std::nullopt;
  std::optional<double> best;
  for (std::optional<double> peer : {go, boost_fiber})
    if (peer && (!best || *peer < *best)) best = peer;
  if (!best || *best <= 0) return std::nullopt;
  return *ours / *best;
}

std::optional<double> Row::value(Peer p) const {
  switch (p) {
    case Peer::goscope: return goscope;
    case Peer::go: return go;
    case Peer::boost_fiber: return boost_fiber;
  }
  return std::nullopt;
}

void Samples::add(std::string_view metric, Peer peer, double value) {
  auto it = samples_.find(metric);
  if (it == samples_.end()) it = samples_.emplace(std::string(metric), std::array<std::vector<double>, 3>{}).first;
  it->second[static_cast<int>(peer)].push_back(value);
}

void Samples::note(std::string_view metric, std::string_view text) {
  auto it = notes_.find(metric);
  if (it == notes_.end()) it = notes_.emplace(std::string(metric), std::vector<std::string>{}).first;
  if (std::find(it->second.begin(), it->second.end(), text) == it->second.end())
    it->second.emplace_back(text);
}

const std::vector<double>& Samples::of(std::string_view metric, Peer peer) const {
  static const std::vector<double> none;
  auto it = samples_.find(metric);
  return it == samples_.end() ? none : it->second[static_cast<int>(peer)];
}

std::vector<Row> Samples::rows() const {
  std::vector<Row> rows;
  for (const Metric& m : metrics()) {
    Row r;
    r.metric = m.name;
    r.unit = m.unit;
    r.goscope = median(of(m.name, Peer::goscope));
    r.go = median(of(m.name, Peer::go));
    r.boost_fiber = median(of(m.name, Peer::boost_fiber));
    r.rounds = static_cast<int>(of(m.name, Peer::goscope).size());
    if (auto it = notes_.find(m.name); it != notes_.end()) {
      for (const std::string& n : it->second) {
        if (!r.note.empty()) r.note += "; ";
        r.note += n;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

namespace {

// Values keep 4 significant digits in JSON: the machines are noisier than that.
nlohmann::ordered_json json_value(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  if (*v == 0) return 0.0;
  const double scale = std::pow(10.0, 3 - static_cast<int>(std::floor(std::log10(std::fabs(*v)))));
  return std::round(*v * scale) / scale;
}

}  // namespace

std::string to_json(const std::vector<Row>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Row& r : rows) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    o["metric"] = r.metric;
    o["unit"] = r.unit;
    o["goscope"] = json_value(r.goscope);
    o["go"] = json_value(r.go);
    o["boost_fiber"] = json_value(r.boost_fiber);
    out.push_back(std::move(o));
  }
  return out.dump(1);
}

Machine this_machine() {
  Machine m;
  char buf[64];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  m.date = buf;
  utsname u{};
  if (uname(&u) == 0) m.uname = std::string(u.sysname) + " " + u.release + " " + u.machine;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) m.cpu = line.substr(line.find_first_not_of(" \t", colon + 1));
      break;
    }
  }
  m.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  return m;
}

std::string format_value(std::optional<double> v, std::string_view unit) {
  if (!v || !std::isfinite(*v)) return "-";
  char buf[32];
  const double a = std::fabs(*v);
  if (unit == "x" || a < 10) std::snprintf(buf, sizeof buf, "%.2f", *v);
  else if (a < 100) std::snprintf(buf, sizeof buf, "%.1f", *v);
  else std::snprintf(buf, sizeof buf, "%.0f", *v);
  return buf;
}

namespace {

std::string ratio_cell(const Row& r) {
  auto q = r.ratio();
  if (!q) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *q);
  return buf;
}

std::string header_lines(const Machine& m, std::string_view command, std::string_view prefix) {
  std::ostringstream o;
  o << prefix << "date:    " << m.date << "\n";
  o << prefix << "machine: " << m.uname << ", " << m.cpu << ", " << m.cpus << " CPUs\n";
  if (!m.go_version.empty()) o << prefix << "go:      " << m.go_version << "\n";
  if (!m.boost_version.empty()) o << prefix << "boost:   " << m.boost_version << "\n";
  if (!m.clock.empty()) o << prefix << "clock:   " << m.clock << "\n";
  o << prefix << "command: " << command << "\n";
  return o.str();
}

}  // namespace

std::string to_table(const std::vector<Row>& rows, const Machine& m, std::string_view command) {
  std::ostringstream o;
  o << header_lines(m, command, "");
  o << "medians over rounds; ratio = goscope / best peer (below 1: goscope is faster)\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-32s %-6s %10s %10s %12s %7s\n", "metric", "unit", "goscope", "Go",
                "Boost.Fiber", "ratio");
  o << line;
  o << std::string(82, '-') << "\n";
  for (const Row& r : rows) {
    std::snprintf(line, sizeof line, "%-32s %-6s %10s %10s %12s %7s\n", r.metric.c_str(), r.unit.c_str(),
                  format_value(r.goscope, r.unit).c_str(), format_value(r.go, r.unit).c_str(),
                  format_value(r.boost_fiber, r.unit).c_str(), ratio_cell(r).c_str());
    o << line;
  }
  bool any = false;
  for (const Row& r : rows) {
    if (r.note.empty()) continue;
    if (!any) o << "\nnotes:\n";
    any = true;
    o << "  " << r.metric << ": " << r.note << "\n";
  }
  return o.str();
}

std::string to_markdown(const std::vector<Row>& rows, const Machine& m, std::string_view command) {
  std::ostringstream o;
  o << header_lines(m, command, "- ");
  o << "\nMedians over interleaved rounds, one fresh process per measurement. goscope / best is goscope\n"
       "divided by the better of Go and Boost.Fiber: below 1, goscope is faster (or smaller).\n";
  o << "\n| metric | unit | goscope | Go | Boost.Fiber | goscope / best |\n";
  o << "|---|---|---:|---:|---:|---:|\n";
  for (const Row& r : rows)
    o << "| " << r.metric << " | " << r.unit << " | " << format_value(r.goscope, r.unit) << " | "
      << format_value(r.go, r.unit) << " | " << format_value(r.boost_fiber, r.unit) << " | " << ratio_cell(r)
      << " |\n";
  bool any = false;
  for (const Row& r : rows) {
    if (r.note.empty()) continue;
    if (!any) o << "\nNotes:\n\n";
    any = true;
    o << "- `" << r.metric << "`: " << r.note << "\n";
  }
  return o.str();
}

std::string to_json_line(const Measurement& m) {
  nlohmann::json o = nlohmann::json::object();
  o["metric"] = m.metric;
  o["value"] = m.value && std::isfinite(*m.value) ? nlohmann::json(*m.value) : nlohmann::json(nullptr);
  if (!m.note.empty()) o["note"] = m.note;
  return o.dump();
}

std::optional<std::vector<Measurement>> parse_measurements(std::string_view text, std::string* error) {
  std::vector<Measurement> out;
  auto fail = [&](std::string_view why, std::string_view line) -> std::optional<std::vector<Measurement>> {
    if (error) *error = std::string(why) + ": " + std::string(line.substr(0, 200));
    return std::nullopt;
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      if (end == text.size()) break;
      continue;
    }
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object", line);
    if (!j.contains("metric") || !j["metric"].is_string()) return fail("no string \"metric\"", line);
    if (!j.contains("value") || !(j["value"].is_number() || j["value"].is_null()))
      return fail("no numeric or null \"value\"", line);
    Measurement m;
    m.metric = j["metric"].get<std::string>();
    if (j["value"].is_number()) m.value = j["value"].get<double>();
    if (j.contains("note") && j["note"].is_string()) m.note = j["note"].get<std::string>();
    out.push_back(std::move(m));
    if (end == text.size()) break;
  }
  return out;
}

}  // namespace goscope::bench
