// The fake NVML's scenario parser: defaults, every field, and errors naming the field.
#include <gtest/gtest.h>

#include "scenario.hpp"

namespace joulebench::fake_nvml {
namespace {

TEST(Scenario, DefaultsForAnEmptyDevice) {
  auto scenario = parse_scenario(R"({"devices": [{}, {}]})");
  ASSERT_TRUE(scenario) << scenario.error().message;
  EXPECT_EQ(scenario->driver_version, "550.54.15");
  EXPECT_FALSE(scenario->init_error.has_value());
  ASSERT_EQ(scenario->devices.size(), 2U);
  const DeviceScenario& second = scenario->devices[1];
  EXPECT_EQ(second.name, "NVIDIA Fake GPU");
  EXPECT_EQ(second.uuid, "GPU-fa4e0000-0000-0000-0000-000000000001");
  EXPECT_EQ(second.architecture, 9U);
  EXPECT_DOUBLE_EQ(second.power_w.at(3.0), 100.0);
  EXPECT_TRUE(second.energy_counter);
  EXPECT_TRUE(second.power_instant_field);
  EXPECT_DOUBLE_EQ(second.counter_update_period_s, 0.1);
  EXPECT_FALSE(second.power_usage_average_s.has_value());
  EXPECT_TRUE(second.failures.empty());
}

TEST(Scenario, ReadsEveryField) {
  auto scenario = parse_scenario(R"({
    "driver_version": "535.1", "init_error": "NO_PERMISSION",
    "devices": [{"name": "N", "uuid": "GPU-x", "architecture": 7, "power_limit_w": 400,
      "power_w": [[0, 10], [2, 30]], "power_usage_average_s": 1, "power_instant_field": false,
      "energy_counter": false, "energy_start_mj": 5, "counter_update_period_s": 0.05,
      "temperature_c": 60, "gpu_utilization_pct": [[0, 0], [1, 100]],
      "memory_utilization_pct": 20, "sm_clock_mhz": 1400, "memory_used_bytes": 1000,
      "memory_total_bytes": 2000, "throttle": [[1, 2, 4]], "lost_at_s": 9,
      "unsupported": ["nvmlDeviceGetTemperature"],
      "failures": [{"function": "nvmlDeviceGetPowerUsage", "error": 4, "from_s": 1, "to_s": 2}]
    }]})");
  ASSERT_TRUE(scenario) << scenario.error().message;
  EXPECT_EQ(scenario->driver_version, "535.1");
  EXPECT_EQ(scenario->init_error, 4);
  const DeviceScenario& d = scenario->devices[0];
  EXPECT_EQ(d.name, "N");
  EXPECT_EQ(d.uuid, "GPU-x");
  EXPECT_EQ(d.architecture, 7U);
  EXPECT_DOUBLE_EQ(d.power_limit_w, 400.0);
  EXPECT_DOUBLE_EQ(d.power_w.at(1.0), 20.0);
  EXPECT_EQ(d.power_usage_average_s, 1.0);
  EXPECT_FALSE(d.power_instant_field);
  EXPECT_FALSE(d.energy_counter);
  EXPECT_EQ(d.energy_start_mj, 5U);
  EXPECT_DOUBLE_EQ(d.counter_update_period_s, 0.05);
  EXPECT_DOUBLE_EQ(d.temperature_c.at(0.0), 60.0);
  EXPECT_DOUBLE_EQ(d.gpu_utilization_pct.at(0.5), 50.0);
  EXPECT_DOUBLE_EQ(d.memory_utilization_pct.at(0.0), 20.0);
  EXPECT_DOUBLE_EQ(d.sm_clock_mhz.at(0.0), 1400.0);
  EXPECT_DOUBLE_EQ(d.memory_used_bytes.at(0.0), 1000.0);
  EXPECT_DOUBLE_EQ(d.memory_total_bytes, 2000.0);
  ASSERT_EQ(d.throttle.size(), 1U);
  EXPECT_EQ(d.throttle[0].mask, 4U);
  EXPECT_EQ(d.lost_at_s, 9.0);
  ASSERT_EQ(d.failures.size(), 2U);
  EXPECT_EQ(d.failures[0].function, "nvmlDeviceGetTemperature");
  EXPECT_EQ(d.failures[0].code, 3);
  EXPECT_EQ(d.failures[1].function, "nvmlDeviceGetPowerUsage");
  EXPECT_EQ(d.failures[1].code, 4);
  EXPECT_DOUBLE_EQ(d.failures[1].from_s, 1.0);
  EXPECT_DOUBLE_EQ(d.failures[1].to_s, 2.0);
}

TEST(Scenario, LoadDrivenDevice) {
  auto scenario = parse_scenario(
      R"({"devices": [{"load_file": "/tmp/l", "idle_power_w": 60, "power_per_load_w": 5}]})");
  ASSERT_TRUE(scenario) << scenario.error().message;
  ASSERT_TRUE(scenario->devices[0].load.has_value());
  EXPECT_EQ(scenario->devices[0].load->load_file, "/tmp/l");
  EXPECT_DOUBLE_EQ(scenario->devices[0].load->idle_power_w, 60.0);
  EXPECT_DOUBLE_EQ(scenario->devices[0].load->power_per_load_w, 5.0);
}

TEST(Scenario, MalformedJsonGivesTheLine) {
  auto scenario = parse_scenario("{\n  \"devices\": [\n    {,}\n  ]\n}");
  ASSERT_FALSE(scenario);
  EXPECT_EQ(scenario.error().line, 3U);
  EXPECT_NE(scenario.error().message.find("invalid JSON"), std::string::npos);
}

struct BadCase {
  const char* json;
  const char* message;
};

class BadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, ErrorNamesTheField) {
  auto scenario = parse_scenario(GetParam().json);
  ASSERT_FALSE(scenario) << GetParam().json;
  EXPECT_EQ(scenario.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadScenario,
    ::testing::Values(
        BadCase{"[]", "scenario: expected an object"},
        BadCase{"{}", "scenario: needs \"devices\" (may be [])"},
        BadCase{R"({"devices": [], "driver": "x"})", "scenario: unknown field 'driver'"},
        BadCase{R"({"devices": [{"power_wats": 1}]})", "devices[0]: unknown field 'power_wats'"},
        BadCase{R"({"devices": [{"power_w": "high"}]})",
                "devices[0].power_w: expected a number or [[t_s, value], ...]"},
        BadCase{R"({"devices": [{"power_w": []}]})",
                "devices[0].power_w: needs at least one point"},
        BadCase{R"({"devices": [{"power_w": [[1, 5], [0, 5]]}]})",
                "devices[0].power_w[1]: time goes backwards"},
        BadCase{R"({"devices": [{"power_w": [[0, -5]]}]})",
                "devices[0].power_w[0][1]: must not be negative"},
        BadCase{R"({"devices": [{"power_w": [[0]]}]})",
                "devices[0].power_w[0]: expected [t_s, value]"},
        BadCase{R"({"devices": [{"counter_update_period_s": 0}]})",
                "devices[0].counter_update_period_s: must be greater than 0"},
        BadCase{R"({"devices": [{"energy_start_mj": 1.5}]})",
                "devices[0].energy_start_mj: expected a non-negative integer"},
        BadCase{R"({"init_error": "BROKEN", "devices": []})",
                "scenario.init_error: unknown NVML return code 'BROKEN'"},
        BadCase{R"({"devices": [{"unsupported": ["nvmlDeviceGetPower"]}]})",
                "devices[0].unsupported[0]: not a device function: 'nvmlDeviceGetPower'"},
        BadCase{R"({"devices": [{"failures": [{"error": 3}]}]})",
                "devices[0].failures[0]: needs a function"},
        BadCase{R"({"devices": [{"failures": [{"function": "nvmlDeviceGetName"}]}]})",
                "devices[0].failures[0]: needs a non-SUCCESS error"},
        BadCase{R"({"devices": [{"throttle": [[2, 1, 4]]}]})",
                "devices[0].throttle[0]: ends before it starts"},
        BadCase{R"({"devices": [{"load_file": "/l", "power_w": 5}]})",
                "devices[0].load_file: use either power_w or load_file"},
        BadCase{R"({"devices": [{"idle_power_w": 5}]})",
                "devices[0].idle_power_w: needs load_file or activity_file"},
        BadCase{R"({"devices": [{"part_time_sensor": {"phase_s": 0.09}}]})",
                "devices[0].part_time_sensor: phase_s + window_s must fit in cycle_s"},
        BadCase{R"({"devices": [{"busy_power_w": 5}]})",
                "devices[0].busy_power_w: needs activity_file"},
        BadCase{R"({"devices": [{"power_instant_field": 1}]})",
                "devices[0].power_instant_field: expected true or false"}));

}  // namespace
}  // namespace joulebench::fake_nvml
