#include "workloads/synthetic/model_shape.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>

namespace joulebench::synthetic {
namespace {

constexpr double kSixteenBitBytes = 2.0;  // norms, KV cache and activations
// Each field at most 2^20: parameter counts then stay far inside 64-bit integers.
constexpr std::int64_t kMaxField = 1 << 20;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The fields of a custom shape, in the order the help text gives them.
constexpr std::string_view kFields[] = {"layers", "hidden", "heads", "kv-heads", "ffn", "vocab"};

std::int64_t* field_of(ModelShape& shape, std::string_view key) {
  if (key == "layers") return &shape.layers;
  if (key == "hidden") return &shape.hidden;
  if (key == "heads") return &shape.heads;
  if (key == "kv-heads") return &shape.kv_heads;
  if (key == "ffn") return &shape.ffn;
  if (key == "vocab") return &shape.vocab;
  return nullptr;
}

std::optional<Error> check_consistent(const ModelShape& shape) {
  if (shape.hidden % shape.heads != 0) {
    return Error{"--model: hidden=" + std::to_string(shape.hidden) +
                 " is not a multiple of heads=" + std::to_string(shape.heads)};
  }
  if (shape.heads % shape.kv_heads != 0) {
    return Error{"--model: heads=" + std::to_string(shape.heads) +
                 " is not a multiple of kv-heads=" + std::to_string(shape.kv_heads)};
  }
  return std::nullopt;
}

Expected<ModelShape> parse_custom_shape(std::string_view text) {
  ModelShape shape;
  shape.name = std::string(text);
  std::map<std::string, bool> seen;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    const std::size_t equals = item.find('=');
    const std::string key = lower(item.substr(0, equals));
    std::int64_t* field = equals == std::string_view::npos ? nullptr : field_of(shape, key);
    if (field == nullptr) {
      return Error{"--model: '" + std::string(item) +
                   "' is not a preset (1B, 8B, 40B) or a field (layers=, hidden=, heads=, "
                   "kv-heads=, ffn=, vocab=)"};
    }
    const std::string_view value = item.substr(equals + 1);
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *field);
    if (ec != std::errc() || end != value.data() + value.size() || *field < 1 ||
        *field > kMaxField) {
      return Error{"--model: " + key + "='" + std::string(value) +
                   "' is not a whole number from 1 to 1048576"};
    }
    if (seen[key]) return Error{"--model: " + key + " is given twice"};
    seen[key] = true;
    start = comma + 1;
  }
  for (std::string_view key : kFields) {
    if (!seen[std::string(key)]) return Error{"--model: " + std::string(key) + "= is missing"};
  }
  if (auto error = check_consistent(shape)) return *error;
  return shape;
}

}  // namespace

const std::vector<ModelShape>& preset_shapes() {
  static const std::vector<ModelShape> presets = {
      {"1B", 16, 2048, 32, 8, 8192, 128256},
      {"8B", 32, 4096, 32, 8, 14336, 128256},
      {"40B", 44, 8192, 64, 8, 28672, 128256},
  };
  return presets;
}

Expected<ModelShape> parse_model_shape(std::string_view text) {
  const std::string name = lower(text);
  for (const ModelShape& preset : preset_shapes()) {
    if (lower(preset.name) == name) return preset;
  }
  return parse_custom_shape(text);
}

Expected<Precision> parse_precision(std::string_view text) {
  const std::string name = lower(text);
  if (name == "fp16") return Precision::kFp16;
  if (name == "bf16") return Precision::kBf16;
  if (name == "fp8") return Precision::kFp8;
  return Error{"--precision: '" + std::string(text) + "' is not fp16, bf16 or fp8"};
}

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::kFp16:
      return "fp16";
    case Precision::kBf16:
      return "bf16";
    case Precision::kFp8:
      return "fp8";
  }
  return "fp16";
}

double weight_bytes(Precision precision) { return precision == Precision::kFp8 ? 1.0 : 2.0; }

ParameterCount count_parameters(const ModelShape& shape) {
  const std::int64_t attention =
      2 * shape.hidden * shape.hidden + 2 * shape.hidden * shape.kv_width();
  const std::int64_t mlp = 3 * shape.hidden * shape.ffn;
  ParameterCount count;
  count.per_layer = attention + mlp + 2 * shape.hidden;
  count.embedding = shape.vocab * shape.hidden;
  count.logits = shape.vocab * shape.hidden;
  count.total = shape.layers * count.per_layer + count.embedding + count.logits + shape.hidden;
  count.gemm_weights = shape.layers * (attention + mlp) + count.logits;
  return count;
}

DecodeCost decode_cost(const ModelShape& shape, Precision precision, std::int64_t batch,
                       std::int64_t context) {
  const ParameterCount count = count_parameters(shape);
  const auto gemm_weights = static_cast<double>(count.gemm_weights);
  const auto norm_weights = static_cast<double>(shape.layers * 2 * shape.hidden + shape.hidden);
  DecodeCost cost;
  cost.batch = batch;
  cost.context = context;
  // The embedding table is not read whole: one row per token, counted with the KV traffic.
  cost.weight_bytes_per_step =
      gemm_weights * weight_bytes(precision) + norm_weights * kSixteenBitBytes;
  const auto kv_row =
      static_cast<double>(shape.layers * 2 * shape.kv_width());  // K and V, all layers
  const auto embedding_row = static_cast<double>(shape.hidden);
  cost.kv_bytes_per_token =
      (kv_row * static_cast<double>(context) + kv_row + embedding_row) * kSixteenBitBytes;
  // Scores (q . k) and the weighted sum of V: one multiply-add each per position, head and
  // head dimension, over context + 1 positions.
  const auto attention_flops = 4.0 *
                               static_cast<double>(shape.layers * shape.heads * shape.head_dim()) *
                               static_cast<double>(context + 1);
  cost.flops_per_token = 2.0 * gemm_weights + attention_flops;
  return cost;
}

}  // namespace joulebench::synthetic
