// Readings no device can produce are dropped and named by line; gaps and counter jumps are
// not integrated across (the sink hears on_gap before the sample after them).
#include "sensors/replay/plausible_rows.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sensors/replay/trace.hpp"

namespace joulebench {
namespace {

class RecordingSink : public TraceSink {
 public:
  void on_devices(const std::vector<DeviceInfo>& devices) override { count = devices.size(); }
  void on_sample(std::size_t, const Sample& sample) override { samples.push_back(sample); }
  void on_gap(std::size_t) override { gaps_before.push_back(samples.size()); }
  std::size_t count = 0;
  std::vector<Sample> samples;
  std::vector<std::size_t> gaps_before;  // index of the sample that follows each gap
};

std::string smi_log(const std::vector<std::pair<std::string, std::string>>& rows,
                    const std::string& extra_header = "") {
  std::string log = "timestamp, power.draw.instant [W]" + extra_header + "\n";
  for (const auto& [time, watts] : rows) log += "2024/01/01 " + time + ", " + watts + "\n";
  return log;
}

TEST(PlausibleRows, PowerOutsideTheRangeIsDroppedAndNamed) {
  RecordingSink sink;
  auto summary = parse_trace_stream(smi_log({{"00:00:00.000", "100 W"},
                                             {"00:00:00.100", "-50 W"},
                                             {"00:00:00.200", "100000000 W"},
                                             {"00:00:00.300", "120 W"}}),
                                    "p.csv", {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  ASSERT_EQ(sink.samples.size(), 4u);
  EXPECT_FALSE(sink.samples[1].power_w);
  EXPECT_FALSE(sink.samples[2].power_w);
  EXPECT_EQ(sink.samples[3].power_w, 120.0);
  ASSERT_EQ(summary->warnings.size(), 1u);
  EXPECT_EQ(summary->warnings[0],
            "replay:0: power_w outside the plausible range ignored (0 .. 5000 W): 2 rows: "
            "line 3 (-50 W), line 4 (1e+08 W)");
}

TEST(PlausibleRows, TheDevicesOwnPowerLimitSetsTheBound) {
  RecordingSink sink;
  auto summary = parse_trace_stream(
      "timestamp, power.limit [W], power.draw.instant [W]\n"
      "2024/01/01 00:00:00.000, 300 W, 100 W\n"
      "2024/01/01 00:00:00.100, 300 W, 700 W\n",
      "p.csv", {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_FALSE(sink.samples.at(1).power_w);
  ASSERT_EQ(summary->warnings.size(), 1u);
  EXPECT_NE(summary->warnings[0].find("(0 .. 600 W): 1 row: line 3 (700 W)"), std::string::npos)
      << summary->warnings[0];
}

TEST(PlausibleRows, AGapOfManyIntervalsIsNotJoined) {
  RecordingSink sink;
  auto summary = parse_trace_stream(smi_log({{"00:00:00.000", "100 W"},
                                             {"00:00:01.000", "100 W"},
                                             {"00:00:02.000", "100 W"},
                                             {"23:59:59.000", "100 W"},
                                             {"23:59:59.500", "100 W"}}),
                                    "p.csv", {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_EQ(sink.gaps_before, (std::vector<std::size_t>{3}));
  ASSERT_EQ(summary->warnings.size(), 1u);
  EXPECT_EQ(summary->warnings[0],
            "replay:0: gaps of more than 10 sampling intervals not integrated across: 1 row: "
            "line 5 (86397 s after the previous row, sampling every 1 s)");
}

TEST(PlausibleRows, ASamplerHiccupIsStillBridged) {
  RecordingSink sink;
  auto summary = parse_trace_stream(smi_log({{"00:00:00.000", "100 W"},
                                             {"00:00:00.010", "100 W"},
                                             {"00:00:00.020", "100 W"},
                                             {"00:00:00.600", "100 W"}}),
                                    "p.csv", {}, sink);
  ASSERT_TRUE(summary);
  EXPECT_TRUE(sink.gaps_before.empty());
  EXPECT_TRUE(summary->warnings.empty());
}

TEST(PlausibleRows, CounterJumpsAndNegativeCountersAreNotEnergy) {
  const std::string trace =
      "# joulebench-trace v1\n"
      "# device index=0 id=nvml:0 sensor=nvml power_limit_w=700 cap.energy_counter=yes\n"
      "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
      "memory_used_bytes,throttle_mask\n"
      "0.0,0,100,1000,,,,,\n"
      "0.1,0,100,1010,,,,,\n"
      "0.2,0,100,1e300,,,,,\n"
      "0.3,0,100,-5,,,,,\n";
  RecordingSink sink;
  auto summary = parse_trace_stream(trace, "t.csv", {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_EQ(sink.gaps_before, (std::vector<std::size_t>{2}));
  EXPECT_FALSE(sink.samples.at(3).energy_counter_j);
  ASSERT_EQ(summary->warnings.size(), 2u);
  EXPECT_EQ(summary->warnings[0],
            "nvml:0: negative energy_counter_j ignored: 1 row: line 7 (-5 J)");
  EXPECT_EQ(summary->warnings[1],
            "nvml:0: energy counter steps larger than the device could draw not counted: 1 row: "
            "line 6 (+1e+300 J in 0.1 s)");
}

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

TEST(PlausibleRows, ABoardLimitFromOutsideTheTraceSetsTheBound) {
  RecordingSink sink;
  TraceParseOptions options;
  options.board_power_limit_w = [](const DeviceInfo& device) -> std::optional<double> {
    return device.name == "Board" ? std::optional<double>(400.0) : std::nullopt;
  };
  auto summary = parse_trace_stream(
      "timestamp, name, power.draw.instant [W]\n"
      "2024/01/01 00:00:00.000, Board, 100 W\n"
      "2024/01/01 00:00:00.100, Board, 1000 W\n",
      "p.csv", options, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_FALSE(sink.samples.at(1).power_w);
  ASSERT_EQ(summary->warnings.size(), 1u);
  EXPECT_NE(summary->warnings[0].find("(0 .. 800 W): 1 row: line 3 (1000 W)"), std::string::npos)
      << summary->warnings[0];
}

}  // namespace
}  // namespace joulebench
