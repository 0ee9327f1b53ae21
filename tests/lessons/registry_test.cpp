// registry_test.cpp: the lesson registry: ids in teaching order, parameters with sane
// ranges and defaults, and the embedded Go twins and narration.
#include <gtest/gtest.h>

#include <set>

#include "lessons/assets.h"
#include "lesson_test_support.h"

namespace goscope::lessons {
namespace {

using testing::kLessonIds;

TEST(Registry, ListsTheLessonsInTeachingOrder) {
  std::vector<std::string> ids;
  for (const Lesson& lesson : all()) ids.push_back(lesson.id);
  EXPECT_EQ(ids, kLessonIds);
}

TEST(Registry, FindsEveryLessonByIdAndNothingElse) {
  for (const Lesson& lesson : all()) EXPECT_EQ(find(lesson.id), &lesson);
  EXPECT_EQ(find("fan-out "), nullptr) << "ids are exact";
}

TEST(Registry, FindReturnsNullForAnUnknownId) {
  EXPECT_EQ(find("fan_out"), nullptr);
  EXPECT_EQ(find(""), nullptr);
}

TEST(Registry, EveryLessonHasATitleASummaryAndAProgram) {
  for (const Lesson& lesson : all()) {
    SCOPED_TRACE(lesson.id);
    EXPECT_FALSE(lesson.title.empty());
    EXPECT_FALSE(lesson.summary.empty());
    EXPECT_EQ(lesson.summary.find('\n'), std::string::npos) << "the summary is one line";
    EXPECT_TRUE(static_cast<bool>(lesson.program));
  }
}

TEST(Registry, EveryParameterHasADescriptionAndADefaultWithinItsRange) {
  for (const Lesson& lesson : all()) {
    std::set<std::string> names;
    for (const Param& param : lesson.params) {
      SCOPED_TRACE(lesson.id + " " + param.name);
      EXPECT_TRUE(names.insert(param.name).second) << "names are unique within a lesson";
      EXPECT_FALSE(param.description.empty());
      EXPECT_EQ(param.description.find('\n'), std::string::npos);
      EXPECT_LE(param.min, param.max);
      EXPECT_GE(param.def, param.min);
      EXPECT_LE(param.def, param.max);
      if (!param.choices.empty()) {
        EXPECT_EQ(param.min, 0);
        EXPECT_EQ(param.max, static_cast<int64_t>(param.choices.size()) - 1)
            << "a choice parameter's value is the index of its choice";
      }
    }
  }
}

TEST(Registry, ParametersAreTheOnesTheIssueNames) {
  auto names = [](const char* id) {
    std::vector<std::string> result;
    for (const Param& param : find(id)->params) result.push_back(param.name);
    return result;
  };
  EXPECT_EQ(names("buffered-channel"), (std::vector<std::string>{"buffer"}));
  EXPECT_EQ(names("fan-in"), (std::vector<std::string>{"producers", "messages", "buffer"}));
  EXPECT_EQ(names("fan-out"), (std::vector<std::string>{"jobs", "workers", "buffer", "work_ms", "kind"}));
  EXPECT_EQ(names("pipeline"), (std::vector<std::string>{"numbers"}));
  for (const char* id : {"hello-goroutine", "waitgroup", "unbuffered-channel", "select", "deadlock"}) {
    EXPECT_TRUE(names(id).empty()) << id;
  }
}

TEST(Registry, RangesAreTheOnesTheIssueNames) {
  const Lesson& fan_in = *find("fan-in");
  EXPECT_EQ(find_param(fan_in, "producers")->min, 1);
  EXPECT_EQ(find_param(fan_in, "producers")->max, 64);
  const Lesson& fan_out = *find("fan-out");
  EXPECT_EQ(find_param(fan_out, "jobs")->min, 1);
  EXPECT_EQ(find_param(fan_out, "jobs")->max, 100000);
  EXPECT_EQ(find_param(fan_out, "workers")->min, 1);
  EXPECT_EQ(find_param(fan_out, "workers")->max, 64);
  EXPECT_EQ(find_param(fan_out, "kind")->choices, (std::vector<std::string>{"cpu", "io"}));
  EXPECT_EQ(find_param(fan_out, "procs"), nullptr) << "procs is a run setting (Config::procs)";
  EXPECT_EQ(fan_out.suggested_procs, 4);
}

TEST(Registry, DefaultsGiveEveryParameterItsDefault) {
  for (const Lesson& lesson : all()) {
    Params params = defaults(lesson);
    EXPECT_EQ(params.size(), lesson.params.size()) << lesson.id;
    for (const Param& param : lesson.params) EXPECT_EQ(params.at(param.name), param.def);
  }
}

TEST(Registry, ThroughputIsReportedForFanInAndFanOutOnly) {
  for (const Lesson& lesson : all()) {
    bool expected = lesson.id == "fan-in" || lesson.id == "fan-out";
    EXPECT_EQ(lesson.reports_throughput, expected) << lesson.id;
    EXPECT_EQ(static_cast<bool>(lesson.throughput_items), expected) << lesson.id;
  }
  EXPECT_EQ(find("fan-in")->throughput_items({{"producers", 5}, {"messages", 7}, {"buffer", 0}}), 35);
  EXPECT_EQ(find("fan-out")->throughput_items(defaults(*find("fan-out"))), 40);
}

TEST(Registry, EveryLessonCarriesItsGoTwinAndNarrationAsOnDisk) {
  for (const Lesson& lesson : all()) {
    SCOPED_TRACE(lesson.id);
    std::string dir = std::string(GOSCOPE_SOURCE_DIR) + "/assets/lessons/";
    EXPECT_EQ(lesson.go_source, testing::read_file(dir + lesson.id + ".go"));
    EXPECT_EQ(lesson.narration, testing::read_file(dir + lesson.id + ".md"));
    EXPECT_NE(lesson.go_source.find("package main"), std::string::npos);
    EXPECT_NE(lesson.go_source.find("func main()"), std::string::npos);
    EXPECT_EQ(lesson.narration.rfind("# ", 0), 0u) << "narration starts with a heading";
    EXPECT_NE(lesson.narration.find("## The question"), std::string::npos);
  }
}

TEST(Registry, TheGoTwinsFlagsMatchTheParameters) {
  // A twin reads each parameter from a flag of the same name with the same default, so
  // `go run fan-out.go -workers 8` runs what --set workers=8 runs.
  for (const Lesson& lesson : all()) {
    for (const Param& param : lesson.params) {
      SCOPED_TRACE(lesson.id + " " + param.name);
      std::string expected = param.choices.empty()
                                 ? "(\"" + param.name + "\", " + std::to_string(param.def) + ","
                                 : "(\"" + param.name + "\", \"" + param.choices[param.def] + "\",";
      EXPECT_NE(lesson.go_source.find(expected), std::string::npos) << "flag" << expected;
    }
  }
}

TEST(Registry, EmbedsEveryAssetOnce) {
  std::vector<std::string_view> names = embedded_asset_names();
  for (const std::string& id : kLessonIds) {
    EXPECT_EQ(std::count(names.begin(), names.end(), id + ".go"), 1) << id;
    EXPECT_EQ(std::count(names.begin(), names.end(), id + ".md"), 1) << id;
  }
  EXPECT_TRUE(embedded_asset("no-such-lesson.go").empty());
}

TEST(Registry, FindParamFindsByName) {
  const Lesson& fan_out = *find("fan-out");
  ASSERT_NE(find_param(fan_out, "work_ms"), nullptr);
  EXPECT_EQ(find_param(fan_out, "work_ms")->name, "work_ms");
  EXPECT_EQ(find_param(fan_out, "nope"), nullptr);
}

}  // namespace
}  // namespace goscope::lessons
