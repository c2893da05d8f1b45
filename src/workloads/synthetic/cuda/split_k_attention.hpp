// The arithmetic of the split-K ("flash-decoding") attention that both nvcc (the kernels in
// decode_kernels.cu) and the host compiler (gpu_decoder.cpp's launch plan, and the CPU test of
// the merge in split_k_attention_test.cpp) compile, so the test checks the kernels' own code.
//
// Each (row, KV head, slice of cached positions) block computes, for every query head of its
// group, the slice's largest score m_s, the sum l_s of exp(score - m_s) and the unnormalised
// sum of exp(score - m_s) V. The combine step rescales each slice by exp(m_s - M), M the largest
// m_s, so out = sum_s exp(m_s - M) partial_s / sum_s exp(m_s - M) l_s: the single-pass softmax
// exactly, in any slicing. A slice with no positions yet has m_s = -inf and l_s = 0.
#pragma once

#include <math.h>

#if defined(__CUDACC__)
#define JB_HOST_DEVICE __host__ __device__
#else
#define JB_HOST_DEVICE
#endif

namespace joulebench::cuda::split_k {

inline constexpr int kThreads = 128;         // per block
inline constexpr int kMaxGroup = 8;          // query heads per KV head
inline constexpr int kMaxHeadDim = 256;      // head_dim / 8 threads share a key row
inline constexpr int kMaxSliceLength = 256;  // positions per slice (shared memory)

struct Totals {
  float max;  // M: the largest score over all slices
  float sum;  // sum_s exp(m_s - M) l_s
};

// A slice's weight in the merged softmax: exp(m_s - M), 0 for an empty slice.
JB_HOST_DEVICE inline float slice_weight(float slice_max, float max) {
  return slice_max == -INFINITY ? 0.0f : expf(slice_max - max);
}

// stats: (m_s, l_s) of each of `slices` slices, interleaved.
JB_HOST_DEVICE inline Totals merge_totals(const float* stats, int slices) {
  Totals t{-INFINITY, 0.0f};
  for (int s = 0; s < slices; ++s) t.max = fmaxf(t.max, stats[2 * s]);
  for (int s = 0; s < slices; ++s) t.sum += stats[2 * s + 1] * slice_weight(stats[2 * s], t.max);
  return t;
}

// Output element d of one head: partial holds slices x head_dim unnormalised sums.
JB_HOST_DEVICE inline float merge_value(const float* stats, const float* partial, int slices,
                                        int head_dim, int d, Totals t) {
  float value = 0.0f;
  for (int s = 0; s < slices; ++s)
    value += partial[s * head_dim + d] * slice_weight(stats[2 * s], t.max);
  return value / t.sum;
}

struct Plan {
  int slices;
  int slice_length;  // positions per slice; the last one may hold fewer
};

JB_HOST_DEVICE inline int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Enough slices that a batch-1 decode at full cache length runs two blocks per SM
// (batch x kv_heads x slices >= 2 x multiprocessors), each slice within kMaxSliceLength
// positions, no slice empty at full length. Fixed per decoder, so a captured graph replays
// it at any position (slices past the current position return at once).
JB_HOST_DEVICE inline Plan plan(int max_positions, int batch, int kv_heads, int multiprocessors) {
  const int blocks_per_slice = (batch > 0 ? batch : 1) * (kv_heads > 0 ? kv_heads : 1);
  int slices = ceil_div(2 * (multiprocessors > 0 ? multiprocessors : 1), blocks_per_slice);
  const int fewest = ceil_div(max_positions, kMaxSliceLength);
  if (slices < fewest) slices = fewest;
  if (slices > max_positions) slices = max_positions;
  const int length = ceil_div(max_positions, slices);
  return {ceil_div(max_positions, length), length};
}

// Whether the split-K kernel handles this head layout: head_dim a power of two from 8 to
// kMaxHeadDim (16-byte loads, head_dim / 8 threads per key row within a warp) and at most
// kMaxGroup query heads per KV head.
JB_HOST_DEVICE inline bool supports(int head_dim, int group) {
  const bool power_of_two = head_dim > 0 && (head_dim & (head_dim - 1)) == 0;
  return power_of_two && head_dim >= 8 && head_dim <= kMaxHeadDim && group >= 1 &&
         group <= kMaxGroup;
}

}  // namespace joulebench::cuda::split_k
