#include "models/estimate_model.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "models/energy_model.hpp"
#include "sensors/replay/csv_text.hpp"

namespace joulebench::models {
namespace {

Expected<double> positive(std::string_view text, const std::string& what) {
  const auto value = replay::parse_finite(replay::trim(text));
  if (!value) return Error{what + ": '" + std::string(text) + "' is not a number"};
  if (!(*value > 0.0)) return Error{what + ": " + std::string(text) + " is not positive"};
  return *value;
}

std::optional<std::size_t> column(const std::vector<std::string_view>& header,
                                  std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace

Expected<PowerRange> parse_power_w(const std::string& text) {
  // A dash after the first character separates the bounds ("1500-3000"); a leading one is a sign.
  const auto dash = text.find('-', 1);
  if (dash == std::string::npos) {
    auto watts = positive(text, "--power-w");
    if (!watts) return watts.error();
    return PowerRange{*watts, *watts, fmt::format("{:g} W (given)", *watts)};
  }
  auto low = positive(std::string_view(text).substr(0, dash), "--power-w");
  if (!low) return low.error();
  auto high = positive(std::string_view(text).substr(dash + 1), "--power-w");
  if (!high) return high.error();
  if (*high < *low)
    return Error{"--power-w: '" + text + "': the high bound is below the low bound"};
  return PowerRange{*low, *high, fmt::format("{:g} to {:g} W (given)", *low, *high)};
}

Expected<PowerRange> gpu_node_power(const GpuSpec& gpu, int gpus, double node_overhead) {
  if (gpus < 1) return Error{fmt::format("--gpus: {} is not a positive count", gpus)};
  if (!(node_overhead >= 0.0))
    return Error{fmt::format("--node-overhead: {} is negative", node_overhead)};
  if (!gpu.tdp_w) return Error{"--gpu: the catalog has no board power for " + gpu.name};
  const double node_w = *gpu.tdp_w * gpus * (1.0 + node_overhead);
  return PowerRange{
      node_w, node_w,
      fmt::format("{} x {} at board power {:g} W + {:g}% node overhead = {:g} W (an upper "
                  "bound: GPUs rarely hold their board power; source: {})",
                  gpus, gpu.name, *gpu.tdp_w, node_overhead * 100, node_w, gpu.source)};
}

Expected<Estimate> estimate(double tokens_per_s, const PowerRange& power, std::string label) {
  if (!(tokens_per_s > 0.0))
    return Error{fmt::format("--tokens-per-s: {} is not positive", tokens_per_s)};
  Estimate result;
  result.label = std::move(label);
  result.tokens_per_s = tokens_per_s;
  result.j_per_token_low = j_per_token(power.low_w, tokens_per_s);
  result.j_per_token_high = j_per_token(power.high_w, tokens_per_s);
  result.kwh_per_million_tokens_low = kwh_per_million_tokens(result.j_per_token_low);
  result.kwh_per_million_tokens_high = kwh_per_million_tokens(result.j_per_token_high);
  result.tokens_per_j_low = 1.0 / result.j_per_token_high;
  result.tokens_per_j_high = 1.0 / result.j_per_token_low;
  return result;
}

Expected<std::vector<ThroughputRow>> read_throughput_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read file", path};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_throughput_csv(buffer.str(), path);
}

Expected<std::vector<ThroughputRow>> parse_throughput_csv(std::string_view text,
                                                          const std::string& path) {
  replay::LineCursor lines(text);
  std::string_view line;
  std::vector<std::string_view> header;
  std::vector<std::string_view> fields;
  std::vector<ThroughputRow> rows;
  std::optional<std::size_t> batch_column;
  std::optional<std::size_t> tps_column;
  while (lines.next(line)) {
    if (lines.too_long()) return Error{replay::line_too_long_message(), path, lines.line_number()};
    if (replay::trim(line).empty()) continue;
    if (!tps_column) {
      replay::split_fields(line, header);
      batch_column = column(header, "batch");
      tps_column = column(header, "tokens_per_s");
      if (!batch_column || !tps_column) {
        return Error{"the header must name the columns batch and tokens_per_s", path,
                     lines.line_number()};
      }
      continue;
    }
    replay::split_fields(line, fields);
    if (fields.size() != header.size()) {
      return Error{fmt::format("{} fields where the header has {}", fields.size(), header.size()),
                   path, lines.line_number()};
    }
    auto tokens_per_s = positive(fields[*tps_column], "tokens_per_s");
    if (!tokens_per_s) return Error{tokens_per_s.error().message, path, lines.line_number()};
    rows.push_back({std::string(fields[*batch_column]), *tokens_per_s});
  }
  if (!tps_column) return Error{"empty file: expected a header with batch,tokens_per_s", path};
  if (rows.empty()) return Error{"no rows after the header", path};
  return rows;
}

}  // namespace joulebench::models
