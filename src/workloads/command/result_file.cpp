#include "workloads/command/result_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace joulebench {
namespace {

// Far above any real run (a trillion tokens, a billion tokens/s, thirty years), far below
// the double's range: 1e308 tokens made tokens/s infinite.
struct Bound {
  const char* key;
  double max;
};
constexpr Bound kBounds[] = {{"tokens", 1e15},
                             {"output_tokens", 1e15},
                             {"tokens_generated", 1e15},
                             {"tokens_per_second", 1e9},
                             {"duration_s", 1e9}};

double bound_of(const char* key) {
  for (const auto& bound : kBounds) {
    if (std::string_view(bound.key) == key) return bound.max;
  }
  return 1e15;
}

Expected<std::optional<double>> non_negative_number(const nlohmann::json& object, const char* key,
                                                    const std::string& file) {
  if (!object.contains(key) || object[key].is_null()) return std::optional<double>();
  const auto& value = object[key];
  const std::string shown = value.dump().substr(0, 40);
  if (!value.is_number()) return Error{std::string(key) + ": " + shown + " is not a number", file};
  const double number = value.get<double>();
  if (!std::isfinite(number) || number < 0) {
    return Error{std::string(key) + ": " + shown + " is not a non-negative number", file};
  }
  if (number > bound_of(key)) {
    return Error{fmt::format("{}: {} is not plausible (at most {:g})", key, shown, bound_of(key)),
                 file};
  }
  return std::optional<double>(number);
}

// The start of a text that is not JSON, on one line.
std::string excerpt(std::string_view text) {
  // `echo` leaves a newline at the end: not part of what the user wrote.
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  std::string out;
  for (char c : text.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  return "'" + out + (text.size() > 40 ? "...'" : "'");
}

}  // namespace

Expected<CommandResult> parse_command_result(std::string_view text, const std::string& file) {
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Error{"not valid JSON: " + excerpt(text), file};
  if (!document.is_object()) return Error{"expected a JSON object, got " + excerpt(text), file};
  CommandResult result;
  for (const char* key : {"tokens", "output_tokens", "tokens_generated"}) {
    auto tokens = non_negative_number(document, key, file);
    if (!tokens) return tokens.error();
    if (*tokens) {
      result.tokens = *tokens;
      result.tokens_source = key;
      break;
    }
  }
  auto rate = non_negative_number(document, "tokens_per_second", file);
  if (!rate) return rate.error();
  auto duration = non_negative_number(document, "duration_s", file);
  if (!duration) return duration.error();
  result.tokens_per_second = *rate;
  result.duration_s = *duration;
  if (!result.tokens && rate->has_value() && duration->has_value()) {
    result.tokens = **rate * **duration;
    result.tokens_source = "tokens_per_second x duration_s";
  }
  return result;
}

}  // namespace joulebench
