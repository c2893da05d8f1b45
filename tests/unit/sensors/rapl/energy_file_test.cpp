#include "sensors/rapl/energy_file.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <limits>

#include "fake_powercap.hpp"

namespace joulebench::rapl {
namespace {

using testing::FakePowercap;

OpenReadOnly failing_with(int error_number) {
  return [error_number](const std::string&) { return -error_number; };
}

TEST(ParseSysfsUint, AcceptsDecimalWithTrailingNewline) {
  EXPECT_EQ(parse_sysfs_uint("123456\n"), 123456u);
  EXPECT_EQ(parse_sysfs_uint("0"), 0u);
  EXPECT_EQ(parse_sysfs_uint("18446744073709551615\n"), std::numeric_limits<std::uint64_t>::max());
}

TEST(ParseSysfsUint, RejectsAnythingElse) {
  EXPECT_FALSE(parse_sysfs_uint(""));
  EXPECT_FALSE(parse_sysfs_uint("\n"));
  EXPECT_FALSE(parse_sysfs_uint("-1"));
  EXPECT_FALSE(parse_sysfs_uint("12a"));
  EXPECT_FALSE(parse_sysfs_uint("1.5"));
  EXPECT_FALSE(parse_sysfs_uint("18446744073709551616"));  // one past uint64
}

TEST(ZoneIsGone, OnlyForADetachedDevice) {
  EXPECT_TRUE(zone_is_gone(ENODEV));
  EXPECT_FALSE(zone_is_gone(EIO));
  EXPECT_FALSE(zone_is_gone(EAGAIN));
  EXPECT_FALSE(zone_is_gone(0));
}

TEST(EnergyFile, ReadsTheCounterAgainAfterItChanges) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 1000);
  auto file = EnergyFile::open(powercap.energy_path("intel-rapl:0"), open_read_only);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->read().energy_uj, 1000u);
  powercap.set_energy_uj("intel-rapl:0", 987654321);
  const CounterRead again = file->read();
  EXPECT_EQ(again.energy_uj, 987654321u);
  EXPECT_TRUE(again.error.empty());
}

TEST(EnergyFile, PermissionDeniedNamesTheCve) {
  for (int error_number : {EACCES, EPERM}) {
    auto file =
        EnergyFile::open("/sys/class/powercap/intel-rapl:0/energy_uj", failing_with(error_number));
    ASSERT_FALSE(file);
    EXPECT_EQ(file.error().message,
              "no permission to read /sys/class/powercap/intel-rapl:0/energy_uj "
              "(root only since CVE-2020-8694)");
  }
}

TEST(EnergyFile, MissingFileSaysWhy) {
  FakePowercap powercap;
  const std::string path = powercap.root() + "/intel-rapl:0/energy_uj";
  auto file = EnergyFile::open(path, open_read_only);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message, "cannot open " + path + ": No such file or directory");
}

TEST(EnergyFile, ADirectoryInPlaceOfTheFileFailsEvenForRoot) {
  FakePowercap powercap;
  const auto zone = powercap.add_zone("intel-rapl:0", "package-0", 1);
  std::filesystem::remove(zone / "energy_uj");
  std::filesystem::create_directory(zone / "energy_uj");
  const std::string path = (zone / "energy_uj").string();
  auto file = EnergyFile::open(path, open_read_only);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message, "cannot read " + path + ": Is a directory");
}

TEST(EnergyFile, TextThatIsNotACounterIsAnError) {
  FakePowercap powercap;
  const auto zone = powercap.add_zone("intel-rapl:0", "package-0", 1);
  const std::string path = (zone / "energy_uj").string();
  powercap.write(path, "n/a\n");
  auto file = EnergyFile::open(path, open_read_only);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message, path + ": not a counter value: 'n/a'");

  // Longer than any uint64: rejected even though its first 32 characters are digits.
  powercap.write(path, std::string(40, '7'));
  EXPECT_FALSE(EnergyFile::open(path, open_read_only));
}

TEST(EnergyFile, AFailedReadKeepsTheFileUsable) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 5);
  auto file = EnergyFile::open(powercap.energy_path("intel-rapl:0"), open_read_only);
  ASSERT_TRUE(file);
  powercap.write(powercap.energy_path("intel-rapl:0"), "");
  const CounterRead empty = file->read();
  EXPECT_FALSE(empty.energy_uj);
  EXPECT_EQ(empty.error_number, 0);
  EXPECT_NE(empty.error.find("not a counter value"), std::string::npos);
  powercap.set_energy_uj("intel-rapl:0", 6);
  EXPECT_EQ(file->read().energy_uj, 6u);
}

TEST(EnergyFile, MovesKeepTheDescriptor) {
  FakePowercap powercap;
  powercap.add_zone("intel-rapl:0", "package-0", 11);
  powercap.add_zone("intel-rapl:1", "package-1", 22);
  auto first = EnergyFile::open(powercap.energy_path("intel-rapl:0"), open_read_only);
  auto second = EnergyFile::open(powercap.energy_path("intel-rapl:1"), open_read_only);
  ASSERT_TRUE(first && second);
  EnergyFile moved(std::move(*first));
  EXPECT_EQ(moved.read().energy_uj, 11u);
  moved = std::move(*second);
  EXPECT_EQ(moved.read().energy_uj, 22u);
  EXPECT_EQ(moved.path(), powercap.energy_path("intel-rapl:1"));
}

}  // namespace
}  // namespace joulebench::rapl
