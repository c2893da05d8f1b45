#include "workloads/synthetic/cuda/gpu_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "workloads/synthetic/cuda/decode_kernels.hpp"

namespace joulebench::cuda {
namespace {

constexpr int kRowThreads = 256;        // norms, embedding, KV store, SwiGLU, argmax
constexpr int kAttentionThreads = 128;  // 4 warps per (row, head)
constexpr int kFillBlocks = 4096;
constexpr std::size_t kScoreBudgetBytes = std::size_t{512} << 20;  // attention scores of one pass
constexpr std::int64_t kMaxChunkRows = 4096;
constexpr float kRmsEpsilon = static_cast<float>(synthetic::kRmsNormEpsilon);
constexpr std::size_t kHalfBytes = 2;
// Distinct random streams per tensor: seed + tensor number * this.
constexpr std::uint64_t kTensorStride = 0x5851F42D4C957F2DULL;

struct LayerPointers {
  DevicePtr attn_norm = 0, wqkv = 0, wo = 0, mlp_norm = 0, w_gate_up = 0, w_down = 0;
  DevicePtr key_cache = 0, value_cache = 0;
};

// The kernels of one element type, looked up in the module by name.
struct Kernels {
  Function fill_uniform = nullptr, from_floats = nullptr, to_floats = nullptr, embed = nullptr,
           rms_norm = nullptr, store_kv = nullptr, attention = nullptr, silu_mul = nullptr,
           argmax = nullptr;
};

}  // namespace

struct GpuDecoder::State {
  Module module = nullptr;
  Kernels kernels;
  std::vector<DevicePtr> allocations;
  DevicePtr embedding = 0, final_norm = 0, logits_weights = 0;
  std::vector<LayerPointers> layers;
  // Activations of one pass of up to chunk_rows rows.
  DevicePtr x = 0, normed = 0, qkv = 0, attn_out = 0, gate_up = 0, act = 0, scores = 0;
  DevicePtr tokens = 0, sequences = 0, positions = 0;  // per row
  DevicePtr logits = 0, next_tokens = 0, floats = 0;   // per sequence (floats: logits as float)
};

namespace {

std::optional<Error> load_kernels(const CudaLibraries& gpu, synthetic::Precision precision,
                                  Module& module, Kernels& kernels) {
  const auto fatbin = decode_kernels_fatbin();
  if (fatbin.empty()) return Error{std::string("bench synthetic: ") + decode_kernels_build()};
  if (auto error =
          gpu.check(gpu.driver().module_load_data(&module, fatbin.data()), "cuModuleLoadData")) {
    error->message += " (kernels: " + std::string(decode_kernels_build()) +
                      "; GPU compute capability " + std::to_string(gpu.device().compute_major) +
                      "." + std::to_string(gpu.device().compute_minor) + ")";
    return error;
  }
  const std::string suffix = precision == synthetic::Precision::kBf16 ? "_bf16" : "_f16";
  const std::pair<Function*, const char*> entries[] = {
      {&kernels.fill_uniform, "jb_fill_uniform"},
      {&kernels.from_floats, "jb_from_floats"},
      {&kernels.to_floats, "jb_to_floats"},
      {&kernels.embed, "jb_embed"},
      {&kernels.rms_norm, "jb_rms_norm"},
      {&kernels.store_kv, "jb_store_kv"},
      {&kernels.attention, "jb_attention"},
      {&kernels.silu_mul, "jb_silu_mul"},
      {&kernels.argmax, "jb_argmax"},
  };
  for (const auto& [slot, name] : entries) {
    const std::string full = name + suffix;
    if (auto error =
            gpu.check(gpu.driver().module_get_function(slot, module, full.c_str()), full.c_str()))
      return error;
  }
  return std::nullopt;
}

// cuLaunchKernel with the arguments' addresses; every argument is a value of this frame.
template <class... Args>
std::optional<Error> launch(const CudaLibraries& gpu, Function kernel, unsigned grid_x,
                            unsigned grid_y, unsigned block, const char* what, Args... args) {
  void* parameters[] = {static_cast<void*>(&args)...};
  return gpu.check(gpu.driver().launch_kernel(kernel, grid_x, grid_y, 1, block, 1, 1, 0, nullptr,
                                              parameters, nullptr),
                   what);
}

}  // namespace

GpuDecoder::GpuDecoder(const CudaLibraries& gpu, const GpuDecodeOptions& options)
    : gpu_(gpu), options_(options), state_(std::make_unique<State>()) {}

GpuDecoder::~GpuDecoder() {
  for (DevicePtr pointer : state_->allocations) gpu_.driver().mem_free(pointer);
  if (state_->module != nullptr) gpu_.driver().module_unload(state_->module);
}

Expected<std::unique_ptr<GpuDecoder>> GpuDecoder::create(const CudaLibraries& gpu,
                                                         const GpuDecodeOptions& options) {
  if (options.precision == synthetic::Precision::kFp8) {
    return Error{
        "--precision: fp8 needs cuBLASLt's FP8 GEMMs, which are not in this build yet (use fp16 or "
        "bf16)"};
  }
  if (options.batch < 1 || options.max_positions < 1)
    return Error{"bench synthetic: batch and positions must be at least 1"};
  std::unique_ptr<GpuDecoder> decoder(new GpuDecoder(gpu, options));
  if (auto error =
          load_kernels(gpu, options.precision, decoder->state_->module, decoder->state_->kernels)) {
    return *error;
  }
  if (auto error = decoder->allocate()) return *error;
  if (auto error = decoder->randomize()) return *error;
  return decoder;
}

std::optional<Error> GpuDecoder::allocate() {
  const synthetic::ModelShape& s = options_.shape;
  const std::int64_t batch = options_.batch;
  const auto score_row_bytes =
      static_cast<std::size_t>(s.heads * options_.max_positions) * sizeof(float);
  // A decode step needs `batch` rows in one pass; prefill passes are as large as the score
  // buffer's budget allows, up to kMaxChunkRows.
  const auto budget_rows = static_cast<std::int64_t>(kScoreBudgetBytes / score_row_bytes);
  chunk_rows_ = std::max(batch, std::min(budget_rows, kMaxChunkRows));
  const std::int64_t rows = chunk_rows_;
  const std::int64_t qkv_width = s.hidden + 2 * s.kv_width();
  const std::int64_t cache = batch * options_.max_positions * s.kv_width();
  // Element counts first, so the memory check can name the total before anything is taken.
  struct Request {
    DevicePtr* slot;
    std::size_t bytes;
  };
  std::vector<Request> requests;
  auto half = [&](DevicePtr* slot, std::int64_t count) {
    requests.push_back({slot, static_cast<std::size_t>(count) * kHalfBytes});
  };
  auto words = [&](DevicePtr* slot, std::int64_t count) {
    requests.push_back({slot, static_cast<std::size_t>(count) * 4});
  };
  State& st = *state_;
  half(&st.embedding, s.vocab * s.hidden);
  st.layers.resize(static_cast<std::size_t>(s.layers));
  for (LayerPointers& layer : st.layers) {
    half(&layer.attn_norm, s.hidden);
    half(&layer.wqkv, qkv_width * s.hidden);
    half(&layer.wo, s.hidden * s.hidden);
    half(&layer.mlp_norm, s.hidden);
    half(&layer.w_gate_up, 2 * s.ffn * s.hidden);
    half(&layer.w_down, s.hidden * s.ffn);
    half(&layer.key_cache, cache);
    half(&layer.value_cache, cache);
  }
  half(&st.final_norm, s.hidden);
  half(&st.logits_weights, s.vocab * s.hidden);
  half(&st.x, rows * s.hidden);
  half(&st.normed, rows * s.hidden);
  half(&st.qkv, rows * qkv_width);
  half(&st.attn_out, rows * s.hidden);
  half(&st.gate_up, rows * 2 * s.ffn);
  half(&st.act, rows * s.ffn);
  words(&st.scores, rows * s.heads * options_.max_positions);
  words(&st.tokens, rows);
  words(&st.sequences, rows);
  words(&st.positions, rows);
  half(&st.logits, batch * s.vocab);
  words(&st.next_tokens, batch);
  words(&st.floats, batch * s.vocab);
  std::size_t total = 0;
  for (const Request& request : requests) total += request.bytes;
  std::size_t free_bytes = 0, total_bytes = 0;
  gpu_.driver().mem_get_info(&free_bytes, &total_bytes);
  if (total > free_bytes) {
    return Error{"bench synthetic: " + options_.shape.name + " at batch " + std::to_string(batch) +
                 " needs " + std::to_string(total >> 20) + " MiB of GPU memory; " +
                 std::to_string(free_bytes >> 20) + " MiB are free"};
  }
  for (const Request& request : requests) {
    if (auto error = gpu_.check(gpu_.driver().mem_alloc(request.slot, request.bytes), "cuMemAlloc"))
      return error;
    st.allocations.push_back(*request.slot);
    device_bytes_ += request.bytes;
  }
  return std::nullopt;
}

std::optional<Error> GpuDecoder::randomize() {
  const synthetic::ModelShape& s = options_.shape;
  const Kernels& k = state_->kernels;
  std::uint64_t tensor = 0;
  auto fill = [&](DevicePtr pointer, std::int64_t count, float half_width, float offset) {
    const std::uint64_t seed = options_.seed + ++tensor * kTensorStride;
    return launch(gpu_, k.fill_uniform, kFillBlocks, 1, kRowThreads, "jb_fill_uniform", pointer,
                  static_cast<std::uint64_t>(count), seed, half_width, offset);
  };
  // The reference's distributions: ±sqrt(3 / fan_in) for matrices, ±1 for embeddings,
  // 1 ± 0.1 for norm weights (reference_decode.hpp).
  auto matrix = [&](DevicePtr pointer, std::int64_t rows, std::int64_t fan_in) {
    return fill(pointer, rows * fan_in, std::sqrt(3.0f / static_cast<float>(fan_in)), 0.0f);
  };
  if (auto e = fill(state_->embedding, s.vocab * s.hidden, 1.0f, 0.0f)) return e;
  for (const LayerPointers& layer : state_->layers) {
    if (auto e = fill(layer.attn_norm, s.hidden, 0.1f, 1.0f)) return e;
    if (auto e = matrix(layer.wqkv, s.hidden + 2 * s.kv_width(), s.hidden)) return e;
    if (auto e = matrix(layer.wo, s.hidden, s.hidden)) return e;
    if (auto e = fill(layer.mlp_norm, s.hidden, 0.1f, 1.0f)) return e;
    if (auto e = matrix(layer.w_gate_up, 2 * s.ffn, s.hidden)) return e;
    if (auto e = matrix(layer.w_down, s.hidden, s.ffn)) return e;
  }
  if (auto e = fill(state_->final_norm, s.hidden, 0.1f, 1.0f)) return e;
  return matrix(state_->logits_weights, s.vocab, s.hidden);
}

std::optional<Error> GpuDecoder::load_weights(const synthetic::ModelWeights& weights) {
  const synthetic::ModelShape& s = options_.shape;
  // Host doubles -> a device float staging buffer -> 16-bit, one tensor at a time. The
  // staging buffer holds the largest tensor and lives only for this call (the test path).
  const std::int64_t largest = std::max(
      {s.vocab * s.hidden, (s.hidden + 2 * s.kv_width()) * s.hidden, 2 * s.ffn * s.hidden});
  DevicePtr staging = 0;
  if (auto e = gpu_.check(
          gpu_.driver().mem_alloc(&staging, static_cast<std::size_t>(largest) * sizeof(float)),
          "cuMemAlloc"))
    return e;
  auto upload = [&](DevicePtr to,
                    const std::vector<const std::vector<double>*>& parts) -> std::optional<Error> {
    std::vector<float> staged;
    for (const auto* part : parts) staged.insert(staged.end(), part->begin(), part->end());
    if (auto e = gpu_.check(
            gpu_.driver().memcpy_htod(staging, staged.data(), staged.size() * sizeof(float)),
            "cuMemcpyHtoD"))
      return e;
    if (auto e = launch(gpu_, state_->kernels.from_floats, kFillBlocks, 1, kRowThreads,
                        "jb_from_floats", staging, to, static_cast<std::uint64_t>(staged.size())))
      return e;
    return synchronize();  // the staging buffer is reused by the next tensor
  };
  std::optional<Error> error = upload(state_->embedding, {&weights.embedding});
  for (std::size_t i = 0; i < state_->layers.size() && !error; ++i) {
    const LayerPointers& to = state_->layers[i];
    const synthetic::LayerWeights& from = weights.layers[i];
    if (!error) error = upload(to.attn_norm, {&from.attn_norm});
    if (!error) error = upload(to.wqkv, {&from.wq, &from.wk, &from.wv});
    if (!error) error = upload(to.wo, {&from.wo});
    if (!error) error = upload(to.mlp_norm, {&from.mlp_norm});
    if (!error) error = upload(to.w_gate_up, {&from.w_gate, &from.w_up});
    if (!error) error = upload(to.w_down, {&from.w_down});
  }
  if (!error) error = upload(state_->final_norm, {&weights.final_norm});
  if (!error) error = upload(state_->logits_weights, {&weights.logits});
  gpu_.driver().mem_free(staging);
  return error;
}

std::optional<Error> GpuDecoder::gemm(DevicePtr weights, std::int64_t out, std::int64_t in,
                                      DevicePtr x, std::int64_t rows, std::int64_t ldx, DevicePtr y,
                                      float beta) {
  // Row-major Y[rows x out] = X[rows x in] . W[out x in]^T is, column-major,
  // Y^T (out x rows) = op_T(W as in x out) . X^T (in x rows).
  const float alpha = 1.0f;
  const int type = options_.precision == synthetic::Precision::kBf16 ? kDataBF16 : kDataF16;
  const BlasStatus status = gpu_.blas().gemm_ex(
      gpu_.blas_handle(), kOpT, kOpN, static_cast<int>(out), static_cast<int>(rows),
      static_cast<int>(in), &alpha, reinterpret_cast<const void*>(weights), type,
      static_cast<int>(in), reinterpret_cast<const void*>(x), type, static_cast<int>(ldx), &beta,
      reinterpret_cast<void*>(y), type, static_cast<int>(out), kComputeF32, kGemmDefault);
  if (status != kBlasSuccess)
    return Error{"cublasGemmEx failed with status " + std::to_string(status)};
  return std::nullopt;
}

std::optional<Error> GpuDecoder::layer(std::size_t index, std::int64_t rows) {
  const synthetic::ModelShape& s = options_.shape;
  const State& st = *state_;
  const Kernels& k = st.kernels;
  const LayerPointers& w = st.layers[index];
  const auto grid = static_cast<unsigned>(rows);
  const int hidden = static_cast<int>(s.hidden), ffn = static_cast<int>(s.ffn),
            kv_width = static_cast<int>(s.kv_width());
  const int max_positions = static_cast<int>(options_.max_positions);
  const std::int64_t qkv_width = s.hidden + 2 * s.kv_width();
  if (auto e = launch(gpu_, k.rms_norm, grid, 1, kRowThreads, "jb_rms_norm", st.x, w.attn_norm,
                      st.normed, hidden, kRmsEpsilon))
    return e;
  if (auto e = gemm(w.wqkv, qkv_width, s.hidden, st.normed, rows, s.hidden, st.qkv, 0.0f)) return e;
  if (auto e = launch(gpu_, k.store_kv, grid, 1, kRowThreads, "jb_store_kv", st.qkv, w.key_cache,
                      w.value_cache, st.sequences, st.positions, hidden, kv_width, max_positions))
    return e;
  if (auto e = launch(gpu_, k.attention, grid, static_cast<unsigned>(s.heads), kAttentionThreads,
                      "jb_attention", st.qkv, w.key_cache, w.value_cache, st.attn_out, st.scores,
                      st.sequences, st.positions, static_cast<int>(s.heads),
                      static_cast<int>(s.kv_heads), static_cast<int>(s.head_dim()), max_positions))
    return e;
  if (auto e = gemm(w.wo, s.hidden, s.hidden, st.attn_out, rows, s.hidden, st.x, 1.0f))
    return e;  // + residual
  if (auto e = launch(gpu_, k.rms_norm, grid, 1, kRowThreads, "jb_rms_norm", st.x, w.mlp_norm,
                      st.normed, hidden, kRmsEpsilon))
    return e;
  if (auto e = gemm(w.w_gate_up, 2 * s.ffn, s.hidden, st.normed, rows, s.hidden, st.gate_up, 0.0f))
    return e;
  if (auto e =
          launch(gpu_, k.silu_mul, grid, 1, kRowThreads, "jb_silu_mul", st.gate_up, st.act, ffn))
    return e;
  return gemm(w.w_down, s.hidden, s.ffn, st.act, rows, s.ffn, st.x, 1.0f);  // + residual
}

std::optional<Error> GpuDecoder::forward(DevicePtr tokens, std::int64_t rows,
                                         std::int64_t rows_per_sequence, bool with_logits) {
  const synthetic::ModelShape& s = options_.shape;
  const State& st = *state_;
  const Kernels& k = st.kernels;
  const int hidden = static_cast<int>(s.hidden);
  if (auto e = launch(gpu_, k.embed, static_cast<unsigned>(rows), 1, kRowThreads, "jb_embed",
                      st.embedding, tokens, st.x, hidden))
    return e;
  for (std::size_t i = 0; i < st.layers.size(); ++i) {
    if (auto e = layer(i, rows)) return e;
  }
  if (!with_logits) return std::nullopt;
  if (auto e = launch(gpu_, k.rms_norm, static_cast<unsigned>(rows), 1, kRowThreads, "jb_rms_norm",
                      st.x, st.final_norm, st.normed, hidden, kRmsEpsilon))
    return e;
  // Logits of each sequence's last row only: rows are sequence-major, so those rows sit
  // rows_per_sequence apart, starting at the first sequence's last one.
  const DevicePtr last_rows =
      st.normed + static_cast<DevicePtr>((rows_per_sequence - 1) * s.hidden) * kHalfBytes;
  if (auto e = gemm(st.logits_weights, s.vocab, s.hidden, last_rows, options_.batch,
                    rows_per_sequence * s.hidden, st.logits, 0.0f))
    return e;
  return launch(gpu_, k.argmax, static_cast<unsigned>(options_.batch), 1, kRowThreads, "jb_argmax",
                st.logits, st.next_tokens, static_cast<int>(s.vocab));
}

std::optional<Error> GpuDecoder::upload_rows(const std::vector<int>& sequences,
                                             const std::vector<int>& positions) {
  const std::size_t bytes = sequences.size() * sizeof(int);
  if (auto e = gpu_.check(gpu_.driver().memcpy_htod(state_->sequences, sequences.data(), bytes),
                          "cuMemcpyHtoD"))
    return e;
  return gpu_.check(gpu_.driver().memcpy_htod(state_->positions, positions.data(), bytes),
                    "cuMemcpyHtoD");
}

std::optional<Error> GpuDecoder::prefill(const std::vector<int>& tokens,
                                         std::int64_t prompt_tokens) {
  const std::int64_t batch = options_.batch;
  if (prompt_tokens < 1 || prompt_tokens > options_.max_positions ||
      tokens.size() != static_cast<std::size_t>(batch * prompt_tokens)) {
    return Error{"bench synthetic: prefill needs batch x prompt tokens within the cache length"};
  }
  const std::int64_t chunk = std::max<std::int64_t>(1, chunk_rows_ / batch);  // positions per pass
  for (std::int64_t start = 0; start < prompt_tokens; start += chunk) {
    const std::int64_t length = std::min(chunk, prompt_tokens - start);
    std::vector<int> chunk_tokens, sequences, positions;
    for (std::int64_t sequence = 0; sequence < batch; ++sequence) {
      for (std::int64_t t = start; t < start + length; ++t) {
        chunk_tokens.push_back(tokens[static_cast<std::size_t>(sequence * prompt_tokens + t)]);
        sequences.push_back(static_cast<int>(sequence));
        positions.push_back(static_cast<int>(t));
      }
    }
    if (auto e = gpu_.check(gpu_.driver().memcpy_htod(state_->tokens, chunk_tokens.data(),
                                                      chunk_tokens.size() * sizeof(int)),
                            "cuMemcpyHtoD"))
      return e;
    if (auto e = upload_rows(sequences, positions)) return e;
    if (auto e = forward(state_->tokens, batch * length, length, start + length == prompt_tokens))
      return e;
  }
  positions_ = prefilled_ = prompt_tokens;
  return std::nullopt;
}

std::optional<Error> GpuDecoder::decode_step(const std::vector<int>* tokens) {
  const std::int64_t batch = options_.batch;
  if (positions_ < 1) return Error{"bench synthetic: decode_step before prefill"};
  if (positions_ >= options_.max_positions) return Error{"bench synthetic: the KV cache is full"};
  const auto rows = static_cast<std::size_t>(batch);
  if (positions_ == prefilled_) {
    // First step after a prefill: rows are the sequences 0..batch-1 from now on.
    std::vector<int> sequences(rows);
    for (std::size_t i = 0; i < rows; ++i) sequences[i] = static_cast<int>(i);
    const std::size_t bytes = rows * sizeof(int);
    if (auto e = gpu_.check(gpu_.driver().memcpy_htod(state_->sequences, sequences.data(), bytes),
                            "cuMemcpyHtoD"))
      return e;
  }
  // Every row is at the same position: a memset, which does not wait for the GPU as a copy
  // from host memory would, so the host queues the next steps while this one runs.
  if (auto e = gpu_.check(
          gpu_.driver().memset_d32(state_->positions, static_cast<unsigned>(positions_), rows),
          "cuMemsetD32"))
    return e;
  DevicePtr source = state_->next_tokens;
  if (tokens != nullptr) {
    if (tokens->size() != rows)
      return Error{"bench synthetic: decode_step needs one token per sequence"};
    if (auto e = gpu_.check(
            gpu_.driver().memcpy_htod(state_->tokens, tokens->data(), rows * sizeof(int)),
            "cuMemcpyHtoD"))
      return e;
    source = state_->tokens;
  }
  if (auto e = forward(source, batch, 1, true)) return e;
  ++positions_;
  return std::nullopt;
}

std::optional<Error> GpuDecoder::synchronize() {
  return gpu_.check(gpu_.driver().ctx_synchronize(), "the decode (cuCtxSynchronize)");
}

Expected<std::vector<float>> GpuDecoder::last_logits() {
  const auto count = static_cast<std::size_t>(options_.batch * options_.shape.vocab);
  if (auto e = launch(gpu_, state_->kernels.to_floats, kFillBlocks, 1, kRowThreads, "jb_to_floats",
                      state_->logits, state_->floats, static_cast<std::uint64_t>(count)))
    return *e;
  if (auto e = synchronize()) return *e;
  std::vector<float> logits(count);
  if (auto e = gpu_.check(
          gpu_.driver().memcpy_dtoh(logits.data(), state_->floats, count * sizeof(float)),
          "cuMemcpyDtoH"))
    return *e;
  return logits;
}

}  // namespace joulebench::cuda
