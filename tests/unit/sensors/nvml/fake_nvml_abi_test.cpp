// The fake NVML library's C ABI, called directly through the sensor's function table:
// the parts the sensor does not exercise (buffer sizes, scopes, reference counting).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_nvml_fixture.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench::testing {
namespace {

using namespace joulebench::nvml;  // NOLINT: the ABI's names read best unqualified here

class FakeNvmlAbiTest : public FakeNvmlTest {
 protected:
  std::unique_ptr<NvmlLibrary> open_library() const {
    auto library = NvmlLibrary::open({kFakeNvmlPath});
    EXPECT_TRUE(library) << library.error().message;
    return library ? std::move(library.value()) : nullptr;
  }

  Device handle(const NvmlLibrary& library, unsigned index) const {
    Device device = nullptr;
    EXPECT_EQ(library.api().device_get_handle_by_index(index, &device), kSuccess);
    return device;
  }
};

TEST_F(FakeNvmlAbiTest, StringsNeedABigEnoughBuffer) {
  write_scenario(R"({"driver_version": "550.54.15", "devices": [{"name": "NVIDIA T4"}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  const FunctionTable& api = library->api();
  char buffer[10] = {};
  EXPECT_EQ(api.system_get_driver_version(buffer, 9), kInsufficientSize);
  EXPECT_EQ(api.system_get_driver_version(buffer, 10), kSuccess);
  EXPECT_STREQ(buffer, "550.54.15");
  const Device device = handle(*library, 0);
  EXPECT_EQ(api.device_get_name(device, buffer, 10), kSuccess);
  EXPECT_STREQ(buffer, "NVIDIA T4");
  EXPECT_EQ(api.device_get_name(device, nullptr, 10), kInvalidArgument);
}

TEST_F(FakeNvmlAbiTest, FieldValuesCarryTheirOwnStatusAndType) {
  write_scenario(R"({"devices": [{"power_w": 250, "power_usage_average_s": 1,
                                  "power_limit_w": 300, "energy_start_mj": 7}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  FieldValue values[6] = {};
  const unsigned ids[6] = {kFieldPowerInstant,           kFieldPowerAverage,
                           kFieldTotalEnergyConsumption, kFieldPowerCurrentLimit,
                           kFieldPowerInstant,           kFieldPowerMinLimit};
  for (int i = 0; i < 6; ++i) values[i].field_id = ids[i];
  values[4].scope_id = kScopeModule;
  set_time_s(0.05);
  ASSERT_EQ(library->api().device_get_field_values(handle(*library, 0), 6, values), kSuccess);
  EXPECT_EQ(values[0].nvml_return, kSuccess);
  EXPECT_EQ(values[0].value_type, kValueTypeUnsignedInt);
  EXPECT_EQ(values[0].value.ui, 250000U);
  EXPECT_EQ(values[1].value.ui, 250000U);
  EXPECT_EQ(values[2].value_type, kValueTypeUnsignedLongLong);
  EXPECT_EQ(values[2].value.ull, 7U);  // no tick since 0 yet
  EXPECT_EQ(values[3].value.ui, 300000U);
  EXPECT_EQ(values[4].nvml_return, kNotSupported);  // module scope is not modelled
  EXPECT_EQ(values[5].nvml_return, kNotSupported);
  EXPECT_GT(values[0].timestamp_us, 0);
}

TEST_F(FakeNvmlAbiTest, ReferenceCountedInitAndCallsAfterShutdown) {
  write_scenario(R"({"devices": [{}]})");
  auto library = open_library();  // init #1
  ASSERT_TRUE(library);
  const FunctionTable& api = library->api();
  ASSERT_EQ(api.init(), kSuccess);  // init #2
  EXPECT_EQ(api.shutdown(), kSuccess);
  unsigned count = 0;
  EXPECT_EQ(api.device_get_count(&count), kSuccess);
  EXPECT_EQ(count, 1U);
  EXPECT_EQ(api.shutdown(), kSuccess);  // matches init #1: NVML is now shut down
  EXPECT_EQ(api.device_get_count(&count), kUninitialized);
  EXPECT_EQ(api.init(), kSuccess);  // so that ~NvmlLibrary's shutdown has a partner
}

TEST_F(FakeNvmlAbiTest, BadHandlesAndArgumentsAreRejected) {
  write_scenario(R"({"devices": [{}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  const FunctionTable& api = library->api();
  Device device = nullptr;
  EXPECT_EQ(api.device_get_handle_by_index(1, &device), kInvalidArgument);
  unsigned value = 0;
  EXPECT_EQ(api.device_get_power_usage(nullptr, &value), kInvalidArgument);
  device = handle(*library, 0);
  EXPECT_EQ(api.device_get_power_usage(device, nullptr), kInvalidArgument);
  EXPECT_EQ(api.device_get_temperature(device, 1, &value), kInvalidArgument);
  EXPECT_EQ(api.device_get_clock_info(device, kClockMemory, &value), kNotSupported);
  EXPECT_EQ(api.device_get_clock_info(device, kClockGraphics, &value), kSuccess);
  EXPECT_EQ(value, 1980U);
  EXPECT_EQ(api.device_get_field_values(device, 0, nullptr), kInvalidArgument);
}

TEST_F(FakeNvmlAbiTest, MemoryInfoAddsUp) {
  write_scenario(R"({"devices": [{"memory_used_bytes": 300, "memory_total_bytes": 1000}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  Memory memory = {};
  ASSERT_EQ(library->api().device_get_memory_info(handle(*library, 0), &memory), kSuccess);
  EXPECT_EQ(memory.total_bytes, 1000U);
  EXPECT_EQ(memory.used_bytes, 300U);
  EXPECT_EQ(memory.free_bytes, 700U);
}

TEST_F(FakeNvmlAbiTest, ErrorStringsDescribeCodes) {
  write_scenario(R"({"devices": [{}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  EXPECT_STREQ(library->api().error_string(kGpuIsLost), "GPU is lost");
  EXPECT_STREQ(library->api().error_string(12345), "Unknown Error");
  EXPECT_EQ(library->describe(kNoPermission), "Insufficient Permissions (NO_PERMISSION)");
}

TEST_F(FakeNvmlAbiTest, MinimalLibraryLacksTheExtendedSymbols) {
  write_scenario(R"({"devices": [{}]})");
  auto library = NvmlLibrary::open({kMinimalFakeNvmlPath});
  ASSERT_TRUE(library) << library.error().message;
  const FunctionTable& api = (*library)->api();
  EXPECT_NE(api.device_get_power_usage, nullptr);
  EXPECT_NE(api.device_get_uuid, nullptr);
  EXPECT_EQ(api.error_string, nullptr);
  EXPECT_EQ(api.device_get_field_values, nullptr);
  EXPECT_EQ(api.device_get_total_energy_consumption, nullptr);
  EXPECT_EQ(api.device_get_architecture, nullptr);
  EXPECT_EQ((*library)->describe(kNotSupported), "NOT_SUPPORTED");
}

}  // namespace
}  // namespace joulebench::testing
