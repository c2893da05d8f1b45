// Which decode implementations `bench synthetic` measures: attention kernel x CUDA graph on or
// off, from `--attention-kernel split-k,simple` and `--cuda-graph on,off` (every pairing, in
// that order), so one GPU run checks and times each.
//
//   auto variants = parse_decode_variants("split-k,simple", "on");  // 2 variants
//   variant_name((*variants)[1]);                                   // "simple, graph"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "workloads/synthetic/cuda/gpu_decoder.hpp"

namespace joulebench::cuda {

struct DecodeVariant {
  AttentionKernel attention = AttentionKernel::kSplitK;
  bool cuda_graph = true;
};

// Errors name the flag: "--cuda-graph: 'maybe' is not on or off".
Expected<std::vector<DecodeVariant>> parse_decode_variants(std::string_view attention_kernels,
                                                           std::string_view cuda_graphs);

// "split-k, graph", "simple, no graph": for labels and progress lines.
std::string variant_name(const DecodeVariant& variant);
// "split-k/graph", "simple/no-graph": for window names.
std::string variant_slug(const DecodeVariant& variant);

}  // namespace joulebench::cuda
