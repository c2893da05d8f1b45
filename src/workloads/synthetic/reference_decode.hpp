// The float64 CPU reference of one synthetic decode step: what the GPU decode must compute,
// written for clarity, not speed, and used only on small shapes. The GPU correctness test
// feeds both the same random weights and inputs and compares them with relative_error().
//
// Layout (shared with the GPU kernels): matrices are row-major [out][in], so y = W x is
// y[o] = sum_i W[o * in + i] * x[i]. A block is
//   h = x + Wo . attention(Wq n1, Wk n1, Wv n1)      with n1 = rms_norm(x, attn_norm)
//   y = h + Wdown . (silu(Wgate n2) * (Wup n2))     with n2 = rms_norm(h, mlp_norm)
// and the step ends with logits = Wlogits . rms_norm(y_last, final_norm). Attention is
// grouped-query: query head h reads key/value head h / (heads / kv_heads), scaled by
// 1/sqrt(head_dim), softmax over the cached positions and the new one. No rotary position
// embedding: it changes neither the arithmetic nor the memory traffic per token in a way
// that matters for energy, and leaving it out keeps the reference obviously right.
//
//   auto weights = random_weights(shape, /*seed=*/7);
//   KvCache cache = empty_cache(shape);
//   auto logits = reference_decode_step(weights, /*token=*/42, cache);  // cache grows by 1
//
// Thread-safety: plain values and pure functions (the cache is the caller's).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "workloads/synthetic/model_shape.hpp"

namespace joulebench::synthetic {

struct LayerWeights {
  std::vector<double> attn_norm;  // hidden
  std::vector<double> wq;         // hidden x hidden
  std::vector<double> wk;         // kv_width x hidden
  std::vector<double> wv;         // kv_width x hidden
  std::vector<double> wo;         // hidden x hidden
  std::vector<double> mlp_norm;   // hidden
  std::vector<double> w_gate;     // ffn x hidden
  std::vector<double> w_up;       // ffn x hidden
  std::vector<double> w_down;     // hidden x ffn
};

struct ModelWeights {
  ModelShape shape;
  std::vector<double> embedding;  // vocab x hidden
  std::vector<LayerWeights> layers;
  std::vector<double> final_norm;  // hidden
  std::vector<double> logits;      // vocab x hidden
};

// Uniform weights scaled to unit output variance (±sqrt(3 / fan_in)), embeddings uniform in
// [-1, 1), norm weights 1 ± 0.1: activations keep their size through any depth. The same
// seed gives the same weights on every machine (splitmix64).
ModelWeights random_weights(const ModelShape& shape, std::uint64_t seed);

// The keys and values of every position so far, per layer: positions x kv_width each.
struct KvCache {
  std::vector<std::vector<double>> keys;
  std::vector<std::vector<double>> values;
  std::int64_t positions = 0;
};
KvCache empty_cache(const ModelShape& shape);

// One token through the model: appends its keys and values to `cache` and returns the
// vocab logits. `token` must be in [0, vocab).
std::vector<double> reference_decode_step(const ModelWeights& weights, std::int64_t token,
                                          KvCache& cache);

// Every tensor the GPU decode writes to memory, in the order of a step: a hook sees (and may
// change) each one as it is made, so a test can model 16-bit storage (round it) or a layout
// bug (permute it). kResidual is x after each residual add; kGateUp is called for the gate,
// then for the up projection; kNormed for all three norms.
enum class StoredTensor {
  kNormed,
  kQuery,
  kKey,
  kValue,
  kAttention,
  kResidual,
  kGateUp,
  kActivation,
  kLogits
};
using StoreHook = std::function<void(StoredTensor, std::vector<double>&)>;
std::vector<double> reference_decode_step(const ModelWeights& weights, std::int64_t token,
                                          KvCache& cache, const StoreHook& store);

// Building blocks, exposed for their own tests.
constexpr double kRmsNormEpsilon = 1e-5;
std::vector<double> rms_norm(std::span<const double> x, std::span<const double> weight);
std::vector<double> mat_vec(std::span<const double> matrix,
                            std::span<const double> x);  // rows = size / x.size()
double silu(double x);
// q: heads x head_dim; keys, values: positions x (kv_heads x head_dim). Returns heads x head_dim.
std::vector<double> grouped_attention(std::span<const double> q, std::span<const double> keys,
                                      std::span<const double> values, std::int64_t heads,
                                      std::int64_t kv_heads);

// ||out - ref|| / ||ref|| (Euclidean); +infinity when sizes differ or any value is NaN or
// infinite, so a broken kernel can never pass a tolerance.
double relative_error(std::span<const double> out, std::span<const double> ref);

}  // namespace joulebench::synthetic
