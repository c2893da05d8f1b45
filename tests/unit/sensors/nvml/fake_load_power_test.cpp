// The fake NVML's load-driven power: piecewise-constant between observations.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "load_power.hpp"

namespace joulebench::fake_nvml {
namespace {

class LoadPowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "jb-load-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string load_path() const { return (dir_ / "load").string(); }
  void set_load(const std::string& text) const {
    std::ofstream((dir_ / "load.tmp").string()) << text;
    std::filesystem::rename(dir_ / "load.tmp", load_path());
  }
  LoadDrivenPower config() const { return {load_path(), 50.0, 100.0}; }

 private:
  std::filesystem::path dir_;
};

TEST_F(LoadPowerTest, IntegratesHeldPowerUpToEachTick) {
  set_load("1");
  LoadPowerIntegrator power(config(), 0.1);  // 150 W from t = 0
  EXPECT_DOUBLE_EQ(power.power_w(), 150.0);
  set_load("3");
  power.observe(0.35);  // 150 W held to 0.35 s; the 0.3 s tick: 45 J
  EXPECT_DOUBLE_EQ(power.counter_energy_j(), 45.0);
  EXPECT_DOUBLE_EQ(power.power_w(), 350.0);
  power.observe(0.38);  // no new tick
  EXPECT_DOUBLE_EQ(power.counter_energy_j(), 45.0);
  power.observe(0.62);  // 52.5 J at 0.35 s + 350 W * 0.25 s to the 0.6 s tick
  EXPECT_DOUBLE_EQ(power.counter_energy_j(), 52.5 + 87.5);
}

TEST_F(LoadPowerTest, MissingOrBadFileKeepsTheLastLoad) {
  LoadPowerIntegrator power(config(), 0.1);  // no file yet: load 0
  EXPECT_DOUBLE_EQ(power.power_w(), 50.0);
  set_load("2.5\n");
  power.observe(0.1);
  EXPECT_DOUBLE_EQ(power.power_w(), 300.0);
  set_load("busy");
  power.observe(0.2);
  EXPECT_DOUBLE_EQ(power.power_w(), 300.0);
  set_load("-4");  // a negative load counts as none
  power.observe(0.3);
  EXPECT_DOUBLE_EQ(power.power_w(), 50.0);
}

TEST_F(LoadPowerTest, TimeGoingBackIsIgnored) {
  set_load("0");
  LoadPowerIntegrator power(config(), 0.1);
  power.observe(1.0);
  EXPECT_DOUBLE_EQ(power.counter_energy_j(), 50.0);
  power.observe(0.5);
  EXPECT_DOUBLE_EQ(power.counter_energy_j(), 50.0);
}

}  // namespace
}  // namespace joulebench::fake_nvml
