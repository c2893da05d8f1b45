#include "workloads/synthetic/reference_decode.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace joulebench::synthetic {
namespace {

ModelShape tiny_shape(std::int64_t layers = 2) {
  return ModelShape{"tiny", layers, 16, 4, 2, 24, 11};
}

TEST(ReferenceBlocks, RmsNormScalesToUnitRootMeanSquare) {
  const std::vector<double> x = {3.0, 4.0};
  const std::vector<double> weight = {1.0, 2.0};
  const auto out = rms_norm(x, weight);
  const double rms = std::sqrt((9.0 + 16.0) / 2.0 + kRmsNormEpsilon);
  EXPECT_DOUBLE_EQ(out[0], 3.0 / rms);
  EXPECT_DOUBLE_EQ(out[1], 2.0 * 4.0 / rms);
}

TEST(ReferenceBlocks, MatVecIsRowMajorOutByIn) {
  const std::vector<double> matrix = {1, 2, 3, 4, 5, 6};  // 2 x 3
  const std::vector<double> x = {1, 0, -1};
  EXPECT_EQ(mat_vec(matrix, x), (std::vector<double>{-2.0, -2.0}));
}

TEST(ReferenceBlocks, Silu) {
  EXPECT_DOUBLE_EQ(silu(0.0), 0.0);
  EXPECT_NEAR(silu(1.0), 0.7310585786300049, 1e-15);
  EXPECT_NEAR(silu(-40.0), 0.0, 1e-15);
}

TEST(ReferenceBlocks, AttentionOverOnePositionReturnsItsValue) {
  // 2 heads of width 2 sharing one KV head.
  const std::vector<double> q = {5, -1, 0.5, 3};
  const std::vector<double> keys = {0.3, 0.7};
  const std::vector<double> values = {2, -4};
  EXPECT_EQ(grouped_attention(q, keys, values, 2, 1), (std::vector<double>{2, -4, 2, -4}));
}

TEST(ReferenceBlocks, AttentionWeighsPositionsBySoftmaxOfScaledScores) {
  // One head of width 2; q . k0 = 0 and q . k1 = 2, scaled by 1/sqrt(2).
  const std::vector<double> q = {1, 1};
  const std::vector<double> keys = {0, 0, 1, 1};
  const std::vector<double> values = {10, 0, 0, 10};
  const double w1 = std::exp(2.0 / std::sqrt(2.0));
  const auto out = grouped_attention(q, keys, values, 1, 1);
  EXPECT_NEAR(out[0], 10.0 / (1.0 + w1), 1e-12);
  EXPECT_NEAR(out[1], 10.0 * w1 / (1.0 + w1), 1e-12);
}

TEST(ReferenceBlocks, AttentionGroupsQueryHeadsOnTheirKvHead) {
  // 4 query heads of width 1 over 2 KV heads: heads 0 and 1 read KV head 0, heads 2 and 3
  // read KV head 1.
  const std::vector<double> q = {1, 1, 1, 1};
  const std::vector<double> keys = {0, 0};
  const std::vector<double> values = {7, -3};
  EXPECT_EQ(grouped_attention(q, keys, values, 4, 2), (std::vector<double>{7, 7, -3, -3}));
}

TEST(ReferenceBlocks, AttentionSurvivesHugeScores) {
  const std::vector<double> q = {1000};
  const std::vector<double> keys = {1000, -1000};
  const std::vector<double> values = {1, 2};
  const auto out = grouped_attention(q, keys, values, 1, 1);
  EXPECT_DOUBLE_EQ(out[0], 1.0);
}

TEST(ReferenceDecode, OneLayerStepMatchesTheFormulaWrittenOut) {
  // hidden 2, one head, no MLP (zero down projection), identity projections: the block adds
  // v = rms_norm(x) (the only position attends to itself), then the logits read
  // rms_norm(x + rms_norm(x)).
  const ModelShape shape{"hand", 1, 2, 1, 1, 1, 2};
  ModelWeights weights;
  weights.shape = shape;
  weights.embedding = {3, 4, 1, 1};
  LayerWeights layer;
  layer.attn_norm = layer.mlp_norm = {1, 1};
  layer.wq = layer.wk = layer.wv = layer.wo = {1, 0, 0, 1};
  layer.w_gate = layer.w_up = {1, 1};
  layer.w_down = {0, 0};
  weights.layers = {layer};
  weights.final_norm = {1, 1};
  weights.logits = {1, 0, 0, 1};
  KvCache cache = empty_cache(shape);
  const auto logits = reference_decode_step(weights, 0, cache);
  const double r1 = std::sqrt(12.5 + kRmsNormEpsilon);
  const double h0 = 3 + 3 / r1, h1 = 4 + 4 / r1;
  const double r2 = std::sqrt((h0 * h0 + h1 * h1) / 2 + kRmsNormEpsilon);
  EXPECT_NEAR(logits[0], h0 / r2, 1e-12);
  EXPECT_NEAR(logits[1], h1 / r2, 1e-12);
  EXPECT_EQ(cache.positions, 1);
  EXPECT_EQ(cache.keys[0].size(), 2U);
}

TEST(ReferenceDecode, TheCacheGrowsAndTheHistoryChangesTheAnswer) {
  const ModelShape shape = tiny_shape();
  const ModelWeights weights = random_weights(shape, 7);
  KvCache fresh = empty_cache(shape);
  const auto alone = reference_decode_step(weights, 5, fresh);
  KvCache history = empty_cache(shape);
  reference_decode_step(weights, 2, history);
  reference_decode_step(weights, 9, history);
  const auto after_history = reference_decode_step(weights, 5, history);
  EXPECT_EQ(history.positions, 3);
  EXPECT_EQ(history.keys[1].size(), static_cast<std::size_t>(3 * shape.kv_width()));
  EXPECT_GT(relative_error(after_history, alone), 1e-3);
  ASSERT_EQ(alone.size(), static_cast<std::size_t>(shape.vocab));
}

TEST(ReferenceDecode, SameSeedSameLogitsOtherSeedOtherLogits) {
  const ModelShape shape = tiny_shape();
  KvCache a = empty_cache(shape), b = empty_cache(shape), c = empty_cache(shape);
  const auto first = reference_decode_step(random_weights(shape, 1), 3, a);
  const auto again = reference_decode_step(random_weights(shape, 1), 3, b);
  const auto other = reference_decode_step(random_weights(shape, 2), 3, c);
  EXPECT_EQ(first, again);
  EXPECT_GT(relative_error(other, first), 0.1);
}

TEST(ReferenceDecode, ActivationsKeepTheirSizeThroughDepth) {
  // Unit-variance initialisation: 24 layers neither blow up nor vanish, so the GPU's 16-bit
  // arithmetic is compared on values of ordinary size.
  const ModelShape shape = tiny_shape(24);
  const ModelWeights weights = random_weights(shape, 11);
  KvCache cache = empty_cache(shape);
  std::vector<double> logits;
  for (std::int64_t token : {1, 4, 8, 3}) logits = reference_decode_step(weights, token, cache);
  double sum_of_squares = 0.0;
  for (double value : logits) {
    ASSERT_TRUE(std::isfinite(value));
    sum_of_squares += value * value;
  }
  const double rms = std::sqrt(sum_of_squares / static_cast<double>(logits.size()));
  EXPECT_GT(rms, 0.1);
  EXPECT_LT(rms, 10.0);
}

TEST(ReferenceDecode, TokenOutsideTheVocabularyIsRefused) {
  const ModelShape shape = tiny_shape(1);
  const ModelWeights weights = random_weights(shape, 1);
  KvCache cache = empty_cache(shape);
  EXPECT_THROW(reference_decode_step(weights, shape.vocab, cache), std::out_of_range);
  EXPECT_THROW(reference_decode_step(weights, -1, cache), std::out_of_range);
}

TEST(RelativeError, EuclideanAndNeverPassesNanOrMismatch) {
  const std::vector<double> ref = {3, 4};
  EXPECT_DOUBLE_EQ(relative_error(std::vector<double>{3, 4}, ref), 0.0);
  EXPECT_DOUBLE_EQ(relative_error(std::vector<double>{3, 4.5}, ref), 0.1);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(relative_error(std::vector<double>{3, std::nan("")}, ref), inf);
  EXPECT_EQ(relative_error(std::vector<double>{3}, ref), inf);
  EXPECT_EQ(relative_error(std::vector<double>{1, 0}, std::vector<double>{0, 0}), inf);
  EXPECT_EQ(relative_error(std::vector<double>{0, 0}, std::vector<double>{0, 0}), 0.0);
}

}  // namespace
}  // namespace joulebench::synthetic
