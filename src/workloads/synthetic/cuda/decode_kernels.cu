// The small kernels of the synthetic decode (the GEMMs are cuBLAS's). Compiled by nvcc into a
// fatbin that joulebench embeds and loads with cuModuleLoadData, so the binary links no CUDA
// library. Every kernel exists for half (suffix _f16) and bfloat16 (_bf16), with extern "C"
// names that gpu_decoder.cpp looks up. Arithmetic is float32 throughout; only storage is
// 16-bit. Layouts are those of reference_decode.hpp: row-major [rows][width].
//
// The small kernels are grid-stride (a grid sized to the GPU, not to the rows) and move 16
// bytes (8 elements) per load where the widths are multiples of 8, element by element
// otherwise. Attention comes in two variants, chosen by the decoder: attention_split
// (split-K, "flash-decoding", the default) and the simple one-block-per-(row, head) kernel.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "split_k_attention.hpp"

namespace split_k = joulebench::cuda::split_k;

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

// Eight elements as one 16-byte load or store (the address 16-byte aligned).
template <class T>
__device__ __forceinline__ void load8(const T* from, float out[8]) {
  const uint4 raw = *reinterpret_cast<const uint4*>(from);
  const T* elements = reinterpret_cast<const T*>(&raw);
#pragma unroll
  for (int i = 0; i < 8; ++i) out[i] = to_float(elements[i]);
}
template <class T>
__device__ __forceinline__ void store8(T* to, const float in[8]) {
  uint4 raw;
  T* elements = reinterpret_cast<T*>(&raw);
#pragma unroll
  for (int i = 0; i < 8; ++i) elements[i] = from_float<T>(in[i]);
  *reinterpret_cast<uint4*>(to) = raw;
}
__device__ __forceinline__ void copy8(const void* from, void* to) {
  *reinterpret_cast<uint4*>(to) = *reinterpret_cast<const uint4*>(from);
}

__device__ __forceinline__ uint64_t global_thread() {
  return blockIdx.x * static_cast<uint64_t>(blockDim.x) + threadIdx.x;
}
__device__ __forceinline__ uint64_t grid_threads() {
  return static_cast<uint64_t>(gridDim.x) * blockDim.x;
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

// out[row] = table[tokens[row]], grid-stride over 8-element chunks (or elements).
template <class T>
__device__ void embed(const T* table, const int* tokens, T* out, int rows, int hidden) {
  const int step = hidden % 8 == 0 ? 8 : 1;
  const int chunks = hidden / step;
  for (uint64_t i = global_thread(); i < static_cast<uint64_t>(rows) * chunks;
       i += grid_threads()) {
    const int64_t row = static_cast<int64_t>(i / chunks);
    const int64_t column = static_cast<int64_t>(i % chunks) * step;
    const T* from = table + static_cast<int64_t>(tokens[row]) * hidden + column;
    T* to = out + row * hidden + column;
    if (step == 8) {
      copy8(from, to);
    } else {
      *to = *from;
    }
  }
}

// out = x / sqrt(mean(x^2) + eps) * weight: a block per row, the blocks striding over rows.
template <class T>
__device__ void rms_norm(const T* x, const T* weight, T* out, int rows, int hidden, float epsilon) {
  const bool packed = hidden % 8 == 0;
  for (int r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* row = x + static_cast<int64_t>(r) * hidden;
    T* to = out + static_cast<int64_t>(r) * hidden;
    float sum_of_squares = 0.0f;
    if (packed) {
      for (int i = threadIdx.x * 8; i < hidden; i += blockDim.x * 8) {
        float v[8];
        load8(row + i, v);
#pragma unroll
        for (int j = 0; j < 8; ++j) sum_of_squares += v[j] * v[j];
      }
    } else {
      for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
        const float value = to_float(row[i]);
        sum_of_squares += value * value;
      }
    }
    const float scale = rsqrtf(block_sum(sum_of_squares) / static_cast<float>(hidden) + epsilon);
    if (packed) {
      for (int i = threadIdx.x * 8; i < hidden; i += blockDim.x * 8) {
        float v[8], w[8];
        load8(row + i, v);
        load8(weight + i, w);
#pragma unroll
        for (int j = 0; j < 8; ++j) v[j] = v[j] * scale * w[j];
        store8(to + i, v);
      }
    } else {
      for (int i = threadIdx.x; i < hidden; i += blockDim.x)
        to[i] = from_float<T>(to_float(row[i]) * scale * to_float(weight[i]));
    }
  }
}

// Copies k and v of each row of qkv ([q | k | v], width hidden + 2 kv_width) into the caches
// ([sequence][position][kv_width]) at the row's sequence and position; grid-stride.
template <class T>
__device__ void store_kv(const T* qkv, T* key_cache, T* value_cache, const int* sequences,
                         const int* positions, int rows, int hidden, int kv_width,
                         int max_positions) {
  const int step = hidden % 8 == 0 && kv_width % 8 == 0 ? 8 : 1;
  const int chunks = kv_width / step;
  for (uint64_t i = global_thread(); i < static_cast<uint64_t>(rows) * chunks;
       i += grid_threads()) {
    const int64_t r = static_cast<int64_t>(i / chunks);
    const int64_t column = static_cast<int64_t>(i % chunks) * step;
    const T* row = qkv + r * (hidden + 2 * kv_width);
    const int64_t slot =
        (static_cast<int64_t>(sequences[r]) * max_positions + positions[r]) * kv_width + column;
    if (step == 8) {
      copy8(row + hidden + column, key_cache + slot);
      copy8(row + hidden + kv_width + column, value_cache + slot);
    } else {
      key_cache[slot] = row[hidden + column];
      value_cache[slot] = row[hidden + kv_width + column];
    }
  }
}

// After a decode step, every row is one position further: the position lives on the GPU, so a
// captured step replays unchanged.
__device__ void advance_positions(int* positions, int rows) {
  for (uint64_t i = global_thread(); i < static_cast<uint64_t>(rows); i += grid_threads())
    ++positions[i];
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

// Split-K attention (see split_k_attention.hpp): grid (row, KV head, slice), split_k::kThreads
// threads. The block scores its slice of the row's cached positions against every query head
// of the KV head's group (head_dim / 8 threads per key row, 16-byte loads), takes each head's
// softmax over the slice, and writes the unnormalised V sums and (max, sum) for the combine
// step: partial_out [row][head][slice][head_dim], partial_stats [row][head][slice][2].
template <class T>
__device__ void attention_split(const T* qkv, const T* key_cache, const T* value_cache,
                                float* partial_out, float* partial_stats, const int* sequences,
                                const int* positions, int heads, int kv_heads, int head_dim,
                                int max_positions, int slice_length) {
  __shared__ float query[split_k::kMaxGroup * split_k::kMaxHeadDim];
  __shared__ float weights[split_k::kMaxGroup * split_k::kMaxSliceLength];
  __shared__ float sums[split_k::kMaxGroup * split_k::kMaxHeadDim];
  const int row = blockIdx.x, kv_head = blockIdx.y, slice = blockIdx.z, slices = gridDim.z;
  const int group = heads / kv_heads;
  const int kv_width = kv_heads * head_dim;
  const int begin = slice * slice_length;
  const int length = min(positions[row] + 1, begin + slice_length) - begin;
  // Head g of this block is query head kv_head * group + g.
  const int64_t first = (static_cast<int64_t>(row) * heads + kv_head * group) * slices + slice;
  if (length <= 0) {  // nothing cached in this slice yet
    for (int g = threadIdx.x; g < group; g += blockDim.x) {
      partial_stats[2 * (first + static_cast<int64_t>(g) * slices)] = -INFINITY;
      partial_stats[2 * (first + static_cast<int64_t>(g) * slices) + 1] = 0.0f;
    }
    return;
  }
  const float scale = rsqrtf(static_cast<float>(head_dim));
  const T* q = qkv + static_cast<int64_t>(row) * (heads * head_dim + 2 * kv_width) +
               kv_head * group * head_dim;
  for (int i = threadIdx.x; i < group * head_dim; i += blockDim.x) {
    query[i] = to_float(q[i]) * scale;
    sums[i] = 0.0f;
  }
  __syncthreads();
  const int lanes = head_dim / 8;  // threads per key row, a power of two <= 32
  const int lane = threadIdx.x % lanes;
  const int rows_at_once = blockDim.x / lanes;
  const int64_t base = static_cast<int64_t>(sequences[row]) * max_positions * kv_width +
                       static_cast<int64_t>(begin) * kv_width + kv_head * head_dim + lane * 8;
  // Scores. Every thread runs the same trips, so the shuffles always have the whole warp.
  for (int start = 0; start < length; start += rows_at_once) {
    const int p = start + static_cast<int>(threadIdx.x) / lanes;
    float k[8] = {};
    if (p < length) load8(key_cache + base + static_cast<int64_t>(p) * kv_width, k);
#pragma unroll
    for (int g = 0; g < split_k::kMaxGroup; ++g) {
      if (g >= group) break;
      const float* qg = query + g * head_dim + lane * 8;
      float dot = 0.0f;
#pragma unroll
      for (int i = 0; i < 8; ++i) dot += qg[i] * k[i];
      for (int offset = lanes / 2; offset > 0; offset >>= 1)
        dot += __shfl_xor_sync(0xffffffffu, dot, offset);
      if (lane == 0 && p < length) weights[g * split_k::kMaxSliceLength + p] = dot;
    }
  }
  __syncthreads();
  // Each head's softmax over the slice: a warp per head.
  const int warp = threadIdx.x >> 5, warp_lane = threadIdx.x & 31;
  for (int g = warp; g < group; g += blockDim.x >> 5) {
    float* w = weights + g * split_k::kMaxSliceLength;
    float top = -INFINITY;
    for (int p = warp_lane; p < length; p += 32) top = fmaxf(top, w[p]);
    for (int offset = 16; offset > 0; offset >>= 1)
      top = fmaxf(top, __shfl_xor_sync(0xffffffffu, top, offset));
    float total = 0.0f;
    for (int p = warp_lane; p < length; p += 32) {
      const float e = __expf(w[p] - top);
      w[p] = e;
      total += e;
    }
    for (int offset = 16; offset > 0; offset >>= 1)
      total += __shfl_xor_sync(0xffffffffu, total, offset);
    if (warp_lane == 0) {
      partial_stats[2 * (first + static_cast<int64_t>(g) * slices)] = top;
      partial_stats[2 * (first + static_cast<int64_t>(g) * slices) + 1] = total;
    }
  }
  __syncthreads();
  // Weighted V: each thread its 8 dimensions over its positions, then summed in shared memory.
  float acc[split_k::kMaxGroup][8] = {};
  for (int p = static_cast<int>(threadIdx.x) / lanes; p < length; p += rows_at_once) {
    float v[8];
    load8(value_cache + base + static_cast<int64_t>(p) * kv_width, v);
#pragma unroll
    for (int g = 0; g < split_k::kMaxGroup; ++g) {
      if (g >= group) break;
      const float w = weights[g * split_k::kMaxSliceLength + p];
#pragma unroll
      for (int i = 0; i < 8; ++i) acc[g][i] += w * v[i];
    }
  }
#pragma unroll
  for (int g = 0; g < split_k::kMaxGroup; ++g) {
    if (g >= group) break;
#pragma unroll
    for (int i = 0; i < 8; ++i) atomicAdd(&sums[g * head_dim + lane * 8 + i], acc[g][i]);
  }
  __syncthreads();
  for (int i = threadIdx.x; i < group * head_dim; i += blockDim.x) {
    const int g = i / head_dim, d = i % head_dim;
    partial_out[(first + static_cast<int64_t>(g) * slices) * head_dim + d] = sums[i];
  }
}

// The combine step: grid (row, head); the merged softmax of the slices' partials.
template <class T>
__device__ void attention_combine(const float* partial_out, const float* partial_stats, T* out,
                                  int heads, int head_dim, int slices) {
  const int64_t index = static_cast<int64_t>(blockIdx.x) * heads + blockIdx.y;
  const float* stats = partial_stats + 2 * index * slices;
  const float* partial = partial_out + index * slices * head_dim;
  const split_k::Totals totals = split_k::merge_totals(stats, slices);
  T* to = out + index * head_dim;  // [row][head][head_dim] is [row][hidden]
  for (int d = threadIdx.x; d < head_dim; d += blockDim.x)
    to[d] = from_float<T>(split_k::merge_value(stats, partial, slices, head_dim, d, totals));
}

// out = silu(gate) * up for each row of gate_up ([gate | up], width 2 ffn); grid-stride.
template <class T>
__device__ void silu_mul(const T* gate_up, T* out, int rows, int ffn) {
  const int step = ffn % 8 == 0 ? 8 : 1;
  const int chunks = ffn / step;
  for (uint64_t i = global_thread(); i < static_cast<uint64_t>(rows) * chunks;
       i += grid_threads()) {
    const int64_t r = static_cast<int64_t>(i / chunks);
    const int64_t column = static_cast<int64_t>(i % chunks) * step;
    const T* gate = gate_up + r * 2 * ffn + column;
    T* to = out + r * ffn + column;
    if (step == 8) {
      float g[8], u[8];
      load8(gate, g);
      load8(gate + ffn, u);
#pragma unroll
      for (int j = 0; j < 8; ++j) g[j] = g[j] / (1.0f + __expf(-g[j])) * u[j];
      store8(to, g);
    } else {
      const float g = to_float(*gate);
      *to = from_float<T>(g / (1.0f + __expf(-g)) * to_float(gate[ffn]));
    }
  }
}

// One block per row of logits: the next token is the argmax (greedy decoding), lowest index
// on ties; 16-byte loads where the vocabulary is a multiple of 8.
template <class T>
__device__ void argmax(const T* logits, int* tokens, int vocab) {
  __shared__ float best_value[1024];
  __shared__ int best_index[1024];
  const T* row = logits + static_cast<int64_t>(blockIdx.x) * vocab;
  float value = -INFINITY;
  int index = 0;
  auto consider = [&](float candidate, int i) {
    if (candidate > value) {
      value = candidate;
      index = i;
    }
  };
  if (vocab % 8 == 0) {
    for (int i = threadIdx.x * 8; i < vocab; i += blockDim.x * 8) {
      float v[8];
      load8(row + i, v);
#pragma unroll
      for (int j = 0; j < 8; ++j) consider(v[j], i + j);
    }
  } else {
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) consider(to_float(row[i]), i);
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

extern "C" __global__ void jb_advance_positions(int* positions, int rows) {
  advance_positions(positions, rows);
}

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
                                               int rows, int hidden) {                             \
    embed(table, tokens, out, rows, hidden);                                                       \
  }                                                                                                \
  extern "C" __global__ void jb_rms_norm_##SUFFIX(const T* x, const T* weight, T* out, int rows,   \
                                                  int hidden, float epsilon) {                     \
    rms_norm(x, weight, out, rows, hidden, epsilon);                                               \
  }                                                                                                \
  extern "C" __global__ void jb_store_kv_##SUFFIX(                                                 \
      const T* qkv, T* key_cache, T* value_cache, const int* sequences, const int* positions,      \
      int rows, int hidden, int kv_width, int max_positions) {                                     \
    store_kv(qkv, key_cache, value_cache, sequences, positions, rows, hidden, kv_width,            \
             max_positions);                                                                       \
  }                                                                                                \
  extern "C" __global__ void jb_attention_##SUFFIX(                                                \
      const T* qkv, const T* key_cache, const T* value_cache, T* out, float* scores,               \
      const int* sequences, const int* positions, int heads, int kv_heads, int head_dim,           \
      int max_positions) {                                                                         \
    attention(qkv, key_cache, value_cache, out, scores, sequences, positions, heads, kv_heads,     \
              head_dim, max_positions);                                                            \
  }                                                                                                \
  extern "C" __global__ void jb_attention_split_##SUFFIX(                                          \
      const T* qkv, const T* key_cache, const T* value_cache, float* partial_out,                  \
      float* partial_stats, const int* sequences, const int* positions, int heads, int kv_heads,   \
      int head_dim, int max_positions, int slice_length) {                                         \
    attention_split(qkv, key_cache, value_cache, partial_out, partial_stats, sequences, positions, \
                    heads, kv_heads, head_dim, max_positions, slice_length);                       \
  }                                                                                                \
  extern "C" __global__ void jb_attention_combine_##SUFFIX(const float* partial_out,               \
                                                           const float* partial_stats, T* out,     \
                                                           int heads, int head_dim, int slices) {  \
    attention_combine(partial_out, partial_stats, out, heads, head_dim, slices);                   \
  }                                                                                                \
  extern "C" __global__ void jb_silu_mul_##SUFFIX(const T* gate_up, T* out, int rows, int ffn) {   \
    silu_mul(gate_up, out, rows, ffn);                                                             \
  }                                                                                                \
  extern "C" __global__ void jb_argmax_##SUFFIX(const T* logits, int* tokens, int vocab) {         \
    argmax(logits, tokens, vocab);                                                                 \
  }

JB_KERNELS(__half, f16)
JB_KERNELS(__nv_bfloat16, bf16)
