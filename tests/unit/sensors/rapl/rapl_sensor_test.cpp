#include "sensors/rapl/rapl_sensor.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>

#include "fake_powercap.hpp"

namespace joulebench {
namespace {

using rapl::testing::FakePowercap;

constexpr TimeNs kSecond = 1'000'000'000;

// One package with its dram, a core zone that must not become a device, and a cpuinfo.
class RaplSensorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    powercap_.add_zone("intel-rapl:0", "package-0", 1'234'567);
    powercap_.add_zone("intel-rapl:0:0", "core", 999);
    powercap_.add_zone("intel-rapl:0:1", "dram", 7'000'000, 65'712'999'613);
    powercap_.write(cpuinfo(), "processor\t: 0\nvendor_id\t: GenuineIntel\n");
    options_.root = powercap_.root();
    options_.cpuinfo_path = cpuinfo();
  }

  std::string cpuinfo() const { return powercap_.root() + "/cpuinfo"; }

  std::unique_ptr<Sensor> open() {
    auto sensor = open_rapl_sensor(options_);
    EXPECT_TRUE(sensor) << sensor.error().message;
    return sensor ? std::move(*sensor) : nullptr;
  }

  FakePowercap powercap_;
  RaplOptions options_;
};

TEST_F(RaplSensorTest, DescribesEachZone) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->name(), "rapl");
  const auto& devices = sensor->devices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].id, "rapl:package-0");
  EXPECT_EQ(devices[1].id, "rapl:package-0/dram");
  EXPECT_EQ(devices[1].name, "package-0/dram");
  for (const auto& device : devices) {
    EXPECT_EQ(device.sensor, "rapl");
    EXPECT_EQ(device.vendor, "Intel");
    EXPECT_EQ(device.power_kind, PowerKind::derived);
    EXPECT_TRUE(device.supports(Metric::energy_counter));
    EXPECT_TRUE(device.supports(Metric::power));
    EXPECT_TRUE(device.uuid.empty());
    for (Metric metric : {Metric::temperature, Metric::gpu_utilization, Metric::sm_clock,
                          Metric::memory_used, Metric::throttle_mask}) {
      EXPECT_FALSE(device.supports(metric));
      EXPECT_EQ(device.capabilities.at(metric).reason, "not reported by RAPL");
    }
  }
  EXPECT_DOUBLE_EQ(*devices[0].counter_max_j, 262143.32885);
  EXPECT_DOUBLE_EQ(*devices[1].counter_max_j, 65712.999613);
}

TEST_F(RaplSensorTest, UnreadableCpuinfoGivesAGenericVendor) {
  options_.cpuinfo_path = powercap_.root() + "/no-cpuinfo";
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->devices()[0].vendor, "CPU");
}

TEST_F(RaplSensorTest, ReadsTheCounterInJoulesAndDerivesPower) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const Reading first = sensor->read(0, 10 * kSecond);
  ASSERT_EQ(first.status, ReadStatus::ok);
  EXPECT_EQ(first.sample.time_ns, 10 * kSecond);
  EXPECT_EQ(first.sample.energy_counter_j, 1.234567);
  EXPECT_FALSE(first.sample.power_w);
  EXPECT_FALSE(first.sample.temperature_c);

  powercap_.set_energy_uj("intel-rapl:0", 31'234'567);   // +30 J
  const Reading second = sensor->read(0, 12 * kSecond);  // over 2 s
  ASSERT_EQ(second.status, ReadStatus::ok);
  EXPECT_EQ(second.sample.energy_counter_j, 31.234567);
  EXPECT_EQ(second.sample.power_w, 15.0);

  // The dram zone is a separate device with its own counter.
  EXPECT_EQ(sensor->read(1, 12 * kSecond).sample.energy_counter_j, 7.0);
}

TEST_F(RaplSensorTest, ReturnsTheRawCounterAcrossAWrap) {
  powercap_.set_energy_uj("intel-rapl:0", 262'143'000'000);
  auto sensor = open();
  ASSERT_TRUE(sensor);
  ASSERT_EQ(sensor->read(0, 0).sample.energy_counter_j, 262143.0);
  powercap_.set_energy_uj("intel-rapl:0", 500'000);
  const Reading wrapped = sensor->read(0, kSecond);
  ASSERT_EQ(wrapped.status, ReadStatus::ok);
  EXPECT_EQ(wrapped.sample.energy_counter_j, 0.5);  // not unwrapped: the accountant does that
  EXPECT_FALSE(wrapped.sample.power_w);
}

TEST_F(RaplSensorTest, AFailedReadIsTransientAndSaysWhy) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  powercap_.write(powercap_.energy_path("intel-rapl:0"), "garbage\n");
  const Reading failed = sensor->read(0, kSecond);
  EXPECT_EQ(failed.status, ReadStatus::failed);
  EXPECT_EQ(failed.error,
            powercap_.energy_path("intel-rapl:0") + ": not a counter value: 'garbage'");
  EXPECT_FALSE(failed.sample.energy_counter_j);
  powercap_.set_energy_uj("intel-rapl:0", 2'000'000);
  EXPECT_EQ(sensor->read(0, 2 * kSecond).sample.energy_counter_j, 2.0);
}

TEST_F(RaplSensorTest, AnIndexOutOfRangeFails) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const Reading reading = sensor->read(2, 0);
  EXPECT_EQ(reading.status, ReadStatus::failed);
  EXPECT_EQ(reading.error, "no RAPL device with index 2");
}

TEST_F(RaplSensorTest, NoPermissionAnywhereFailsWithTheCveReason) {
  // What an unprivileged user meets; injected because root could read even a chmod-000 file.
  options_.open_read_only = [](const std::string&) { return -EACCES; };
  auto sensor = open_rapl_sensor(options_);
  ASSERT_FALSE(sensor);
  EXPECT_EQ(sensor.error().message, "no permission to read " + powercap_.root() +
                                        "/intel-rapl:0/energy_uj (root only since CVE-2020-8694)");
}

TEST_F(RaplSensorTest, UnreadableZonesAreSkippedWithTheirReason) {
  const std::string dram = powercap_.root() + "/intel-rapl:0:1/energy_uj";
  options_.open_read_only = [dram](const std::string& path) {
    return path == dram ? -EACCES : rapl::open_read_only(path);
  };
  auto opened = open_rapl_sensor(options_);
  ASSERT_TRUE(opened) << opened.error().message;
  const auto* sensor = dynamic_cast<const RaplSensor*>(opened->get());
  ASSERT_NE(sensor, nullptr);
  ASSERT_EQ(sensor->devices().size(), 1u);
  EXPECT_EQ(sensor->devices()[0].id, "rapl:package-0");
  ASSERT_EQ(sensor->skipped_zones().size(), 1u);
  EXPECT_EQ(sensor->skipped_zones()[0].id, "rapl:package-0/dram");
  EXPECT_EQ(sensor->skipped_zones()[0].reason,
            "no permission to read " + dram + " (root only since CVE-2020-8694)");
}

TEST_F(RaplSensorTest, NoZonesFails) {
  FakePowercap empty;
  options_.root = empty.root();
  auto sensor = open_rapl_sensor(options_);
  ASSERT_FALSE(sensor);
  EXPECT_EQ(sensor.error().message, "no powercap RAPL zones under " + empty.root());
}

TEST_F(RaplSensorTest, RootComesFromTheEnvironmentWhenNotGiven) {
  ::setenv("JOULEBENCH_POWERCAP_ROOT", powercap_.root().c_str(), 1);
  auto from_env = open_rapl_sensor();
  FakePowercap empty;
  auto explicit_root = open_rapl_sensor(empty.root());
  ::unsetenv("JOULEBENCH_POWERCAP_ROOT");
  ASSERT_TRUE(from_env) << from_env.error().message;
  EXPECT_EQ((*from_env)->devices().size(), 2u);
  ASSERT_FALSE(explicit_root);  // the argument wins over the environment
  EXPECT_EQ(explicit_root.error().message, "no powercap RAPL zones under " + empty.root());
}

}  // namespace
}  // namespace joulebench
