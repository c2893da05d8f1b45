// The split-K attention's algorithm on the CPU: the kernel's slicing and per-slice softmax
// emulated in C++, merged by split_k_attention.hpp's own functions (the ones the kernel's
// combine step compiles), must equal the single-pass softmax of the float64 reference for any
// slicing, empty slices included. And the launch plan's slice counts.
#include "workloads/synthetic/cuda/split_k_attention.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "workloads/synthetic/reference_decode.hpp"

namespace joulebench::cuda::split_k {
namespace {

struct Problem {
  int heads, kv_heads, head_dim, positions;
  std::vector<double> q, keys, values;
};

Problem random_problem(int heads, int kv_heads, int head_dim, int positions, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(-2.0, 2.0);
  Problem p{heads, kv_heads, head_dim, positions, {}, {}, {}};
  auto fill = [&](std::vector<double>& v, std::size_t n) {
    v.resize(n);
    for (double& x : v) x = uniform(random);
  };
  fill(p.q, static_cast<std::size_t>(heads * head_dim));
  fill(p.keys, static_cast<std::size_t>(positions * kv_heads * head_dim));
  fill(p.values, static_cast<std::size_t>(positions * kv_heads * head_dim));
  return p;
}

// What attention_split writes for one query head (stats: (max, sum) per slice; partial:
// slices x head_dim), in float as on the GPU; slices past the last position are empty.
void emulate_slices(const Problem& p, int head, int slices, int slice_length,
                    std::vector<float>& stats, std::vector<float>& partial) {
  const int group = p.heads / p.kv_heads, kv_width = p.kv_heads * p.head_dim;
  const int offset = head / group * p.head_dim;
  const float scale = 1.0f / std::sqrt(static_cast<float>(p.head_dim));
  stats.assign(static_cast<std::size_t>(2 * slices), 0.0f);
  partial.assign(static_cast<std::size_t>(slices * p.head_dim), 0.0f);
  for (int s = 0; s < slices; ++s) {
    const int begin = s * slice_length, end = std::min(p.positions, begin + slice_length);
    if (begin >= end) {
      stats[2 * s] = -INFINITY;
      continue;
    }
    std::vector<float> scores;
    for (int pos = begin; pos < end; ++pos) {
      float dot = 0.0f;
      for (int d = 0; d < p.head_dim; ++d) {
        dot += static_cast<float>(p.q[head * p.head_dim + d]) * scale *
               static_cast<float>(p.keys[pos * kv_width + offset + d]);
      }
      scores.push_back(dot);
    }
    const float top = *std::max_element(scores.begin(), scores.end());
    for (std::size_t i = 0; i < scores.size(); ++i) {
      const float e = std::exp(scores[i] - top);
      stats[2 * s + 1] += e;
      const int pos = begin + static_cast<int>(i);
      for (int d = 0; d < p.head_dim; ++d)
        partial[s * p.head_dim + d] +=
            e * static_cast<float>(p.values[pos * kv_width + offset + d]);
    }
    stats[2 * s] = top;
  }
}

std::vector<double> split_attention(const Problem& p, int slices, int slice_length) {
  std::vector<double> out;
  std::vector<float> stats, partial;
  for (int h = 0; h < p.heads; ++h) {
    emulate_slices(p, h, slices, slice_length, stats, partial);
    const Totals totals = merge_totals(stats.data(), slices);
    for (int d = 0; d < p.head_dim; ++d)
      out.push_back(merge_value(stats.data(), partial.data(), slices, p.head_dim, d, totals));
  }
  return out;
}

TEST(SplitKAttention, MergedSlicesEqualTheSinglePassSoftmax) {
  std::uint64_t seed = 1;
  for (const auto& [heads, kv_heads, head_dim] : {std::tuple{4, 2, 32}, std::tuple{32, 8, 128},
                                                  std::tuple{64, 8, 128}, std::tuple{8, 8, 64}}) {
    for (int positions : {1, 7, 300}) {
      const Problem p = random_problem(heads, kv_heads, head_dim, positions, seed++);
      const std::vector<double> want =
          synthetic::grouped_attention(p.q, p.keys, p.values, heads, kv_heads);
      // One slice, even slices, uneven slices, more slices than positions (empty ones).
      for (int slice_length : {positions, 64, 5, 1}) {
        const int slices = (positions + slice_length - 1) / slice_length + 3;
        const double error =
            synthetic::relative_error(split_attention(p, slices, slice_length), want);
        EXPECT_LT(error, 1e-5) << heads << "/" << kv_heads << "x" << head_dim << ", " << positions
                               << " positions in slices of " << slice_length;
      }
    }
  }
}

TEST(SplitKAttention, AWrongMergeWeightIsCaught) {
  // The test above can fail: merging without the exp(m_s - M) rescaling is far off.
  const Problem p = random_problem(4, 2, 32, 300, 99);
  std::vector<float> stats, partial;
  emulate_slices(p, 0, 5, 64, stats, partial);
  float value = 0.0f, total = 0.0f;
  for (int s = 0; s < 5; ++s) value += partial[s * 32], total += stats[2 * s + 1];
  const Totals totals = merge_totals(stats.data(), 5);
  const float right = merge_value(stats.data(), partial.data(), 5, 32, 0, totals);
  EXPECT_GT(std::fabs(value / total - right), 1e-3 * std::fabs(right));
}

TEST(SplitKAttention, ThePlanFillsTwoBlocksPerSmAtBatchOne) {
  // H100 SXM: 132 SMs; 8B: 8 KV heads; a 2048 + 256 cache.
  const Plan h100 = plan(2304, 1, 8, 132);
  EXPECT_GE(1 * 8 * h100.slices, 2 * 132);
  EXPECT_LE(h100.slice_length, kMaxSliceLength);
  EXPECT_GE(h100.slices * h100.slice_length, 2304);
  EXPECT_LT((h100.slices - 1) * h100.slice_length, 2304) << "no empty slice at full length";
  // A large batch needs no more slices than the cache length asks for.
  const Plan batch64 = plan(2304, 64, 8, 132);
  EXPECT_EQ(batch64.slices, (2304 + kMaxSliceLength - 1) / kMaxSliceLength);
  // Never more slices than positions.
  EXPECT_EQ(plan(3, 1, 1, 132).slices, 3);
  EXPECT_EQ(plan(3, 1, 1, 132).slice_length, 1);
}

TEST(SplitKAttention, SupportsThePresetsAndRefusesOddHeads) {
  EXPECT_TRUE(supports(64, 4));    // 1B
  EXPECT_TRUE(supports(128, 4));   // 8B
  EXPECT_TRUE(supports(128, 8));   // 40B
  EXPECT_TRUE(supports(32, 2));    // the tests' small shape
  EXPECT_FALSE(supports(96, 4));   // not a power of two
  EXPECT_FALSE(supports(512, 4));  // beyond shared memory
  EXPECT_FALSE(supports(128, 16));
}

}  // namespace
}  // namespace joulebench::cuda::split_k
