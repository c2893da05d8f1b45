#include "report/report_trace.hpp"

#include <fmt/format.h>

#include "sensors/replay/trace.hpp"

namespace joulebench::report {
namespace {

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

std::optional<ReportWindow> window_at(const std::optional<Seconds>& start_s,
                                      const std::optional<Seconds>& duration_s,
                                      const std::string& name) {
  if (!start_s || !duration_s) return std::nullopt;
  return ReportWindow{start_s->value, (*start_s + *duration_s).value, name};
}

// A run's command windows, or the whole measured iteration where it marked none.
void add_run_windows(const results::ResultView& result, std::vector<ReportWindow>& out) {
  if (!result.iterations) return;
  for (const auto& iteration : *result.iterations) {
    if (iteration.warmup) continue;
    const std::string name = fmt::format("iteration {}", iteration.index.value_or(0) + 1);
    for (const auto& window : iteration.windows) {
      if (auto found = window_at(window.start_s, window.duration_s, name + ": " + window.name))
        out.push_back(*found);
    }
    if (!iteration.windows.empty()) continue;
    const auto& measurement = iteration.measurement;
    if (auto found = window_at(measurement.start_s, measurement.duration_s, name))
      out.push_back(*found);
  }
}

void add_level_windows(const results::ResultView& result, std::vector<ReportWindow>& out) {
  if (!result.levels) return;
  for (const auto& level : *result.levels) {
    const std::string name =
        fmt::format("{} {:g}", results::load_mode_name(level.mode), level.load.value_or(0.0));
    const auto& measurement = level.measurement;
    if (auto found = window_at(measurement.start_s, measurement.duration_s, name))
      out.push_back(*found);
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
    out.devices.push_back(device.name.empty() ? device.id
                                              : fmt::format("{} ({})", device.id, device.name));
    Points points;
    for (const auto& sample : trace->samples[d]) {
      if (sample.power_w) points.emplace_back(ns_to_s(sample.time_ns), *sample.power_w);
    }
    out.power_w.push_back(thin(points));
  }
  return out;
}

std::vector<ReportWindow> measured_windows(const results::ResultView& result) {
  std::vector<ReportWindow> out;
  if (result.kind == results::ResultKind::run) add_run_windows(result, out);
  if (result.kind == results::ResultKind::bench_openai) add_level_windows(result, out);
  return out;
}

}  // namespace joulebench::report
