// event_file.cpp: the binary event file (see event_file.h).
#include "ui/model/event_file.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace goscope {

namespace {

constexpr char kMagic[4] = {'G', 'S', 'E', 'V'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kNullText = 0xffffffffu;

template <class T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
void get(std::ifstream& in, T& v, const std::string& path) {
  if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) throw std::runtime_error(path + ": truncated event file");
}

}  // namespace

void save_events(const std::string& path, std::span<const Event> events) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot write");
  out.write(kMagic, 4);
  put(out, kVersion);
  put(out, static_cast<uint64_t>(events.size()));
  for (const Event& e : events) {
    put(out, e.seq);
    put(out, e.ts);
    put(out, e.a);
    put(out, e.b);
    put(out, e.obj);
    put(out, e.g);
    put(out, e.other);
    put(out, e.proc);
    put(out, static_cast<uint8_t>(e.kind));
    put(out, e.reason);
    uint32_t len = e.text ? static_cast<uint32_t>(std::strlen(e.text)) : kNullText;
    put(out, len);
    if (e.text) out.write(e.text, len);
  }
  if (!out) throw std::runtime_error(path + ": write failed");
}

std::vector<Event> load_events(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  char magic[4];
  if (!in.read(magic, 4) || std::memcmp(magic, kMagic, 4) != 0) throw std::runtime_error(path + ": not an event file");
  uint32_t version = 0;
  get(in, version, path);
  if (version != kVersion) throw std::runtime_error(path + ": unknown event file version");
  uint64_t n = 0;
  get(in, n, path);
  std::vector<Event> events;
  events.reserve(static_cast<std::size_t>(std::min<uint64_t>(n, 1u << 24)));
  std::string text;
  for (uint64_t k = 0; k < n; ++k) {
    Event e;
    uint8_t kind = 0;
    get(in, e.seq, path);
    get(in, e.ts, path);
    get(in, e.a, path);
    get(in, e.b, path);
    get(in, e.obj, path);
    get(in, e.g, path);
    get(in, e.other, path);
    get(in, e.proc, path);
    get(in, kind, path);
    get(in, e.reason, path);
    if (kind >= kEventKindCount) throw std::runtime_error(path + ": bad event kind");
    e.kind = static_cast<EventKind>(kind);
    uint32_t len = 0;
    get(in, len, path);
    if (len != kNullText) {
      if (len > (1u << 24)) throw std::runtime_error(path + ": event text too long");
      text.resize(len);
      if (len && !in.read(text.data(), len)) throw std::runtime_error(path + ": truncated event file");
      e.text = intern(text);
    }
    events.push_back(e);
  }
  return events;
}

}  // namespace goscope
