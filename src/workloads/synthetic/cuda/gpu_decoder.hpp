// The synthetic GPT decode on one GPU: random 16-bit weights in device memory, prefill of a
// prompt per sequence, then greedy decode steps, exactly the work of an LLM server's decode
// loop (the layer structure of reference_decode.hpp: fused QKV and gate/up GEMMs through
// cuBLAS, our kernels for norms, attention over the KV cache, SwiGLU and the argmax).
//
//   auto gpu = CudaLibraries::open(0);
//   auto decoder = GpuDecoder::create(**gpu, {shape, Precision::kBf16, /*batch=*/8,
//   /*max_positions=*/2304});
//   (*decoder)->prefill(prompt_tokens, 2048);        // batch x 2048 token ids
//   for (int i = 0; i < 256; ++i) (*decoder)->decode_step();
//   (*decoder)->synchronize();
//
// Calls are asynchronous on the decoder's own stream until synchronize(), last_logits() or
// next_tokens(). A decode step is captured as a CUDA graph on its first call and replayed
// after that (the position is a counter on the GPU, so the step's launches never change):
// options.cuda_graph = false launches every kernel each step instead, to measure both.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "workloads/synthetic/cuda/cuda_libraries.hpp"
#include "workloads/synthetic/model_shape.hpp"
#include "workloads/synthetic/reference_decode.hpp"

namespace joulebench::cuda {

// Decode attention: split-K ("flash-decoding": a block per sequence, KV head and slice of the
// cache, then a combine step) or the simple one block per (row, query head) kernel.
enum class AttentionKernel { kSplitK, kSimple };
std::string_view attention_kernel_name(AttentionKernel kernel);  // "split-k", "simple"
Expected<AttentionKernel> parse_attention_kernel(std::string_view text);
// Why the split-K kernel cannot run this shape ("--attention-kernel: split-k needs ..."), or
// nullopt: its head_dim and query heads per KV head must fit split_k::supports().
std::optional<Error> split_k_refusal(const synthetic::ModelShape& shape);

struct GpuDecodeOptions {
  synthetic::ModelShape shape;
  synthetic::Precision precision = synthetic::Precision::kFp16;
  std::int64_t batch = 1;
  std::int64_t max_positions = 0;  // prompt + output tokens: the KV cache's length
  std::uint64_t seed = 1;          // of the random weights
  AttentionKernel attention = AttentionKernel::kSplitK;
  bool cuda_graph = true;               // replay each decode step as a captured graph
  std::int64_t prefill_chunk_rows = 0;  // > 0: at most this many rows per prefill pass (tests)
};

// The weight tensors the fill test reads back (layer 0 for the per-layer ones).
enum class WeightTensor { kEmbedding, kAttentionNorm, kQkv, kDown, kLogits };

class GpuDecoder {
 public:
  // Allocates weights, caches and activations, and fills the weights with random values of
  // unit-variance scale. Errors: fp8 (not in this build), no kernels in this build, kernels
  // that do not load on this GPU, not enough free memory (with the figures).
  static Expected<std::unique_ptr<GpuDecoder>> create(const CudaLibraries& gpu,
                                                      const GpuDecodeOptions& options);
  ~GpuDecoder();
  GpuDecoder(const GpuDecoder&) = delete;
  GpuDecoder& operator=(const GpuDecoder&) = delete;

  // Replaces the random weights with `weights` rounded to 16 bits (the correctness test).
  std::optional<Error> load_weights(const synthetic::ModelWeights& weights);

  // Resets the caches and runs every sequence's prompt: `tokens` holds batch x prompt_tokens
  // ids, sequence by sequence. Leaves the logits of each sequence's last prompt position and
  // the greedy next tokens.
  std::optional<Error> prefill(const std::vector<int>& tokens, std::int64_t prompt_tokens);

  // One token per sequence at the next position: the greedy next tokens, or `tokens` (batch
  // ids) when given.
  std::optional<Error> decode_step(const std::vector<int>* tokens = nullptr);

  // Waits for the GPU; the error is the first asynchronous failure.
  std::optional<Error> synchronize();

  // The logits of the last prefill or decode step, batch x vocab, as floats.
  Expected<std::vector<float>> last_logits();
  // The greedy next token of each sequence (argmax of last_logits()), batch ids.
  Expected<std::vector<int>> next_tokens();
  // A weight tensor as floats, whole (for the test of the random fill).
  Expected<std::vector<float>> weight_values(WeightTensor which);

  std::int64_t positions() const { return positions_; }
  // Rows per prefill pass, and the split-K slices per sequence (0 with the simple kernel).
  std::int64_t chunk_rows() const { return chunk_rows_; }
  int attention_slices() const;
  const synthetic::ModelShape& shape() const { return options_.shape; }
  // Bytes of device memory this decoder holds.
  std::size_t device_bytes() const { return device_bytes_; }

 private:
  struct State;  // kernels, device pointers and allocations (gpu_decoder.cpp)

  GpuDecoder(const CudaLibraries& gpu, const GpuDecodeOptions& options);
  std::optional<Error> allocate();
  std::optional<Error> randomize();
  std::optional<Error> forward(DevicePtr tokens, std::int64_t rows, std::int64_t rows_per_sequence,
                               bool with_logits);
  std::optional<Error> layer(std::size_t index, std::int64_t rows);
  std::optional<Error> attention(std::size_t layer, std::int64_t rows);
  std::optional<Error> upload(DevicePtr to, const std::vector<int>& values);
  std::optional<Error> step();
  std::optional<Error> capture_step();
  std::optional<Error> copy_floats(DevicePtr from, std::size_t count, DevicePtr scratch,
                                   std::vector<float>& out);
  std::optional<Error> gemm(DevicePtr weights, std::int64_t out, std::int64_t in, DevicePtr x,
                            std::int64_t rows, std::int64_t ldx, DevicePtr y, float beta);

  const CudaLibraries& gpu_;
  GpuDecodeOptions options_;
  std::unique_ptr<State> state_;
  std::int64_t positions_ = 0;   // positions filled in every sequence's cache
  std::int64_t chunk_rows_ = 0;  // rows per forward pass (prefill is chunked to this)
  std::size_t device_bytes_ = 0;
};

}  // namespace joulebench::cuda
