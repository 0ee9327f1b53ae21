// event_file_test.cpp: recorded runs survive a trip through a file.
#include "ui/model/event_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ui/model/replay.h"
#include "ui_model/trace_builder.h"

namespace goscope {
namespace {

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("goscope_ui_model_") + name)).string();
}

TEST(EventFile, ARunComesBackAsItWasWritten) {
  std::vector<Event> events = testing::fan_in_trace();
  std::string path = temp_path("roundtrip.gsev");
  save_events(path, events);
  std::vector<Event> again = load_events(path);
  std::filesystem::remove(path);
  ASSERT_EQ(again.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(describe(again[i]), describe(events[i])) << i;
    EXPECT_EQ(again[i].text == nullptr, events[i].text == nullptr) << i;
  }
  EXPECT_EQ(ReplayModel(again).final_state(), ReplayModel(events).final_state());
}

TEST(EventFile, TruncatedOrForeignFilesAreRefused) {
  std::string path = temp_path("truncated.gsev");
  save_events(path, testing::fan_in_trace());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 5);
  EXPECT_THROW(load_events(path), std::runtime_error);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "not events at all";
  }
  EXPECT_THROW(load_events(path), std::runtime_error);
  std::filesystem::remove(path);
  EXPECT_THROW(load_events(path), std::runtime_error);
}

}  // namespace
}  // namespace goscope
