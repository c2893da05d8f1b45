#include "sensors/rapl/rapl_zones.hpp"

#include <gtest/gtest.h>

#include "fake_powercap.hpp"

namespace joulebench::rapl {
namespace {

using testing::FakePowercap;

std::vector<std::string> ids_of(const std::vector<RaplZone>& zones) {
  std::vector<std::string> ids;
  for (const auto& zone : zones) ids.push_back(zone.id);
  return ids;
}

// A two-socket Intel server as sysfs shows it: every zone linked at the top.
void add_intel_server(FakePowercap& powercap) {
  std::filesystem::create_directories(powercap.root() + "/intel-rapl");  // the control type
  powercap.add_zone("intel-rapl:0", "package-0", 1);
  powercap.add_zone("intel-rapl:0:0", "core", 1);
  powercap.add_zone("intel-rapl:0:1", "uncore", 1);
  powercap.add_zone("intel-rapl:0:2", "dram", 1, 65712999613);
  powercap.add_zone("intel-rapl:1", "package-1", 1);
  powercap.add_zone("intel-rapl:1:0", "dram", 1);
  powercap.add_zone("intel-rapl:2", "psys", 1);
  powercap.add_zone("intel-rapl-mmio:0", "package-0", 1);
}

TEST(RaplZones, TakesPackagesAndTheirDramOnly) {
  FakePowercap powercap;
  add_intel_server(powercap);
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones) << zones.error().message;
  EXPECT_EQ(ids_of(*zones), (std::vector<std::string>{"rapl:package-0", "rapl:package-0/dram",
                                                      "rapl:package-1", "rapl:package-1/dram"}));
  EXPECT_EQ((*zones)[0].name, "package-0");
  EXPECT_EQ((*zones)[1].name, "package-0/dram");
  EXPECT_EQ((*zones)[1].directory, powercap.root() + "/intel-rapl:0:2");
  EXPECT_DOUBLE_EQ(*(*zones)[0].counter_max_j, 262143.32885);
  EXPECT_DOUBLE_EQ(*(*zones)[1].counter_max_j, 65712.999613);
}

TEST(RaplZones, OrdersPackagesNumerically) {
  FakePowercap powercap;
  for (int package : {10, 2, 1}) {
    powercap.add_zone("intel-rapl:" + std::to_string(package), "package-" + std::to_string(package),
                      1);
  }
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_EQ(ids_of(*zones),
            (std::vector<std::string>{"rapl:package-1", "rapl:package-2", "rapl:package-10"}));
}

TEST(RaplZones, FindsSubZonesNestedInTheirPackage) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 1);
  powercap.add_zone("intel-rapl:0:0", "core", 1, 1, "intel-rapl:0");
  const auto dram = powercap.add_zone("intel-rapl:0:1", "dram", 1, 1, "intel-rapl:0");
  powercap.add_zone("intel-rapl:1:0", "dram", 1, 1, "intel-rapl:0");  // not this package's
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_EQ(ids_of(*zones), (std::vector<std::string>{"rapl:package-0", "rapl:package-0/dram"}));
  EXPECT_EQ((*zones)[1].directory, dram.string());
}

TEST(RaplZones, AmdHasPackageAndCoreZones) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 1);
  powercap.add_zone("intel-rapl:0:0", "core", 1);
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_EQ(ids_of(*zones), std::vector<std::string>{"rapl:package-0"});
}

TEST(RaplZones, TakesEachDieOfAMultiDiePackage) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0-die-0", 1);
  powercap.add_zone("intel-rapl:1", "package-0-die-1", 1);
  powercap.add_zone("intel-rapl:1:0", "dram", 1);
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_EQ(ids_of(*zones),
            (std::vector<std::string>{"rapl:package-0-die-0", "rapl:package-0-die-1",
                                      "rapl:package-0-die-1/dram"}));
}

TEST(RaplZones, ReadsTheLongTermPowerLimit) {
  FakePowercap powercap;
  const auto zone = powercap.add_zone("intel-rapl:0", "package-0", 1);
  powercap.write(zone / "constraint_0_name", "long_term\n");
  powercap.write(zone / "constraint_0_power_limit_uw", "125000000\n");
  const auto other = powercap.add_zone("intel-rapl:1", "package-1", 1);
  powercap.write(other / "constraint_0_name", "short_term\n");
  powercap.write(other / "constraint_0_power_limit_uw", "150000000\n");
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_EQ((*zones)[0].power_limit_w, 125.0);
  EXPECT_FALSE((*zones)[1].power_limit_w);
}

TEST(RaplZones, MissingOrZeroRangeIsUnknown) {
  FakePowercap powercap;
  const auto zone = powercap.add_zone("intel-rapl:0", "package-0", 1, 0);
  powercap.add_zone("intel-rapl:1", "package-1", 1);
  std::filesystem::remove(powercap.root() + "/intel-rapl:1/max_energy_range_uj");
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  EXPECT_FALSE((*zones)[0].counter_max_j);
  EXPECT_FALSE((*zones)[1].counter_max_j);
}

TEST(RaplZones, DuplicateNamesKeepTheFirstZone) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 1);
  powercap.add_zone("intel-rapl:1", "package-0", 1);
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_TRUE(zones);
  ASSERT_EQ(zones->size(), 1u);
  EXPECT_EQ((*zones)[0].directory, powercap.root() + "/intel-rapl:0");
}

TEST(RaplZones, NoZonesIsAnError) {
  FakePowercap powercap;
  std::filesystem::create_directories(powercap.root() + "/intel-rapl");
  std::filesystem::create_directories(powercap.root() + "/intel-rapl:x");
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_FALSE(zones);
  EXPECT_EQ(zones.error().message, "no powercap RAPL zones under " + powercap.root());
}

TEST(RaplZones, MissingRootIsAnError) {
  auto zones = find_rapl_zones("/nonexistent/powercap");
  ASSERT_FALSE(zones);
  EXPECT_EQ(zones.error().message,
            "no powercap RAPL zones under /nonexistent/powercap (No such file or directory)");
}

TEST(RaplZones, ZonesWithoutAPackageAreAnError) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "psys", 1);
  powercap.add_zone("intel-rapl:1", "", 1);  // an empty name file
  auto zones = find_rapl_zones(powercap.root());
  ASSERT_FALSE(zones);
  EXPECT_EQ(zones.error().message,
            "no RAPL package zone under " + powercap.root() + " (zones found: psys)");
}

}  // namespace
}  // namespace joulebench::rapl
