#include "workloads/synthetic/reference_decode.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/splitmix64.hpp"

namespace joulebench::synthetic {
namespace {

std::vector<double> uniform(std::size_t count, double half_width, std::uint64_t& state) {
  std::vector<double> values(count);
  for (double& value : values) value = (2.0 * splitmix64_unit(state) - 1.0) * half_width;
  return values;
}

// A matrix of `rows` x `fan_in` whose products with unit-variance inputs have unit variance.
std::vector<double> matrix(std::int64_t rows, std::int64_t fan_in, std::uint64_t& state) {
  return uniform(static_cast<std::size_t>(rows * fan_in),
                 std::sqrt(3.0 / static_cast<double>(fan_in)), state);
}

std::vector<double> norm_weight(std::int64_t size, std::uint64_t& state) {
  std::vector<double> values = uniform(static_cast<std::size_t>(size), 0.1, state);
  for (double& value : values) value += 1.0;
  return values;
}

void add_in_place(std::vector<double>& sum, const std::vector<double>& term) {
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += term[i];
}

void stored(const StoreHook& store, StoredTensor what, std::vector<double>& values) {
  if (store) store(what, values);
}

std::vector<double> attention_block(const LayerWeights& layer, const ModelShape& shape,
                                    std::size_t index, const std::vector<double>& x, KvCache& cache,
                                    const StoreHook& store) {
  std::vector<double> normed = rms_norm(x, layer.attn_norm);
  stored(store, StoredTensor::kNormed, normed);
  std::vector<double> q = mat_vec(layer.wq, normed);
  std::vector<double> k = mat_vec(layer.wk, normed);
  std::vector<double> v = mat_vec(layer.wv, normed);
  stored(store, StoredTensor::kQuery, q);
  stored(store, StoredTensor::kKey, k);
  stored(store, StoredTensor::kValue, v);
  cache.keys[index].insert(cache.keys[index].end(), k.begin(), k.end());
  cache.values[index].insert(cache.values[index].end(), v.begin(), v.end());
  std::vector<double> attended =
      grouped_attention(q, cache.keys[index], cache.values[index], shape.heads, shape.kv_heads);
  stored(store, StoredTensor::kAttention, attended);
  return mat_vec(layer.wo, attended);
}

std::vector<double> mlp_block(const LayerWeights& layer, const std::vector<double>& h,
                              const StoreHook& store) {
  std::vector<double> normed = rms_norm(h, layer.mlp_norm);
  stored(store, StoredTensor::kNormed, normed);
  std::vector<double> gate = mat_vec(layer.w_gate, normed);
  std::vector<double> up = mat_vec(layer.w_up, normed);
  stored(store, StoredTensor::kGateUp, gate);
  stored(store, StoredTensor::kGateUp, up);
  for (std::size_t i = 0; i < gate.size(); ++i) gate[i] = silu(gate[i]) * up[i];
  stored(store, StoredTensor::kActivation, gate);
  return mat_vec(layer.w_down, gate);
}

}  // namespace

ModelWeights random_weights(const ModelShape& shape, std::uint64_t seed) {
  std::uint64_t state = seed;
  ModelWeights weights;
  weights.shape = shape;
  weights.embedding = uniform(static_cast<std::size_t>(shape.vocab * shape.hidden), 1.0, state);
  for (std::int64_t l = 0; l < shape.layers; ++l) {
    LayerWeights layer;
    layer.attn_norm = norm_weight(shape.hidden, state);
    layer.wq = matrix(shape.hidden, shape.hidden, state);
    layer.wk = matrix(shape.kv_width(), shape.hidden, state);
    layer.wv = matrix(shape.kv_width(), shape.hidden, state);
    layer.wo = matrix(shape.hidden, shape.hidden, state);
    layer.mlp_norm = norm_weight(shape.hidden, state);
    layer.w_gate = matrix(shape.ffn, shape.hidden, state);
    layer.w_up = matrix(shape.ffn, shape.hidden, state);
    layer.w_down = matrix(shape.hidden, shape.ffn, state);
    weights.layers.push_back(std::move(layer));
  }
  weights.final_norm = norm_weight(shape.hidden, state);
  weights.logits = matrix(shape.vocab, shape.hidden, state);
  return weights;
}

KvCache empty_cache(const ModelShape& shape) {
  KvCache cache;
  cache.keys.resize(static_cast<std::size_t>(shape.layers));
  cache.values.resize(static_cast<std::size_t>(shape.layers));
  return cache;
}

std::vector<double> reference_decode_step(const ModelWeights& weights, std::int64_t token,
                                          KvCache& cache) {
  return reference_decode_step(weights, token, cache, StoreHook{});
}

std::vector<double> reference_decode_step(const ModelWeights& weights, std::int64_t token,
                                          KvCache& cache, const StoreHook& store) {
  const ModelShape& shape = weights.shape;
  if (token < 0 || token >= shape.vocab)
    throw std::out_of_range("reference_decode_step: token outside the vocabulary");
  const auto row = weights.embedding.begin() + token * shape.hidden;
  std::vector<double> x(row, row + shape.hidden);
  for (std::size_t l = 0; l < weights.layers.size(); ++l) {
    add_in_place(x, attention_block(weights.layers[l], shape, l, x, cache, store));
    stored(store, StoredTensor::kResidual, x);
    add_in_place(x, mlp_block(weights.layers[l], x, store));
    stored(store, StoredTensor::kResidual, x);
  }
  ++cache.positions;
  std::vector<double> normed = rms_norm(x, weights.final_norm);
  stored(store, StoredTensor::kNormed, normed);
  std::vector<double> logits = mat_vec(weights.logits, normed);
  stored(store, StoredTensor::kLogits, logits);
  return logits;
}

std::vector<double> rms_norm(std::span<const double> x, std::span<const double> weight) {
  double sum_of_squares = 0.0;
  for (double value : x) sum_of_squares += value * value;
  const double scale =
      1.0 / std::sqrt(sum_of_squares / static_cast<double>(x.size()) + kRmsNormEpsilon);
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] * scale * weight[i];
  return out;
}

std::vector<double> mat_vec(std::span<const double> matrix, std::span<const double> x) {
  const std::size_t rows = matrix.size() / x.size();
  std::vector<double> out(rows, 0.0);
  for (std::size_t o = 0; o < rows; ++o) {
    const double* weights = matrix.data() + o * x.size();
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += weights[i] * x[i];
    out[o] = sum;
  }
  return out;
}

double silu(double x) { return x / (1.0 + std::exp(-x)); }

std::vector<double> grouped_attention(std::span<const double> q, std::span<const double> keys,
                                      std::span<const double> values, std::int64_t heads,
                                      std::int64_t kv_heads) {
  const auto head_dim = static_cast<std::size_t>(static_cast<std::int64_t>(q.size()) / heads);
  const std::size_t kv_width = static_cast<std::size_t>(kv_heads) * head_dim;
  const std::size_t positions = keys.size() / kv_width;
  const auto group = static_cast<std::size_t>(heads / kv_heads);
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  std::vector<double> out(q.size(), 0.0);
  std::vector<double> weights(positions);
  for (std::size_t h = 0; h < static_cast<std::size_t>(heads); ++h) {
    const double* query = q.data() + h * head_dim;
    const std::size_t kv_offset = (h / group) * head_dim;
    for (std::size_t p = 0; p < positions; ++p) {
      const double* key = keys.data() + p * kv_width + kv_offset;
      double dot = 0.0;
      for (std::size_t d = 0; d < head_dim; ++d) dot += query[d] * key[d];
      weights[p] = dot * scale;
    }
    // Softmax with the maximum subtracted: exp() of large scores would overflow.
    const double top = *std::max_element(weights.begin(), weights.end());
    double total = 0.0;
    for (double& weight : weights) total += (weight = std::exp(weight - top));
    for (std::size_t p = 0; p < positions; ++p) {
      const double* value = values.data() + p * kv_width + kv_offset;
      for (std::size_t d = 0; d < head_dim; ++d)
        out[h * head_dim + d] += weights[p] / total * value[d];
    }
  }
  return out;
}

double relative_error(std::span<const double> out, std::span<const double> ref) {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  if (out.size() != ref.size()) return kNever;
  double difference = 0.0;
  double reference = 0.0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!std::isfinite(out[i]) || !std::isfinite(ref[i])) return kNever;
    difference += (out[i] - ref[i]) * (out[i] - ref[i]);
    reference += ref[i] * ref[i];
  }
  if (reference == 0.0) return difference == 0.0 ? 0.0 : kNever;
  return std::sqrt(difference / reference);
}

}  // namespace joulebench::synthetic
