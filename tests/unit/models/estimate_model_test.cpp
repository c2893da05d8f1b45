#include "models/estimate_model.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace joulebench::models {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("jb-estimate-" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(EstimateModel, PowerFlagSingleValueAndRange) {
  auto single = parse_power_w("700");
  ASSERT_TRUE(single);
  EXPECT_EQ(single->low_w, 700.0);
  EXPECT_EQ(single->high_w, 700.0);
  auto range = parse_power_w("1500-3000");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->low_w, 1500.0);
  EXPECT_EQ(range->high_w, 3000.0);
  EXPECT_FALSE(parse_power_w("3000-1500"));
  EXPECT_FALSE(parse_power_w("-5"));
  EXPECT_FALSE(parse_power_w("0"));
  EXPECT_FALSE(parse_power_w("lots"));
  EXPECT_NE(parse_power_w("1500-x").error().message.find("--power-w"), std::string::npos);
}

TEST(EstimateModel, RangeGivesLowAndHighFigures) {
  auto e = estimate(100.0, PowerRange{200.0, 400.0, "test"}, "8");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->label, "8");
  EXPECT_DOUBLE_EQ(e->j_per_token_low, 2.0);
  EXPECT_DOUBLE_EQ(e->j_per_token_high, 4.0);
  EXPECT_DOUBLE_EQ(e->kwh_per_million_tokens_low, 2.0 / 3.6);
  EXPECT_DOUBLE_EQ(e->tokens_per_j_low, 0.25);
  EXPECT_DOUBLE_EQ(e->tokens_per_j_high, 0.5);
  EXPECT_FALSE(estimate(0.0, PowerRange{1, 1, ""}));
}

TEST(EstimateModel, NodePowerFromCatalogEntry) {
  GpuSpec gpu{"X", {}, "V", 300.0, std::nullopt, "", 48.0, 768.0, "datasheet"};
  auto power = gpu_node_power(gpu, 8, 0.25);
  ASSERT_TRUE(power);
  EXPECT_DOUBLE_EQ(power->high_w, 3000.0);
  EXPECT_NE(power->basis.find("upper bound"), std::string::npos);
  EXPECT_FALSE(gpu_node_power(gpu, 0, 0.1));
  EXPECT_FALSE(gpu_node_power(gpu, 1, -0.1));
  gpu.tdp_w.reset();
  EXPECT_FALSE(gpu_node_power(gpu, 1, 0.1));
}

TEST(EstimateModel, ThroughputCsvRowsAndErrorsWithLineNumbers) {
  auto good = read_throughput_csv(write_temp("good.csv", "batch,tokens_per_s,note\n1,53.9,a\n\n8,319.8,b\n"));
  ASSERT_TRUE(good) << good.error().what_line();
  ASSERT_EQ(good->size(), 2u);
  EXPECT_EQ((*good)[1].batch, "8");
  EXPECT_DOUBLE_EQ((*good)[1].tokens_per_s, 319.8);

  auto bad_number = read_throughput_csv(write_temp("bad.csv", "batch,tokens_per_s\n1,53.9\n2,fast\n"));
  ASSERT_FALSE(bad_number);
  EXPECT_EQ(bad_number.error().line, 3u);
  EXPECT_NE(bad_number.error().message.find("tokens_per_s"), std::string::npos);

  auto no_header = read_throughput_csv(write_temp("nohead.csv", "1,53.9\n"));
  ASSERT_FALSE(no_header);
  EXPECT_EQ(no_header.error().line, 1u);
  EXPECT_FALSE(read_throughput_csv(write_temp("short.csv", "batch,tokens_per_s\n1\n")));
  EXPECT_FALSE(read_throughput_csv(write_temp("empty.csv", "")));
  EXPECT_FALSE(read_throughput_csv(write_temp("zero.csv", "batch,tokens_per_s\n1,0\n")));
}

}  // namespace
}  // namespace joulebench::models
