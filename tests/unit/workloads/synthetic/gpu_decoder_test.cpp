// The GPU decode against the float64 reference on small shapes, on fresh random weights and
// tokens each run (the seed is printed on failure). Needs a CUDA GPU: skipped, saying why,
// where there is none (the error paths without a GPU are in cuda_libraries_test.cpp).
#include "workloads/synthetic/cuda/gpu_decoder.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>

namespace joulebench::cuda {
namespace {

using synthetic::Precision;

// ||gpu - ref|| / ||ref|| for each sequence's logits.
void expect_close(const std::vector<float>& gpu_logits,
                  const std::vector<std::vector<double>>& reference, double tolerance,
                  const std::string& what) {
  const std::size_t vocab = reference.front().size();
  for (std::size_t sequence = 0; sequence < reference.size(); ++sequence) {
    const std::vector<double> row(
        gpu_logits.begin() + static_cast<std::ptrdiff_t>(sequence * vocab),
        gpu_logits.begin() + static_cast<std::ptrdiff_t>((sequence + 1) * vocab));
    const double error = synthetic::relative_error(row, reference[sequence]);
    EXPECT_LT(error, tolerance) << what << ", sequence " << sequence;
  }
}

void check_against_reference(const CudaLibraries& gpu, Precision precision, std::uint64_t seed) {
  const synthetic::ModelShape shape{"small", 2, 128, 4, 2, 256, 500};
  constexpr std::int64_t kBatch = 3, kPrompt = 5, kSteps = 3;
  const synthetic::ModelWeights weights = synthetic::random_weights(shape, seed);
  auto decoder = GpuDecoder::create(gpu, {shape, precision, kBatch, kPrompt + kSteps, seed});
  ASSERT_TRUE(decoder) << decoder.error().message;
  ASSERT_FALSE((*decoder)->load_weights(weights));
  std::mt19937_64 random(seed);
  std::vector<int> prompt(kBatch * kPrompt);
  for (int& token : prompt) token = static_cast<int>(random() % shape.vocab);
  ASSERT_FALSE((*decoder)->prefill(prompt, kPrompt));
  std::vector<synthetic::KvCache> caches(kBatch, synthetic::empty_cache(shape));
  std::vector<std::vector<double>> reference(kBatch);
  for (std::int64_t s = 0; s < kBatch; ++s) {
    for (std::int64_t t = 0; t < kPrompt; ++t) {
      reference[s] = synthetic::reference_decode_step(weights, prompt[s * kPrompt + t], caches[s]);
    }
  }
  // fp16 keeps 11 significant bits, bf16 8: through two layers both stay within 1e-2.
  const double tolerance = 1e-2;
  auto logits = (*decoder)->last_logits();
  ASSERT_TRUE(logits) << logits.error().message;
  expect_close(*logits, reference, tolerance, "after prefill");
  for (std::int64_t step = 0; step < kSteps; ++step) {
    std::vector<int> tokens(kBatch);
    for (int& token : tokens) token = static_cast<int>(random() % shape.vocab);
    ASSERT_FALSE((*decoder)->decode_step(&tokens));
    for (std::int64_t s = 0; s < kBatch; ++s)
      reference[s] = synthetic::reference_decode_step(weights, tokens[s], caches[s]);
    logits = (*decoder)->last_logits();
    ASSERT_TRUE(logits) << logits.error().message;
    expect_close(*logits, reference, tolerance, "decode step " + std::to_string(step));
  }
}

TEST(GpuDecoder, MatchesTheFloat64ReferenceOnSmallShapes) {
  auto gpu = CudaLibraries::open(0);
  if (!gpu) GTEST_SKIP() << "no usable CUDA GPU: " << gpu.error().message;
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  for (Precision precision : {Precision::kFp16, Precision::kBf16}) {
    SCOPED_TRACE(std::string(synthetic::precision_name(precision)));
    check_against_reference(**gpu, precision, seed);
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
