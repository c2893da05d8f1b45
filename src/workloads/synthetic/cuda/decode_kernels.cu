// The small kernels of the synthetic decode (the GEMMs are cuBLAS's). Compiled by nvcc into a
// fatbin that joulebench embeds and loads with cuModuleLoadData, so the binary links no CUDA
// library. Every kernel exists for half (suffix _f16) and bfloat16 (_bf16), with extern "C"
// names that gpu_decoder.cpp looks up. Arithmetic is float32 throughout; only storage is
// 16-bit. Layouts are those of reference_decode.hpp: row-major [rows][width].
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

namespace {

__device__ __forceinline__ float to_float(__half value) { return __half2float(value); }
__device__ __forceinline__ float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }
template <class T>
__device__ __forceinline__ T from_float(float value);
template <>
__device__ __forceinline__ __half from_float<__half>(float value) {
  return __float2half_rn(value);
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float value) {
  return __float2bfloat16_rn(value);
}

// splitmix64 of (seed, index): the same stream on every GPU, no state between threads.
__device__ __forceinline__ float unit_uniform(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * 0x1.0p-24f;  // [0, 1)
}

// Sum of `value` over the block (blockDim.x a multiple of 32, at most 1024); every thread
// gets the total.
__device__ float block_sum(float value) {
  __shared__ float partial[32];
  for (int offset = 16; offset > 0; offset >>= 1)
    value += __shfl_xor_sync(0xffffffffu, value, offset);
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  __syncthreads();  // `partial` may still be read by a previous call
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < static_cast<int>(blockDim.x >> 5); ++w) total += partial[w];
  return total;
}

__device__ float block_max(float value) {
  __shared__ float partial[32];
  for (int offset = 16; offset > 0; offset >>= 1)
    value = fmaxf(value, __shfl_xor_sync(0xffffffffu, value, offset));
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  __syncthreads();
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  float top = -INFINITY;
  for (int w = 0; w < static_cast<int>(blockDim.x >> 5); ++w) top = fmaxf(top, partial[w]);
  return top;
}

// out[i] = offset + (2u - 1) * half_width, u uniform in [0, 1).
template <class T>
__device__ void fill_uniform(T* out, uint64_t count, uint64_t seed, float half_width,
                             float offset) {
  for (uint64_t i = blockIdx.x * static_cast<uint64_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<uint64_t>(gridDim.x) * blockDim.x) {
    out[i] = from_float<T>(offset + (2.0f * unit_uniform(seed, i) - 1.0f) * half_width);
  }
}

template <class T>
__device__ void from_floats(const float* in, T* out, uint64_t count) {
  for (uint64_t i = blockIdx.x * static_cast<uint64_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<uint64_t>(gridDim.x) * blockDim.x) {
    out[i] = from_float<T>(in[i]);
  }
}

template <class T>
__device__ void to_floats(const T* in, float* out, uint64_t count) {
  for (uint64_t i = blockIdx.x * static_cast<uint64_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<uint64_t>(gridDim.x) * blockDim.x) {
    out[i] = to_float(in[i]);
  }
}

// One block per row: out[row] = table[tokens[row]].
template <class T>
__device__ void embed(const T* table, const int* tokens, T* out, int hidden) {
  const T* from = table + static_cast<int64_t>(tokens[blockIdx.x]) * hidden;
  T* to = out + static_cast<int64_t>(blockIdx.x) * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) to[i] = from[i];
}

// One block per row: out = x / sqrt(mean(x^2) + eps) * weight.
template <class T>
__device__ void rms_norm(const T* x, const T* weight, T* out, int hidden, float epsilon) {
  const T* row = x + static_cast<int64_t>(blockIdx.x) * hidden;
  float sum_of_squares = 0.0f;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    const float value = to_float(row[i]);
    sum_of_squares += value * value;
  }
  const float scale = rsqrtf(block_sum(sum_of_squares) / static_cast<float>(hidden) + epsilon);
  T* to = out + static_cast<int64_t>(blockIdx.x) * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x)
    to[i] = from_float<T>(to_float(row[i]) * scale * to_float(weight[i]));
}

// One block per row of qkv ([q | k | v], width hidden + 2 kv_width): copies k and v into the
// caches ([sequence][position][kv_width]) at the row's sequence and position.
template <class T>
__device__ void store_kv(const T* qkv, T* key_cache, T* value_cache, const int* sequences,
                         const int* positions, int hidden, int kv_width, int max_positions) {
  const T* row = qkv + static_cast<int64_t>(blockIdx.x) * (hidden + 2 * kv_width);
  const int64_t slot =
      (static_cast<int64_t>(sequences[blockIdx.x]) * max_positions + positions[blockIdx.x]) *
      kv_width;
  for (int i = threadIdx.x; i < kv_width; i += blockDim.x) {
    key_cache[slot + i] = row[hidden + i];
    value_cache[slot + i] = row[hidden + kv_width + i];
  }
}

// One block per (row, query head): softmax(q . k / sqrt(head_dim)) over positions 0..p of the
// row's sequence (p = the row's position: causal for prefill, everything cached for decode),
// then the weighted sum of V. Scores go to `scores` ([row][head][max_positions] floats).
template <class T>
__device__ void attention(const T* qkv, const T* key_cache, const T* value_cache, T* out,
                          float* scores, const int* sequences, const int* positions, int heads,
                          int kv_heads, int head_dim, int max_positions) {
  const int row = blockIdx.x;
  const int head = blockIdx.y;
  const int hidden = heads * head_dim;
  const int kv_width = kv_heads * head_dim;
  const int kv_head = head / (heads / kv_heads);
  const int count = positions[row] + 1;
  const T* query = qkv + static_cast<int64_t>(row) * (hidden + 2 * kv_width) + head * head_dim;
  const int64_t sequence_base =
      static_cast<int64_t>(sequences[row]) * max_positions * kv_width + kv_head * head_dim;
  float* row_scores = scores + (static_cast<int64_t>(row) * heads + head) * max_positions;
  const float scale = rsqrtf(static_cast<float>(head_dim));
  // Scores: one warp per position, lanes across the head dimension.
  const int lane = threadIdx.x & 31;
  const int warps = blockDim.x >> 5;
  for (int p = threadIdx.x >> 5; p < count; p += warps) {
    const T* key = key_cache + sequence_base + static_cast<int64_t>(p) * kv_width;
    float dot = 0.0f;
    for (int d = lane; d < head_dim; d += 32) dot += to_float(query[d]) * to_float(key[d]);
    for (int offset = 16; offset > 0; offset >>= 1)
      dot += __shfl_xor_sync(0xffffffffu, dot, offset);
    if (lane == 0) row_scores[p] = dot * scale;
  }
  __syncthreads();
  float local_max = -INFINITY;
  for (int p = threadIdx.x; p < count; p += blockDim.x) local_max = fmaxf(local_max, row_scores[p]);
  const float top = block_max(local_max);
  float local_sum = 0.0f;
  for (int p = threadIdx.x; p < count; p += blockDim.x) {
    const float weight = __expf(row_scores[p] - top);
    row_scores[p] = weight;
    local_sum += weight;
  }
  const float total = block_sum(local_sum);  // its barriers also publish the weights
  T* to = out + static_cast<int64_t>(row) * hidden + head * head_dim;
  for (int d = threadIdx.x; d < head_dim; d += blockDim.x) {
    float sum = 0.0f;
    for (int p = 0; p < count; ++p)
      sum += row_scores[p] *
             to_float(value_cache[sequence_base + static_cast<int64_t>(p) * kv_width + d]);
    to[d] = from_float<T>(sum / total);
  }
}

// One block per row of gate_up ([gate | up], width 2 ffn): out = silu(gate) * up.
template <class T>
__device__ void silu_mul(const T* gate_up, T* out, int ffn) {
  const T* row = gate_up + static_cast<int64_t>(blockIdx.x) * 2 * ffn;
  T* to = out + static_cast<int64_t>(blockIdx.x) * ffn;
  for (int i = threadIdx.x; i < ffn; i += blockDim.x) {
    const float gate = to_float(row[i]);
    to[i] = from_float<T>(gate / (1.0f + __expf(-gate)) * to_float(row[ffn + i]));
  }
}

// One block per row of logits: the next token is the argmax (greedy decoding), lowest index
// on ties.
template <class T>
__device__ void argmax(const T* logits, int* tokens, int vocab) {
  __shared__ float best_value[1024];
  __shared__ int best_index[1024];
  const T* row = logits + static_cast<int64_t>(blockIdx.x) * vocab;
  float value = -INFINITY;
  int index = 0;
  for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
    const float candidate = to_float(row[i]);
    if (candidate > value) {
      value = candidate;
      index = i;
    }
  }
  best_value[threadIdx.x] = value;
  best_index[threadIdx.x] = index;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      const float other = best_value[threadIdx.x + stride];
      const int other_index = best_index[threadIdx.x + stride];
      if (other > best_value[threadIdx.x] ||
          (other == best_value[threadIdx.x] && other_index < best_index[threadIdx.x])) {
        best_value[threadIdx.x] = other;
        best_index[threadIdx.x] = other_index;
      }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) tokens[blockIdx.x] = best_index[0];
}

}  // namespace

#define JB_KERNELS(T, SUFFIX)                                                                      \
  extern "C" __global__ void jb_fill_uniform_##SUFFIX(T* out, uint64_t count, uint64_t seed,       \
                                                      float half_width, float offset) {            \
    fill_uniform(out, count, seed, half_width, offset);                                            \
  }                                                                                                \
  extern "C" __global__ void jb_from_floats_##SUFFIX(const float* in, T* out, uint64_t count) {    \
    from_floats(in, out, count);                                                                   \
  }                                                                                                \
  extern "C" __global__ void jb_to_floats_##SUFFIX(const T* in, float* out, uint64_t count) {      \
    to_floats(in, out, count);                                                                     \
  }                                                                                                \
  extern "C" __global__ void jb_embed_##SUFFIX(const T* table, const int* tokens, T* out,          \
                                               int hidden) {                                       \
    embed(table, tokens, out, hidden);                                                             \
  }                                                                                                \
  extern "C" __global__ void jb_rms_norm_##SUFFIX(const T* x, const T* weight, T* out, int hidden, \
                                                  float epsilon) {                                 \
    rms_norm(x, weight, out, hidden, epsilon);                                                     \
  }                                                                                                \
  extern "C" __global__ void jb_store_kv_##SUFFIX(const T* qkv, T* key_cache, T* value_cache,      \
                                                  const int* sequences, const int* positions,      \
                                                  int hidden, int kv_width, int max_positions) {   \
    store_kv(qkv, key_cache, value_cache, sequences, positions, hidden, kv_width, max_positions);  \
  }                                                                                                \
  extern "C" __global__ void jb_attention_##SUFFIX(                                                \
      const T* qkv, const T* key_cache, const T* value_cache, T* out, float* scores,               \
      const int* sequences, const int* positions, int heads, int kv_heads, int head_dim,           \
      int max_positions) {                                                                         \
    attention(qkv, key_cache, value_cache, out, scores, sequences, positions, heads, kv_heads,     \
              head_dim, max_positions);                                                            \
  }                                                                                                \
  extern "C" __global__ void jb_silu_mul_##SUFFIX(const T* gate_up, T* out, int ffn) {             \
    silu_mul(gate_up, out, ffn);                                                                   \
  }                                                                                                \
  extern "C" __global__ void jb_argmax_##SUFFIX(const T* logits, int* tokens, int vocab) {         \
    argmax(logits, tokens, vocab);                                                                 \
  }

JB_KERNELS(__half, f16)
JB_KERNELS(__nv_bfloat16, bf16)
