#include "workloads/synthetic/decode_plan.hpp"

namespace joulebench::synthetic {
namespace {

constexpr double kBytesPerGb = 1e9;

// Weights as stored: the GEMM matrices in the run's precision, the embedding table and the
// norm vectors in 16 bits.
double weight_storage_bytes(const ModelShape& shape, Precision precision) {
  const ParameterCount count = count_parameters(shape);
  const auto sixteen_bit = static_cast<double>(count.total - count.gemm_weights);
  return static_cast<double>(count.gemm_weights) * weight_bytes(precision) + sixteen_bit * 2.0;
}

double kv_cache_bytes(const ModelShape& shape, std::int64_t batch, std::int64_t positions) {
  return static_cast<double>(batch * positions * shape.layers * 2 * shape.kv_width()) * 2.0;
}

void add_board_figures(const models::GpuSpec& gpu, DecodePlanRow& row) {
  if (gpu.memory_gb) {
    row.fits_in_memory = row.memory_needed_bytes <= *gpu.memory_gb * kBytesPerGb;
  }
  if (gpu.memory_bandwidth_gb_s) {
    row.ceiling_output_tokens_per_s =
        *gpu.memory_bandwidth_gb_s * kBytesPerGb / row.cost.bytes_per_token();
  } else {
    row.ceiling_reason = "the catalog has no memory bandwidth for " + gpu.name;
  }
}

}  // namespace

std::vector<DecodePlanRow> plan_decode(const DecodePlanInput& input) {
  std::vector<DecodePlanRow> rows;
  const std::int64_t positions = input.prompt_tokens + input.output_tokens;
  for (Precision precision : input.precisions) {
    for (std::int64_t batch : input.batches) {
      DecodePlanRow row;
      row.precision = precision;
      row.batch = batch;
      // Step k (0-based) attends over prompt + k cached positions; bytes and FLOPs are linear
      // in that, so their mean is the value at the mean context.
      row.mean_context = static_cast<double>(input.prompt_tokens) +
                         static_cast<double>(input.output_tokens - 1) / 2.0;
      const DecodeCost first = decode_cost(input.shape, precision, batch, input.prompt_tokens);
      const DecodeCost last = decode_cost(input.shape, precision, batch, positions - 1);
      row.cost = first;
      row.cost.kv_bytes_per_token = (first.kv_bytes_per_token + last.kv_bytes_per_token) / 2.0;
      row.cost.flops_per_token = (first.flops_per_token + last.flops_per_token) / 2.0;
      row.memory_needed_bytes = weight_storage_bytes(input.shape, precision) +
                                kv_cache_bytes(input.shape, batch, positions);
      if (input.gpu) {
        add_board_figures(*input.gpu, row);
      } else {
        row.ceiling_reason = "no board given (--gpu NAME from the catalog)";
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace joulebench::synthetic
