// The shapes of the synthetic GPT models that `bench synthetic` decodes with random weights
// (no model files needed), and what one decode step costs in arithmetic and memory traffic.
// Llama-style blocks: RMSNorm, grouped-query attention, SwiGLU MLP, untied input embedding
// and logits projection.
//
//   auto shape = parse_model_shape("8B");                       // a preset
//   auto custom = parse_model_shape("layers=2,hidden=256,heads=4,kv-heads=2,ffn=512,vocab=1000");
//   DecodeCost cost = decode_cost(*shape, Precision::kFp16, /*batch=*/1, /*context=*/2048);
//   cost.bytes_per_token();  // what a memory-bound decode must read per generated token
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::synthetic {

struct ModelShape {
  std::string name;  // "8B", or the key=value text of a custom shape
  std::int64_t layers = 0;
  std::int64_t hidden = 0;
  std::int64_t heads = 0;     // query heads
  std::int64_t kv_heads = 0;  // key/value heads (grouped-query attention), divides heads
  std::int64_t ffn = 0;       // MLP inner width (gate and up projections)
  std::int64_t vocab = 0;

  std::int64_t head_dim() const { return hidden / heads; }
  std::int64_t kv_width() const { return kv_heads * head_dim(); }
};

// 1B, 8B and 40B, in that order (Llama-3.2-1B and Llama-3.1-8B shapes; 40B is a deeper,
// wider block of the same family, 39.8e9 parameters).
const std::vector<ModelShape>& preset_shapes();

// A preset name (case-insensitive) or "layers=L,hidden=H,heads=A,kv-heads=K,ffn=F,vocab=V";
// an Error names the field that is missing, unknown or inconsistent.
Expected<ModelShape> parse_model_shape(std::string_view text);

enum class Precision { kFp16, kBf16, kFp8 };

// "fp16", "bf16", "fp8" (case-insensitive); an Error lists the accepted names.
Expected<Precision> parse_precision(std::string_view text);
std::string_view precision_name(Precision precision);
// Bytes per weight of the GEMMs: 2 for fp16 and bf16, 1 for fp8. Norm weights, the KV cache
// and activations stay 16-bit in every precision.
double weight_bytes(Precision precision);

// Parameter counts of a shape.
struct ParameterCount {
  std::int64_t per_layer = 0;     // attention + MLP matrices and the two norm vectors
  std::int64_t embedding = 0;     // input embedding table (one row read per token)
  std::int64_t logits = 0;        // logits projection (read whole every step)
  std::int64_t total = 0;         // layers * per_layer + embedding + logits + final norm
  std::int64_t gemm_weights = 0;  // the weights one step multiplies: layers' matrices + logits
};
ParameterCount count_parameters(const ModelShape& shape);

// One decode step of `batch` sequences that each hold `context` tokens (the new token's
// attention covers context + 1 positions).
struct DecodeCost {
  std::int64_t batch = 1;
  std::int64_t context = 0;
  double weight_bytes_per_step = 0;  // every weight read once, shared by the batch
  double kv_bytes_per_token = 0;     // the sequence's KV cache read, plus the new K and V written
  double flops_per_token = 0;        // 2 per multiply-add: GEMMs plus attention
  double bytes_per_token() const {
    return weight_bytes_per_step / static_cast<double>(batch) + kv_bytes_per_token;
  }
  double flops_per_byte() const { return flops_per_token / bytes_per_token(); }
};
DecodeCost decode_cost(const ModelShape& shape, Precision precision, std::int64_t batch,
                       std::int64_t context);

}  // namespace joulebench::synthetic
