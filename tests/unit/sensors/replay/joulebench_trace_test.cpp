#include "sensors/replay/joulebench_trace.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sensors/replay/csv_text.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kMs = 1'000'000;

const char* const kPreamble =
    "# joulebench-trace v1\n"
    "# start_time=2026-11-24T10:11:12.345Z\n"
    "# device index=0 id=nvml:0 sensor=nvml name=\"GPU A\" power_kind=instantaneous\n"
    "# device index=1 id=nvml:1 sensor=nvml name=\"GPU B\" power_kind=unknown\n"
    "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
    "memory_used_bytes,throttle_mask\n";

Trace load_fixture() {
  auto trace =
      load_trace(std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/traces/jb-two-devices.csv", {});
  EXPECT_TRUE(trace) << trace.error().what_line();
  return trace ? std::move(trace.value()) : Trace{};
}

TEST(JoulebenchTrace, DevicesKeepEveryRecordedField) {
  Trace trace = load_fixture();
  EXPECT_EQ(trace.summary.format, "joulebench-trace");
  ASSERT_EQ(trace.devices.size(), 2u);
  const DeviceInfo& h100 = trace.devices[0];
  EXPECT_EQ(h100.id, "nvml:0");
  EXPECT_EQ(h100.sensor, "nvml");
  EXPECT_EQ(h100.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(h100.driver_version, "550.54.15");
  EXPECT_EQ(h100.power_limit_w, 700.0);
  EXPECT_EQ(h100.counter_update_period_s, 0.1);
  EXPECT_FALSE(h100.counter_max_j);
  EXPECT_TRUE(h100.supports(Metric::energy_counter));
  const DeviceInfo& other = trace.devices[1];
  EXPECT_EQ(other.name, "Lab GPU \"B\", slot 2");
  EXPECT_EQ(other.uuid, "");
  EXPECT_EQ(other.power_kind, PowerKind::average_1s);
  EXPECT_EQ(other.capabilities.at(Metric::power).reason, "a 1 s average");
  EXPECT_FALSE(other.supports(Metric::energy_counter));
  EXPECT_EQ(other.capabilities.at(Metric::energy_counter).reason, "not supported before Volta");
  EXPECT_EQ(other.capabilities.count(Metric::sm_clock), 0u);
}

TEST(JoulebenchTrace, RowsEmptyFieldsAndLostMarker) {
  Trace trace = load_fixture();
  ASSERT_EQ(trace.samples[0].size(), 4u);
  ASSERT_EQ(trace.samples[1].size(), 2u);
  const Sample& h100 = trace.samples[0][2];
  EXPECT_EQ(h100.time_ns, 200 * kMs);
  EXPECT_EQ(h100.power_w, 648.0);
  EXPECT_EQ(h100.energy_counter_j, 1113.375);
  EXPECT_EQ(h100.memory_used_bytes, 42951770112u);
  EXPECT_EQ(h100.throttle_mask, 0x44u);
  const Sample& other = trace.samples[1][1];
  EXPECT_EQ(other.time_ns, 100'350'000);
  EXPECT_EQ(other.power_w, 90.0);
  EXPECT_FALSE(other.energy_counter_j);
  EXPECT_FALSE(other.gpu_utilization_pct);
  EXPECT_FALSE(other.memory_used_bytes);
  EXPECT_FALSE(other.throttle_mask);
  EXPECT_FALSE(trace.lost_at_ns[0]);
  EXPECT_EQ(trace.lost_at_ns[1], 150 * kMs);
  EXPECT_EQ(trace.summary.rows, 6u);
  EXPECT_EQ(trace.summary.last_time_ns, 300 * kMs);
}

TEST(JoulebenchTrace, MetadataInFileOrder) {
  Trace trace = load_fixture();
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(trace.summary.metadata, (std::vector<Pair>{{"tool", "joulebench 0.1.0"},
                                                       {"start_time", "2026-11-24T10:11:12.345Z"},
                                                       {"interval_s", "0.1"},
                                                       {"host", "gpu-node-7"}}));
  EXPECT_EQ(trace.summary.start_wall_clock, "2026-11-24T10:11:12.345Z");
}

TEST(JoulebenchTrace, TimesAreRelativeToTheFirstRowAndExtraDecimalsRound) {
  auto trace = parse_trace(std::string(kPreamble) +
                               "100.5,0,1,,,,,,\n"
                               "100.6000000004,0,1,,,,,,\n"
                               "100.6000000006,1,1,,,,,,\n",
                           "t.csv", {});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->samples[0][0].time_ns, 0);
  EXPECT_EQ(trace->samples[0][1].time_ns, 100 * kMs);
  EXPECT_EQ(trace->samples[1][0].time_ns, 100 * kMs + 1);
}

TEST(JoulebenchTrace, UnknownDeviceKeysAreNotedNotFatal) {
  auto trace = parse_trace(
      "# joulebench-trace v1\n"
      "# device index=0 id=a sensor=s name=n power_kind=unknown colour=blue cap.smell=yes\n"
      "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
      "memory_used_bytes,throttle_mask\n",
      "t.csv", {});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->summary.notes,
            (std::vector<std::string>{"device line: unknown key colour ignored",
                                      "device line: unknown key cap.smell ignored"}));
}

struct BadTrace {
  const char* text;  // appended after kPreamble when `after_preamble`
  bool after_preamble;
  std::size_t line;
  const char* message;
  bool skippable;
};

class JoulebenchTraceBadInput : public ::testing::TestWithParam<BadTrace> {
 protected:
  std::string text() const {
    const BadTrace& c = GetParam();
    return c.after_preamble ? std::string(kPreamble) + "0.0,0,1,,,,,,\n" + c.text : c.text;
  }
};

TEST_P(JoulebenchTraceBadInput, FailsWithMessageAndLine) {
  auto trace = parse_trace(text(), "bad.csv", {});
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().message, GetParam().message);
  EXPECT_EQ(trace.error().file, "bad.csv");
  EXPECT_EQ(trace.error().line, GetParam().line);
}

TEST_P(JoulebenchTraceBadInput, OnlyRowErrorsCanBeSkipped) {
  auto trace = parse_trace(text(), "bad.csv", {.skip_bad_lines = true});
  EXPECT_EQ(static_cast<bool>(trace), GetParam().skippable);
  if (trace) {
    EXPECT_EQ(trace->summary.skipped_lines, 1u);
  }
}

// Rows after the preamble start at line 7 (line 6 is a good row).
INSTANTIATE_TEST_SUITE_P(
    Table, JoulebenchTraceBadInput,
    ::testing::Values(
        BadTrace{"1.0,0,1,2,3\n", true, 7, "expected 9 fields, got 5", true},
        BadTrace{"abc,0,1,,,,,,\n", true, 7, "time_s: \"abc\" is not a time in seconds", true},
        BadTrace{"1e3,0,1,,,,,,\n", true, 7, "time_s: \"1e3\" is not a time in seconds", true},
        BadTrace{"1.0,2,1,,,,,,\n", true, 7,
                 "device: \"2\" is not a declared device (the trace has 2)", true},
        BadTrace{"1.0,0,abc,,,,,,\n", true, 7, "power_w: \"abc\" is not a number", true},
        BadTrace{"1.0,0,inf,,,,,,\n", true, 7, "power_w: \"inf\" is not a number", true},
        BadTrace{"1.0,0,1,,,,,-5,\n", true, 7,
                 "memory_used_bytes: \"-5\" is not a non-negative integer", true},
        BadTrace{"1.0,0,1,,,,,,0xq\n", true, 7, "throttle_mask: \"0xq\" is not a bit mask", true},
        BadTrace{"-1.0,0,1,,,,,,\n", true, 7, "time_s goes backwards by 1 s for device 0", true},
        BadTrace{"# lost device=0\n", true, 7, "lost: expected device=N time_s=SECONDS", true},
        BadTrace{"# lost device=0 time_s=1\n# lost device=0 time_s=2\n", true, 8,
                 "lost: device 0 is already lost", true},
        BadTrace{"# note=hello\n", true, 7, "unexpected comment \"# note=hello\" among the rows",
                 true},
        BadTrace{"# joulebench-trace v2\n", false, 1,
                 "unsupported trace version \"v2\" (this joulebench reads v1)", false},
        BadTrace{"# joulebench-trace v1\n# device index=1 id=a\n", false, 2,
                 "device index 1 where 0 was expected (devices are listed in order from 0)", false},
        BadTrace{"# joulebench-trace v1\n# device id=a\n", false, 2,
                 "device line without index=", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 name=x\n", false, 2,
                 "device line without id=", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a name=\"x\n", false, 2,
                 "name: unterminated quoted value", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a name=\"\\q\"\n", false, 2,
                 "name: unknown escape \"\\\\q\"", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a id=b\n", false, 2,
                 "duplicate key id", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a power_limit_w=lots\n", false, 2,
                 "power_limit_w: \"lots\" is not a number", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a power_kind=fast\n", false, 2,
                 "power_kind: \"fast\" is not a power kind", false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a cap.power=maybe\n", false, 2,
                 "cap.power: \"maybe\" is not yes or no", false},
        BadTrace{"# joulebench-trace v1\n# hello world\n", false, 2,
                 "unexpected line \"# hello world\" before the header", false},
        BadTrace{"# joulebench-trace v1\ntime,power\n", false, 2,
                 "expected the header line time_s,device,power_w,energy_counter_j,temperature_c,"
                 "gpu_utilization_pct,sm_clock_mhz,memory_used_bytes,throttle_mask",
                 false},
        BadTrace{"# joulebench-trace v1\n# device index=0 id=a\n", false, 2,
                 "no header line (expected time_s,device,power_w,energy_counter_j,temperature_c,"
                 "gpu_utilization_pct,sm_clock_mhz,memory_used_bytes,throttle_mask)",
                 false},
        BadTrace{"# joulebench-trace v1\ntime_s,device,power_w,energy_counter_j,temperature_c,"
                 "gpu_utilization_pct,sm_clock_mhz,memory_used_bytes,throttle_mask\n",
                 false, 2, "no \"# device\" line before the header", false}));

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

TEST(JoulebenchTrace, SkippingARowStampedAheadSkipsOnlyThatRow) {
  std::string text = kPreamble;
  for (const char* time : {"0.0", "0.1", "0.2", "9.0", "0.3", "0.4"}) {
    text += std::string(time) + ",0,100,,,,,,\n";
  }
  auto trace = parse_trace(text, "t.csv", {.skip_bad_lines = true});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->summary.skipped_lines, 1u);
  EXPECT_EQ(trace->summary.rows, 5u);
  EXPECT_EQ(trace->summary.skipped_examples.at(0).what_line(),
            "t.csv:9: time_s is ahead of the next row of device 0 by 8.7 s");
}

TEST(JoulebenchTrace, ALineLongerThanTheBoundIsNamed) {
  const std::string long_line(replay::kMaxLineBytes + 1, 'x');
  auto in_rows = parse_trace(std::string(kPreamble) + long_line + "\n0.0,0,1,,,,,,\n", "t.csv", {});
  ASSERT_FALSE(in_rows);
  EXPECT_EQ(in_rows.error().what_line(), "t.csv:6: line longer than 65536 bytes");
  auto skipped = parse_trace(std::string(kPreamble) + long_line + "\n0.0,0,1,,,,,,\n", "t.csv",
                             {.skip_bad_lines = true});
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->summary.skipped_lines, 1u);
  auto in_preamble = parse_trace("# joulebench-trace v1\n# " + long_line + "\n", "t.csv",
                                 {.skip_bad_lines = true});
  ASSERT_FALSE(in_preamble);
  EXPECT_EQ(in_preamble.error().what_line(), "t.csv:2: line longer than 65536 bytes");
}

TEST(JoulebenchTrace, AHeaderWithoutThePreambleIsNamedAsSuch) {
  auto trace = parse_trace(
      "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
      "memory_used_bytes,throttle_mask\n0.0,0,1,,,,,,\n",
      "t.csv", {});
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().what_line(),
            "t.csv:1: a joulebench trace header without the \"# joulebench-trace v1\" and "
            "\"# device\" lines before it (was the start of the file cut off?)");
}

}  // namespace
}  // namespace joulebench
