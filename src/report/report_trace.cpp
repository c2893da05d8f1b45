#include "report/report_trace.hpp"

#include <fmt/format.h>

#include "store/json_fields.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench::report {
namespace {

using nlohmann::json;
using joulebench::number_at;

using Points = std::vector<std::pair<double, double>>;

// Averages runs of consecutive points so that at most kMaxTracePoints remain.
Points thin(const Points& points) {
  if (points.size() <= kMaxTracePoints) return points;
  const std::size_t per_bucket = (points.size() + kMaxTracePoints - 1) / kMaxTracePoints;
  Points out;
  for (std::size_t start = 0; start < points.size(); start += per_bucket) {
    const std::size_t end = std::min(points.size(), start + per_bucket);
    double time_s = 0.0;
    double power_w = 0.0;
    for (std::size_t i = start; i < end; ++i) {
      time_s += points[i].first;
      power_w += points[i].second;
    }
    const auto count = static_cast<double>(end - start);
    out.emplace_back(time_s / count, power_w / count);
  }
  return out;
}

std::optional<ReportWindow> window_at(const json& object, const std::string& name) {
  const auto start_s = number_at(object, "start_s");
  const auto duration_s = number_at(object, "duration_s");
  if (!start_s || !duration_s) return std::nullopt;
  return ReportWindow{*start_s, *start_s + *duration_s, name};
}

void add_run_windows(const json& document, std::vector<ReportWindow>& out) {
  const auto iterations = document.find("iterations");
  if (iterations == document.end() || !iterations->is_array()) return;
  for (const auto& iteration : *iterations) {
    if (iteration.value("warmup", false)) continue;
    const std::string name = fmt::format("iteration {}", iteration.value("index", 0) + 1);
    const json& windows = iteration.value("windows", json::array());
    for (const auto& window : windows) {
      if (auto found = window_at(window, name + ": " + window.value("name", ""))) out.push_back(*found);
    }
    if (windows.empty() || !windows.is_array()) {
      if (auto found = window_at(iteration.value("measurement", json::object()), name)) out.push_back(*found);
    }
  }
}

void add_level_windows(const json& document, std::vector<ReportWindow>& out) {
  const auto levels = document.find("levels");
  if (levels == document.end() || !levels->is_array()) return;
  for (const auto& level : *levels) {
    const bool closed_loop = level.contains("concurrency");
    const auto load = number_at(level, closed_loop ? "concurrency" : "rate");
    const std::string name = fmt::format("{} {:g}", closed_loop ? "concurrency" : "rate", load.value_or(0.0));
    if (auto found = window_at(level.value("measurement", json::object()), name)) out.push_back(*found);
  }
}

}  // namespace

Expected<ReportTrace> power_trace(std::string_view trace_csv, const std::string& source,
                                  std::vector<ReportWindow> windows) {
  auto trace = parse_trace(trace_csv, source, TraceParseOptions{});
  if (!trace) return trace.error();
  ReportTrace out{source, {}, {}, std::move(windows)};
  for (std::size_t d = 0; d < trace->devices.size(); ++d) {
    const auto& device = trace->devices[d];
    out.devices.push_back(device.name.empty() ? device.id : fmt::format("{} ({})", device.id, device.name));
    Points points;
    for (const auto& sample : trace->samples[d]) {
      if (sample.power_w) points.emplace_back(ns_to_s(sample.time_ns), *sample.power_w);
    }
    out.power_w.push_back(thin(points));
  }
  return out;
}

std::vector<ReportWindow> measured_windows(const ResultDocument& result) {
  std::vector<ReportWindow> out;
  const std::string kind = result.document.value("kind", "");
  if (kind == "run") add_run_windows(result.document, out);
  if (kind == "bench-openai") add_level_windows(result.document, out);
  return out;
}

}  // namespace joulebench::report
