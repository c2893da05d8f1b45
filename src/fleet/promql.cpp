#include "fleet/promql.hpp"

#include <fmt/format.h>

namespace joulebench::fleet {
namespace {

// `metric` restricted to each entry's hosts (and GPUs), relabelled with the entry's model,
// all joined with `or` (the model labels differ, so nothing is dropped). With a
// `rate_window`, the rate of the counter over it.
std::string mapped(const std::vector<ModelEntry>& entries, std::string_view metric,
                   const std::string& rate_window = "") {
  std::string out;
  for (const auto& entry : entries) {
    if (entry.hosts.empty()) continue;
    std::string matchers = "hostname=~\"" + promql_string(regex_alternatives(entry.hosts)) + "\"";
    if (!entry.gpu_indices.empty())
      matchers += ",gpu=~\"" + promql_string(regex_alternatives(entry.gpu_indices)) + "\"";
    if (!out.empty()) out += " or ";
    std::string selector = fmt::format("{}{{{}}}", metric, matchers);
    if (!rate_window.empty()) selector = "rate(" + selector + "[" + rate_window + "])";
    out += fmt::format("label_replace({}, \"model\", \"{}\", \"\", \"\")", selector,
                       promql_string(entry.model));
  }
  return out;
}

// Power per model from the energy counter's rate where a GPU has one, else the gauge; the
// `source` label says which (no GPU is in both: `unless` drops the gauge of a counted GPU).
std::string power_query(const std::string& counter_rate, const std::string& gauge,
                        const std::string& counter) {
  return "sum by (model, source) (label_replace(" + counter_rate +
         ", \"source\", \"counter\", \"\", \"\") or " + "label_replace(" + gauge + " unless " +
         counter + ", \"source\", \"gauge\", \"\", \"\"))";
}

}  // namespace

std::string scrape_samples_query(std::string_view gauge, const std::string& lookback) {
  return "max(count_over_time(" + std::string(gauge) + "[" + lookback + "]))";
}

std::string regex_alternatives(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += '|';
    out += regex_quote(value);
  }
  return out;
}

std::string regex_quote(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string promql_string(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

FleetQueries fleet_queries(const std::vector<ModelEntry>& entries, const std::string& rate_window,
                           const std::string& range) {
  FleetQueries q;
  const std::string power(kPowerGauge);
  const std::string counter(kEnergyCounter);
  if (entries.empty()) {
    const std::string labelled = "{model!=\"\"}";
    q.power = power_query("rate(" + counter + labelled + "[" + rate_window + "])", power + labelled,
                          counter + labelled);
    q.allocation = "count by (model, name) (" + power + "{model!=\"\"})";
    q.tokens = "sum by (model) (rate(joulebench_tokens_total{model!=\"\"}[" + rate_window + "]))";
  } else {
    const std::string selected = mapped(entries, power);
    q.power = power_query("(" + mapped(entries, counter, rate_window) + ")", "(" + selected + ")",
                          "(" + mapped(entries, counter) + ")");
    q.allocation = "count by (model, name) (" + selected + ")";
    std::vector<std::string> names;
    for (const auto& entry : entries) names.push_back(entry.model);
    q.tokens = "sum by (model) (rate(joulebench_tokens_total{model=~\"" +
               promql_string(regex_alternatives(names)) + "\"}[" + rate_window + "]))";
  }
  q.idle = "avg by (name) (avg_over_time(joulebench_gpu_idle_power_watts[" + range + "]))";
  return q;
}

std::string query_range_url(const std::string& base_url, const std::string& expr,
                            std::int64_t start_s, std::int64_t end_s, std::int64_t step_s) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return fmt::format("{}/api/v1/query_range?query={}&start={}&end={}&step={}", base,
                     url_encode(expr), start_s, end_s, step_s);
}

std::string query_url(const std::string& base_url, const std::string& expr, std::int64_t time_s) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return fmt::format("{}/api/v1/query?query={}&time={}", base, url_encode(expr), time_s);
}

}  // namespace joulebench::fleet
