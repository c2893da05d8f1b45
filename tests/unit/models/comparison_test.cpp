#include "models/comparison.hpp"

#include <gtest/gtest.h>

namespace joulebench::models {
namespace {

ResultDocument run_document(const std::string& precision, const std::vector<double>& j_per_token) {
  nlohmann::json iterations = nlohmann::json::array();
  iterations.push_back(
      {{"warmup", true}, {"exit_code", 0}, {"j_per_output_token", 99.0}});  // left out
  iterations.push_back(
      {{"warmup", false}, {"exit_code", 3}, {"j_per_output_token", 99.0}});  // failed: left out
  for (double value : j_per_token) {
    iterations.push_back({{"warmup", false},
                          {"exit_code", 0},
                          {"j_per_output_token", value},
                          {"avg_power_w", value * 100.0}});
  }
  nlohmann::json document = {{"schema_version", 1},
                             {"kind", "run"},
                             {"iterations", iterations},
                             {"labels", {{"precision", precision}, {"model", "mistral-7b"}}}};
  return ResultDocument{precision, "file", precision + ".json", document, ""};
}

TEST(Comparison, SamplesComeFromMeasuredIterationsAndSidesAreNamedByDifferingLabels) {
  auto sides = side_samples({{run_document("fp16", {4.0, 4.1})}, {run_document("nf4", {3.5, 3.6})}},
                            std::nullopt);
  ASSERT_EQ(sides.size(), 2u);
  EXPECT_EQ(sides[0].name, "precision=fp16");  // model is the same on both sides
  EXPECT_EQ(sides[1].name, "precision=nf4");
  EXPECT_EQ(sides[0].values[0], (std::vector<double>{4.0, 4.1}));
  EXPECT_TRUE(sides[0].values[1].empty());  // no tokens_per_j in these iterations
}

TEST(Comparison, VerdictSaysHowMuchLessAndHowSure) {
  auto sides = side_samples({{run_document("fp16", {4.0, 4.1, 3.9, 4.2, 4.05})},
                             {run_document("nf4", {3.5, 3.6, 3.55, 3.62, 3.48})}},
                            std::nullopt);
  auto result = compare_sides(sides);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->size(), 1u);
  const auto& comparison = (*result)[0];
  ASSERT_EQ(comparison.metrics.front().metric, Metric::j_per_output_token);
  // Means 4.05 and 3.55: -12.3%.
  EXPECT_NEAR(*comparison.metrics.front().stats.difference_pct, (3.55 - 4.05) / 4.05 * 100.0, 1e-9);
  EXPECT_EQ(comparison.verdict.rfind(
                "precision=nf4 uses 12.3% less energy per token than precision=fp16 (p ", 0),
            0u)
      << comparison.verdict;
  EXPECT_NE(comparison.verdict.find("d = "), std::string::npos);
}

// "uses 1.1% less energy" from one sample a side reads as a finding; it is not one. Without
// enough samples there is no verdict sentence, only what is missing.
TEST(Comparison, OneSamplePerSideGivesNoVerdictButWhatIsMissing) {
  auto sides =
      side_samples({{run_document("fp16", {4.0})}, {run_document("nf4", {3.0})}}, std::nullopt);
  auto result = compare_sides(sides);
  ASSERT_TRUE(result);
  const std::string& verdict = (*result)[0].verdict;
  EXPECT_EQ(verdict.find("uses"), std::string::npos) << verdict;
  EXPECT_EQ(verdict.find("less"), std::string::npos) << verdict;
  EXPECT_EQ(verdict,
            "no verdict: precision=fp16 has n = 1 and precision=nf4 n = 1; a comparison needs at "
            "least 2 samples a side (5 or more to be trusted)");
}

TEST(Comparison, NotSignificantIsSaid) {
  auto sides = side_samples(
      {{run_document("a", {4.0, 4.4, 3.6})}, {run_document("b", {4.1, 3.7, 4.5})}}, std::nullopt);
  auto result = compare_sides(sides);
  ASSERT_TRUE(result);
  EXPECT_NE((*result)[0].verdict.find("not significant at 0.05"), std::string::npos)
      << (*result)[0].verdict;
}

TEST(Comparison, BenchDocumentsGiveTheirMostEfficientLevel) {
  nlohmann::json bench = {
      {"schema_version", 1},
      {"kind", "bench-openai"},
      {"levels",
       {{{"concurrency", 1}, {"j_per_output_token", 2.0}, {"output_tokens_per_s", 50.0}},
        {{"concurrency", 8}, {"j_per_output_token", 0.7}, {"output_tokens_per_s", 400.0}}}}};
  ResultDocument doc{"b", "file", "b.json", bench, ""};
  auto best = side_samples({{doc}, {doc}}, std::nullopt);
  EXPECT_EQ(best[0].values[0], (std::vector<double>{0.7}));
  auto first = side_samples({{doc}, {doc}}, 1.0);
  EXPECT_EQ(first[0].values[2], (std::vector<double>{50.0}));
  EXPECT_EQ(best[0].name, "b.json");  // no labels: named by the reference
}

TEST(Comparison, ErrorsForTooFewSidesOrSidesWithoutFigures) {
  auto one = side_samples({{run_document("fp16", {4.0})}}, std::nullopt);
  EXPECT_FALSE(compare_sides(one));
  ResultDocument devices{"d", "file", "d.json", {{"schema_version", 1}, {"kind", "devices"}}, ""};
  auto empty = side_samples({{run_document("fp16", {4.0})}, {devices}}, std::nullopt);
  auto result = compare_sides(empty);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("d.json"), std::string::npos);
}

// A run whose iterations ran on `uuid`, with `systematic_j` of stated sensor accuracy on
// 1000 J: a systematic share of systematic_j / 1000.
ResultDocument run_on(const std::string& precision, const std::vector<double>& j_per_token,
                      const std::string& uuid, double systematic_j) {
  ResultDocument document = run_document(precision, j_per_token);
  nlohmann::json device = {
      {"id", "nvml:0"},
      {"name", "NVIDIA H100"},
      {"uuid", uuid},
      {"energy_j", 1000.0},
      {"energy_uncertainty",
       {{"ci95_j", {1000.0 - systematic_j, 1000.0 + systematic_j}},
        {"sources", {{{"name", "sensor accuracy"}, {"half_width_j", systematic_j}}}}}}};
  for (auto& iteration : document.document["iterations"])
    iteration["measurement"] = {{"devices", {device}}};
  return document;
}

TEST(Comparison, SaysWhenTheSensorsSystematicErrorCancelsOrMayExplainTheDifference) {
  const std::vector<double> fp16{4.0, 4.1, 3.9, 4.2, 4.05};
  const std::vector<double> nf4{3.9, 4.0, 3.8, 4.1, 3.95};  // 2.5% less
  auto same = compare_sides(side_samples(
      {{run_on("fp16", fp16, "GPU-a", 20.0)}, {run_on("nf4", nf4, "GPU-a", 20.0)}}, std::nullopt));
  ASSERT_TRUE(same);
  EXPECT_NE((*same)[0].verdict.find("same GPU(s): the sensor's systematic error cancels"),
            std::string::npos)
      << (*same)[0].verdict;
  // Different GPUs, 2% stated systematic share each: 4% together exceeds the 2.5% difference.
  auto different = compare_sides(side_samples(
      {{run_on("fp16", fp16, "GPU-a", 20.0)}, {run_on("nf4", nf4, "GPU-b", 20.0)}}, std::nullopt));
  ASSERT_TRUE(different);
  EXPECT_NE((*different)[0].verdict.find("different GPUs, and the difference (2.5%) is smaller "
                                         "than their sensors' stated systematic uncertainty "
                                         "together (4.0%)"),
            std::string::npos)
      << (*different)[0].verdict;
  // 0.5% each: 1% together, less than the difference: nothing to add.
  auto clear = compare_sides(side_samples(
      {{run_on("fp16", fp16, "GPU-a", 5.0)}, {run_on("nf4", nf4, "GPU-b", 5.0)}}, std::nullopt));
  ASSERT_TRUE(clear);
  EXPECT_EQ((*clear)[0].verdict.find("GPU"), std::string::npos) << (*clear)[0].verdict;
}

}  // namespace
}  // namespace joulebench::models
