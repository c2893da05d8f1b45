#include "workloads/synthetic/cuda/gpu_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "workloads/synthetic/cuda/decode_kernels.hpp"
#include "workloads/synthetic/cuda/split_k_attention.hpp"

namespace joulebench::cuda {
namespace {

constexpr int kRowThreads = 256;        // norms, embedding, KV store, SwiGLU
constexpr int kArgmaxThreads = 1024;    // one block per sequence over the vocabulary
constexpr int kAttentionThreads = 128;  // 4 warps per (row, head)
constexpr int kCombineThreads = 128;
constexpr int kFillBlocks = 4096;
constexpr int kBlocksPerSm = 8;  // grid of the grid-stride kernels: this many per SM
// Attention scratch of one pass (the simple kernel's scores, split-K's partial sums).
constexpr std::size_t kScoreBudgetBytes = std::size_t{512} << 20;
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
           rms_norm = nullptr, store_kv = nullptr, attention = nullptr, attention_split = nullptr,
           attention_combine = nullptr, silu_mul = nullptr, argmax = nullptr,
           advance_positions = nullptr;
};

}  // namespace

struct GpuDecoder::State {
  Module module = nullptr;
  Kernels kernels;
  Stream stream = nullptr;
  GraphExec step_graph = nullptr;  // one decode step, captured on its first call
  split_k::Plan split{0, 0};       // slices per sequence (split-K only)
  unsigned small_grid = 1;         // blocks of the grid-stride kernels
  std::vector<DevicePtr> allocations;
  DevicePtr embedding = 0, final_norm = 0, logits_weights = 0;
  std::vector<LayerPointers> layers;
  // Activations of one pass of up to chunk_rows rows.
  DevicePtr x = 0, normed = 0, qkv = 0, attn_out = 0, gate_up = 0, act = 0;
  DevicePtr scores = 0;                                // simple attention
  DevicePtr partial_out = 0, partial_stats = 0;        // split-K attention
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
      {&kernels.attention_split, "jb_attention_split"},
      {&kernels.attention_combine, "jb_attention_combine"},
      {&kernels.silu_mul, "jb_silu_mul"},
      {&kernels.argmax, "jb_argmax"},
  };
  for (const auto& [slot, name] : entries) {
    const std::string full = name + suffix;
    if (auto error =
            gpu.check(gpu.driver().module_get_function(slot, module, full.c_str()), full.c_str()))
      return error;
  }
  return gpu.check(
      gpu.driver().module_get_function(&kernels.advance_positions, module, "jb_advance_positions"),
      "jb_advance_positions");
}

struct Grid {
  unsigned x = 1, y = 1, z = 1;
};

// cuLaunchKernel on `stream` with the arguments' addresses; every argument is a value of this
// frame.
template <class... Args>
std::optional<Error> launch(const CudaLibraries& gpu, Stream stream, Function kernel, Grid grid,
                            unsigned block, const char* what, Args... args) {
  void* parameters[] = {static_cast<void*>(&args)...};
  return gpu.check(gpu.driver().launch_kernel(kernel, grid.x, grid.y, grid.z, block, 1, 1, 0,
                                              stream, parameters, nullptr),
                   what);
}

}  // namespace

std::optional<Error> split_k_refusal(const synthetic::ModelShape& s) {
  if (split_k::supports(static_cast<int>(s.head_dim()), static_cast<int>(s.heads / s.kv_heads)))
    return std::nullopt;
  return Error{"--attention-kernel: split-k needs head_dim a power of two from 8 to " +
               std::to_string(split_k::kMaxHeadDim) + " and at most " +
               std::to_string(split_k::kMaxGroup) + " query heads per KV head (" + s.name +
               " has head_dim " + std::to_string(s.head_dim()) + " and " +
               std::to_string(s.heads / s.kv_heads) + "); use --attention-kernel simple"};
}

std::string_view attention_kernel_name(AttentionKernel kernel) {
  return kernel == AttentionKernel::kSimple ? "simple" : "split-k";
}

Expected<AttentionKernel> parse_attention_kernel(std::string_view text) {
  if (text == "split-k") return AttentionKernel::kSplitK;
  if (text == "simple") return AttentionKernel::kSimple;
  return Error{"--attention-kernel: '" + std::string(text) + "' is not split-k or simple"};
}

GpuDecoder::GpuDecoder(const CudaLibraries& gpu, const GpuDecodeOptions& options)
    : gpu_(gpu), options_(options), state_(std::make_unique<State>()) {}

GpuDecoder::~GpuDecoder() {
  const DriverTable& driver = gpu_.driver();
  if (state_->stream != nullptr) driver.stream_synchronize(state_->stream);
  if (state_->step_graph != nullptr) driver.graph_exec_destroy(state_->step_graph);
  // The cuBLAS handle outlives this decoder: give it back the NULL stream before ours goes.
  if (gpu_.blas_handle() != nullptr) gpu_.blas().set_stream(gpu_.blas_handle(), nullptr);
  if (state_->stream != nullptr) driver.stream_destroy(state_->stream);
  for (DevicePtr pointer : state_->allocations) driver.mem_free(pointer);
  if (state_->module != nullptr) driver.module_unload(state_->module);
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
  if (options.attention == AttentionKernel::kSplitK) {
    if (auto refusal = split_k_refusal(options.shape)) return *refusal;
  }
  std::unique_ptr<GpuDecoder> decoder(new GpuDecoder(gpu, options));
  State& st = *decoder->state_;
  if (auto error = load_kernels(gpu, options.precision, st.module, st.kernels)) return *error;
  if (auto error =
          gpu.check(gpu.driver().stream_create(&st.stream, kStreamDefault), "cuStreamCreate"))
    return *error;
  if (const BlasStatus status = gpu.blas().set_stream(gpu.blas_handle(), st.stream);
      status != kBlasSuccess)
    return Error{"cublasSetStream_v2 failed with status " + std::to_string(status)};
  st.small_grid = static_cast<unsigned>(std::max(1, gpu.device().multiprocessors) * kBlocksPerSm);
  if (auto error = decoder->allocate()) return *error;
  if (auto error = decoder->randomize()) return *error;
  return decoder;
}

int GpuDecoder::attention_slices() const { return state_->split.slices; }

std::optional<Error> GpuDecoder::allocate() {
  const synthetic::ModelShape& s = options_.shape;
  const std::int64_t batch = options_.batch;
  State& st = *state_;
  const bool split = options_.attention == AttentionKernel::kSplitK;
  if (split) {
    st.split = split_k::plan(static_cast<int>(options_.max_positions), static_cast<int>(batch),
                             static_cast<int>(s.kv_heads), gpu_.device().multiprocessors);
  }
  // Attention scratch per row: the simple kernel's scores over the whole cache, or split-K's
  // per-slice sums and (max, sum) pairs.
  const auto scratch_row_bytes =
      split ? static_cast<std::size_t>(s.heads * st.split.slices * (s.head_dim() + 2)) * 4
            : static_cast<std::size_t>(s.heads * options_.max_positions) * 4;
  // A decode step needs `batch` rows in one pass; prefill passes are as large as the scratch
  // budget allows, up to kMaxChunkRows (or the forced size).
  const auto budget_rows = static_cast<std::int64_t>(kScoreBudgetBytes / scratch_row_bytes);
  std::int64_t chunk = std::min(budget_rows, kMaxChunkRows);
  if (options_.prefill_chunk_rows > 0) chunk = std::min(chunk, options_.prefill_chunk_rows);
  chunk_rows_ = std::max(batch, chunk);
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
  if (split) {
    words(&st.partial_out, rows * s.heads * st.split.slices * s.head_dim());
    words(&st.partial_stats, rows * s.heads * st.split.slices * 2);
  } else {
    words(&st.scores, rows * s.heads * options_.max_positions);
  }
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
    return launch(gpu_, state_->stream, k.fill_uniform, {kFillBlocks}, kRowThreads,
                  "jb_fill_uniform", pointer, static_cast<std::uint64_t>(count), seed, half_width,
                  offset);
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
    if (auto e = synchronize()) return e;  // the staging buffer's last reader is done
    if (auto e = gpu_.check(
            gpu_.driver().memcpy_htod(staging, staged.data(), staged.size() * sizeof(float)),
            "cuMemcpyHtoD"))
      return e;
    return launch(gpu_, state_->stream, state_->kernels.from_floats, {kFillBlocks}, kRowThreads,
                  "jb_from_floats", staging, to, static_cast<std::uint64_t>(staged.size()));
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
  if (!error) error = synchronize();
  gpu_.driver().mem_free(staging);
  return error;
}

std::optional<Error> GpuDecoder::gemm(DevicePtr weights, std::int64_t out, std::int64_t in,
                                      DevicePtr x, std::int64_t rows, std::int64_t ldx, DevicePtr y,
                                      float beta) {
  // Row-major Y[rows x out] = X[rows x in] . W[out x in]^T is, column-major,
  // Y^T (out x rows) = op_T(W as in x out) . X^T (in x rows). On the decoder's stream
  // (cublasSetStream at create), so a captured step holds the GEMMs too.
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

std::optional<Error> GpuDecoder::attention(std::size_t index, std::int64_t rows) {
  const synthetic::ModelShape& s = options_.shape;
  const State& st = *state_;
  const Kernels& k = st.kernels;
  const LayerPointers& w = st.layers[index];
  const int heads = static_cast<int>(s.heads), kv_heads = static_cast<int>(s.kv_heads),
            head_dim = static_cast<int>(s.head_dim()),
            max_positions = static_cast<int>(options_.max_positions);
  const auto row_count = static_cast<unsigned>(rows);
  if (options_.attention == AttentionKernel::kSimple) {
    return launch(gpu_, st.stream, k.attention, {row_count, static_cast<unsigned>(heads)},
                  kAttentionThreads, "jb_attention", st.qkv, w.key_cache, w.value_cache,
                  st.attn_out, st.scores, st.sequences, st.positions, heads, kv_heads, head_dim,
                  max_positions);
  }
  const Grid split_grid{row_count, static_cast<unsigned>(kv_heads),
                        static_cast<unsigned>(st.split.slices)};
  if (auto e = launch(gpu_, st.stream, k.attention_split, split_grid, split_k::kThreads,
                      "jb_attention_split", st.qkv, w.key_cache, w.value_cache, st.partial_out,
                      st.partial_stats, st.sequences, st.positions, heads, kv_heads, head_dim,
                      max_positions, st.split.slice_length))
    return e;
  return launch(gpu_, st.stream, k.attention_combine, {row_count, static_cast<unsigned>(heads)},
                kCombineThreads, "jb_attention_combine", st.partial_out, st.partial_stats,
                st.attn_out, heads, head_dim, st.split.slices);
}

std::optional<Error> GpuDecoder::layer(std::size_t index, std::int64_t rows) {
  const synthetic::ModelShape& s = options_.shape;
  const State& st = *state_;
  const Kernels& k = st.kernels;
  const LayerPointers& w = st.layers[index];
  const auto row_count = static_cast<unsigned>(rows);
  const Grid norm_grid{std::min(row_count, st.small_grid)};
  const int n = static_cast<int>(rows), hidden = static_cast<int>(s.hidden),
            ffn = static_cast<int>(s.ffn), kv_width = static_cast<int>(s.kv_width());
  const int max_positions = static_cast<int>(options_.max_positions);
  const std::int64_t qkv_width = s.hidden + 2 * s.kv_width();
  if (auto e = launch(gpu_, st.stream, k.rms_norm, norm_grid, kRowThreads, "jb_rms_norm", st.x,
                      w.attn_norm, st.normed, n, hidden, kRmsEpsilon))
    return e;
  if (auto e = gemm(w.wqkv, qkv_width, s.hidden, st.normed, rows, s.hidden, st.qkv, 0.0f)) return e;
  if (auto e = launch(gpu_, st.stream, k.store_kv, {st.small_grid}, kRowThreads, "jb_store_kv",
                      st.qkv, w.key_cache, w.value_cache, st.sequences, st.positions, n, hidden,
                      kv_width, max_positions))
    return e;
  if (auto e = attention(index, rows)) return e;
  if (auto e = gemm(w.wo, s.hidden, s.hidden, st.attn_out, rows, s.hidden, st.x, 1.0f))
    return e;  // + residual
  if (auto e = launch(gpu_, st.stream, k.rms_norm, norm_grid, kRowThreads, "jb_rms_norm", st.x,
                      w.mlp_norm, st.normed, n, hidden, kRmsEpsilon))
    return e;
  if (auto e = gemm(w.w_gate_up, 2 * s.ffn, s.hidden, st.normed, rows, s.hidden, st.gate_up, 0.0f))
    return e;
  if (auto e = launch(gpu_, st.stream, k.silu_mul, {st.small_grid}, kRowThreads, "jb_silu_mul",
                      st.gate_up, st.act, n, ffn))
    return e;
  return gemm(w.w_down, s.hidden, s.ffn, st.act, rows, s.ffn, st.x, 1.0f);  // + residual
}

std::optional<Error> GpuDecoder::forward(DevicePtr tokens, std::int64_t rows,
                                         std::int64_t rows_per_sequence, bool with_logits) {
  const synthetic::ModelShape& s = options_.shape;
  const State& st = *state_;
  const Kernels& k = st.kernels;
  const int n = static_cast<int>(rows), hidden = static_cast<int>(s.hidden);
  if (auto e = launch(gpu_, st.stream, k.embed, {st.small_grid}, kRowThreads, "jb_embed",
                      st.embedding, tokens, st.x, n, hidden))
    return e;
  for (std::size_t i = 0; i < st.layers.size(); ++i) {
    if (auto e = layer(i, rows)) return e;
  }
  if (!with_logits) return std::nullopt;
  if (auto e = launch(gpu_, st.stream, k.rms_norm,
                      {std::min(static_cast<unsigned>(rows), st.small_grid)}, kRowThreads,
                      "jb_rms_norm", st.x, st.final_norm, st.normed, n, hidden, kRmsEpsilon))
    return e;
  // Logits of each sequence's last row only: rows are sequence-major, so those rows sit
  // rows_per_sequence apart, starting at the first sequence's last one.
  const DevicePtr last_rows =
      st.normed + static_cast<DevicePtr>((rows_per_sequence - 1) * s.hidden) * kHalfBytes;
  if (auto e = gemm(st.logits_weights, s.vocab, s.hidden, last_rows, options_.batch,
                    rows_per_sequence * s.hidden, st.logits, 0.0f))
    return e;
  return launch(gpu_, st.stream, k.argmax, {static_cast<unsigned>(options_.batch)}, kArgmaxThreads,
                "jb_argmax", st.logits, st.next_tokens, static_cast<int>(s.vocab));
}

std::optional<Error> GpuDecoder::upload(DevicePtr to, const std::vector<int>& values) {
  // Pageable host memory: the call returns once the values are staged, so `values` may go;
  // on the decoder's stream, so it waits for the kernels still reading the old values.
  return gpu_.check(gpu_.driver().memcpy_htod_async(to, values.data(), values.size() * sizeof(int),
                                                    state_->stream),
                    "cuMemcpyHtoDAsync");
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
    if (auto e = upload(state_->tokens, chunk_tokens)) return e;
    if (auto e = upload(state_->sequences, sequences)) return e;
    if (auto e = upload(state_->positions, positions)) return e;
    if (auto e = forward(state_->tokens, batch * length, length, start + length == prompt_tokens))
      return e;
  }
  // Decode rows from now on: sequence i at the first free position, which each step's
  // jb_advance_positions moves on, on the GPU.
  std::vector<int> sequences(static_cast<std::size_t>(batch));
  for (std::size_t i = 0; i < sequences.size(); ++i) sequences[i] = static_cast<int>(i);
  if (auto e = upload(state_->sequences, sequences)) return e;
  if (auto e = upload(state_->positions,
                      std::vector<int>(sequences.size(), static_cast<int>(prompt_tokens))))
    return e;
  positions_ = prompt_tokens;
  return std::nullopt;
}

// One decode step's launches: embedding of the next tokens through the argmax that overwrites
// them, then the positions moved on. The same launches every step, so they can be a graph.
std::optional<Error> GpuDecoder::step() {
  const State& st = *state_;
  if (auto e = forward(st.next_tokens, options_.batch, 1, true)) return e;
  return launch(gpu_, st.stream, st.kernels.advance_positions, {1}, kRowThreads,
                "jb_advance_positions", st.positions, static_cast<int>(options_.batch));
}

std::optional<Error> GpuDecoder::capture_step() {
  State& st = *state_;
  const DriverTable& driver = gpu_.driver();
  // Relaxed: cuBLAS may allocate or query during its first captured GEMM.
  if (auto e = gpu_.check(driver.stream_begin_capture(st.stream, kStreamCaptureModeRelaxed),
                          "cuStreamBeginCapture"))
    return e;
  std::optional<Error> error = step();
  Graph graph = nullptr;
  const Result ended = driver.stream_end_capture(st.stream, &graph);
  if (!error) error = gpu_.check(ended, "cuStreamEndCapture");
  if (!error)
    error = gpu_.check(driver.graph_instantiate(&st.step_graph, graph, 0),
                       "cuGraphInstantiateWithFlags");
  if (graph != nullptr) driver.graph_destroy(graph);
  if (error) {
    st.step_graph = nullptr;
    error->message += " (capturing a decode step as a CUDA graph; --cuda-graph off avoids it)";
  }
  return error;
}

std::optional<Error> GpuDecoder::decode_step(const std::vector<int>* tokens) {
  const std::int64_t batch = options_.batch;
  if (positions_ < 1) return Error{"bench synthetic: decode_step before prefill"};
  if (positions_ >= options_.max_positions) return Error{"bench synthetic: the KV cache is full"};
  if (tokens != nullptr) {
    if (tokens->size() != static_cast<std::size_t>(batch))
      return Error{"bench synthetic: decode_step needs one token per sequence"};
    if (auto e = upload(state_->next_tokens, *tokens)) return e;
  }
  if (!options_.cuda_graph) {
    if (auto e = step()) return e;
  } else {
    if (state_->step_graph == nullptr) {
      if (auto e = capture_step()) return e;
    }
    if (auto e = gpu_.check(gpu_.driver().graph_launch(state_->step_graph, state_->stream),
                            "cuGraphLaunch"))
      return e;
  }
  ++positions_;
  return std::nullopt;
}

std::optional<Error> GpuDecoder::synchronize() {
  return gpu_.check(gpu_.driver().ctx_synchronize(), "the decode (cuCtxSynchronize)");
}

std::optional<Error> GpuDecoder::copy_floats(DevicePtr from, std::size_t count, DevicePtr scratch,
                                             std::vector<float>& out) {
  if (auto e = launch(gpu_, state_->stream, state_->kernels.to_floats, {kFillBlocks}, kRowThreads,
                      "jb_to_floats", from, scratch, static_cast<std::uint64_t>(count)))
    return e;
  if (auto e = synchronize()) return e;
  out.resize(count);
  return gpu_.check(gpu_.driver().memcpy_dtoh(out.data(), scratch, count * sizeof(float)),
                    "cuMemcpyDtoH");
}

Expected<std::vector<float>> GpuDecoder::last_logits() {
  std::vector<float> logits;
  const auto count = static_cast<std::size_t>(options_.batch * options_.shape.vocab);
  if (auto e = copy_floats(state_->logits, count, state_->floats, logits)) return *e;
  return logits;
}

Expected<std::vector<int>> GpuDecoder::next_tokens() {
  if (auto e = synchronize()) return *e;
  std::vector<int> tokens(static_cast<std::size_t>(options_.batch));
  if (auto e = gpu_.check(gpu_.driver().memcpy_dtoh(tokens.data(), state_->next_tokens,
                                                    tokens.size() * sizeof(int)),
                          "cuMemcpyDtoH"))
    return *e;
  return tokens;
}

Expected<std::vector<float>> GpuDecoder::weight_values(WeightTensor which) {
  const synthetic::ModelShape& s = options_.shape;
  const LayerPointers& first = state_->layers.front();
  DevicePtr tensor = 0;
  std::int64_t count = 0;
  switch (which) {
    case WeightTensor::kEmbedding:
      tensor = state_->embedding, count = s.vocab * s.hidden;
      break;
    case WeightTensor::kAttentionNorm:
      tensor = first.attn_norm, count = s.hidden;
      break;
    case WeightTensor::kQkv:
      tensor = first.wqkv, count = (s.hidden + 2 * s.kv_width()) * s.hidden;
      break;
    case WeightTensor::kDown:
      tensor = first.w_down, count = s.hidden * s.ffn;
      break;
    case WeightTensor::kLogits:
      tensor = state_->logits_weights, count = s.vocab * s.hidden;
      break;
  }
  const auto elements = static_cast<std::size_t>(count);
  DevicePtr scratch = 0;
  if (auto e =
          gpu_.check(gpu_.driver().mem_alloc(&scratch, elements * sizeof(float)), "cuMemAlloc"))
    return *e;
  std::vector<float> values;
  auto error = copy_floats(tensor, elements, scratch, values);
  gpu_.driver().mem_free(scratch);
  if (error) return *error;
  return values;
}

}  // namespace joulebench::cuda
