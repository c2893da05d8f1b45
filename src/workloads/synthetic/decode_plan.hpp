// What a synthetic decode sweep asks of a GPU before anything runs: per precision and batch,
// the bytes and FLOPs per generated token averaged over the decode, the memory it needs, and
// the memory-bound ceiling on tokens/s at a board's peak bandwidth. The ceiling is what the
// issue's performance target is measured against (a batch-1 decode reads every weight once
// per token), and what a measured tokens/s should be read beside.
//
//   DecodePlanInput input{shape, {Precision::kFp16}, {1, 32}, 2048, 256, h100_spec};
//   for (const DecodePlanRow& row : plan_decode(input)) ...
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/catalog.hpp"
#include "workloads/synthetic/model_shape.hpp"

namespace joulebench::synthetic {

struct DecodePlanInput {
  ModelShape shape;
  std::vector<Precision> precisions;
  std::vector<std::int64_t> batches;
  std::int64_t prompt_tokens = 2048;
  std::int64_t output_tokens = 256;
  std::optional<models::GpuSpec> gpu;  // the board the ceiling is for; none: no ceiling
};

struct DecodePlanRow {
  Precision precision = Precision::kFp16;
  std::int64_t batch = 1;
  double mean_context = 0;         // cached positions, averaged over the decode steps
  DecodeCost cost;                 // at the mean context (bytes and FLOPs are linear in it)
  double memory_needed_bytes = 0;  // all weights plus the KV cache of the longest sequence
  std::optional<bool> fits_in_memory;
  std::optional<double> ceiling_output_tokens_per_s;  // peak bandwidth / bytes per token
  std::string ceiling_reason;  // why the ceiling or the fit is missing, else empty
};

std::vector<DecodePlanRow> plan_decode(const DecodePlanInput& input);

}  // namespace joulebench::synthetic
