#include "report/cost_writers.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/json_values.hpp"
#include "report/text_table.hpp"

namespace joulebench::report {
namespace {

using json = nlohmann::ordered_json;

json break_even_json(const models::BreakEven& item) {
  return {{"api", item.api},
          {"api_usd_per_million_tokens", item.api_usd_per_million_tokens},
          {"million_tokens", optional_json(item.million_tokens)},
          {"months", optional_json(item.months)},
          {"reason", item.reason.empty() ? json(nullptr) : json(item.reason)}};
}

// value x (1 -+ share): the 95% interval of a figure proportional to J/token.
json scaled_interval(double value, const std::optional<double>& share) {
  if (!share) return nullptr;
  return {value * (1.0 - *share), value * (1.0 + *share)};
}

json scenario_json(const models::CostFigures& figures, const std::optional<double>& share) {
  json break_evens = json::array();
  for (const auto& item : figures.break_evens) break_evens.push_back(break_even_json(item));
  return {
      {"usd_per_kwh", figures.usd_per_kwh},
      {"wall_kwh_per_million_tokens", figures.kwh_per_million_tokens},
      {"energy_usd_per_million_tokens", figures.energy_usd_per_million_tokens},
      {"energy_usd_per_million_tokens_ci95",
       scaled_interval(figures.energy_usd_per_million_tokens, share)},
      {"energy_usd_per_hour", optional_json(figures.energy_usd_per_hour)},
      {"hardware_usd_per_hour", optional_json(figures.hardware_usd_per_hour)},
      {"hardware_usd_per_million_tokens", optional_json(figures.hardware_usd_per_million_tokens)},
      {"all_in_usd_per_million_tokens", optional_json(figures.all_in_usd_per_million_tokens)},
      {"break_even", std::move(break_evens)}};
}

json hardware_json(const std::optional<models::Hardware>& hardware) {
  if (!hardware) return nullptr;
  return {{"cost_usd", hardware->cost_usd},
          {"years", hardware->years},
          {"utilization", hardware->utilization}};
}

json carbon_json(const std::optional<models::CarbonFigures>& carbon,
                 const std::optional<double>& share) {
  if (!carbon) return nullptr;
  return {
      {"g_co2_per_kwh", carbon->g_co2_per_kwh},
      {"intensity_source", carbon->intensity_source},
      {"g_co2_per_million_tokens", carbon->g_co2_per_million_tokens},
      {"g_co2_per_million_tokens_ci95", scaled_interval(carbon->g_co2_per_million_tokens, share)},
      {"kg_co2_per_hour", optional_json(carbon->kg_co2_per_hour)}};
}

std::string usd(const std::optional<double>& value) {
  return value ? "$" + human_number(*value) : std::string("-");
}

std::string break_even_text(const models::BreakEven& item) {
  if (!item.million_tokens) return item.reason;
  std::string text = human_number(*item.million_tokens) + "M tokens";
  if (item.months) text += ", " + human_number(*item.months) + " months";
  return text;
}

}  // namespace

std::string cost_json(const CostReport& report) {
  json scenarios = json::array();
  for (const auto& scenario : report.scenarios)
    scenarios.push_back(scenario_json(scenario, report.relative_ci95));
  json out = {
      {"schema_version", kSchemaVersion},
      {"kind", "cost"},
      {"inputs",
       {{"taken_from", report.taken_from},
        {"j_per_token", report.j_per_token},
        {"j_per_token_ci95", scaled_interval(report.j_per_token, report.relative_ci95)},
        {"ci95_reason", report.relative_ci95 ? json(nullptr) : json(report.relative_ci95_reason)},
        {"tokens_per_s", optional_json(report.tokens_per_s)},
        {"facility", report.facility},
        {"facility_factor", report.facility_factor},
        {"hardware", hardware_json(report.hardware)},
        {"prices",
         report.default_prices ? "default scenarios ($0.10, $0.20, $0.30 per kWh)" : "given"}}},
      {"scenarios", std::move(scenarios)},
      {"carbon", carbon_json(report.carbon, report.relative_ci95)}};
  return out.dump(2) + "\n";
}

std::string cost_table(const CostReport& report) {
  std::string text = fmt::format("{:.4g} J/token at the GPUs ({}); facility: {}\n",
                                 report.j_per_token, report.taken_from, report.facility);
  if (report.relative_ci95) {
    text += fmt::format(
        "95% interval from the measured energy: +-{:.1f}% on J/token, energy cost and CO2\n",
        100.0 * *report.relative_ci95);
  }
  TextTable table({"$/kWh", "kWh/1M tok", "energy $/1M tok", "energy $/h", "hardware $/1M tok",
                   "all-in $/1M tok"});
  for (const auto& scenario : report.scenarios) {
    table.add_row({fmt::format("{:.3g}", scenario.usd_per_kwh),
                   format_number(scenario.kwh_per_million_tokens, 3),
                   usd(scenario.energy_usd_per_million_tokens), usd(scenario.energy_usd_per_hour),
                   usd(scenario.hardware_usd_per_million_tokens),
                   usd(scenario.all_in_usd_per_million_tokens)});
  }
  text += table.render();
  for (const auto& scenario : report.scenarios) {
    for (const auto& item : scenario.break_evens) {
      text +=
          fmt::format("break-even vs {} (${:g}/1M tokens) at ${:g}/kWh: {}\n", item.api,
                      item.api_usd_per_million_tokens, scenario.usd_per_kwh, break_even_text(item));
    }
  }
  if (report.carbon) {
    text += fmt::format("carbon: {:.4g} g CO2 per 1M tokens, {} kg CO2 per hour ({:g} g/kWh, {})\n",
                        report.carbon->g_co2_per_million_tokens,
                        format_number(report.carbon->kg_co2_per_hour, 4),
                        report.carbon->g_co2_per_kwh, report.carbon->intensity_source);
  }
  return text;
}

std::string estimate_json(const EstimateReport& report) {
  json rows = json::array();
  for (const auto& row : report.rows) {
    rows.push_back({{"batch", row.label.empty() ? json(nullptr) : json(row.label)},
                    {"tokens_per_s", row.tokens_per_s},
                    {"j_per_token_low", row.j_per_token_low},
                    {"j_per_token_high", row.j_per_token_high},
                    {"kwh_per_million_tokens_low", row.kwh_per_million_tokens_low},
                    {"kwh_per_million_tokens_high", row.kwh_per_million_tokens_high},
                    {"tokens_per_j_low", row.tokens_per_j_low},
                    {"tokens_per_j_high", row.tokens_per_j_high}});
  }
  json out = {{"schema_version", kSchemaVersion},
              {"kind", "estimate"},
              {"method", "J/token = power / tokens per second (no meter: an estimate)"},
              {"power",
               {{"low_w", report.power_low_w},
                {"high_w", report.power_high_w},
                {"basis", report.power_basis}}},
              {"rows", std::move(rows)}};
  return out.dump(2) + "\n";
}

std::string estimate_table(const EstimateReport& report) {
  const bool range = report.power_low_w != report.power_high_w;
  TextTable table({"batch", "tok/s", range ? "J/token (low - high)" : "J/token",
                   range ? "kWh/1M tok (low - high)" : "kWh/1M tok"});
  const auto pair = [range](double low, double high, int decimals) {
    return range ? format_number(low, decimals) + " - " + format_number(high, decimals)
                 : format_number(low, decimals);
  };
  for (const auto& row : report.rows) {
    table.add_row({row.label.empty() ? "-" : row.label, format_number(row.tokens_per_s, 1),
                   pair(row.j_per_token_low, row.j_per_token_high, 3),
                   pair(row.kwh_per_million_tokens_low, row.kwh_per_million_tokens_high, 3)});
  }
  return "estimate (no meter) from power " + report.power_basis + "\n" + table.render();
}

}  // namespace joulebench::report
