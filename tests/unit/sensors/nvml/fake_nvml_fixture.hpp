// A test fixture for running the real NVML sensor against the fake NVML library: a temp
// directory with the scenario and the fake-time file, and the environment that points the
// fake at them. Fake time is driven only through set_time_s(), never the wall clock.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "sensors/nvml/nvml_sensor.hpp"
#include "support/scoped_env.hpp"

namespace joulebench::testing {

inline const std::string kFakeNvmlPath = JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_nvml.so";
inline const std::string kMinimalFakeNvmlPath =
    JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_nvml_minimal.so";

class FakeNvmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "jb-nvml-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    scenario_env_.emplace("JOULEBENCH_FAKE_NVML_SCENARIO", path("scenario.json"));
    time_env_.emplace("JOULEBENCH_FAKE_NVML_TIME_FILE", path("time.txt"));
    set_time_s(0.0);
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes via rename, as the fake expects of anyone changing its input files.
  void write_file(const std::string& name, const std::string& contents) const {
    const std::string temporary = path(name + ".tmp");
    std::ofstream(temporary) << contents;
    std::filesystem::rename(temporary, path(name));
  }

  void write_scenario(const std::string& json) const { write_file("scenario.json", json); }
  void set_time_s(double t_s) const { write_file("time.txt", std::to_string(t_s)); }

  // Opens the sensor on the full fake library; the error fails the test.
  std::unique_ptr<Sensor> open(NvmlOptions options = {}) const {
    if (!options.library_path) options.library_path = kFakeNvmlPath;
    auto sensor = open_nvml_sensor(options);
    EXPECT_TRUE(sensor) << sensor.error().message;
    return sensor ? std::move(sensor.value()) : nullptr;
  }

  // The message of the error that opening must give.
  std::string open_error(NvmlOptions options = {}) const {
    if (!options.library_path) options.library_path = kFakeNvmlPath;
    auto sensor = open_nvml_sensor(options);
    EXPECT_FALSE(sensor) << "opened although an error was expected";
    return sensor ? std::string() : sensor.error().message;
  }

  // Reads device `index` at fake time `t_s`.
  Reading read_at(Sensor& sensor, std::size_t index, double t_s) const {
    set_time_s(t_s);
    return sensor.read(index, s_to_ns(t_s));
  }

 private:
  std::filesystem::path dir_;
  std::optional<ScopedEnv> scenario_env_;
  std::optional<ScopedEnv> time_env_;
  // Tests start from "no selection"; the ones about it set it themselves.
  ScopedEnv cuda_visible_devices_{"CUDA_VISIBLE_DEVICES", std::nullopt};
  ScopedEnv nvml_library_env_{"JOULEBENCH_NVML_LIBRARY", std::nullopt};
};

}  // namespace joulebench::testing
