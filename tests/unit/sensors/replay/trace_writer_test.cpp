#include "sensors/replay/trace_writer.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "sensors/replay/trace.hpp"

namespace joulebench {
namespace {

DeviceInfo full_device() {
  DeviceInfo d;
  d.id = "nvml:0";
  d.sensor = "nvml";
  d.name = "NVIDIA H100 80GB HBM3";
  d.uuid = "GPU-5c3e1f2a-7b4d-4e8f-9a0b-1c2d3e4f5a6b";
  d.vendor = "NVIDIA";
  d.driver_version = "550.54.15";
  d.power_limit_w = 700.0;
  d.power_kind = PowerKind::instantaneous;
  d.counter_update_period_s = 0.1;
  d.counter_max_j = 262143.328850;
  d.capabilities[Metric::power] = {true, ""};
  d.capabilities[Metric::energy_counter] = {true, "updates every 100 ms"};
  d.capabilities[Metric::gpu_utilization] = {false, "not on MIG-enabled GPUs"};
  return d;
}

DeviceInfo awkward_device() {
  DeviceInfo d;
  d.id = "rapl:package-0";
  d.sensor = "rapl";
  d.name = "a \"quoted\", comma=name\nwith newline\\ and tab\t";
  d.vendor = "";
  d.power_kind = PowerKind::derived;
  return d;
}

void expect_same_device(const DeviceInfo& a, const DeviceInfo& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.sensor, b.sensor);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.vendor, b.vendor);
  EXPECT_EQ(a.driver_version, b.driver_version);
  EXPECT_EQ(a.power_limit_w, b.power_limit_w);
  EXPECT_EQ(a.power_kind, b.power_kind);
  EXPECT_EQ(a.counter_update_period_s, b.counter_update_period_s);
  EXPECT_EQ(a.counter_max_j, b.counter_max_j);
  ASSERT_EQ(a.capabilities.size(), b.capabilities.size());
  for (const auto& [metric, capability] : a.capabilities) {
    ASSERT_EQ(b.capabilities.count(metric), 1u) << to_string(metric);
    EXPECT_EQ(capability.supported, b.capabilities.at(metric).supported);
    EXPECT_EQ(capability.reason, b.capabilities.at(metric).reason);
  }
}

void expect_same_sample(const Sample& a, const Sample& b) {
  EXPECT_EQ(a.time_ns, b.time_ns);
  EXPECT_EQ(a.power_w, b.power_w);
  EXPECT_EQ(a.energy_counter_j, b.energy_counter_j);
  EXPECT_EQ(a.temperature_c, b.temperature_c);
  EXPECT_EQ(a.gpu_utilization_pct, b.gpu_utilization_pct);
  EXPECT_EQ(a.sm_clock_mhz, b.sm_clock_mhz);
  EXPECT_EQ(a.memory_used_bytes, b.memory_used_bytes);
  EXPECT_EQ(a.throttle_mask, b.throttle_mask);
}

Sample full_sample(TimeNs time_ns, double power_w) {
  Sample s;
  s.time_ns = time_ns;
  s.power_w = power_w;
  s.energy_counter_j = 123456.789 + power_w;
  s.temperature_c = 54;
  s.gpu_utilization_pct = 97.5;
  s.sm_clock_mhz = 1980;
  s.memory_used_bytes = 42949672960ull;
  s.throttle_mask = throttle::kSwPowerCap | throttle::kHwThermal;
  return s;
}

Trace parse_written(const std::string& text) {
  auto trace = parse_trace(text, "written.csv", {});
  EXPECT_TRUE(trace) << trace.error().what_line() << "\n" << text;
  return trace ? std::move(trace.value()) : Trace{};
}

TEST(TraceWriter, WriteThenParseGivesTheSameDevicesAndSamples) {
  const std::vector<DeviceInfo> devices = {full_device(), awkward_device()};
  // The sampler's clock has an arbitrary origin; the trace keeps differences exactly.
  const TimeNs origin = 987'654'321'123'456'789;
  std::vector<std::pair<std::size_t, Sample>> written;
  written.emplace_back(0, full_sample(origin, 312.5));
  Sample sparse;
  sparse.time_ns = origin + 1;
  sparse.power_w = 0.1;  // a real 0.1 W, not a missing value
  written.emplace_back(1, sparse);
  written.emplace_back(0, full_sample(origin + 100'000'007, 1.0 / 3.0));
  Sample empty;
  empty.time_ns = origin + 100'000'008;
  written.emplace_back(1, empty);

  std::ostringstream out;
  {
    TraceWriter writer(out, devices, {.start_time = "2026-11-24T10:11:12.345Z", .interval_s = 0.1});
    for (const auto& [device, sample] : written) writer.write(device, sample);
    ASSERT_TRUE(writer.flush());
    EXPECT_EQ(writer.rows_written(), 4u);
  }
  Trace trace = parse_written(out.str());
  ASSERT_EQ(trace.devices.size(), 2u);
  expect_same_device(trace.devices[0], devices[0]);
  expect_same_device(trace.devices[1], devices[1]);
  std::vector<std::size_t> next(2, 0);
  for (auto [device, sample] : written) {
    sample.time_ns -= origin;
    ASSERT_LT(next[device], trace.samples[device].size());
    expect_same_sample(trace.samples[device][next[device]++], sample);
  }
  EXPECT_EQ(next[0], trace.samples[0].size());
  EXPECT_EQ(next[1], trace.samples[1].size());
}

TEST(TraceWriter, RandomSamplesRoundTripExactly) {
  std::mt19937_64 random(20261124);
  std::uniform_real_distribution<double> watts(0.0, 1000.0);
  std::uniform_int_distribution<TimeNs> step(0, 50'000'000);
  std::vector<Sample> samples;
  TimeNs t = -5'000'000'000;
  for (int i = 0; i < 2000; ++i) {
    Sample s;
    t += step(random);
    s.time_ns = t;
    if (i % 7 != 0) s.power_w = watts(random);
    if (i % 5 != 0) s.energy_counter_j = watts(random) * 1e6;
    if (i % 3 == 0) s.memory_used_bytes = random();
    if (i % 4 == 0) s.throttle_mask = random();
    if (i % 11 == 0) s.temperature_c = -watts(random);
    samples.push_back(s);
  }
  std::ostringstream out;
  {
    TraceWriter writer(out, {full_device()}, {});
    for (const auto& s : samples) writer.write(0, s);
  }
  Trace trace = parse_written(out.str());
  ASSERT_EQ(trace.samples[0].size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    Sample expected = samples[i];
    expected.time_ns -= samples[0].time_ns;
    expect_same_sample(trace.samples[0][i], expected);
  }
}

TEST(TraceWriter, LostDevicesAreRecorded) {
  std::ostringstream out;
  {
    TraceWriter writer(out, {full_device(), awkward_device()}, {});
    writer.write(0, full_sample(1'000, 10));
    writer.write(1, full_sample(2'000, 20));
    writer.mark_lost(1, 500'001'000);
    writer.write(0, full_sample(600'000'000, 30));
  }
  Trace trace = parse_written(out.str());
  EXPECT_FALSE(trace.lost_at_ns[0]);
  EXPECT_EQ(trace.lost_at_ns[1], 500'000'000);
  EXPECT_NE(out.str().find("\n# lost device=1 time_s=0.500000000\n"), std::string::npos);
  EXPECT_EQ(trace.summary.last_time_ns, 599'999'000);
}

TEST(TraceWriter, PreambleCarriesMetadata) {
  std::ostringstream out;
  {
    TraceWriter writer(out, {full_device()},
                       {.start_time = "2026-11-24T10:11:12.345Z",
                        .interval_s = 0.05,
                        .extra = {{"host", "node 7"}, {"bad key!", "x"}}});
  }
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("# joulebench-trace v1\n# tool=\"joulebench ", 0), 0u) << text;
  Trace trace = parse_written(text);
  using Pair = std::pair<std::string, std::string>;
  ASSERT_EQ(trace.summary.metadata.size(), 5u);
  EXPECT_EQ(trace.summary.metadata[1], (Pair{"start_time", "2026-11-24T10:11:12.345Z"}));
  EXPECT_EQ(trace.summary.metadata[2], (Pair{"interval_s", "0.05"}));
  EXPECT_EQ(trace.summary.metadata[3], (Pair{"host", "node 7"}));
  EXPECT_EQ(trace.summary.metadata[4], (Pair{"bad_key_", "x"}));
  EXPECT_EQ(trace.summary.rows, 0u);
}

TEST(TraceWriter, MissingStartTimeIsFilledWithNow) {
  std::ostringstream out;
  { TraceWriter writer(out, {full_device()}, {}); }
  Trace trace = parse_written(out.str());
  ASSERT_GE(trace.summary.metadata.size(), 2u);
  EXPECT_EQ(trace.summary.metadata[1].first, "start_time");
  EXPECT_EQ(trace.summary.metadata[1].second.size(), 24u);  // 2026-11-24T10:11:12.345Z
  EXPECT_EQ(trace.summary.metadata[1].second.back(), 'Z');
}

TEST(TraceWriter, NonFiniteNumbersAreWrittenAsMissing) {
  std::ostringstream out;
  {
    TraceWriter writer(out, {full_device()}, {});
    Sample s;
    s.power_w = std::numeric_limits<double>::quiet_NaN();
    s.temperature_c = std::numeric_limits<double>::infinity();
    writer.write(0, s);
  }
  EXPECT_NE(out.str().find("\n0.000000000,0,,,,,,,\n"), std::string::npos) << out.str();
  Trace trace = parse_written(out.str());
  EXPECT_FALSE(trace.samples[0][0].power_w);
  EXPECT_FALSE(trace.samples[0][0].temperature_c);
}

TEST(TraceWriter, WritesToAFileThroughFileStar) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  {
    TraceWriter writer(file, {full_device()}, {});
    writer.write(0, full_sample(0, 1));
    ASSERT_TRUE(writer.flush());
    writer.write(0, full_sample(10, 2));
  }
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::fclose(file);
  Trace trace = parse_written(text);
  ASSERT_EQ(trace.samples[0].size(), 2u);
  EXPECT_EQ(trace.samples[0][1].power_w, 2.0);
}

TEST(TraceWriter, OpenCreatesTheFileAndReportsFailures) {
  const std::string path = std::string(JOULEBENCH_BINARY_DIR) + "/tests/replay_writer_open.csv";
  {
    auto writer = TraceWriter::open(path, {full_device()}, {});
    ASSERT_TRUE(writer) << writer.error().what_line();
    (*writer)->write(0, full_sample(0, 5));
    ASSERT_TRUE((*writer)->close());
  }
  auto trace = load_trace(path, {});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->samples[0][0].power_w, 5.0);
  std::remove(path.c_str());

  auto failed = TraceWriter::open("/nonexistent-dir/trace.csv", {full_device()}, {});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().what_line(),
            "/nonexistent-dir/trace.csv: cannot write: No such file or directory");
}

TEST(TraceWriter, WriteFailureIsStickyAndNamesThePath) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "/dev/full is not available";
  TraceWriter writer(full, {full_device()}, {});
  writer.write(0, full_sample(0, 1));
  auto flushed = writer.flush();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().message, "cannot write the trace: No space left on device");
  writer.write(0, full_sample(1, 1));
  EXPECT_FALSE(writer.flush());
  EXPECT_FALSE(writer.close());
  std::fclose(full);
}

// Issue 13: a full disk left a trace cut mid-row. A file size limit fails writes the way a
// full disk does (EFBIG instead of ENOSPC) on a regular file.
TEST(TraceWriter, AFailedWriteLeavesOnlyCompleteRoundsInTheFile) {
  const std::string path = std::string(JOULEBENCH_BINARY_DIR) + "/tests/replay_writer_limit.csv";
  std::remove(path.c_str());
  auto writer = TraceWriter::open(path, {full_device()}, {});
  ASSERT_TRUE(writer) << writer.error().what_line();
  ASSERT_TRUE((*writer)->flush());  // the preamble
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit previous{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &previous), 0);
  rlimit limited = previous;
  limited.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  bool failed = false;
  for (int round = 0; round < 1000 && !failed; ++round) {
    for (int row = 0; row < 3; ++row)
      (*writer)->write(0, full_sample(round * 3 + row, 100.0 + row));
    failed = !(*writer)->flush();
  }
  ::setrlimit(RLIMIT_FSIZE, &previous);
  std::signal(SIGXFSZ, previous_handler);
  ASSERT_TRUE(failed);
  EXPECT_FALSE((*writer)->close());
  auto trace = load_trace(path, {});
  ASSERT_TRUE(trace) << trace.error().what_line();
  EXPECT_EQ(trace->samples[0].size() % 3, 0u);  // whole rounds only
  EXPECT_GT(trace->samples[0].size(), 0u);
  std::remove(path.c_str());
}

TEST(TraceWriter, UnknownDeviceIsAProgrammingError) {
  std::ostringstream out;
  TraceWriter writer(out, {full_device()}, {});
  EXPECT_THROW(writer.write(1, Sample{}), std::out_of_range);
  EXPECT_THROW(writer.mark_lost(3, 0), std::out_of_range);
}

}  // namespace
}  // namespace joulebench
