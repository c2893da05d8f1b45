#include "models/catalog.hpp"

#include <gtest/gtest.h>

namespace joulebench::models {
namespace {

TEST(Catalog, BuiltInGpusParseAndEveryFigureHasASource) {
  auto catalog = load_gpu_catalog("");
  ASSERT_TRUE(catalog) << catalog.error().what_line();
  EXPECT_GE(catalog->size(), 20u);
  for (const auto& gpu : *catalog) {
    EXPECT_TRUE(gpu.tdp_w) << gpu.name;
    EXPECT_TRUE(gpu.memory_gb) << gpu.name;
    EXPECT_TRUE(gpu.memory_bandwidth_gb_s) << gpu.name;
    // The source key resolved to a document title, not left as a bare key.
    EXPECT_GT(gpu.source.size(), 20u) << gpu.name << ": " << gpu.source;
    EXPECT_FALSE(gpu.idle_note.empty()) << gpu.name << ": idle power needs a source or a reason";
  }
}

TEST(Catalog, TheIssuesGpusAreAllThere) {
  auto catalog = load_gpu_catalog("");
  ASSERT_TRUE(catalog);
  for (const char* name :
       {"B200", "H200", "H100-SXM", "H100-PCIe", "A100-SXM-80GB", "A100-PCIe-40GB", "A800", "L40S",
        "L4", "A10", "T4", "A6000", "RTX-4090", "RTX-4090D", "RTX-5090", "MI300X"}) {
    EXPECT_TRUE(find_gpu(*catalog, name)) << name;
  }
}

TEST(Catalog, FindsByAliasIgnoringCaseAndSeparators) {
  auto catalog = load_gpu_catalog("");
  ASSERT_TRUE(catalog);
  auto gpu = find_gpu(*catalog, "h100 sxm5");
  ASSERT_TRUE(gpu);
  EXPECT_EQ(gpu->name, "H100-SXM");
  EXPECT_EQ(*gpu->tdp_w, 700.0);
  auto unknown = find_gpu(*catalog, "H10");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("did you mean"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("H100-SXM"), std::string::npos);
  EXPECT_FALSE(find_gpu(*catalog, "Voodoo2"));
}

TEST(Catalog, PartTimeSamplingIsMarkedWithItsSourceAndNeverGuessed) {
  auto catalog = load_gpu_catalog("");
  ASSERT_TRUE(catalog);
  for (const char* device : {"NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB", "NVIDIA H200"}) {
    auto gpu = find_gpu_for_device(*catalog, device);
    ASSERT_TRUE(gpu) << device;
    ASSERT_TRUE(gpu->part_time_cycle_s) << device;
    EXPECT_DOUBLE_EQ(*gpu->part_time_cycle_s, 0.1);
    EXPECT_DOUBLE_EQ(gpu->part_time_window_s.value_or(0.0), 0.025);
    EXPECT_NE(gpu->part_time_source.find("2312.02741"), std::string::npos);
  }
  auto l4 = find_gpu_for_device(*catalog, "NVIDIA L4");
  ASSERT_TRUE(l4);
  EXPECT_FALSE(l4->part_time_cycle_s);  // not studied: unknown
  EXPECT_FALSE(find_gpu_for_device(*catalog, "NVIDIA Fake GPU"));
}

TEST(Catalog, AmdInstinctNamesAsAmdsmiReportsThemFindTheirRows) {
  auto catalog = load_gpu_catalog("");
  ASSERT_TRUE(catalog);
  for (const char* device : {"AMD Instinct MI300X", "AMD Instinct MI300X (CPX partition)"}) {
    auto gpu = find_gpu_for_device(*catalog, device);
    ASSERT_TRUE(gpu) << device;
    EXPECT_EQ(gpu->name, "MI300X");
    EXPECT_DOUBLE_EQ(gpu->memory_bandwidth_gb_s.value_or(0), 5300);
    EXPECT_DOUBLE_EQ(gpu->idle_w.value_or(0), 191.0);  // one published reading, named
    EXPECT_NE(gpu->idle_note.find("rocm-issue-5231"), std::string::npos);
  }
  auto mi325x = find_gpu_for_device(*catalog, "AMD Instinct MI325X");
  ASSERT_TRUE(mi325x);
  EXPECT_DOUBLE_EQ(mi325x->memory_bandwidth_gb_s.value_or(0), 6000);
  EXPECT_DOUBLE_EQ(mi325x->tdp_w.value_or(0), 1000);
  EXPECT_FALSE(mi325x->idle_w);  // not published: null with the reason
  EXPECT_FALSE(mi325x->idle_note.empty());
}

TEST(Catalog, GridTableHasSourceYearAndRegions) {
  auto table = load_grid_table("");
  ASSERT_TRUE(table) << table.error().what_line();
  EXPECT_NE(table->source.find("Ember"), std::string::npos);
  EXPECT_EQ(table->year, 2023);
  auto france = find_region(*table, "fr");
  ASSERT_TRUE(france);
  EXPECT_GT(france->g_co2_per_kwh, 0.0);
  auto unknown = find_region(*table, "ATLANTIS");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("--region"), std::string::npos);
}

TEST(Catalog, MalformedFilesAreErrorsNamingTheOrigin) {
  EXPECT_EQ(parse_gpu_catalog("[]", "x.json").error().file, "x.json");
  EXPECT_FALSE(parse_gpu_catalog("{\"gpus\": [{\"tdp_w\": 1}]}", "x.json"));
  EXPECT_FALSE(parse_grid_table("{\"regions\": [{\"code\": \"X\"}]}", "y.json"));
  EXPECT_FALSE(load_gpu_catalog("/nonexistent/gpus.json"));
}

}  // namespace
}  // namespace joulebench::models
