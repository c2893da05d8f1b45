#include "report/json_values.hpp"
#include "report/report_writers.hpp"

namespace joulebench::report {
namespace {

using json = nlohmann::ordered_json;

json figures_json(const ReportConfig& config) {
  json out = json::object();
  for (std::size_t m = 0; m < std::size(models::kAllMetrics); ++m) {
    const auto& stats = config.figures[m];
    json entry = {{"unit", models::metric_unit(models::kAllMetrics[m])},
                  {"n", stats.n},
                  {"mean", optional_json(stats.mean)},
                  {"ci_lower", optional_json(stats.ci_lower)},
                  {"ci_upper", optional_json(stats.ci_upper)},
                  {"cv", optional_json(stats.cv)}};
    if (stats.n == 0) entry["missing_reason"] = "no sample of the configuration has this figure";
    out[models::metric_key(models::kAllMetrics[m])] = std::move(entry);
  }
  return out;
}

json config_json(const Report& report, const ReportConfig& config) {
  json costs = json::array();
  for (std::size_t p = 0; p < report.prices_usd_per_kwh.size(); ++p) {
    costs.push_back(
        {{"usd_per_kwh", report.prices_usd_per_kwh[p]},
         {"usd_per_million_tokens", optional_json(config.energy_usd_per_million_tokens[p])}});
  }
  return {
      {"name", config.name},
      {"labels", config.labels},
      {"load", optional_json(config.load)},
      {"load_key", config.load_key.empty() ? json(nullptr) : json(config.load_key)},
      {"result_ids", config.result_ids},
      {"figures", figures_json(config)},
      {"energy_cost", std::move(costs)},
      {"energy_systematic_share", optional_json(config.samples.systematic_share)},
      {"validity",
       {{"valid", config.valid}, {"judged", config.judged}, {"reasons", config.invalid_reasons}}}};
}

json sources_json(const Report& report) {
  json out = json::array();
  for (const auto& source : report.sources) {
    out.push_back({{"id", source.id},
                   {"kind", source.kind},
                   {"start_time", source.start_time},
                   {"host", source.host},
                   {"tool_version", source.tool_version},
                   {"simulated", source.simulated},
                   {"hardware", source.hardware}});
  }
  return out;
}

}  // namespace

std::string report_json(const Report& report) {
  json configs = json::array();
  for (const auto& config : report.configs) configs.push_back(config_json(report, config));
  json traces = json::array();
  for (const auto& trace : report.traces) {
    traces.push_back(
        {{"source", trace.source}, {"devices", trace.devices}, {"windows", trace.windows.size()}});
  }
  const json out = {
      {"schema_version", kSchemaVersion},    {"kind", "report"},
      {"tool_version", report.tool_version}, {"prices_usd_per_kwh", report.prices_usd_per_kwh},
      {"label_keys", report.label_keys},     {"configurations", std::move(configs)},
      {"sources", sources_json(report)},     {"traces", std::move(traces)}};
  return out.dump(2) + "\n";
}

}  // namespace joulebench::report
