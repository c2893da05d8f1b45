#include <gtest/gtest.h>

#include <string>

#include "sensors/replay/mapped_file.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench {
namespace {

const std::string kData = std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/";

// Counts calls; relies on TraceSink's default on_lost.
class CountingSink : public TraceSink {
 public:
  void on_devices(const std::vector<DeviceInfo>& d) override { devices = d.size(); }
  void on_sample(std::size_t, const Sample&) override { ++samples; }
  std::size_t devices = 0;
  std::size_t samples = 0;
};

TEST(TraceLoader, DetectsTheFormatFromTheFirstLine) {
  auto smi = load_trace(kData + "traces/smi-nounits.csv", {});
  ASSERT_TRUE(smi);
  EXPECT_EQ(smi->summary.format, "nvidia-smi-csv");
  auto own = load_trace(kData + "traces/jb-two-devices.csv", {});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->summary.format, "joulebench-trace");
}

TEST(TraceLoader, StreamsAFileIntoASink) {
  CountingSink sink;
  auto summary = parse_trace_file(kData + "traces/jb-two-devices.csv", {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_EQ(sink.devices, 2u);
  EXPECT_EQ(sink.samples, 6u);
  EXPECT_EQ(summary->rows, 6u);
}

TEST(TraceLoader, UnknownCommentFormatIsAnError) {
  auto trace = parse_trace("\n# some-other-tool v3\n", "x.csv", {});
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().what_line(),
            "x.csv:2: unknown trace format: the first line is neither \"# joulebench-trace v1\" "
            "nor an nvidia-smi CSV header");
}

TEST(TraceLoader, FileErrorsNameThePath) {
  auto missing = load_trace("/nonexistent/log.csv", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().file, "/nonexistent/log.csv");
  auto directory = load_trace(kData, {});
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message, "is a directory, not a trace file");
}

TEST(MappedFile, GivesTheWholeFileAndSurvivesAMove) {
  auto file = replay::MappedFile::open(kData + "traces/smi-midnight.csv");
  ASSERT_TRUE(file);
  replay::MappedFile moved = std::move(file.value());
  EXPECT_EQ(moved.text().substr(0, 30), "timestamp, power.draw.instant ");
  EXPECT_EQ(moved.text().back(), '\n');
  EXPECT_EQ(moved.text().size(), 204u);
}

TEST(MappedFile, EmptyFileIsEmptyText) {
  auto file = replay::MappedFile::open("/dev/null");
  ASSERT_TRUE(file) << file.error().what_line();
  EXPECT_TRUE(file->text().empty());
  auto trace = load_trace("/dev/null", {});
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().what_line(), "/dev/null: empty file");
}

}  // namespace
}  // namespace joulebench
