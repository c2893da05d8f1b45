// The fake NVML's settable power limit and clocks, through our own declarations of the
// setters: constraints, refusals, the power following the setting, and persistence across
// library lifetimes (a second process sees what the first left, as on a real GPU).
#include <gtest/gtest.h>

#include "fake_nvml_fixture.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench::testing {
namespace {

using namespace joulebench::nvml;  // NOLINT: the ABI's names read best unqualified here

class FakeNvmlSettingsTest : public FakeNvmlTest {
 protected:
  void SetUp() override {
    FakeNvmlTest::SetUp();
    state_env_.emplace("JOULEBENCH_FAKE_NVML_STATE_FILE", path("state.json"));
    write_scenario(R"({"devices": [{"uuid": "GPU-s", "power_w": 600, "power_limit_w": 700,
                                    "counter_update_period_s": 0.001,
                                    "graphics_clocks_mhz": [1980, 990],
                                    "memory_clocks_mhz": [2619, 1593]}]})");
  }

  std::unique_ptr<NvmlLibrary> open_library() const {
    auto library = NvmlLibrary::open({kFakeNvmlPath});
    EXPECT_TRUE(library) << library.error().message;
    return library ? std::move(library.value()) : nullptr;
  }

  static Device first(const NvmlLibrary& library) {
    Device device = nullptr;
    EXPECT_EQ(library.api().device_get_handle_by_index(0, &device), kSuccess);
    return device;
  }

  std::optional<ScopedEnv> state_env_;
};

TEST_F(FakeNvmlSettingsTest, PowerLimitWithinConstraintsCapsThePower) {
  auto library = open_library();
  ASSERT_TRUE(library);
  const FunctionTable& api = library->api();
  const Device device = first(*library);
  unsigned min_mw = 0, max_mw = 0, mw = 0;
  ASSERT_EQ(api.device_get_power_management_limit_constraints(device, &min_mw, &max_mw), kSuccess);
  EXPECT_EQ(min_mw, 200000U);
  EXPECT_EQ(max_mw, 700000U);
  ASSERT_EQ(api.device_get_power_management_default_limit(device, &mw), kSuccess);
  EXPECT_EQ(mw, 700000U);
  EXPECT_EQ(api.device_set_power_management_limit(device, 800000), kInvalidArgument);
  EXPECT_EQ(api.device_set_power_management_limit(device, 100000), kInvalidArgument);

  set_time_s(1.0);
  ASSERT_EQ(api.device_set_power_management_limit(device, 400000), kSuccess);
  ASSERT_EQ(api.device_get_power_management_limit(device, &mw), kSuccess);
  EXPECT_EQ(mw, 400000U);
  ASSERT_EQ(api.device_get_enforced_power_limit(device, &mw), kSuccess);
  EXPECT_EQ(mw, 400000U);
  set_time_s(2.0);
  ASSERT_EQ(api.device_get_power_usage(device, &mw), kSuccess);
  EXPECT_EQ(mw, 400000U);
  // The counter: 1 s at 600 W, then 1 s at 400 W.
  unsigned long long mj = 0;
  ASSERT_EQ(api.device_get_total_energy_consumption(device, &mj), kSuccess);
  EXPECT_EQ(mj, 1000000ULL);
}

TEST_F(FakeNvmlSettingsTest, LockedClockSlowsTheGpuAndResetUnlocksIt) {
  auto library = open_library();
  ASSERT_TRUE(library);
  const FunctionTable& api = library->api();
  const Device device = first(*library);
  unsigned clocks[4] = {};
  unsigned count = 1;
  EXPECT_EQ(api.device_get_supported_memory_clocks(device, &count, clocks), kInsufficientSize);
  EXPECT_EQ(count, 2U);
  ASSERT_EQ(api.device_get_supported_memory_clocks(device, &count, clocks), kSuccess);
  EXPECT_EQ(clocks[0], 2619U);
  count = 4;
  ASSERT_EQ(api.device_get_supported_graphics_clocks(device, 2619, &count, clocks), kSuccess);
  EXPECT_EQ(count, 2U);
  EXPECT_EQ(api.device_set_gpu_locked_clocks(device, 2000, 2000), kInvalidArgument);
  ASSERT_EQ(api.device_set_gpu_locked_clocks(device, 990, 990), kSuccess);
  unsigned value = 0;
  ASSERT_EQ(api.device_get_clock_info(device, kClockGraphics, &value), kSuccess);
  EXPECT_EQ(value, 990U);
  ASSERT_EQ(api.device_get_power_usage(device, &value), kSuccess);
  EXPECT_EQ(value, 300000U);  // half the clock, half the power
  ASSERT_EQ(api.device_reset_gpu_locked_clocks(device), kSuccess);
  ASSERT_EQ(api.device_get_clock_info(device, kClockGraphics, &value), kSuccess);
  EXPECT_EQ(value, 1980U);
  EXPECT_EQ(api.device_set_memory_locked_clocks(device, 1593, 1593), kSuccess);
  EXPECT_EQ(api.device_reset_memory_locked_clocks(device), kSuccess);
}

TEST_F(FakeNvmlSettingsTest, SettingsOutliveTheLibraryThroughTheStateFile) {
  {
    auto library = open_library();
    ASSERT_TRUE(library);
    ASSERT_EQ(library->api().device_set_power_management_limit(first(*library), 350000), kSuccess);
  }
  auto reopened = open_library();
  ASSERT_TRUE(reopened);
  unsigned mw = 0;
  ASSERT_EQ(reopened->api().device_get_power_management_limit(first(*reopened), &mw), kSuccess);
  EXPECT_EQ(mw, 350000U);
}

TEST_F(FakeNvmlSettingsTest, ScenarioRefusalsApplyToTheSetters) {
  write_scenario(R"({"devices": [{"failures": [{"function": "nvmlDeviceSetPowerManagementLimit",
                                                "error": "NO_PERMISSION"}],
                                  "unsupported": ["nvmlDeviceSetGpuLockedClocks"]}]})");
  auto library = open_library();
  ASSERT_TRUE(library);
  const Device device = first(*library);
  EXPECT_EQ(library->api().device_set_power_management_limit(device, 300000), kNoPermission);
  EXPECT_EQ(library->api().device_set_gpu_locked_clocks(device, 990, 990), kNotSupported);
}

}  // namespace
}  // namespace joulebench::testing
