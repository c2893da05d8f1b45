// How far a correct 16-bit GPU decode may stray from the float64 reference, and the small
// problem both decode tests use (gpu_decoder_test.cpp on a GPU; sixteen_bit_model_test.cpp on
// the CPU, which models the kernels' 16-bit storage and derives these figures).
//
// Error of one comparison: relative_error() of one sequence's logits, after the prefill and
// after each decode step; "mean" is over the batch x (1 + steps) comparisons of one run. The
// figures are the largest the 16-bit model showed over 200 seeds (1-200; the test runs 40 and
// prints its figures), times a margin of about 2.4 for what the model leaves out (cuBLAS's
// summation order, the kernels' float32 arithmetic, which the model does in float64):
//   fp16: model mean <= 1.31e-3, worst <= 1.82e-3   ->  tolerance 3e-3, 5e-3
//   bf16: model mean <= 1.06e-2, worst <= 1.65e-2   ->  tolerance 2.5e-2, 4e-2
// A layout bug (two query heads swapped) exceeds both on every seed tried.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/synthetic/model_shape.hpp"

namespace joulebench::synthetic::testing {

struct DecodeTolerance {
  double mean;   // of the errors of one run
  double worst;  // of any one comparison
};

inline constexpr DecodeTolerance kFp16Tolerance{3e-3, 5e-3};
inline constexpr DecodeTolerance kBf16Tolerance{2.5e-2, 4e-2};

inline DecodeTolerance decode_tolerance(Precision precision) {
  return precision == Precision::kBf16 ? kBf16Tolerance : kFp16Tolerance;
}

// Two layers, hidden 128, 4 query heads over 2 KV heads (head_dim 32), FFN 256, vocab 500.
inline ModelShape small_test_shape() { return {"small", 2, 128, 4, 2, 256, 500}; }
inline constexpr std::int64_t kTestBatch = 3, kTestPrompt = 5, kTestSteps = 3;

// The presets' attention geometry (head_dim, query heads per KV head) on narrow, shallow
// models the float64 reference runs quickly: 1B (64, 4), 8B (128, 4), 40B (128, 8).
inline std::vector<ModelShape> preset_geometry_shapes() {
  return {{"1B-heads", 2, 512, 8, 2, 256, 512},
          {"8B-heads", 2, 1024, 8, 2, 256, 512},
          {"40B-heads", 1, 2048, 16, 2, 128, 256}};
}

}  // namespace joulebench::synthetic::testing
