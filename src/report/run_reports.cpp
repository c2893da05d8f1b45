#include "report/run_reports.hpp"

#include <fmt/format.h>

#include "report/json_values.hpp"
#include "report/text_table.hpp"
#include "results/result_keys.hpp"
#include "results/result_kind.hpp"

#ifndef JOULEBENCH_VERSION
#define JOULEBENCH_VERSION "0.0.0-unknown"
#endif

namespace joulebench::report {

using json = nlohmann::ordered_json;
namespace keys = results::keys;

const char* tool_version() { return JOULEBENCH_VERSION; }

namespace {

json unavailable_json(const std::vector<SensorUnavailable>& unavailable) {
  json out = json::array();
  for (const auto& entry : unavailable) {
    out.push_back({{"sensor", entry.sensor}, {"reason", entry.reason}});
  }
  return out;
}

json dropped_json(const std::vector<DroppedDeviceRow>& dropped) {
  json out = json::array();
  for (const auto& entry : dropped) {
    out.push_back({{"id", entry.id}, {"kept", entry.kept_id}, {"reason", entry.reason}});
  }
  return out;
}

}  // namespace

json provenance_json(const Provenance& provenance) {
  return {
      {"tool", "joulebench"},
      {keys::tool_version, tool_version()},
      {keys::host, provenance.host},
      {"sensors", provenance.sensors},
      {"sensors_unavailable", unavailable_json(provenance.unavailable)},
      {keys::simulated, !provenance.replay_sources.empty()},
      {"replay_sources", provenance.replay_sources},
  };
}

namespace {

// The flat summary fields every energy report carries at its top level.
void add_summary_fields(json& out, const Measurement& measurement) {
  out[keys::duration_s] = measurement.duration_s;
  out[keys::energy_j] = optional_json(measurement.energy_j);
  out["energy_uncertainty"] = to_json(measurement.energy_uncertainty);
  out[keys::avg_power_w] = optional_json(measurement.avg_power_w);
  out["peak_power_w"] = optional_json(measurement.peak_power_w);
  json devices = json::array();
  for (const auto& device : measurement.devices) devices.push_back(to_json(device));
  out[keys::devices] = std::move(devices);
  out["warnings"] = measurement.warnings;
}

std::string dump(const json& document) { return document.dump(2) + "\n"; }

}  // namespace

std::string monitor_json(const MonitorReport& report) {
  json out = {{keys::schema_version, kSchemaVersion},
              {keys::kind, results::kind_name(results::ResultKind::monitor)},
              {keys::command, report.command},
              {keys::labels, report.labels},
              {keys::exit_code, report.exit_code},
              {keys::interrupted_by, optional_json(report.interrupted_by)},
              {keys::failed_because, optional_json(report.failed_because)},
              {keys::start_time, report.provenance.start_time},
              {"interval_s", optional_json(report.provenance.interval_s)}};
  add_summary_fields(out, report.run);
  json windows = json::array();
  for (const auto& window : report.windows) windows.push_back(to_json(window));
  out[keys::windows] = std::move(windows);
  out["missed_rounds"] = report.missed_rounds;
  out[keys::trace] = optional_json(report.trace_path);
  out[keys::provenance] = provenance_json(report.provenance);
  return dump(out);
}

std::string analyze_json(const AnalyzeReport& report) {
  json out = {{keys::schema_version, kSchemaVersion},
              {keys::kind, results::kind_name(results::ResultKind::analyze)},
              {"file", report.file},
              {"format", report.format},
              {"rows", report.rows},
              {"skipped_lines", report.skipped_lines},
              {"from_s", optional_json(report.from_s)},
              {"to_s", optional_json(report.to_s)},
              {keys::start_s, report.measurement.start_s}};
  add_summary_fields(out, report.measurement);
  // The power column used is part of the method: power.draw can be a 1 s average.
  std::string method_note = "offline analysis of a recorded trace";
  for (const auto& note : report.trace_notes) {
    if (note.starts_with("power_w from")) method_note += "; " + note;
  }
  out[keys::provenance] = {{"tool", "joulebench"},
                           {keys::tool_version, tool_version()},
                           {"method_note", method_note},
                           {"trace_notes", report.trace_notes}};
  return dump(out);
}

std::string devices_json(const DevicesReport& report) {
  json devices = json::array();
  for (const auto& device : report.devices) devices.push_back(to_json(device));
  json out = {{keys::schema_version, kSchemaVersion},
              {keys::kind, "devices"},
              {keys::tool_version, tool_version()},
              {"sensors_available", report.sensors_available},
              {"sensors_unavailable", unavailable_json(report.unavailable)},
              {"devices_dropped", dropped_json(report.dropped)},
              {keys::devices, std::move(devices)}};
  return dump(out);
}

std::string measurement_table(const Measurement& measurement) {
  TextTable table({"device", "name", "method", "energy J", "avg W", "peak W", "samples",
                   "temp C (max)", "util % (mean)"});
  for (const auto& device : measurement.devices) {
    table.add_row({device.device.id, device.device.name, to_string(device.method),
                   format_number(device.energy_j, 1), format_number(device.avg_power_w, 1),
                   format_number(device.peak_power_w, 1), std::to_string(device.samples),
                   format_number(device.temperature_c.max, 0),
                   format_number(device.gpu_utilization_pct.mean, 0)});
  }
  if (measurement.devices.size() > 1) {
    table.add_row({"total", "", "", format_number(measurement.energy_j, 1),
                   format_number(measurement.avg_power_w, 1),
                   format_number(measurement.peak_power_w, 1), "", "", ""});
  }
  std::string out = fmt::format("{}: {:.2f} s\n", measurement.name, measurement.duration_s);
  out += table.render();
  out += uncertainty_line(measurement);
  out += calibration_lines(measurement);
  for (const auto& warning : measurement.warnings) out += "warning: " + warning + "\n";
  return out;
}

std::string uncertainty_line(const Measurement& measurement) {
  const EnergyUncertainty& u = measurement.energy_uncertainty;
  if (!measurement.energy_j || !u.ci95_low_j || !u.ci95_high_j) return "";
  std::string sources;
  std::string unknown;
  for (const auto& device : measurement.devices) {
    for (const auto& source : device.energy_uncertainty.sources) {
      std::string& list = source.half_width_j ? sources : unknown;
      list += (list.empty() ? "" : ", ") + source.name;
      if (source.half_width_j) list += fmt::format(" +-{:.1f} J", *source.half_width_j);
      if (measurement.devices.size() > 1) list += " (" + device.device.id + ")";
    }
  }
  std::string out = fmt::format("energy 95%: {:.1f}-{:.1f} J ({})\n", *u.ci95_low_j, *u.ci95_high_j,
                                sources.empty() ? "no stated source" : sources);
  if (!unknown.empty()) out += "  not in the interval (unknown): " + unknown + "\n";
  return out;
}

std::string calibration_lines(const Measurement& measurement) {
  std::string out;
  for (const auto& device : measurement.devices) {
    if (!device.calibration || !device.raw_energy_j) continue;
    const AppliedCalibration& c = *device.calibration;
    out += fmt::format(
        "calibrated: {} {:.1f} J (95% {:.1f}-{:.1f} J), sensor {:.1f} J; gain {:.4f}, offset "
        "{:+.2f} W ({}, {})\n",
        device.device.id, c.energy_j, c.energy_ci95_low_j, c.energy_ci95_high_j,
        *device.raw_energy_j, c.gain, c.offset_w, c.meter, c.created_utc.substr(0, 10));
    for (const auto& note : c.notes) out += "  note: " + note + "\n";
  }
  return out;
}

std::string devices_table(const DevicesReport& report) {
  TextTable table({"device", "name", "power", "limit W", "energy counter", "unsupported"});
  for (const auto& device : report.devices) {
    std::string unsupported;
    for (const auto& [metric, capability] : device.capabilities) {
      if (capability.supported) continue;
      if (!unsupported.empty()) unsupported += ", ";
      unsupported += to_string(metric);
    }
    table.add_row({device.id, device.name, to_string(device.power_kind),
                   format_number(device.power_limit_w, 0),
                   device.supports(Metric::energy_counter) ? "yes" : "no",
                   unsupported.empty() ? "-" : unsupported});
  }
  std::string out = report.devices.empty() ? std::string() : table.render();
  for (const auto& entry : report.unavailable) {
    out += fmt::format("{}: unavailable: {}\n", entry.sensor, entry.reason);
  }
  for (const auto& entry : report.dropped) {
    out += fmt::format("{}: dropped: {}\n", entry.id, entry.reason);
  }
  return out;
}

}  // namespace joulebench::report
