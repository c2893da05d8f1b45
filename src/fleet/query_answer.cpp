#include "fleet/query_answer.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

namespace joulebench::fleet {
namespace {

using json = nlohmann::json;

// One [time, "value"] pair. Returns false when it is malformed; `value` is NaN for a
// non-finite sample, which the caller counts and drops.
bool read_pair(const json& pair, double& time_s, double& value) {
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string()) return false;
  time_s = pair[0].get<double>();
  if (!std::isfinite(time_s)) return false;
  const auto& text = pair[1].get_ref<const std::string&>();
  if (text == "NaN" || text == "+Inf" || text == "-Inf" || text == "Inf") {
    value = std::nan("");
    return true;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return false;
  if (!std::isfinite(value)) value = std::nan("");
  return true;
}

}  // namespace

Expected<QueryAnswer> parse_query_answer(std::string_view body, const std::string& origin) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) return Error{"the answer is not JSON (is this a Prometheus API URL?)", origin};
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
    return Error{"the answer has no \"status\" (is this a Prometheus API URL?)", origin};
  }
  if (doc["status"] != "success") {
    std::string message = "Prometheus answered status \"" + doc["status"].get<std::string>() + "\"";
    if (doc.contains("errorType") && doc["errorType"].is_string()) message += " (" + doc["errorType"].get<std::string>() + ")";
    if (doc.contains("error") && doc["error"].is_string()) message += ": " + doc["error"].get<std::string>();
    return Error{message, origin};
  }
  const auto data = doc.find("data");
  if (data == doc.end() || !data->is_object() || !data->contains("resultType") || !(*data)["resultType"].is_string() ||
      !data->contains("result") || !(*data)["result"].is_array()) {
    return Error{"the answer has no data.resultType / data.result", origin};
  }
  const auto& type = (*data)["resultType"].get_ref<const std::string&>();
  if (type != "matrix" && type != "vector") {
    return Error{"expected a matrix or vector result, got \"" + type + "\"", origin};
  }
  QueryAnswer answer;
  if (auto warnings = doc.find("warnings"); warnings != doc.end() && warnings->is_array()) {
    for (const auto& warning : *warnings) {
      if (warning.is_string()) answer.warnings.push_back(warning.get<std::string>());
    }
  }
  std::size_t index = 0;
  for (const auto& item : (*data)["result"]) {
    const std::string where = "result[" + std::to_string(index++) + "]";
    if (!item.is_object() || !item.contains("metric") || !item["metric"].is_object()) {
      return Error{where + " has no \"metric\" object", origin};
    }
    AnswerSeries series;
    for (const auto& [key, value] : item["metric"].items()) {
      if (!value.is_string()) return Error{where + ": label '" + key + "' is not a string", origin};
      series.labels[key] = value.get<std::string>();
    }
    std::vector<const json*> pairs;
    if (type == "matrix") {
      if (!item.contains("values") || !item["values"].is_array()) return Error{where + " has no \"values\" array", origin};
      for (const auto& pair : item["values"]) pairs.push_back(&pair);
    } else {
      if (!item.contains("value")) return Error{where + " has no \"value\"", origin};
      pairs.push_back(&item["value"]);
    }
    for (const json* pair : pairs) {
      double time_s = 0.0, value = 0.0;
      if (!read_pair(*pair, time_s, value)) return Error{where + ": a sample is not [time, \"number\"]", origin};
      if (std::isnan(value)) {
        ++series.non_finite;
        continue;
      }
      if (!series.points.empty() && time_s <= series.points.back().first) {
        return Error{where + ": sample times do not increase", origin};
      }
      series.points.emplace_back(time_s, value);
    }
    answer.series.push_back(std::move(series));
  }
  return answer;
}

}  // namespace joulebench::fleet
