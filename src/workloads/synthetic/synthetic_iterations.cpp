#include "workloads/synthetic/synthetic_iterations.hpp"

#include "core/splitmix64.hpp"

namespace joulebench::synthetic {
namespace {

std::vector<int> prompt_tokens(std::int64_t count, std::int64_t vocab, std::uint64_t& state) {
  std::vector<int> tokens(static_cast<std::size_t>(count));
  for (int& token : tokens)
    token = static_cast<int>(splitmix64_next(state) % static_cast<std::uint64_t>(vocab));
  return tokens;
}

// Runs `work` inside window `name` and waits for the GPU before closing it, so the window
// holds exactly the GPU's time on it.
std::optional<Error> measured(Monitor& monitor, cuda::GpuDecoder& decoder, const std::string& name,
                              const std::function<std::optional<Error>()>& work,
                              Measurement& measurement) {
  monitor.begin_window(name);
  std::optional<Error> error = work();
  if (!error) error = decoder.synchronize();
  measurement = monitor.end_window(name);
  return error;
}

}  // namespace

std::optional<Error> run_synthetic_iterations(
    Monitor& monitor, cuda::GpuDecoder& decoder, const SyntheticIterationOptions& options,
    std::vector<IterationResult>& done,
    const std::function<void(const IterationResult&)>& progress) {
  std::uint64_t state = options.seed;
  const std::int64_t vocab = decoder.shape().vocab;
  const std::size_t total = options.warmup_iterations + options.iterations;
  for (std::size_t index = 0; index < total; ++index) {
    if (options.should_stop && options.should_stop()) break;
    const std::string name = options.window_prefix + "iteration-" + std::to_string(index);
    const std::vector<int> prompt =
        prompt_tokens(options.batch * options.prompt_tokens, vocab, state);
    IterationResult iteration;
    iteration.index = index;
    iteration.warmup = index < options.warmup_iterations;
    CommandWindow prefill{
        "prefill", {}, static_cast<double>(options.batch * options.prompt_tokens)};
    CommandWindow decode{"decode", {}, static_cast<double>(options.batch * options.output_tokens)};
    monitor.begin_window(name);
    std::optional<Error> error = measured(
        monitor, decoder, name + "/prefill",
        [&] { return decoder.prefill(prompt, options.prompt_tokens); }, prefill.measurement);
    if (!error) {
      error = measured(
          monitor, decoder, name + "/decode",
          [&]() -> std::optional<Error> {
            for (std::int64_t step = 0; step < options.output_tokens; ++step) {
              if (auto e = decoder.decode_step()) return e;
            }
            return std::nullopt;
          },
          decode.measurement);
    }
    iteration.measurement = monitor.end_window(name);
    if (error) return error;
    iteration.windows = {prefill, decode};
    iteration.scope = "decode window";
    iteration.energy =
        compute_token_energy(decode.measurement, decode.tokens,
                             "batch x --output-tokens (greedy decode steps)", options.idle);
    if (progress) progress(iteration);
    done.push_back(std::move(iteration));
  }
  return std::nullopt;
}

}  // namespace joulebench::synthetic
