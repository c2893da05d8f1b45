// A CPU model of the GPU decode's arithmetic: the float64 reference with every tensor the GPU
// stores (weights, norms, Q/K/V and the KV cache, attention output, residual stream, gate/up,
// SwiGLU, logits) rounded to fp16 or bf16 the way the kernels round (round to nearest, ties to
// even, from float). Its distance from the exact reference over many seeds is what a correct
// GPU decode can be expected to show: decode_tolerances.hpp's figures are derived from it (and
// printed here), and a deliberate layout bug must exceed them, so the GPU test can fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

#include "decode_tolerances.hpp"
#include "workloads/synthetic/reference_decode.hpp"

namespace joulebench::synthetic {
namespace {

using testing::decode_tolerance;
using testing::kTestBatch;
using testing::kTestPrompt;
using testing::kTestSteps;

constexpr int kModelSeeds = 40;

// __float2half_rn: 11 significant bits, subnormals in steps of 2^-24, overflow to infinity.
double round_fp16(double value) {
  const float f = static_cast<float>(value);
  if (!std::isfinite(f)) return f;
  if (std::fabs(f) >= 65520.0f) return std::copysign(INFINITY, f);
  int exponent = 0;
  std::frexp(f, &exponent);  // |f| = m 2^exponent, m in [0.5, 1)
  const float quantum = std::ldexp(1.0f, std::max(exponent - 11, -24));
  return std::nearbyint(f / quantum) * quantum;  // exact scaling; nearbyint ties to even
}

// __float2bfloat16_rn: the float's top 16 bits, rounded to nearest even.
double round_bf16(double value) {
  const float f = static_cast<float>(value);
  if (std::isnan(f)) return f;
  std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  return std::bit_cast<float>(bits & 0xFFFF0000u);
}

TEST(SixteenBitRounding, MatchesTheFormatsSpacingAndTies) {
  EXPECT_EQ(round_fp16(1.0 + 1.0 / 2048), 1.0);               // tie -> even (1.0)
  EXPECT_EQ(round_fp16(1.0 + 3.0 / 2048), 1.0 + 2.0 / 1024);  // tie -> even (odd below)
  EXPECT_EQ(round_fp16(65519.0), 65504.0);
  EXPECT_TRUE(std::isinf(round_fp16(65520.0)));
  EXPECT_EQ(round_fp16(std::ldexp(1.0, -25)), 0.0);  // half the smallest subnormal
  EXPECT_EQ(round_fp16(std::ldexp(3.0, -25)), std::ldexp(1.0, -23));
  EXPECT_EQ(round_bf16(1.0 + 1.0 / 256), 1.0);  // tie -> even
  EXPECT_EQ(round_bf16(1.0 + 3.0 / 256), 1.0 + 1.0 / 64);
  EXPECT_EQ(round_bf16(259.0), 260.0);  // spacing 2 from 256: 259 is a tie, 260 even
}

double round16(Precision precision, double value) {
  return precision == Precision::kBf16 ? round_bf16(value) : round_fp16(value);
}

void round_all(Precision precision, std::vector<double>& values) {
  for (double& value : values) value = round16(precision, value);
}

ModelWeights rounded(ModelWeights weights, Precision precision) {
  round_all(precision, weights.embedding);
  for (LayerWeights& l : weights.layers) {
    for (auto* tensor :
         {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.mlp_norm, &l.w_gate, &l.w_up, &l.w_down})
      round_all(precision, *tensor);
  }
  round_all(precision, weights.final_norm);
  round_all(precision, weights.logits);
  return weights;
}

struct Errors {
  double mean = 0.0;
  double worst = 0.0;
};

// The GPU test's run (gpu_decoder_test.cpp), with the model in place of the GPU: batch
// sequences prefilled with random prompts, then decode steps with random tokens; each
// sequence's logits compared after the prefill and after every step.
Errors model_errors(Precision precision, std::uint64_t seed, const StoreHook& bug = {},
                    const ModelShape& shape = testing::small_test_shape()) {
  const ModelWeights exact = random_weights(shape, seed);
  const ModelWeights stored = rounded(exact, precision);
  const StoreHook store = [&](StoredTensor what, std::vector<double>& values) {
    round_all(precision, values);
    if (bug) bug(what, values);
  };
  std::mt19937_64 random(seed);
  std::vector<int> prompt(kTestBatch * kTestPrompt);
  for (int& token : prompt) token = static_cast<int>(random() % shape.vocab);
  std::vector<KvCache> exact_caches(kTestBatch, empty_cache(shape));
  std::vector<KvCache> model_caches(kTestBatch, empty_cache(shape));
  std::vector<double> errors;
  auto compare = [&](std::int64_t sequence, int token) {
    const auto want = reference_decode_step(exact, token, exact_caches[sequence]);
    const auto got = reference_decode_step(stored, token, model_caches[sequence], store);
    return relative_error(got, want);
  };
  for (std::int64_t s = 0; s < kTestBatch; ++s) {
    double last = 0.0;
    for (std::int64_t t = 0; t < kTestPrompt; ++t) last = compare(s, prompt[s * kTestPrompt + t]);
    errors.push_back(last);
  }
  for (std::int64_t step = 0; step < kTestSteps; ++step) {
    std::vector<int> tokens(kTestBatch);
    for (int& token : tokens) token = static_cast<int>(random() % shape.vocab);
    for (std::int64_t s = 0; s < kTestBatch; ++s) errors.push_back(compare(s, tokens[s]));
  }
  Errors out;
  for (double e : errors) {
    out.mean += e / static_cast<double>(errors.size());
    out.worst = std::max(out.worst, e);
  }
  return out;
}

class SixteenBitModel : public ::testing::TestWithParam<Precision> {};

TEST_P(SixteenBitModel, StaysWithinTheToleranceWithMargin) {
  const Precision precision = GetParam();
  Errors largest;
  for (std::uint64_t seed = 1; seed <= kModelSeeds; ++seed) {
    const Errors e = model_errors(precision, seed);
    largest.mean = std::max(largest.mean, e.mean);
    largest.worst = std::max(largest.worst, e.worst);
  }
  const auto tolerance = decode_tolerance(precision);
  std::printf("%s model over %d seeds: largest mean %.2e, worst %.2e (tolerance %.1e, %.1e)\n",
              std::string(precision_name(precision)).c_str(), kModelSeeds, largest.mean,
              largest.worst, tolerance.mean, tolerance.worst);
  // Within, with at least 1.5x to spare for what the model leaves out...
  EXPECT_LT(1.5 * largest.mean, tolerance.mean);
  EXPECT_LT(1.5 * largest.worst, tolerance.worst);
  // ...and not so loose that the tolerance stops meaning anything (at most 5x the model).
  EXPECT_GT(5.0 * largest.mean, tolerance.mean);
  EXPECT_GT(5.0 * largest.worst, tolerance.worst);
}

// Query heads 0 and 1 read from swapped places, as a wrong head stride would make them: a
// decode with this bug must fail the tolerance on every seed.
TEST_P(SixteenBitModel, ASwappedHeadLayoutExceedsTheTolerance) {
  const Precision precision = GetParam();
  const std::int64_t head_dim = testing::small_test_shape().head_dim();
  const StoreHook swap_heads = [&](StoredTensor what, std::vector<double>& values) {
    if (what != StoredTensor::kQuery) return;
    std::swap_ranges(values.begin(), values.begin() + head_dim, values.begin() + head_dim);
  };
  const auto tolerance = decode_tolerance(precision);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const Errors e = model_errors(precision, seed, swap_heads);
    EXPECT_GT(e.mean, tolerance.mean) << "seed " << seed;
    EXPECT_GT(e.worst, tolerance.worst) << "seed " << seed;
  }
}

// The GPU test checks the presets' head geometry against the same tolerances: the model
// stays within them there too (one seed each: these shapes are larger).
TEST_P(SixteenBitModel, PresetHeadGeometriesStayWithinTheTolerance) {
  const Precision precision = GetParam();
  const auto tolerance = decode_tolerance(precision);
  for (const ModelShape& shape : testing::preset_geometry_shapes()) {
    const Errors e = model_errors(precision, 1, {}, shape);
    std::printf("%s %s: mean %.2e, worst %.2e\n", std::string(precision_name(precision)).c_str(),
                shape.name.c_str(), e.mean, e.worst);
    EXPECT_LT(1.5 * e.mean, tolerance.mean) << shape.name;
    EXPECT_LT(1.5 * e.worst, tolerance.worst) << shape.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, SixteenBitModel,
                         ::testing::Values(Precision::kFp16, Precision::kBf16),
                         [](const auto& param_info) {
                           return std::string(precision_name(param_info.param));
                         });

}  // namespace
}  // namespace joulebench::synthetic
