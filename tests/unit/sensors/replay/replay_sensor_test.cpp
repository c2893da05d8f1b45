#include "sensors/replay/replay_sensor.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace joulebench {
namespace {

constexpr TimeNs kMs = 1'000'000;
// The sampler's clock starts anywhere; the replay only uses differences.
constexpr TimeNs kStart = 5'000'000'000'000;

Sample at(TimeNs time_ns, double power_w, double counter_j) {
  Sample s;
  s.time_ns = time_ns;
  s.power_w = power_w;
  s.energy_counter_j = counter_j;
  return s;
}

Trace two_device_trace() {
  Trace trace;
  trace.devices.resize(2);
  trace.devices[0].id = "nvml:0";
  trace.devices[0].sensor = "nvml";
  trace.devices[0].name = "GPU A";
  trace.devices[1].id = "nvml:1";
  trace.devices[1].name = "GPU B";
  trace.samples = {{at(0, 100, 10), at(100 * kMs, 200, 25), at(200 * kMs, 300, 50)},
                   {at(50 * kMs, 60, 1), at(150 * kMs, 70, 8)}};
  trace.lost_at_ns = {std::nullopt, std::nullopt};
  trace.summary.rows = 5;
  trace.summary.last_time_ns = 200 * kMs;
  return trace;
}

TEST(ReplaySensor, PresentsDevicesAsReplayKeepingTheirDescription) {
  ReplaySensor sensor(two_device_trace());
  EXPECT_EQ(sensor.name(), "replay");
  ASSERT_EQ(sensor.devices().size(), 2u);
  EXPECT_EQ(sensor.devices()[1].id, "replay:1");
  EXPECT_EQ(sensor.devices()[1].sensor, "replay");
  EXPECT_EQ(sensor.devices()[1].name, "GPU B");
}

TEST(ReplaySensor, FirstReadIsTimeZeroAndLatestSampleAtOrBeforeIsReturned) {
  ReplaySensor sensor(two_device_trace());
  Reading first = sensor.read(0, kStart);
  ASSERT_EQ(first.status, ReadStatus::ok) << first.error;
  EXPECT_EQ(first.sample.time_ns, kStart);  // stamped with the caller's clock
  EXPECT_EQ(first.sample.power_w, 100.0);

  Reading between = sensor.read(0, kStart + 150 * kMs);
  ASSERT_EQ(between.status, ReadStatus::ok);
  EXPECT_EQ(between.sample.time_ns, kStart + 150 * kMs);
  EXPECT_EQ(between.sample.power_w, 200.0);
  EXPECT_EQ(between.sample.energy_counter_j, 25.0);  // counters are replayed as recorded

  Reading exact = sensor.read(0, kStart + 100 * kMs);  // reading an earlier time works too
  EXPECT_EQ(exact.sample.power_w, 200.0);
  Reading just_before = sensor.read(0, kStart + 100 * kMs - 1);
  EXPECT_EQ(just_before.sample.power_w, 100.0);
}

TEST(ReplaySensor, BeforeADevicesFirstSampleTheReadFails) {
  ReplaySensor sensor(two_device_trace());
  sensor.read(0, kStart);
  Reading early = sensor.read(1, kStart + 49 * kMs);
  EXPECT_EQ(early.status, ReadStatus::failed);
  EXPECT_EQ(early.error, "replay trace has no sample of this device before 0.05 s");
  EXPECT_FALSE(early.sample.power_w);
  Reading later = sensor.read(1, kStart + 50 * kMs);
  ASSERT_EQ(later.status, ReadStatus::ok);
  EXPECT_EQ(later.sample.power_w, 60.0);
}

TEST(ReplaySensor, AfterTheTraceEndsEveryReadFails) {
  ReplaySensor sensor(two_device_trace());
  sensor.read(1, kStart);  // the first read of any device sets time 0
  EXPECT_EQ(sensor.read(0, kStart + 200 * kMs).status, ReadStatus::ok);
  EXPECT_EQ(sensor.read(1, kStart + 200 * kMs).sample.power_w, 70.0);
  Reading ended = sensor.read(0, kStart + 200 * kMs + 1);
  EXPECT_EQ(ended.status, ReadStatus::failed);
  EXPECT_EQ(ended.error, "replay trace ended at 0.2 s");
  EXPECT_EQ(sensor.read(1, kStart + 10'000 * kMs).status, ReadStatus::failed);
}

TEST(ReplaySensor, ALostDeviceReadsAsLostFromItsLossOn) {
  Trace trace = two_device_trace();
  trace.lost_at_ns[1] = 160 * kMs;
  ReplaySensor sensor(std::move(trace));
  sensor.read(0, kStart);
  EXPECT_EQ(sensor.read(1, kStart + 159 * kMs).status, ReadStatus::ok);
  Reading lost = sensor.read(1, kStart + 160 * kMs);
  EXPECT_EQ(lost.status, ReadStatus::lost);
  EXPECT_EQ(lost.error, "the replayed trace lost this device at 0.16 s");
  EXPECT_EQ(sensor.read(0, kStart + 170 * kMs).status, ReadStatus::ok);
}

TEST(ReplaySensor, UnknownDeviceIndexFails) {
  ReplaySensor sensor(two_device_trace());
  Reading reading = sensor.read(7, kStart);
  EXPECT_EQ(reading.status, ReadStatus::failed);
  EXPECT_EQ(reading.error, "replay: no device 7");
}

TEST(OpenReplaySensor, PlaysARealNvidiaSmiLog) {
  auto sensor = open_replay_sensor(
      std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/nvidia-smi/A100-transient.csv", {});
  ASSERT_TRUE(sensor) << sensor.error().what_line();
  Sensor& replay = **sensor;
  ASSERT_EQ(replay.devices().size(), 1u);
  EXPECT_EQ(replay.devices()[0].id, "replay:0");
  EXPECT_EQ(replay.devices()[0].power_kind, PowerKind::instantaneous);
  Reading first = replay.read(0, 0);
  ASSERT_EQ(first.status, ReadStatus::ok);
  EXPECT_EQ(first.sample.power_w, 56.38);  // the log's first row
  Reading ended = replay.read(0, 16'722'000'001);
  EXPECT_EQ(ended.status, ReadStatus::failed);
  EXPECT_EQ(ended.error, "replay trace ended at 16.722 s");
}

TEST(OpenReplaySensor, PlaysAJoulebenchTraceUnderReplayIds) {
  auto sensor = open_replay_sensor(
      std::string(JOULEBENCH_SOURCE_DIR) + "/tests/data/traces/jb-two-devices.csv", {});
  ASSERT_TRUE(sensor) << sensor.error().what_line();
  const auto& devices = (*sensor)->devices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].id, "replay:0");
  EXPECT_EQ(devices[0].sensor, "replay");
  EXPECT_EQ(devices[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_TRUE(devices[0].supports(Metric::energy_counter));
  Reading reading = (*sensor)->read(0, 0);
  EXPECT_EQ(reading.sample.energy_counter_j, 1000.25);
  EXPECT_EQ((*sensor)->read(1, 150 * kMs).status, ReadStatus::lost);
}

TEST(OpenReplaySensor, ErrorsNameTheFile) {
  auto missing = open_replay_sensor("/nonexistent/trace.csv", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().what_line(), "/nonexistent/trace.csv: cannot open: No such file or directory");

  const std::string path = std::string(JOULEBENCH_BINARY_DIR) + "/tests/replay_header_only.csv";
  std::ofstream(path) << "timestamp, power.draw [W]\n";
  auto empty = open_replay_sensor(path, {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().what_line(), path + ": the trace has no samples");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace joulebench
