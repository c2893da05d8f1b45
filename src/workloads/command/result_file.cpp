#include "workloads/command/result_file.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace joulebench {
namespace {

Expected<std::optional<double>> non_negative_number(const nlohmann::json& object, const char* key,
                                                    const std::string& file) {
  if (!object.contains(key) || object[key].is_null()) return std::optional<double>();
  const auto& value = object[key];
  if (!value.is_number()) return Error{std::string(key) + ": expected a number", file};
  const double number = value.get<double>();
  if (!std::isfinite(number) || number < 0) {
    return Error{std::string(key) + ": expected a non-negative number", file};
  }
  return std::optional<double>(number);
}

}  // namespace

Expected<CommandResult> parse_command_result(std::string_view text, const std::string& file) {
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Error{"not valid JSON", file};
  if (!document.is_object()) return Error{"expected a JSON object", file};
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
