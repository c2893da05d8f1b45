#include "store/idle_baselines.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace joulebench {
namespace {

class IdleBaselinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jb-idle-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "nested" / "idle-baselines.json").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static IdleBaseline baseline(const std::string& host, const std::string& key, double watts) {
    IdleBaseline b;
    b.host = host;
    b.device_key = key;
    b.device_id = "nvml:0";
    b.idle_power_w = watts;
    b.method = "counter";
    return b;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(IdleBaselinesTest, MissingFileIsEmpty) {
  auto loaded = load_idle_baselines(path_);
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->empty());
}

TEST_F(IdleBaselinesTest, SaveMergesByHostAndDevice) {
  ASSERT_TRUE(save_idle_baselines(path_, {baseline("a", "GPU-1", 60), baseline("b", "GPU-1", 70)}));
  ASSERT_TRUE(save_idle_baselines(path_, {baseline("a", "GPU-1", 55)}));
  auto loaded = load_idle_baselines(path_);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  DeviceInfo device;
  device.id = "nvml:0";
  device.uuid = "GPU-1";
  EXPECT_EQ(find_idle_baseline(*loaded, "a", device)->idle_power_w, 55.0);
  EXPECT_EQ(find_idle_baseline(*loaded, "b", device)->idle_power_w, 70.0);
  EXPECT_FALSE(find_idle_baseline(*loaded, "c", device));
}

TEST_F(IdleBaselinesTest, DeviceWithoutUuidIsKeyedById) {
  DeviceInfo device;
  device.id = "rapl:package-0";
  EXPECT_EQ(idle_device_key(device), "rapl:package-0");
  device.uuid = "GPU-9";
  EXPECT_EQ(idle_device_key(device), "GPU-9");
}

TEST_F(IdleBaselinesTest, MalformedFileIsAnErrorAndIsNotOverwritten) {
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  std::ofstream(path_) << R"({"baselines": [{"host": "a"}]})";
  auto loaded = load_idle_baselines(path_);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().what_line(), path_ + ": baselines[0].device_key: missing or wrong type");
  EXPECT_FALSE(save_idle_baselines(path_, {baseline("a", "GPU-1", 1)}));
  std::ifstream in(path_);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, R"({"baselines": [{"host": "a"}]})");
}

TEST_F(IdleBaselinesTest, DefaultPathHonoursXdgDataHome) {
  ::setenv("XDG_DATA_HOME", "/data/x", 1);
  EXPECT_EQ(default_idle_baseline_path(), "/data/x/joulebench/idle-baselines.json");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(default_idle_baseline_path(), "/home/u/.local/share/joulebench/idle-baselines.json");
}

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

TEST(IdlePowerFor, SumsStoredBaselinesOrNamesTheMissingDevice) {
  IdleBaseline a;
  a.host = "h";
  a.device_key = "GPU-a";
  a.idle_power_w = 60.0;
  a.measured_at = "2026-11-24T10:00:00.000Z";
  IdleBaseline b = a;
  b.device_key = "GPU-b";
  b.idle_power_w = 65.5;
  DeviceInfo gpu_a;
  gpu_a.id = "nvml:0";
  gpu_a.uuid = "GPU-a";
  DeviceInfo gpu_b;
  gpu_b.id = "nvml:1";
  gpu_b.uuid = "GPU-b";
  const auto both = idle_power_for({gpu_a, gpu_b}, {a, b}, "h");
  ASSERT_TRUE(both.total_w);
  EXPECT_DOUBLE_EQ(*both.total_w, 125.5);
  const auto missing = idle_power_for({gpu_a, gpu_b}, {a}, "h");
  EXPECT_FALSE(missing.total_w);
  EXPECT_NE(missing.reason.find("nvml:1"), std::string::npos);
  EXPECT_FALSE(idle_power_for({gpu_a}, {a}, "other-host").total_w);
}

}  // namespace
}  // namespace joulebench
