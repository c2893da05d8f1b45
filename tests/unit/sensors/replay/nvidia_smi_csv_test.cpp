#include "sensors/replay/nvidia_smi_csv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sensors/replay/csv_text.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kMs = 1'000'000;

Trace parse_ok(std::string_view text, TraceParseOptions options = {}) {
  auto trace = parse_trace(text, "test.csv", options);
  EXPECT_TRUE(trace) << trace.error().what_line();
  return trace ? std::move(trace.value()) : Trace{};
}

Trace load_fixture(const std::string& name) {
  auto trace = load_trace(std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/" + name, {});
  EXPECT_TRUE(trace) << trace.error().what_line();
  return trace ? std::move(trace.value()) : Trace{};
}

Error parse_error(std::string_view text) {
  auto trace = parse_trace(text, "bad.csv", {});
  EXPECT_FALSE(trace) << "parsed without error: " << text;
  return trace ? Error{} : trace.error();
}

TEST(NvidiaSmiCsv, UnitsInValuesAreStrippedAndConverted) {
  Trace trace = load_fixture("traces/smi-units-in-values.csv");
  ASSERT_EQ(trace.devices.size(), 1u);
  ASSERT_EQ(trace.samples[0].size(), 4u);
  const Sample& third = trace.samples[0][2];
  EXPECT_EQ(third.time_ns, 200 * kMs);
  EXPECT_EQ(third.power_w, 655.10);  // from power.draw.instant, not power.draw (330.50)
  EXPECT_EQ(third.temperature_c, 57.0);
  EXPECT_EQ(third.gpu_utilization_pct, 100.0);
  EXPECT_EQ(third.sm_clock_mhz, 1755.0);
  EXPECT_EQ(third.memory_used_bytes, 40962ull * 1024 * 1024);
  EXPECT_EQ(third.throttle_mask, throttle::kSwPowerCap);
  EXPECT_EQ(trace.samples[0][3].throttle_mask, throttle::kSwPowerCap | throttle::kHwThermal);
  EXPECT_FALSE(third.energy_counter_j);
}

TEST(NvidiaSmiCsv, DeviceInfoComesFromTheColumns) {
  Trace trace = load_fixture("traces/smi-units-in-values.csv");
  const DeviceInfo& gpu = trace.devices.at(0);
  EXPECT_EQ(gpu.id, "replay:0");
  EXPECT_EQ(gpu.sensor, "replay");
  EXPECT_EQ(gpu.vendor, "NVIDIA");
  EXPECT_EQ(gpu.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpu.uuid, "GPU-5c3e1f2a-7b4d-4e8f-9a0b-1c2d3e4f5a6b");
  EXPECT_EQ(gpu.power_kind, PowerKind::instantaneous);
  EXPECT_TRUE(gpu.supports(Metric::power));
  EXPECT_FALSE(gpu.supports(Metric::energy_counter));
  EXPECT_EQ(gpu.capabilities.at(Metric::energy_counter).reason,
            "an nvidia-smi log has no energy counter");
  EXPECT_TRUE(gpu.supports(Metric::throttle_mask));
}

TEST(NvidiaSmiCsv, PlainPowerDrawHasUnknownKindWithAReason) {
  Trace trace = parse_ok("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 100.00 W\n");
  const DeviceInfo& gpu = trace.devices.at(0);
  EXPECT_EQ(gpu.power_kind, PowerKind::unknown);
  EXPECT_TRUE(gpu.supports(Metric::power));
  EXPECT_EQ(gpu.capabilities.at(Metric::power).reason,
            "power.draw may be a 1 s average on Ampere and newer");
  EXPECT_EQ(gpu.name, "GPU 0");
  EXPECT_FALSE(gpu.supports(Metric::temperature));
  EXPECT_EQ(gpu.capabilities.at(Metric::temperature).reason,
            "the log has no temperature.gpu column");
}

TEST(NvidiaSmiCsv, AveragePowerColumnIsAOneSecondAverage) {
  Trace trace = parse_ok("timestamp, power.draw.average [W]\n2024/01/01 00:00:00.000, 1 W\n");
  EXPECT_EQ(trace.devices.at(0).power_kind, PowerKind::average_1s);
}

TEST(NvidiaSmiCsv, NoPowerColumnMeansPowerIsUnsupportedNotZero) {
  Trace trace = parse_ok("timestamp, temperature.gpu\n2024/01/01 00:00:00.000, 40\n");
  EXPECT_FALSE(trace.devices.at(0).supports(Metric::power));
  EXPECT_FALSE(trace.samples[0][0].power_w);
}

TEST(NvidiaSmiCsv, NotAvailableValuesAreMissingNotZero) {
  Trace trace = load_fixture("traces/smi-not-available.csv");
  const auto& s = trace.samples.at(0);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_FALSE(s[0].gpu_utilization_pct);  // [N/A]
  EXPECT_FALSE(s[0].throttle_mask);        // [Not Supported]
  EXPECT_EQ(s[0].memory_used_bytes, 0u);   // a real 0 stays 0
  EXPECT_FALSE(s[1].power_w);              // [N/A]
  EXPECT_FALSE(s[2].temperature_c);        // N/A
  EXPECT_FALSE(s[3].power_w);              // [Unknown Error]
  EXPECT_EQ(s[2].throttle_mask, throttle::kGpuIdle);
  EXPECT_EQ(trace.devices[0].name, "Tesla T4");
  const auto& notes = trace.summary.notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(), "power.draw.average: 2 of 4 rows not available"),
            notes.end());
}

TEST(NvidiaSmiCsv, InterleavedGpusAreSplitByIndex) {
  Trace trace = load_fixture("traces/smi-multi-gpu-index.csv");
  ASSERT_EQ(trace.devices.size(), 2u);
  EXPECT_EQ(trace.devices[1].id, "replay:1");
  EXPECT_EQ(trace.samples[0].size(), 4u);
  EXPECT_EQ(trace.samples[1].size(), 4u);
  // Times are relative to the log's first row, whichever GPU it belongs to.
  EXPECT_EQ(trace.samples[0][0].time_ns, 0);
  EXPECT_EQ(trace.samples[1][0].time_ns, 2 * kMs);
  EXPECT_EQ(trace.samples[1][3].time_ns, 302 * kMs);
  EXPECT_EQ(trace.samples[1][1].power_w, 255.18);
  EXPECT_EQ(trace.summary.rows, 8u);
  EXPECT_EQ(trace.summary.last_time_ns, 302 * kMs);
}

TEST(NvidiaSmiCsv, InterleavedGpusWithoutIndexAreSplitByUuidThenName) {
  Trace by_uuid = load_fixture("traces/smi-multi-gpu-uuid.csv");
  ASSERT_EQ(by_uuid.devices.size(), 3u);
  EXPECT_EQ(by_uuid.devices[2].uuid, "GPU-aaaaaaaa-0000-0000-0000-000000000003");
  EXPECT_EQ(by_uuid.samples[1][1].power_w, 210.75);
  Trace by_name = load_fixture("traces/smi-multi-gpu-name.csv");
  ASSERT_EQ(by_name.devices.size(), 2u);
  EXPECT_EQ(by_name.devices[1].name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(by_name.samples[1][1].power_w, 402.90);
}

TEST(NvidiaSmiCsv, TimestampsCrossMidnightAndYearEnd) {
  Trace trace = load_fixture("traces/smi-midnight.csv");
  const auto& s = trace.samples.at(0);
  ASSERT_EQ(s.size(), 5u);
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].time_ns, static_cast<TimeNs>(i) * 100 * kMs) << i;
  }
  EXPECT_EQ(trace.summary.start_wall_clock, "2023/12/31 23:59:59.800");
}

TEST(NvidiaSmiCsv, IsoTimestampsWithAnyFraction) {
  Trace trace = load_fixture("traces/smi-iso-timestamps.csv");
  const auto& s = trace.samples.at(0);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1].time_ns, 100 * kMs);
  EXPECT_EQ(s[2].time_ns, 200'100'000);
  EXPECT_EQ(s[3].time_ns, 300'123'456);
}

TEST(NvidiaSmiCsv, ByteOrderMarkCrlfAndBlankLines) {
  Trace trace = load_fixture("traces/smi-crlf-bom.csv");
  const auto& s = trace.samples.at(0);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].time_ns, 500 * kMs);
  EXPECT_EQ(s[2].power_w, 100.0);
}

TEST(NvidiaSmiCsv, ExtraColumnsAreIgnoredOrUsedForDeviceInfo) {
  Trace trace = load_fixture("traces/smi-extra-columns.csv");
  const DeviceInfo& gpu = trace.devices.at(0);
  EXPECT_EQ(gpu.driver_version, "535.129.03");
  EXPECT_EQ(gpu.power_limit_w, 450.0);
  EXPECT_EQ(trace.samples[0][2].sm_clock_mhz, 2715.0);
  const auto& notes = trace.summary.notes;
  for (const char* note : {"pci.bus_id: ignored", "pstate: ignored", "fan.speed: ignored"}) {
    EXPECT_NE(std::find(notes.begin(), notes.end(), note), notes.end()) << note;
  }
}

// Sink that checks the documented call order: devices once, before any sample.
class OrderCheckingSink : public TraceSink {
 public:
  void on_devices(const std::vector<DeviceInfo>& devices) override {
    ++device_calls;
    device_count = devices.size();
    EXPECT_EQ(samples, 0u);
  }
  void on_sample(std::size_t device_index, const Sample&) override {
    EXPECT_EQ(device_calls, 1);
    EXPECT_LT(device_index, device_count);
    ++samples;
  }
  int device_calls = 0;
  std::size_t device_count = 0;
  std::size_t samples = 0;
};

TEST(NvidiaSmiCsv, SinkLearnsAllGpusOfTheFirstRoundBeforeAnySample) {
  const std::string path =
      std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/traces/smi-multi-gpu-uuid.csv";
  OrderCheckingSink sink;
  auto summary = parse_trace_file(path, {}, sink);
  ASSERT_TRUE(summary) << summary.error().what_line();
  EXPECT_EQ(sink.device_calls, 1);
  EXPECT_EQ(sink.device_count, 3u);
  EXPECT_EQ(sink.samples, 6u);
  EXPECT_EQ(summary->format, "nvidia-smi-csv");
}

TEST(NvidiaSmiCsv, HeaderOnlyLogHasNoDevices) {
  OrderCheckingSink sink;
  auto summary = parse_trace_stream("timestamp, power.draw [W]\n", "x.csv", {}, sink);
  ASSERT_TRUE(summary);
  EXPECT_EQ(sink.device_calls, 1);
  EXPECT_EQ(sink.device_count, 0u);
  EXPECT_EQ(summary->rows, 0u);
}

TEST(NvidiaSmiCsv, HeaderProblemsAreErrorsOnTheHeaderLine) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"2023/07/14 10:10:26.905, 0, 56.38 W\n",
       "the first line is data, not a header: logs recorded with --format=csv,noheader are not "
       "supported (record with --format=csv)"},
      {"index, power.draw [W]\n0, 1 W\n",
       "no timestamp column (record with --query-gpu=timestamp,...; the header has 2 columns)"},
      {"timestamp, power.draw [W], power.draw [W]\n", "duplicate column power.draw"},
      {"timestamp, power.draw [mW]\n", "power.draw: unit [mW] is not supported (expected [W])"},
  };
  for (const auto& c : cases) {
    Error error = parse_error(c.text);
    EXPECT_EQ(error.message, c.message);
    EXPECT_EQ(error.file, "bad.csv");
    EXPECT_EQ(error.line, 1u) << c.text;
  }
}

TEST(NvidiaSmiCsv, EmptyFileIsAnError) {
  for (const char* empty : {"", "\n\n", "  \r\n"}) {
    Error error = parse_error(empty);
    EXPECT_EQ(error.what_line(), "bad.csv: empty file");
  }
}

struct BadRow {
  const char* row;
  const char* message;
};

class NvidiaSmiBadRow : public ::testing::TestWithParam<BadRow> {
 protected:
  static std::string log_with(const char* row) {
    return std::string(
               "timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB], "
               "clocks_event_reasons.active\n"
               "2024/01/01 00:00:00.100, 0, 100.00 W, 5 %, 10 MiB, 0x0\n") +
           row + "\n2024/01/01 00:00:00.300, 0, 120.00 W, 7 %, 12 MiB, 0x0\n";
  }
};

TEST_P(NvidiaSmiBadRow, FailsWithMessageAndLine) {
  Error error = parse_error(log_with(GetParam().row));
  EXPECT_EQ(error.message, GetParam().message);
  EXPECT_EQ(error.file, "bad.csv");
  EXPECT_EQ(error.line, 3u);
}

TEST_P(NvidiaSmiBadRow, IsSkippedAndCountedOnRequest) {
  auto trace = parse_trace(log_with(GetParam().row), "bad.csv", {.skip_bad_lines = true});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->summary.skipped_lines, 1u);
  EXPECT_EQ(trace->summary.rows, 2u);
  ASSERT_EQ(trace->summary.skipped_examples.size(), 1u);
  EXPECT_EQ(trace->summary.skipped_examples[0].line, 3u);
  EXPECT_EQ(trace->summary.skipped_examples[0].message, GetParam().message);
  EXPECT_EQ(trace->samples.at(0).back().power_w, 120.0);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NvidiaSmiBadRow,
    ::testing::Values(
        BadRow{"2024/01/01 00:00:00.200, 0, abc W, 5 %, 10 MiB, 0x0",
               "power.draw: \"abc W\" is not a number"},
        BadRow{"2024/01/01 00:00:00.200, 0, abc, 5 %, 10 MiB, 0x0",
               "power.draw: \"abc\" is not a number"},
        BadRow{"2024/01/01 00:00:00.200, 0, , 5 %, 10 MiB, 0x0",
               "power.draw: \"\" is not a number"},
        BadRow{"2024/01/01 00:00:00.200, 0, nan W, 5 %, 10 MiB, 0x0",
               "power.draw: \"nan W\" is not a number"},
        BadRow{"2024/01/01 00:00:00.200, 0, 1.5 kW, 5 %, 10 MiB, 0x0",
               "power.draw: \"1.5 kW\" is not a number in W"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W", "expected 6 fields, got 3"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W, 5 %, 10 MiB, 0x0, extra",
               "expected 6 fields, got 7"},
        BadRow{"2024/01/01 00:00:00.050, 0, 100 W, 5 %, 10 MiB, 0x0",
               "timestamp goes backwards by 0.05 s (against the previous row of this GPU)"},
        BadRow{"2024/13/01 00:00:00.200, 0, 100 W, 5 %, 10 MiB, 0x0",
               "timestamp: \"2024/13/01 00:00:00.200\" is not a timestamp (expected "
               "YYYY/MM/DD HH:MM:SS.mmm)"},
        BadRow{"[N/A], 0, 100 W, 5 %, 10 MiB, 0x0",
               "timestamp: \"[N/A]\" is not a timestamp (expected YYYY/MM/DD HH:MM:SS.mmm)"},
        BadRow{"2024/01/01 00:00:00.200, x, 100 W, 5 %, 10 MiB, 0x0",
               "index: \"x\" is not a GPU index"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W, 5 W, 10 MiB, 0x0",
               "utilization.gpu: \"5 W\" is not a number in %"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W, 5 %, 10 TB, 0x0",
               "memory.used: \"10 TB\" is not a number in MiB"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W, 5 %, -1 MiB, 0x0",
               "memory.used: \"-1 MiB\" is out of range"},
        BadRow{"2024/01/01 00:00:00.200, 0, 100 W, 5 %, 10 MiB, zz",
               "clocks_event_reasons.active: \"zz\" is not a bit mask (expected hex, e.g. "
               "0x0000000000000004)"},
        BadRow{"timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB], "
               "clocks_event_reasons.active",
               "a second header line (were two logs joined?)"}));

TEST(NvidiaSmiCsv, GpuFirstSeenAfterTheFirstRoundIsABadRow) {
  const std::string log =
      "timestamp, index, power.draw [W]\n"
      "2024/01/01 00:00:00.000, 0, 1 W\n"
      "2024/01/01 00:00:00.000, 1, 2 W\n"
      "2024/01/01 00:00:00.100, 0, 3 W\n"
      "2024/01/01 00:00:00.100, 2, 4 W\n";
  Error error = parse_error(log);
  EXPECT_EQ(error.what_line(),
            "bad.csv:5: index \"2\": this GPU is not in the first round of the log");
  Trace skipped = parse_ok(log, {.skip_bad_lines = true});
  EXPECT_EQ(skipped.devices.size(), 2u);
  EXPECT_EQ(skipped.summary.skipped_lines, 1u);
}

TEST(NvidiaSmiCsv, EachGpuMustGoForwardInTimeButGpusMayShareATimestamp) {
  Trace trace = parse_ok(
      "timestamp, index, power.draw [W]\n"
      "2024/01/01 00:00:00.000, 0, 1 W\n"
      "2024/01/01 00:00:00.000, 1, 2 W\n"
      "2024/01/01 00:00:00.000, 0, 3 W\n");
  EXPECT_EQ(trace.samples[0].size(), 2u);
  EXPECT_EQ(trace.samples[0][1].time_ns, 0);
}

TEST(NvidiaSmiCsv, SkippedExamplesAreCappedButAllAreCounted) {
  std::string log = "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 1 W\n";
  for (int i = 0; i < 20; ++i) log += "garbage\n";
  Trace trace = parse_ok(log, {.skip_bad_lines = true});
  EXPECT_EQ(trace.summary.skipped_lines, 20u);
  EXPECT_EQ(trace.summary.skipped_examples.size(), 5u);
  EXPECT_EQ(trace.summary.rows, 1u);
}

// The energy of the real A100 log by trapezoid over power.draw.instant, computed outside
// joulebench with:
//   awk -F', ' 'NR>1 { split($1, dt, " "); split(dt[2], hms, ":");
//     t = hms[1]*3600 + hms[2]*60 + hms[3]; p = $7 + 0;
//     if (NR > 2) e += (t - pt) * (p + pp) / 2; pt = t; pp = p }
//     END { printf "%.9f\n", e }' tests/data/nvidia-smi/A100-transient.csv
// which prints 1774.041140000 (1245 rows, 16.722 s).
TEST(NvidiaSmiCsv, A100LogEnergyMatchesAnIndependentTrapezoid) {
  Trace trace = load_fixture("nvidia-smi/A100-transient.csv");
  const auto& s = trace.samples.at(0);
  ASSERT_EQ(s.size(), 1245u);
  double energy_j = 0.0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    energy_j += ns_to_s(s[i].time_ns - s[i - 1].time_ns) * (*s[i].power_w + *s[i - 1].power_w) / 2;
  }
  EXPECT_NEAR(energy_j, 1774.04114, 1e-6);
  EXPECT_EQ(trace.summary.last_time_ns, 16'722'000'000);
  EXPECT_EQ(trace.devices[0].power_kind, PowerKind::instantaneous);
}

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

std::string smi_rows(const std::vector<std::string>& times_s) {
  std::string log = "timestamp, index, power.draw.instant [W]\n";
  for (const auto& time : times_s) log += "2024/01/01 00:00:" + time + ", 0, 100 W\n";
  return log;
}

TEST(NvidiaSmiCsv, SkippingARowStampedAheadSkipsOnlyThatRow) {
  // Line 5 is stamped 5 s ahead: the rows after it are in order with the rows before it.
  const std::string log =
      smi_rows({"00.000", "00.100", "00.200", "05.000", "00.300", "00.400", "00.500"});
  Trace trace = parse_ok(log, {.skip_bad_lines = true});
  EXPECT_EQ(trace.summary.skipped_lines, 1u);
  EXPECT_EQ(trace.summary.rows, 6u);
  ASSERT_EQ(trace.summary.skipped_examples.size(), 1u);
  EXPECT_EQ(trace.summary.skipped_examples[0].what_line(),
            "test.csv:5: timestamp is ahead of the next row of this GPU by 4.7 s");
  EXPECT_EQ(trace.samples.at(0).back().time_ns, 500 * kMs);
}

TEST(NvidiaSmiCsv, SkippingARowStampedBehindSkipsOnlyThatRow) {
  const std::string log = smi_rows({"00.000", "00.100", "00.200", "00.050", "00.300", "00.400"});
  Trace trace = parse_ok(log, {.skip_bad_lines = true});
  EXPECT_EQ(trace.summary.skipped_lines, 1u);
  EXPECT_EQ(trace.summary.rows, 5u);
  EXPECT_EQ(trace.summary.skipped_examples.at(0).line, 5u);
}

TEST(NvidiaSmiCsv, PowerFallsBackColumnByColumnAndSaysWhich) {
  const std::string all_missing =
      "timestamp, power.draw.instant [W], power.draw [W]\n"
      "2024/01/01 00:00:00.000, [N/A], 100 W\n"
      "2024/01/01 00:00:01.000, [N/A], 110 W\n";
  Trace trace = parse_ok(all_missing);
  ASSERT_EQ(trace.samples.at(0).size(), 2u);
  EXPECT_EQ(trace.samples[0][1].power_w, 110.0);
  EXPECT_EQ(trace.devices.at(0).power_kind, PowerKind::unknown);
  const auto& notes = trace.summary.notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "power_w from power.draw (may be a 1 s average on Ampere and newer); "
                      "power.draw.instant is not available in any row"),
            notes.end());
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "power.draw: power_w in 2 of 2 rows, where power.draw.instant is not "
                      "available"),
            notes.end());

  const std::string some_missing =
      "timestamp, power.draw.instant [W], power.draw [W]\n"
      "2024/01/01 00:00:00.000, 90 W, 100 W\n"
      "2024/01/01 00:00:01.000, [N/A], 110 W\n"
      "2024/01/01 00:00:02.000, 95 W, 120 W\n";
  Trace mixed = parse_ok(some_missing);
  ASSERT_EQ(mixed.samples.at(0).size(), 3u);
  EXPECT_EQ(mixed.samples[0][0].power_w, 90.0);
  EXPECT_EQ(mixed.samples[0][1].power_w, 110.0);
  EXPECT_EQ(mixed.devices.at(0).power_kind, PowerKind::instantaneous);
  EXPECT_NE(std::find(mixed.summary.notes.begin(), mixed.summary.notes.end(),
                      "power.draw: power_w in 1 of 3 rows, where power.draw.instant is not "
                      "available"),
            mixed.summary.notes.end());
}

TEST(NvidiaSmiCsv, ALineLongerThanTheBoundIsNamedAndCostsNoCopy) {
  const std::string header = "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 1 W\n";
  for (const std::string& long_line :
       {std::string(replay::kMaxLineBytes + 1, '0'), std::string(replay::kMaxLineBytes * 4, ','),
        std::string(replay::kMaxLineBytes * 4, '\0')}) {
    Error row = parse_error(header + long_line + "\n2024/01/01 00:00:01.000, 2 W\n");
    EXPECT_EQ(row.what_line(), "bad.csv:3: line longer than 65536 bytes");
    Trace skipped =
        parse_ok(header + long_line + "\n2024/01/01 00:00:01.000, 2 W\n", {.skip_bad_lines = true});
    EXPECT_EQ(skipped.summary.skipped_lines, 1u);
    EXPECT_EQ(skipped.summary.rows, 2u);
    // A file that is one long line (no newline at all).
    EXPECT_EQ(parse_error(long_line).what_line(), "bad.csv:1: line longer than 65536 bytes");
    EXPECT_EQ(parse_error("\n" + long_line + "\n").what_line(),
              "bad.csv:2: line longer than 65536 bytes");
  }
  // The bound itself is fine.
  const std::string name(replay::kMaxLineBytes - 40, 'x');
  Trace at_bound =
      parse_ok("timestamp, name, power.draw [W]\n2024/01/01 00:00:00.000, " + name + ", 1 W\n");
  EXPECT_EQ(at_bound.summary.rows, 1u);
}

}  // namespace
}  // namespace joulebench
