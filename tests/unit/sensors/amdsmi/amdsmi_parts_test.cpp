// The pure parts of the amdsmi sensor: ABI layouts by library version, power decoding,
// violation flags, PCI bus ids and status names.
#include <gtest/gtest.h>

#include <cstring>

#include "sensors/amdsmi/amdsmi_library.hpp"
#include "sensors/amdsmi/device_reader.hpp"

namespace joulebench::amdsmi {
namespace {

TEST(AmdSmiParts, PowerLayoutFollowsTheLibraryVersion) {
  EXPECT_EQ(power_layout(23, 3), PowerLayout::average_only);
  EXPECT_EQ(power_layout(23, 4), PowerLayout::current_first);
  EXPECT_EQ(power_layout(24, 7), PowerLayout::current_first);
  EXPECT_EQ(power_layout(25, 3), PowerLayout::socket_power_first);
  EXPECT_EQ(power_layout(26, 1), PowerLayout::socket_power_first);
  EXPECT_EQ(power_layout(22, 0), PowerLayout::unknown);
}

TEST(AmdSmiParts, SocketPowerLayoutReadsTheFieldsBehindTheSixtyFourBitPower) {
  // As the sensor passes it: the library's struct at the front of a padded buffer.
  Padded<PowerInfoCurrentFirst> buffer;
  PowerInfoSocketPowerFirst info = {};
  info.socket_power_w = 610;
  info.current_socket_power_w = 605;
  info.average_socket_power_w = 0xFFFFFFFF;
  const auto decode = [&](PowerLayout layout) {
    std::memcpy(&buffer.value, &info, sizeof info);
    return decode_power_info(&buffer.value, layout);
  };
  PowerWatts watts = decode(PowerLayout::socket_power_first);
  EXPECT_EQ(watts.current_w, 605.0);
  EXPECT_FALSE(watts.average_w);
  // Read with the 24.x layout, the same bytes would give the low word of socket_power.
  EXPECT_EQ(decode(PowerLayout::current_first).current_w, 610.0);
  info.current_socket_power_w = 0xFFFF;  // not filled: socket_power is the current power
  EXPECT_EQ(decode(PowerLayout::socket_power_first).current_w, 610.0);
  info.socket_power_w = 0xFFFFFFFF;
  EXPECT_FALSE(decode(PowerLayout::socket_power_first).current_w);
}

TEST(AmdSmiParts, PowerInfoAllOnesIsNotAvailable) {
  PowerInfoCurrentFirst info = {};
  info.current_socket_power_w = 0xFFFF;
  info.average_socket_power_w = 512;
  const PowerWatts watts = decode_power_info(&info, PowerLayout::current_first);
  EXPECT_FALSE(watts.current_w);
  EXPECT_EQ(watts.average_w, 512.0);
  info.average_socket_power_w = 0xFFFFFFFF;
  EXPECT_FALSE(decode_power_info(&info, PowerLayout::current_first).average_w);
  PowerInfoAverageOnly old = {};
  old.average_socket_power_w = 300;
  EXPECT_EQ(decode_power_info(&old, PowerLayout::average_only).average_w, 300.0);
  EXPECT_FALSE(decode_power_info(&old, PowerLayout::unknown).average_w);
}

TEST(AmdSmiParts, ViolationFlagsBecomeThrottleBits) {
  ViolationStatus status;
  std::memset(&status, 0, sizeof status);
  EXPECT_EQ(violation_throttle_mask(status), 0u);
  status.active_ppt_pwr = 1;
  status.active_hbm_thrm = 1;
  status.active_prochot_thrm = 0xFF;  // not supported: not active
  EXPECT_EQ(violation_throttle_mask(status), throttle::kSwPowerCap | throttle::kHwThermal);
  status.active_vr_thrm = 1;
  EXPECT_NE(violation_throttle_mask(status) & throttle::kInvalidating, 0u);
}

TEST(AmdSmiParts, BdfBitsDecodeToSysfsSpelling) {
  // function 1, device 2, bus 0xc1, domain 1
  const Bdf bdf{(std::uint64_t{1} << 16) | (0xc1u << 8) | (2u << 3) | 1u};
  EXPECT_EQ(bdf_text(bdf), "0001:c1:02.1");
}

TEST(AmdSmiParts, StatusNamesAndCandidates) {
  EXPECT_EQ(status_name(kNotSupported), "NOT_SUPPORTED");
  EXPECT_EQ(status_name(kNotFound), "NOT_FOUND");
  EXPECT_EQ(status_name(12345), "AMDSMI_STATUS_12345");
  EXPECT_EQ(library_candidates(std::nullopt, std::string("/x.so")),
            std::vector<std::string>{"/x.so"});
  EXPECT_EQ(library_candidates(std::string("/y.so"), std::string("/x.so")),
            std::vector<std::string>{"/y.so"});
  EXPECT_EQ(library_candidates(std::nullopt, std::nullopt).front(), "libamd_smi.so");
}

}  // namespace
}  // namespace joulebench::amdsmi
