#include "workloads/synthetic/model_shape.hpp"

#include <gtest/gtest.h>

namespace joulebench::synthetic {
namespace {

TEST(ModelShape, PresetsHaveTheParameterCountsTheirNamesSay) {
  // Llama-3.1-8B's published count is 8.03e9 (untied embeddings, as here).
  const auto eight = parse_model_shape("8b");
  ASSERT_TRUE(eight) << eight.error().message;
  EXPECT_EQ(count_parameters(*eight).total, 8'030'261'248);
  EXPECT_NEAR(static_cast<double>(count_parameters(*parse_model_shape("40B")).total), 39.75e9,
              0.01e9);
  // 1B: Llama-3.2-1B is 1.24e9 with the embedding tied to the logits; untied it is 1.50e9.
  EXPECT_NEAR(static_cast<double>(count_parameters(*parse_model_shape("1B")).total), 1.50e9,
              0.01e9);
}

TEST(ModelShape, CustomShapeIsParsedFieldByField) {
  const auto shape = parse_model_shape("layers=2,hidden=64,heads=4,kv-heads=2,ffn=128,vocab=100");
  ASSERT_TRUE(shape) << shape.error().message;
  EXPECT_EQ(shape->layers, 2);
  EXPECT_EQ(shape->head_dim(), 16);
  EXPECT_EQ(shape->kv_width(), 32);
  const ParameterCount count = count_parameters(*shape);
  // attention 2*64*64 + 2*64*32, MLP 3*64*128, norms 2*64
  EXPECT_EQ(count.per_layer, 8192 + 4096 + 24576 + 128);
  EXPECT_EQ(count.total, 2 * count.per_layer + 6400 + 6400 + 64);
  EXPECT_EQ(count.gemm_weights, 2 * (8192 + 4096 + 24576) + 6400);
}

TEST(ModelShape, BadShapesNameTheField) {
  const auto message = [](const char* text) { return parse_model_shape(text).error().message; };
  EXPECT_EQ(message("7B"),
            "--model: '7B' is not a preset (1B, 8B, 40B) or a field (layers=, hidden=, heads=, "
            "kv-heads=, ffn=, vocab=)");
  EXPECT_EQ(message("layers=2,hidden=64,heads=4,kv-heads=2,ffn=128"), "--model: vocab= is missing");
  EXPECT_EQ(message("layers=0,hidden=64,heads=4,kv-heads=2,ffn=128,vocab=9"),
            "--model: layers='0' is not a whole number from 1 to 1048576");
  EXPECT_EQ(message("layers=x,hidden=64,heads=4,kv-heads=2,ffn=128,vocab=9"),
            "--model: layers='x' is not a whole number from 1 to 1048576");
  EXPECT_EQ(message("layers=1,layers=2,hidden=64,heads=4,kv-heads=2,ffn=128,vocab=9"),
            "--model: layers is given twice");
  EXPECT_EQ(message("layers=1,hidden=65,heads=4,kv-heads=2,ffn=128,vocab=9"),
            "--model: hidden=65 is not a multiple of heads=4");
  EXPECT_EQ(message("layers=1,hidden=64,heads=4,kv-heads=3,ffn=128,vocab=9"),
            "--model: heads=4 is not a multiple of kv-heads=3");
  EXPECT_FALSE(parse_model_shape(""));
  EXPECT_FALSE(parse_model_shape("layers=1,,hidden=64"));
}

TEST(ModelShape, PrecisionNamesAndBytes) {
  EXPECT_EQ(*parse_precision("BF16"), Precision::kBf16);
  EXPECT_EQ(precision_name(*parse_precision("fp8")), "fp8");
  EXPECT_EQ(weight_bytes(Precision::kFp8), 1.0);
  EXPECT_EQ(weight_bytes(Precision::kFp16), 2.0);
  EXPECT_EQ(parse_precision("int4").error().message,
            "--precision: 'int4' is not fp16, bf16 or fp8");
}

TEST(DecodeCost, WeightsAreSharedByTheBatchAndTheKvCacheIsNot) {
  const ModelShape shape =
      *parse_model_shape("layers=2,hidden=64,heads=4,kv-heads=2,ffn=128,vocab=100");
  const std::int64_t gemm = count_parameters(shape).gemm_weights;
  const DecodeCost one = decode_cost(shape, Precision::kFp16, 1, 10);
  EXPECT_DOUBLE_EQ(one.weight_bytes_per_step,
                   2.0 * static_cast<double>(gemm) + 2.0 * (2 * 2 * 64 + 64));
  // K and V of 2 layers, 32 wide, for 10 cached positions read and 1 written, plus one
  // embedding row, all 16-bit.
  EXPECT_DOUBLE_EQ(one.kv_bytes_per_token, 2.0 * (2 * 2 * 32 * 11 + 64));
  EXPECT_DOUBLE_EQ(one.flops_per_token, 2.0 * static_cast<double>(gemm) + 4.0 * 2 * 4 * 16 * 11);
  const DecodeCost eight = decode_cost(shape, Precision::kFp16, 8, 10);
  EXPECT_DOUBLE_EQ(eight.bytes_per_token(), one.weight_bytes_per_step / 8 + one.kv_bytes_per_token);
  EXPECT_GT(eight.flops_per_byte(), one.flops_per_byte());
  // FP8 halves the GEMM weights' bytes only.
  const DecodeCost fp8 = decode_cost(shape, Precision::kFp8, 1, 10);
  EXPECT_DOUBLE_EQ(fp8.weight_bytes_per_step, static_cast<double>(gemm) + 2.0 * (2 * 2 * 64 + 64));
  EXPECT_DOUBLE_EQ(fp8.kv_bytes_per_token, one.kv_bytes_per_token);
}

TEST(DecodeCost, EightBillionFp16AtBatchOneReadsItsWeightsPerToken) {
  // The figure behind the target: an 8B FP16 decode at batch 1 reads ~16 GB a token.
  const DecodeCost cost = decode_cost(*parse_model_shape("8B"), Precision::kFp16, 1, 2048);
  EXPECT_NEAR(cost.weight_bytes_per_step / 1e9, 15.01, 0.01);
  EXPECT_NEAR(cost.kv_bytes_per_token / 1e6, 268.6, 0.1);  // 128 KiB per position
}

}  // namespace
}  // namespace joulebench::synthetic
