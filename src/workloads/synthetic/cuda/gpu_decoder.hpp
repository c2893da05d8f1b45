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
// Calls are asynchronous on the default stream until synchronize() or last_logits().
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "joulebench/error.hpp"
#include "workloads/synthetic/cuda/cuda_libraries.hpp"
#include "workloads/synthetic/model_shape.hpp"
#include "workloads/synthetic/reference_decode.hpp"

namespace joulebench::cuda {

struct GpuDecodeOptions {
  synthetic::ModelShape shape;
  synthetic::Precision precision = synthetic::Precision::kFp16;
  std::int64_t batch = 1;
  std::int64_t max_positions = 0;  // prompt + output tokens: the KV cache's length
  std::uint64_t seed = 1;          // of the random weights
};

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

  std::int64_t positions() const { return positions_; }
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
  std::optional<Error> upload_rows(const std::vector<int>& sequences,
                                   const std::vector<int>& positions);
  std::optional<Error> gemm(DevicePtr weights, std::int64_t out, std::int64_t in, DevicePtr x,
                            std::int64_t rows, std::int64_t ldx, DevicePtr y, float beta);

  const CudaLibraries& gpu_;
  GpuDecodeOptions options_;
  std::unique_ptr<State> state_;
  std::int64_t positions_ = 0;   // positions filled in every sequence's cache
  std::int64_t prefilled_ = 0;   // positions_ right after the last prefill
  std::int64_t chunk_rows_ = 0;  // rows per forward pass (prefill is chunked to this)
  std::size_t device_bytes_ = 0;
};

}  // namespace joulebench::cuda
