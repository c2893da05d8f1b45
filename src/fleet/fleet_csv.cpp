// The fleet report as CSV: one row per model with the headline figures, for spreadsheets and
// scripts (the curve and the notes stay in JSON). Empty cells are missing figures; the reason
// is in the JSON and the table.
#include "fleet/fleet_writers.hpp"
#include "report/csv_text.hpp"

namespace joulebench::fleet {

std::string fleet_csv(const FleetReport& fleet_report) {
  using report::csv_number;
  report::CsvText csv({"model", "gpu_type", "gpus", "mean_power_w", "tokens_per_s",
                       "peak_tokens_per_s", "j_per_token", "idle", "kg_co2_per_hour",
                       "idle_fraction_of_power", "right_sizing_suggested_gpus",
                       "right_sizing_usd_saved_per_month", "consolidation_candidate",
                       "consolidation_usd_saved_per_month"});
  for (const ModelFigures& model : fleet_report.models) {
    const auto& sizing = model.right_sizing;
    csv.add_row(
        {model.model, model.gpu_type, std::to_string(model.gpus), csv_number(model.mean_power_w),
         csv_number(model.tokens_per_s), csv_number(model.peak_tokens_per_s),
         csv_number(model.j_per_token), model.idle ? "true" : "false",
         csv_number(model.kg_co2_per_hour), csv_number(model.idle_attribution.fraction),
         sizing.suggested_gpus ? std::to_string(*sizing.suggested_gpus) : "",
         csv_number(sizing.usd_saved_per_month), model.consolidation.candidate ? "true" : "false",
         csv_number(model.consolidation.usd_saved_per_month)});
  }
  return csv.text();
}

}  // namespace joulebench::fleet
