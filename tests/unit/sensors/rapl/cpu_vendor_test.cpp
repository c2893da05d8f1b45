#include "sensors/rapl/cpu_vendor.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "fake_powercap.hpp"

namespace joulebench::rapl {
namespace {

TEST(CpuVendor, NamesKnownVendors) {
  EXPECT_EQ(cpu_vendor_from_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\n"), "Intel");
  EXPECT_EQ(cpu_vendor_from_cpuinfo("processor\t: 0\nvendor_id\t: AuthenticAMD\n"), "AMD");
  EXPECT_EQ(cpu_vendor_from_cpuinfo("vendor_id\t: HygonGenuine"), "Hygon");
}

TEST(CpuVendor, KeepsAnUnknownVendorIdAsWritten) {
  EXPECT_EQ(cpu_vendor_from_cpuinfo("vendor_id : CentaurHauls\r\n"), "CentaurHauls");
}

TEST(CpuVendor, IsCpuWithoutAVendorLine) {
  EXPECT_EQ(cpu_vendor_from_cpuinfo(""), "CPU");
  EXPECT_EQ(cpu_vendor_from_cpuinfo("processor\t: 0\nCPU implementer\t: 0x41\n"), "CPU");
  EXPECT_EQ(cpu_vendor_from_cpuinfo("vendor_id_extra\t: GenuineIntel\n"), "CPU");
  EXPECT_EQ(cpu_vendor_from_cpuinfo("vendor_id\t:\n"), "CPU");
}

TEST(CpuVendor, ReadsAFileAndFallsBackWhenItIsMissing) {
  testing::FakePowercap scratch;
  const std::string path = scratch.root() + "/cpuinfo";
  scratch.write(path, "processor\t: 0\nmodel name\t: AMD EPYC\nvendor_id\t: AuthenticAMD\n");
  EXPECT_EQ(read_cpu_vendor(path), "AMD");
  EXPECT_EQ(read_cpu_vendor(scratch.root() + "/missing"), "CPU");
}

}  // namespace
}  // namespace joulebench::rapl
