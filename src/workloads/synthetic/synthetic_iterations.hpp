// Iterations of the synthetic decode under a running Monitor, as `joulebench run` records
// a wrapped command's: each iteration is a window with two inner windows, "prefill" (every
// sequence's prompt) and "decode" (output_tokens greedy steps of the whole batch). J/token
// is the decode window's energy over its batch x output_tokens tokens, so the prompt's cost
// is reported beside it, never mixed in.
// Thread-safety: one thread; the Monitor's sampler runs on its own.
#pragma once

#include <functional>

#include "joulebench/monitor.hpp"
#include "workloads/command/run_result.hpp"
#include "workloads/synthetic/cuda/gpu_decoder.hpp"

namespace joulebench::synthetic {

struct SyntheticIterationOptions {
  std::int64_t batch = 1;
  std::int64_t prompt_tokens = 2048;
  std::int64_t output_tokens = 256;
  std::size_t warmup_iterations = 1;
  std::size_t iterations = 5;
  std::uint64_t seed = 1;  // of the prompt token ids
  IdlePower idle;
  std::string window_prefix;          // keeps window names unique across configurations
  std::function<bool()> should_stop;  // checked between iterations (Ctrl-C); may be empty
};

// Runs warm-ups then measured iterations; an Error is the GPU's (the iterations done so far
// are in `done`).
std::optional<Error> run_synthetic_iterations(
    Monitor& monitor, cuda::GpuDecoder& decoder, const SyntheticIterationOptions& options,
    std::vector<IterationResult>& done,
    const std::function<void(const IterationResult&)>& progress);

}  // namespace joulebench::synthetic
