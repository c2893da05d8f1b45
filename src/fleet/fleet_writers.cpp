#include "fleet/fleet_writers.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/json_values.hpp"
#include "report/markdown_text.hpp"
#include "report/svg_chart.hpp"
#include "report/text_table.hpp"

namespace joulebench::fleet {
namespace {

using json = nlohmann::ordered_json;
using report::optional_json;

// J/token as the seed prints it: two decimals below 10, one above.
std::string j_text(const std::optional<double>& j) {
  if (!j) return "-";
  return *j < 10.0 ? fmt::format("{:.2f}", *j) : fmt::format("{:.1f}", *j);
}

std::string tps_text(const ModelFigures& m) {
  if (!m.tokens_per_s) return "-";
  if (m.idle) return "~0";
  return fmt::format("{:.0f}", *m.tokens_per_s);
}

std::string j_cell(const ModelFigures& m) {
  if (m.j_per_token) return j_text(m.j_per_token);
  return m.idle ? "idle" : "-";
}

std::string num(const std::optional<double>& v, const char* spec) {
  return v ? fmt::format(fmt::runtime(spec), *v) : std::string("-");
}

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.0f}%", *v * 100.0) : std::string("-");
}

std::string flags_text(const ModelFigures& m) {
  std::string out;
  if (m.right_sizing.flagged)
    out += fmt::format("right-size to {}x", *m.right_sizing.suggested_gpus);
  if (m.consolidation.candidate) out += out.empty() ? "consolidate" : ", consolidate";
  return out.empty() ? "-" : out;
}

struct Cells {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

Cells summary_cells(const FleetReport& r) {
  Cells c{{"Model", "GPUs", "Power W", "tok/s", "J/token", "kg CO2/h", "Idle share", "Flags"}, {}};
  for (const auto& m : r.models) {
    c.rows.push_back({m.model, fmt::format("{}x {}", m.gpus, m.gpu_type),
                      num(m.mean_power_w, "{:.0f}"), tps_text(m), j_cell(m),
                      num(m.kg_co2_per_hour, "{:.3f}"), percent(m.idle_attribution.fraction),
                      flags_text(m)});
  }
  return c;
}

Cells idle_cells(const FleetReport& r) {
  Cells c{{"Model", "Idle W/GPU", "Source", "Idle share", "Idle kg CO2/h", "Productive kg CO2/h",
           "Note"},
          {}};
  for (const auto& m : r.models) {
    const auto& a = m.idle_attribution;
    c.rows.push_back({m.model, num(a.idle_w_per_gpu, "{:g}"), a.source.empty() ? "-" : a.source,
                      percent(a.fraction), num(a.idle_kg_co2_per_hour, "{:.3f}"),
                      num(a.productive_kg_co2_per_hour, "{:.3f}"),
                      a.reason.empty() ? "-" : a.reason});
  }
  return c;
}

Cells curve_cells(const FleetReport& r) {
  Cells c{{"Model", "tok/s bin", "Mean tok/s", "Mean W", "J/token", "Steps"}, {}};
  for (const auto& m : r.models) {
    for (const auto& b : m.curve.bins) {
      c.rows.push_back({m.model, fmt::format("{:g}-{:g}", b.tokens_per_s_low, b.tokens_per_s_high),
                        fmt::format("{:.0f}", b.mean_tokens_per_s),
                        fmt::format("{:.0f}", b.mean_power_w), j_text(b.j_per_token),
                        std::to_string(b.points)});
    }
  }
  return c;
}

std::string curve_verdict(const ModelFigures& m) {
  if (m.curve.diminishing_from_tokens_per_s) {
    return fmt::format("{}: returns diminish above {:.0f} tok/s", m.model,
                       *m.curve.diminishing_from_tokens_per_s);
  }
  return fmt::format("{}: {}", m.model, m.curve.reason);
}

std::string right_size_line(const ModelFigures& m, const FleetReport& r) {
  const auto& s = m.right_sizing;
  std::string co2 =
      s.kg_co2_saved_per_month ? fmt::format(", {:.1f} kg CO2", *s.kg_co2_saved_per_month) : "";
  (void)r;
  return fmt::format(
      "{} on {}x {} -> {}x: J/token {} -> {}, saves {:.0f} W = {:.1f} kWh, ${:.2f}{} a month ({})",
      m.model, m.gpus, m.gpu_type, *s.suggested_gpus, j_text(m.j_per_token),
      j_text(s.j_per_token_after), *s.power_saved_w, *s.kwh_saved_per_month, *s.usd_saved_per_month,
      co2, s.reason);
}

std::string consolidation_line(const ModelFigures& m) {
  const auto& c = m.consolidation;
  std::string line = fmt::format("{} on {}x {}: {}", m.model, m.gpus, m.gpu_type, c.reason);
  if (c.kwh_saved_per_month) {
    line += fmt::format("; scale to zero saves {:.1f} kWh, ${:.2f}", *c.kwh_saved_per_month,
                        *c.usd_saved_per_month);
    if (c.kg_co2_saved_per_month) line += fmt::format(", {:.1f} kg CO2", *c.kg_co2_saved_per_month);
    line += " a month";
  }
  if (!c.share_with.empty()) line += "; could share the allocation of " + c.share_with;
  return line;
}

std::vector<std::string> notes_of(const FleetReport& r) {
  std::vector<std::string> out;
  for (const auto& warning : r.warnings) out.push_back("warning: " + warning);
  out.insert(out.end(), r.notes.begin(), r.notes.end());
  for (const auto& m : r.models) {
    for (const auto& note : m.notes) out.push_back(m.model + ": " + note);
    if (!m.j_per_token && !m.idle && !m.j_per_token_reason.empty())
      out.push_back(m.model + ": J/token null: " + m.j_per_token_reason);
    if (!m.right_sizing.flagged && !m.idle && !m.right_sizing.reason.empty()) {
      out.push_back(m.model + ": not right-sized: " + m.right_sizing.reason);
    }
  }
  return out;
}

std::string assumptions(const FleetReport& r) {
  const auto& t = r.thresholds;
  return fmt::format(
      "Power is the GPUs' draw only (no PUE). Idle: below {:g} tok/s; consolidation: idle for >= "
      "{:.0f}% of the steps, "
      "month = {:g} h, ${:.2f}/kWh. Returns diminish where J/token improves by less than {:.0f}% "
      "per doubling of tok/s. "
      "Right-sizing keeps peak load under {:.0f}% of the boards' dynamic range on a power-of-two "
      "GPU count that holds "
      "the model, and assumes the work's dynamic power is unchanged: each GPU given back saves its "
      "idle draw.",
      t.idle_tokens_per_s, t.idle_share * 100.0, kHoursPerMonth, t.usd_per_kwh,
      t.diminishing_gain * 100.0, t.max_load * 100.0);
}

std::string grid_line(const FleetReport& r) {
  if (!r.g_co2_per_kwh)
    return "Grid: none given (CO2 figures null; use --grid-gco2-kwh or --region)";
  return fmt::format("Grid: {:g} g CO2/kWh ({})", *r.g_co2_per_kwh, r.intensity_source);
}

std::string received_line(const FleetReport& r) {
  return fmt::format("Received {} series, {} points from {}", r.series_received, r.points_received,
                     r.source);
}

std::string md_table(const Cells& c) {
  const auto escape = [](const std::string& s) { return report::md_cell(s); };
  std::string out = "|";
  for (const auto& h : c.headers) out += " " + escape(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < c.headers.size(); ++i) out += i == 0 ? " --- |" : " ---: |";
  out += "\n";
  for (const auto& row : c.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + escape(cell) + " |";
    out += "\n";
  }
  return out;
}

std::string text_table(const Cells& c) {
  report::TextTable table(c.headers);
  for (const auto& row : c.rows) table.add_row(row);
  return table.render();
}

std::string html_table(const Cells& c) {
  std::string out = "<table>\n<tr>";
  for (const auto& h : c.headers) out += "<th>" + report::xml_escape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : c.rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + report::xml_escape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

json curve_json(const EfficiencyCurve& curve) {
  json bins = json::array();
  for (const auto& b : curve.bins) {
    bins.push_back({{"tokens_per_s_low", b.tokens_per_s_low},
                    {"tokens_per_s_high", b.tokens_per_s_high},
                    {"mean_tokens_per_s", b.mean_tokens_per_s},
                    {"mean_power_w", b.mean_power_w},
                    {"j_per_token", b.j_per_token},
                    {"steps", b.points}});
  }
  return {{"bins", std::move(bins)},
          {"diminishing_from_tokens_per_s", optional_json(curve.diminishing_from_tokens_per_s)},
          {"reason", curve.reason.empty() ? json(nullptr) : json(curve.reason)}};
}

json reason_json(const std::string& reason) {
  return reason.empty() ? json(nullptr) : json(reason);
}

}  // namespace

std::string fleet_table(const FleetReport& r) {
  std::string out = text_table(summary_cells(r));
  out +=
      "\nIdle attribution (idle share = GPUs x idle W / measured W)\n" + text_table(idle_cells(r));
  out += "\nEfficiency curve (J/token per doubling of tok/s)\n";
  if (!curve_cells(r).rows.empty()) out += text_table(curve_cells(r));
  for (const auto& m : r.models) {
    if (!m.idle) out += "  " + curve_verdict(m) + "\n";
  }
  out += "\nRight-sizing\n";
  bool any = false;
  for (const auto& m : r.models) {
    if (m.right_sizing.flagged) out += "  " + right_size_line(m, r) + "\n", any = true;
  }
  if (!any) out += "  none flagged\n";
  out += "\nConsolidation candidates\n";
  any = false;
  for (const auto& m : r.models) {
    if (m.consolidation.candidate) out += "  " + consolidation_line(m) + "\n", any = true;
  }
  if (!any) out += "  none\n";
  const auto notes = notes_of(r);
  if (!notes.empty()) {
    out += "\nNotes\n";
    for (const auto& note : notes) out += "  " + note + "\n";
  }
  out += "\n" + grid_line(r) + "\n" + assumptions(r) + "\n" + received_line(r) + "\n";
  return out;
}

std::string fleet_markdown(const FleetReport& r) {
  std::string out = "# Fleet efficiency\n\n" + md_table(summary_cells(r));
  out += "\n## Idle attribution\n\nIdle share = GPUs x idle W per GPU / measured W.\n\n" +
         md_table(idle_cells(r));
  out += "\n## Efficiency curve\n\n";
  if (!curve_cells(r).rows.empty()) out += md_table(curve_cells(r)) + "\n";
  for (const auto& m : r.models) {
    if (!m.idle) out += "- " + report::md_text(curve_verdict(m)) + "\n";
  }
  out += "\n## Right-sizing\n\n";
  bool any = false;
  for (const auto& m : r.models) {
    if (m.right_sizing.flagged)
      out += "- " + report::md_text(right_size_line(m, r)) + "\n", any = true;
  }
  if (!any) out += "None flagged.\n";
  out += "\n## Consolidation candidates\n\n";
  any = false;
  for (const auto& m : r.models) {
    if (m.consolidation.candidate)
      out += "- " + report::md_text(consolidation_line(m)) + "\n", any = true;
  }
  if (!any) out += "None.\n";
  const auto notes = notes_of(r);
  if (!notes.empty()) {
    out += "\n## Notes\n\n";
    for (const auto& note : notes) out += "- " + report::md_text(note) + "\n";
  }
  out += "\n" + report::md_text(grid_line(r)) + "\n\n" + report::md_text(assumptions(r)) + "\n\n" +
         report::md_text(received_line(r)) + "\n";
  return out;
}

std::string fleet_html(const FleetReport& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Fleet "
      "efficiency</title>\n"
      "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;"
      "margin:1em 0}"
      "td,th{border:1px solid #ccc;padding:.25em "
      ".6em;text-align:right}td:first-child,th:first-child{text-align:left}</style>\n"
      "</head>\n<body>\n<h1>Fleet efficiency</h1>\n";
  out += html_table(summary_cells(r));
  out += "<h2>Idle attribution</h2>\n<p>Idle share = GPUs x idle W per GPU / measured W.</p>\n" +
         html_table(idle_cells(r));
  out += "<h2>Efficiency curve</h2>\n";
  std::vector<report::ChartSeries> series;
  for (const auto& m : r.models) {
    report::ChartSeries s{m.model, {}};
    for (const auto& b : m.curve.bins) s.points.push_back({b.mean_tokens_per_s, b.j_per_token});
    if (!s.points.empty()) series.push_back(std::move(s));
  }
  if (!series.empty()) {
    out +=
        report::scatter_chart({"chart-fleet-curve", "J/token against throughput",
                               "tokens/s (bin mean)", "J/token", 0.0, /*log_y_from_factor=*/10.0},
                              series, true);
    out += "\n";
  }
  out += "<ul>\n";
  for (const auto& m : r.models) {
    if (!m.idle) out += "<li>" + report::xml_escape(curve_verdict(m)) + "</li>\n";
  }
  out += "</ul>\n<h2>Right-sizing</h2>\n<ul>\n";
  for (const auto& m : r.models) {
    if (m.right_sizing.flagged)
      out += "<li>" + report::xml_escape(right_size_line(m, r)) + "</li>\n";
  }
  out += "</ul>\n<h2>Consolidation candidates</h2>\n<ul>\n";
  for (const auto& m : r.models) {
    if (m.consolidation.candidate)
      out += "<li>" + report::xml_escape(consolidation_line(m)) + "</li>\n";
  }
  out += "</ul>\n";
  const auto notes = notes_of(r);
  if (!notes.empty()) {
    out += "<h2>Notes</h2>\n<ul>\n";
    for (const auto& note : notes) out += "<li>" + report::xml_escape(note) + "</li>\n";
    out += "</ul>\n";
  }
  out += "<p>" + report::xml_escape(grid_line(r)) + "</p>\n<p>" +
         report::xml_escape(assumptions(r)) + "</p>\n<p>" + report::xml_escape(received_line(r)) +
         "</p>\n</body>\n</html>\n";
  return out;
}

std::string fleet_json(const FleetReport& r) {
  json models = json::array();
  for (const auto& m : r.models) {
    const auto& a = m.idle_attribution;
    const auto& s = m.right_sizing;
    const auto& c = m.consolidation;
    models.push_back({{"model", m.model},
                      {"gpu_type", m.gpu_type},
                      {"gpus", m.gpus},
                      {"mean_power_w", optional_json(m.mean_power_w)},
                      {"tokens_per_s", optional_json(m.tokens_per_s)},
                      {"peak_tokens_per_s", optional_json(m.peak_tokens_per_s)},
                      {"j_per_token", optional_json(m.j_per_token)},
                      {"j_per_token_reason", reason_json(m.j_per_token_reason)},
                      {"idle", m.idle},
                      {"kg_co2_per_hour", optional_json(m.kg_co2_per_hour)},
                      {"kg_co2_per_hour_reason", reason_json(m.co2_reason)},
                      {"idle_attribution",
                       {{"idle_w_per_gpu", optional_json(a.idle_w_per_gpu)},
                        {"source", reason_json(a.source)},
                        {"idle_fraction", optional_json(a.fraction)},
                        {"idle_kg_co2_per_hour", optional_json(a.idle_kg_co2_per_hour)},
                        {"productive_kg_co2_per_hour", optional_json(a.productive_kg_co2_per_hour)},
                        {"reason", reason_json(a.reason)}}},
                      {"efficiency_curve", curve_json(m.curve)},
                      {"right_sizing",
                       {{"flagged", s.flagged},
                        {"suggested_gpus", optional_json(s.suggested_gpus)},
                        {"peak_load", optional_json(s.peak_load)},
                        {"j_per_token_after", optional_json(s.j_per_token_after)},
                        {"power_saved_w", optional_json(s.power_saved_w)},
                        {"kwh_saved_per_month", optional_json(s.kwh_saved_per_month)},
                        {"usd_saved_per_month", optional_json(s.usd_saved_per_month)},
                        {"kg_co2_saved_per_month", optional_json(s.kg_co2_saved_per_month)},
                        {"reason", reason_json(s.reason)}}},
                      {"consolidation",
                       {{"candidate", c.candidate},
                        {"idle_share", optional_json(c.idle_share)},
                        {"kwh_saved_per_month", optional_json(c.kwh_saved_per_month)},
                        {"usd_saved_per_month", optional_json(c.usd_saved_per_month)},
                        {"kg_co2_saved_per_month", optional_json(c.kg_co2_saved_per_month)},
                        {"share_with", reason_json(c.share_with)},
                        {"reason", reason_json(c.reason)}}},
                      {"steps", m.points},
                      {"notes", m.notes}});
  }
  const auto& t = r.thresholds;
  json doc = {{"schema_version", report::kSchemaVersion},
              {"kind", "fleet"},
              {"source", r.source},
              {"power_source", reason_json(r.power_source)},
              {"g_co2_per_kwh", optional_json(r.g_co2_per_kwh)},
              {"intensity_source", reason_json(r.intensity_source)},
              {"usd_per_kwh", t.usd_per_kwh},
              {"hours_per_month", kHoursPerMonth},
              {"thresholds",
               {{"idle_tokens_per_s", t.idle_tokens_per_s},
                {"idle_share", t.idle_share},
                {"diminishing_gain_per_doubling", t.diminishing_gain},
                {"max_load", t.max_load}}},
              {"models", std::move(models)},
              {"notes", r.notes},
              {"warnings", r.warnings},
              {"series_received", r.series_received},
              {"points_received", r.points_received}};
  return doc.dump(2) + "\n";
}

}  // namespace joulebench::fleet
