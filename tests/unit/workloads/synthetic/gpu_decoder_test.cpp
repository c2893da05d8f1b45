// The GPU decode against the float64 reference on small shapes, on fresh random weights and
// tokens each run (the seed is printed on failure). Needs a CUDA GPU: skipped, saying why,
// where there is none (the error paths without a GPU are in cuda_libraries_test.cpp).
#include "workloads/synthetic/cuda/gpu_decoder.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <tuple>

#include "decode_tolerances.hpp"

namespace joulebench::cuda {
namespace {

using synthetic::Precision;
using synthetic::testing::decode_tolerance;
using synthetic::testing::kTestBatch;
using synthetic::testing::kTestPrompt;
using synthetic::testing::kTestSteps;
using synthetic::testing::small_test_shape;

// ||gpu - ref|| / ||ref|| of each sequence's logits, appended to `errors`; each within the
// worst-case tolerance.
void expect_close(const std::vector<float>& gpu_logits,
                  const std::vector<std::vector<double>>& reference, Precision precision,
                  const std::string& what, std::vector<double>& errors) {
  const std::size_t vocab = reference.front().size();
  for (std::size_t sequence = 0; sequence < reference.size(); ++sequence) {
    const std::vector<double> row(
        gpu_logits.begin() + static_cast<std::ptrdiff_t>(sequence * vocab),
        gpu_logits.begin() + static_cast<std::ptrdiff_t>((sequence + 1) * vocab));
    errors.push_back(synthetic::relative_error(row, reference[sequence]));
    EXPECT_LT(errors.back(), decode_tolerance(precision).worst)
        << what << ", sequence " << sequence;
  }
}

void expect_mean_within(const std::vector<double>& errors, Precision precision) {
  double mean = 0.0;
  for (double e : errors) mean += e / static_cast<double>(errors.size());
  EXPECT_LT(mean, decode_tolerance(precision).mean);
}

// The float64 reference of every sequence's prompt, then of the given decode tokens.
struct ReferenceRun {
  synthetic::ModelWeights weights;
  std::vector<synthetic::KvCache> caches;
  std::vector<std::vector<double>> logits;

  ReferenceRun(const synthetic::ModelWeights& w, const std::vector<int>& prompt, std::int64_t batch,
               std::int64_t prompt_tokens)
      : weights(w),
        caches(static_cast<std::size_t>(batch), synthetic::empty_cache(w.shape)),
        logits(static_cast<std::size_t>(batch)) {
    for (std::int64_t s = 0; s < batch; ++s) {
      for (std::int64_t t = 0; t < prompt_tokens; ++t) step(s, prompt[s * prompt_tokens + t]);
    }
  }
  void step(std::int64_t sequence, int token) {
    const auto s = static_cast<std::size_t>(sequence);
    logits[s] = synthetic::reference_decode_step(weights, token, caches[s]);
  }
};

std::vector<int> random_tokens(std::mt19937_64& random, std::int64_t count, std::int64_t vocab) {
  std::vector<int> tokens(static_cast<std::size_t>(count));
  for (int& token : tokens) token = static_cast<int>(random() % static_cast<std::uint64_t>(vocab));
  return tokens;
}

// The decode tests' variants: which attention kernel, graphs on or off, a forced prefill chunk.
struct Variant {
  AttentionKernel attention = AttentionKernel::kSplitK;
  bool cuda_graph = true;
  std::int64_t prefill_chunk_rows = 0;
};

std::string describe(const Variant& v) {
  return std::string(attention_kernel_name(v.attention)) + (v.cuda_graph ? ", graph" : "") +
         (v.prefill_chunk_rows > 0 ? ", chunk " + std::to_string(v.prefill_chunk_rows) : "");
}

void check_against_reference(const CudaLibraries& gpu, const synthetic::ModelShape& shape,
                             Precision precision, std::uint64_t seed, const Variant& variant,
                             std::int64_t batch = kTestBatch, std::int64_t prompt = kTestPrompt) {
  SCOPED_TRACE(describe(variant));
  const synthetic::ModelWeights weights = synthetic::random_weights(shape, seed);
  GpuDecodeOptions options{shape, precision, batch, prompt + kTestSteps, seed};
  options.attention = variant.attention;
  options.cuda_graph = variant.cuda_graph;
  options.prefill_chunk_rows = variant.prefill_chunk_rows;
  auto decoder = GpuDecoder::create(gpu, options);
  ASSERT_TRUE(decoder) << decoder.error().message;
  ASSERT_FALSE((*decoder)->load_weights(weights));
  std::mt19937_64 random(seed);
  const std::vector<int> tokens = random_tokens(random, batch * prompt, shape.vocab);
  ASSERT_FALSE((*decoder)->prefill(tokens, prompt));
  ReferenceRun reference(weights, tokens, batch, prompt);
  std::vector<double> errors;
  auto logits = (*decoder)->last_logits();
  ASSERT_TRUE(logits) << logits.error().message;
  expect_close(*logits, reference.logits, precision, "after prefill", errors);
  for (std::int64_t step = 0; step < kTestSteps; ++step) {
    const std::vector<int> next = random_tokens(random, batch, shape.vocab);
    ASSERT_FALSE((*decoder)->decode_step(&next));
    for (std::int64_t s = 0; s < batch; ++s) reference.step(s, next[static_cast<std::size_t>(s)]);
    logits = (*decoder)->last_logits();
    ASSERT_TRUE(logits) << logits.error().message;
    expect_close(*logits, reference.logits, precision, "decode step " + std::to_string(step),
                 errors);
  }
  expect_mean_within(errors, precision);
}

// Batches 8 and 32 prefill in several passes; the small test prompt fits one unless forced.
TEST(GpuDecoder, MultiChunkPrefillMatchesTheReference) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (Precision precision : {Precision::kFp16, Precision::kBf16}) {
    SCOPED_TRACE(std::string(synthetic::precision_name(precision)));
    for (AttentionKernel attention : {AttentionKernel::kSplitK, AttentionKernel::kSimple}) {
      // 3 rows: one position per pass; 7 rows: two positions per pass, the last pass short.
      for (std::int64_t chunk : {3, 7}) {
        check_against_reference(**gpu, small_test_shape(), precision, seed,
                                {attention, true, chunk});
      }
    }
  }
}

TEST(GpuDecoder, ForcedPrefillChunksAreHonoured) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  GpuDecodeOptions options{small_test_shape(), Precision::kFp16, kTestBatch, 16, 1};
  options.prefill_chunk_rows = 7;
  auto decoder = GpuDecoder::create(**gpu, options);
  ASSERT_TRUE(decoder) << decoder.error().message;
  EXPECT_EQ((*decoder)->chunk_rows(), 7);
  options.prefill_chunk_rows = 1;  // never below one row per sequence
  decoder = GpuDecoder::create(**gpu, options);
  ASSERT_TRUE(decoder) << decoder.error().message;
  EXPECT_EQ((*decoder)->chunk_rows(), kTestBatch);
}

// The presets' head_dim and query heads per KV head, on two-layer models.
TEST(GpuDecoder, PresetHeadGeometriesMatchTheReference) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (const synthetic::ModelShape& shape : synthetic::testing::preset_geometry_shapes()) {
    SCOPED_TRACE(shape.name);
    for (Precision precision : {Precision::kFp16, Precision::kBf16}) {
      SCOPED_TRACE(std::string(synthetic::precision_name(precision)));
      for (AttentionKernel attention : {AttentionKernel::kSplitK, AttentionKernel::kSimple})
        check_against_reference(**gpu, shape, precision, seed, {attention, true}, 2, 4);
    }
  }
}

std::size_t argmax_of(const std::vector<float>& logits, std::size_t row, std::size_t vocab) {
  const auto begin = logits.begin() + static_cast<std::ptrdiff_t>(row * vocab);
  return static_cast<std::size_t>(
      std::distance(begin, std::max_element(begin, begin + static_cast<std::ptrdiff_t>(vocab))));
}

// Greedy decoding, the path `bench synthetic` times: the GPU's next tokens are the argmax of
// its own logits (lowest index on ties), and those tokens fed to the reference keep the logits
// within the tolerance step after step.
void check_greedy(const CudaLibraries& gpu, Precision precision, std::uint64_t seed,
                  const Variant& variant) {
  SCOPED_TRACE(describe(variant));
  const synthetic::ModelShape shape = small_test_shape();
  const auto vocab = static_cast<std::size_t>(shape.vocab);
  const synthetic::ModelWeights weights = synthetic::random_weights(shape, seed);
  GpuDecodeOptions options{shape, precision, kTestBatch, kTestPrompt + kTestSteps, seed};
  options.attention = variant.attention;
  options.cuda_graph = variant.cuda_graph;
  auto decoder = GpuDecoder::create(gpu, options);
  ASSERT_TRUE(decoder) << decoder.error().message;
  ASSERT_FALSE((*decoder)->load_weights(weights));
  std::mt19937_64 random(seed);
  const std::vector<int> prompt = random_tokens(random, kTestBatch * kTestPrompt, shape.vocab);
  ASSERT_FALSE((*decoder)->prefill(prompt, kTestPrompt));
  ReferenceRun reference(weights, prompt, kTestBatch, kTestPrompt);
  std::vector<double> errors;
  for (std::int64_t step = 0; step <= kTestSteps; ++step) {
    const auto logits = (*decoder)->last_logits();
    ASSERT_TRUE(logits) << logits.error().message;
    expect_close(*logits, reference.logits, precision, "greedy step " + std::to_string(step),
                 errors);
    const auto next = (*decoder)->next_tokens();
    ASSERT_TRUE(next) << next.error().message;
    for (std::size_t s = 0; s < next->size(); ++s) {
      EXPECT_EQ(static_cast<std::size_t>((*next)[s]), argmax_of(*logits, s, vocab))
          << "sequence " << s << ", step " << step;
    }
    if (step == kTestSteps) break;
    ASSERT_FALSE((*decoder)->decode_step());
    for (std::int64_t s = 0; s < kTestBatch; ++s)
      reference.step(s, (*next)[static_cast<std::size_t>(s)]);
  }
  expect_mean_within(errors, precision);
}

// Each precision x attention kernel x CUDA graph setting its own test, so a GPU run's report
// (scripts/gpu-validate.sh) gives a verdict per decode variant.
using VariantParam = std::tuple<Precision, AttentionKernel, bool>;
class GpuDecoderVariant : public ::testing::TestWithParam<VariantParam> {
 protected:
  void SetUp() override {
    auto gpu = CudaLibraries::open(0);
    if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
    gpu_ = std::move(*gpu);
  }
  Precision precision() const { return std::get<0>(GetParam()); }
  Variant variant() const { return {std::get<1>(GetParam()), std::get<2>(GetParam())}; }

  std::unique_ptr<CudaLibraries> gpu_;
  const std::uint64_t seed_ = std::random_device{}();
};

TEST_P(GpuDecoderVariant, MatchesTheFloat64Reference) {
  SCOPED_TRACE("seed " + std::to_string(seed_));
  check_against_reference(*gpu_, small_test_shape(), precision(), seed_, variant());
}

TEST_P(GpuDecoderVariant, GreedyTokensAreTheArgmaxAndFollowTheReference) {
  SCOPED_TRACE("seed " + std::to_string(seed_));
  check_greedy(*gpu_, precision(), seed_, variant());
}

INSTANTIATE_TEST_SUITE_P(
    Variants, GpuDecoderVariant,
    ::testing::Combine(::testing::Values(Precision::kFp16, Precision::kBf16),
                       ::testing::Values(AttentionKernel::kSplitK, AttentionKernel::kSimple),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<VariantParam>& param_info) {
      std::string name(synthetic::precision_name(std::get<0>(param_info.param)));
      name += std::get<1>(param_info.param) == AttentionKernel::kSplitK ? "_split_k" : "_simple";
      return name + (std::get<2>(param_info.param) ? "_graph" : "_no_graph");
    });

struct FillStatistics {
  double mean = 0.0, variance = 0.0, low = 0.0, high = 0.0;
};

FillStatistics statistics(const std::vector<float>& values) {
  FillStatistics s{0.0, 0.0, values.front(), values.front()};
  for (float v : values) {
    s.mean += v;
    s.low = std::min<double>(s.low, v);
    s.high = std::max<double>(s.high, v);
  }
  s.mean /= static_cast<double>(values.size());
  for (float v : values) s.variance += (v - s.mean) * (v - s.mean);
  s.variance /= static_cast<double>(values.size());
  return s;
}

// The random fill (what `bench synthetic` decodes with): each tensor uniform on the
// reference's interval, offset +- half_width: mean within 5 standard errors, variance
// half_width^2 / 3 within 3%, every value inside the interval (16-bit rounding may step just
// past its ends).
TEST(GpuDecoder, RandomWeightsHaveTheReferencesDistributions) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  const synthetic::ModelShape shape = synthetic::testing::preset_geometry_shapes()[1];
  for (Precision precision : {Precision::kFp16, Precision::kBf16}) {
    SCOPED_TRACE(std::string(synthetic::precision_name(precision)));
    auto decoder = GpuDecoder::create(**gpu, {shape, precision, 1, 8, 42});
    ASSERT_TRUE(decoder) << decoder.error().message;
    const double matrix = std::sqrt(3.0 / static_cast<double>(shape.hidden));
    const std::tuple<WeightTensor, double, double> expected[] = {
        {WeightTensor::kEmbedding, 0.0, 1.0},
        {WeightTensor::kAttentionNorm, 1.0, 0.1},
        {WeightTensor::kQkv, 0.0, matrix},
        {WeightTensor::kDown, 0.0, std::sqrt(3.0 / static_cast<double>(shape.ffn))},
        {WeightTensor::kLogits, 0.0, matrix}};
    std::vector<float> previous;
    for (const auto& [tensor, offset, half_width] : expected) {
      SCOPED_TRACE("tensor " + std::to_string(static_cast<int>(tensor)));
      const auto values = (*decoder)->weight_values(tensor);
      ASSERT_TRUE(values) << values.error().message;
      const FillStatistics s = statistics(*values);
      const double variance = half_width * half_width / 3.0;
      const double n = static_cast<double>(values->size());
      EXPECT_NEAR(s.mean, offset, 5.0 * std::sqrt(variance / n) + 1e-6);
      EXPECT_NEAR(s.variance, variance, 0.03 * variance + 6.0 * variance * std::sqrt(2.0 / n));
      const double rounding = 0.01 * (std::fabs(offset) + half_width);  // bf16: 2^-7 relative
      EXPECT_GE(s.low, offset - half_width - rounding);
      EXPECT_LE(s.high, offset + half_width + rounding);
      // Each tensor its own stream: no two equal prefixes.
      if (!previous.empty()) {
        EXPECT_NE(previous[0], (*values)[0]);
      }
      previous = *values;
    }
  }
}

TEST(GpuDecoder, Fp8IsRefusedWithTheReason) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  const auto decoder =
      GpuDecoder::create(**gpu, {*synthetic::parse_model_shape("1B"), Precision::kFp8, 1, 16, 1});
  ASSERT_FALSE(decoder);
  EXPECT_EQ(decoder.error().message.rfind("--precision: fp8", 0), 0U);
}

}  // namespace
}  // namespace joulebench::cuda
