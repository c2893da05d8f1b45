#include "sensors/remote/metrics_page.hpp"

#include <gtest/gtest.h>

namespace joulebench::remote {
namespace {

TEST(MetricsPage, JoulebenchExporterPage) {
  const char* text =
      "# TYPE joulebench_gpu_energy_joules_total counter\n"
      "joulebench_gpu_energy_joules_total{gpu=\"nvml:0\",uuid=\"GPU-a\",name=\"H100\","
      "hostname=\"n1\"} 1234.5\n"
      "joulebench_gpu_power_watts{gpu=\"nvml:0\",uuid=\"GPU-a\",name=\"H100\",hostname=\"n1\"} "
      "300\n"
      "joulebench_sampling_interval_seconds 0.1\n";
  auto page = read_metrics_page(text, "u");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->format, kJoulebenchFormat);
  ASSERT_EQ(page->devices.size(), 1u);
  EXPECT_EQ(page->devices[0].key, "GPU-a");
  EXPECT_EQ(page->devices[0].host, "n1");
  EXPECT_DOUBLE_EQ(*page->devices[0].energy_j, 1234.5);
  EXPECT_DOUBLE_EQ(*page->devices[0].power_w, 300);
  EXPECT_DOUBLE_EQ(*page->update_interval_s, 0.1);
}

TEST(MetricsPage, AnEnergyOrPowerThatIsNoMeasurementIsRefusedNamingTheSeries) {
  for (const char* value : {"NaN", "-1", "+Inf", "-Inf"}) {
    const std::string text =
        std::string("joulebench_gpu_energy_joules_total{gpu=\"nvml:0\",uuid=\"GPU-a\"} ") + value +
        "\n";
    auto page = read_metrics_page(text, "http://h/metrics");
    ASSERT_FALSE(page) << value;
    EXPECT_NE(page.error().message.find("joulebench_gpu_energy_joules_total"), std::string::npos);
    EXPECT_NE(page.error().message.find("GPU-a"), std::string::npos);
  }
  auto power = read_metrics_page("DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-b\"} -5\n", "u");
  ASSERT_FALSE(power);
  EXPECT_NE(power.error().message.find("DCGM_FI_DEV_POWER_USAGE"), std::string::npos);
}

TEST(MetricsPage, AGpuSeriesWithoutGpuOrUuidLabelIsRefused) {
  auto page = read_metrics_page("DCGM_FI_DEV_POWER_USAGE{Hostname=\"n\"} 5\n", "u");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("gpu or UUID label"), std::string::npos);
}

TEST(MetricsPage, AnIntervalThatIsNoDurationIsLeftUnstated) {
  for (const char* value : {"0", "-0.1", "NaN", "+Inf"}) {
    const std::string text =
        "joulebench_gpu_energy_joules_total{gpu=\"nvml:0\"} 1\n"
        "joulebench_sampling_interval_seconds " +
        std::string(value) + "\n";
    auto page = read_metrics_page(text, "u");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_FALSE(page->update_interval_s) << value;
  }
}

TEST(MetricsPage, DcgmCounterIsInMillijoulesAndMigSlicesCountOnce) {
  const char* text =
      "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu=\"0\",UUID=\"GPU-b\",device=\"nvidia0\","
      "modelName=\"NVIDIA A100-SXM4-80GB\",Hostname=\"n2\",GPU_I_PROFILE=\"1g.10gb\","
      "GPU_I_ID=\"1\"} 5000000\n"
      "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu=\"0\",UUID=\"GPU-b\",device=\"nvidia0\","
      "modelName=\"NVIDIA A100-SXM4-80GB\",Hostname=\"n2\",GPU_I_PROFILE=\"1g.10gb\","
      "GPU_I_ID=\"2\"} 5000000\n"
      "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-b\",modelName=\"x\",Hostname=\"n2\"} 250.5\n";
  auto page = read_metrics_page(text, "u");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->format, kDcgmEnergyFormat);
  ASSERT_EQ(page->devices.size(), 1u);
  EXPECT_DOUBLE_EQ(*page->devices[0].energy_j, 5000.0);
  EXPECT_DOUBLE_EQ(*page->devices[0].power_w, 250.5);
  EXPECT_EQ(page->devices[0].name, "NVIDIA A100-SXM4-80GB");
  EXPECT_FALSE(page->update_interval_s);
}

TEST(MetricsPage, DcgmPowerOnlyWhenTheCounterIsAbsent) {
  auto page = read_metrics_page(
      "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-c\"} 99\n"
      "DCGM_FI_DEV_POWER_USAGE{gpu=\"1\",UUID=\"GPU-d\"} 98\n",
      "u");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->format, kDcgmPowerFormat);
  ASSERT_EQ(page->devices.size(), 2u);
  EXPECT_FALSE(page->devices[1].energy_j);
  EXPECT_DOUBLE_EQ(*page->devices[1].power_w, 98);
}

TEST(MetricsPage, APageWithoutGpuEnergyIsAnError) {
  auto page = read_metrics_page("vllm:generation_tokens_total 5\n", "http://x/metrics");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("DCGM_FI_DEV_POWER_USAGE"), std::string::npos);
  EXPECT_FALSE(read_metrics_page("not a metric line {\n", "u"));
}

}  // namespace
}  // namespace joulebench::remote
