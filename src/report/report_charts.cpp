#include "report/report_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/svg_chart.hpp"

namespace joulebench::report {
namespace {

using models::Metric;

std::string no_chart(const std::string& id, const std::string& sentence) {
  return fmt::format(R"(<p id="{}" class="jb-no-chart">{}</p>)", id, xml_escape(sentence));
}

std::string figure(const std::string& svg, const std::string& caption) {
  return "<figure>" + svg + "<figcaption>" + xml_escape(caption) + "</figcaption></figure>\n";
}

// The series a configuration belongs to in load charts: its varied labels other than the load.
std::string series_key(const Report& report, const ReportConfig& config) {
  std::string key;
  for (const auto& name : report.label_keys) {
    if (name == config.load_key) continue;
    const auto found = config.labels.find(name);
    if (found != config.labels.end()) key += (key.empty() ? "" : " ") + name + "=" + found->second;
  }
  return key.empty() ? "all" : key;
}

// What a point is, written beside it: the level ("c=16", "rate=2", "batch=8") where the
// configuration has one, else its name.
std::string point_label(const ReportConfig& config) {
  if (!config.load) return config.name;
  const std::string key = config.load_key == "concurrency" ? "c" : config.load_key;
  return fmt::format("{}={:g}", key, *config.load);
}

// A configuration with a verdict that is not valid throughout (a level, or any pooled run).
bool not_valid(const ReportConfig& config) {
  return config.judged > 0 && config.valid < config.judged;
}

ChartPoint point_of(const ReportConfig& config, double x, double y) {
  return {x, y, point_label(config), not_valid(config)};
}

ChartSeries& series_named(std::vector<ChartSeries>& series, const std::string& name) {
  for (auto& one : series) {
    if (one.name == name) return one;
  }
  series.push_back({name, {}});
  return series.back();
}

}  // namespace

std::string power_charts(const Report& report) {
  if (report.traces.empty()) {
    return no_chart(
        "chart-power-missing",
        "No power trace was recorded for these results, so there is no power-over-time chart "
        "(store the run with its trace, or pass --trace FILE).");
  }
  std::string out;
  for (std::size_t t = 0; t < report.traces.size(); ++t) {
    const auto& trace = report.traces[t];
    std::vector<ChartSeries> series;
    for (std::size_t d = 0; d < trace.devices.size(); ++d) {
      ChartSeries one{trace.devices[d], {}};
      for (const auto& [time_s, power_w] : trace.power_w[d])
        one.points.push_back({time_s, power_w});
      series.push_back(std::move(one));
    }
    std::vector<ChartBand> bands;
    for (const auto& window : trace.windows)
      bands.push_back({window.start_s, window.end_s, window.name});
    const ChartFrame frame{fmt::format("chart-power-{}", t), "Power over time: " + trace.source,
                           "time (s)", "power (W)"};
    out += figure(line_chart(frame, series, bands),
                  fmt::format("GPU power of {}; shaded: the {} measured window(s).", trace.source,
                              bands.size()));
  }
  return out;
}

// One x axis: the load kind (concurrency, batch, rate) that most configurations have, the
// first such on a tie.
std::string most_common_load_key(const Report& report) {
  std::map<std::string, std::size_t> counts;
  std::string best;
  for (const auto& config : report.configs) {
    if (!config.load || config.load_key.empty()) continue;
    const std::size_t count = ++counts[config.load_key];
    if (best.empty() || count > counts[best]) best = config.load_key;
  }
  return best;
}

std::string j_per_token_load_chart(const Report& report) {
  std::vector<ChartSeries> series;
  const std::string load_key = most_common_load_key(report);
  for (const auto& config : report.configs) {
    const auto& j_per_token = config.figure(Metric::j_per_output_token).mean;
    if (!config.load || !j_per_token || config.load_key != load_key) continue;
    series_named(series, series_key(report, config))
        .points.push_back(point_of(config, *config.load, *j_per_token));
  }
  if (series.empty()) {
    return no_chart(
        "chart-j-per-token-load-missing",
        "No configuration has a concurrency, batch or rate (a bench-openai level or a label), "
        "so J/token cannot be drawn against load.");
  }
  // Levels such as 1..64 span a factor of 8 or more: a log axis keeps the small ones apart.
  const ChartFrame frame{"chart-j-per-token-load", "Energy per token against " + load_key, load_key,
                         "J/token", 8.0};
  return figure(scatter_chart(frame, series, true),
                "Mean J/token of each configuration; lower is better; an open ring is not a valid "
                "measurement.");
}

std::string throughput_energy_chart(const Report& report) {
  std::vector<ChartSeries> series;
  for (const auto& config : report.configs) {
    const auto& j_per_token = config.figure(Metric::j_per_output_token).mean;
    const auto& tokens_per_s = config.figure(Metric::output_tokens_per_s).mean;
    if (!j_per_token || !tokens_per_s) continue;
    series_named(series, series_key(report, config))
        .points.push_back(point_of(config, *j_per_token, *tokens_per_s));
  }
  if (series.empty()) {
    return no_chart("chart-throughput-energy-missing",
                    "No configuration has both J/token and throughput.");
  }
  const ChartFrame frame{"chart-throughput-energy", "Throughput against energy per token",
                         "J/token", "output tokens/s"};
  return figure(scatter_chart(frame, series, false),
                "Each point is a configuration; up and to the left is faster and more efficient.");
}

std::string energy_config_chart(const Report& report) {
  std::vector<ChartBar> bars;
  std::size_t with_figure = 0;
  for (const auto& config : report.configs) {
    const auto& stats = config.figure(Metric::j_per_output_token);
    if (!stats.mean) continue;
    if (++with_figure > kMaxBars) continue;
    bars.push_back({config.name, *stats.mean, stats.ci_lower, stats.ci_upper});
  }
  if (bars.empty())
    return no_chart("chart-energy-config-missing", "No configuration has a J/token.");
  const ChartFrame frame{"chart-energy-config", "Energy per token by configuration",
                         "configuration", "J/token"};
  std::string caption = "Mean J/token; whiskers: 95% confidence interval of the mean (n >= 2).";
  if (with_figure > bars.size())
    caption +=
        fmt::format(" The first {} of {} configurations are shown.", bars.size(), with_figure);
  return figure(bar_chart(frame, bars), caption);
}

namespace {

// A swept GPU setting as a label of the runs (written by --power-limits, --gpu-clocks,
// --mem-clocks), with the words for the GPU's own default.
struct SweptKnob {
  const char* label;
  const char* title;  // "power limit"
  const char* unit;   // "W"
};
constexpr SweptKnob kSweptKnobs[] = {{"power_limit_w", "power limit", "W"},
                                     {"gpu_clock_mhz", "locked graphics clock", "MHz"},
                                     {"mem_clock_mhz", "locked memory clock", "MHz"}};

// Numbers in increasing order, then the default ("default", "max") last.
double order_of(const std::string& value) {
  try {
    return std::stod(value);
  } catch (...) {
    return 1e300;
  }
}

std::string setting_bars(const Report& report, const SweptKnob& knob, Metric metric,
                         const std::string& y_title) {
  std::vector<std::pair<double, ChartBar>> bars;
  for (const auto& config : report.configs) {
    const auto found = config.labels.find(knob.label);
    const auto& stats = config.figure(metric);
    if (found == config.labels.end() || !stats.mean) continue;
    const bool number = order_of(found->second) < 1e300;
    std::string name = number ? found->second + " " + knob.unit : found->second;
    // Other varied labels (another knob, a batch) tell bars of one value apart.
    for (const auto& key : report.label_keys) {
      if (key == knob.label || key.find("read_back") != std::string::npos || key == "gpu_sweep")
        continue;
      if (auto other = config.labels.find(key); other != config.labels.end())
        name += " " + key + "=" + other->second;
    }
    bars.push_back({order_of(found->second), {name, *stats.mean, stats.ci_lower, stats.ci_upper}});
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ChartBar> ordered;
  for (auto& bar : bars) ordered.push_back(std::move(bar.second));
  const ChartFrame frame{fmt::format("chart-{}-{}", knob.label, models::metric_key(metric)),
                         fmt::format("{} by {}", y_title, knob.title),
                         fmt::format("{} ({})", knob.title, knob.unit), y_title};
  return figure(bar_chart(frame, ordered),
                fmt::format("Mean {} at each {}; whiskers: 95% confidence interval of the mean.",
                            models::metric_unit(metric), knob.title));
}

}  // namespace

std::string gpu_setting_charts(const Report& report) {
  std::string out;
  for (const auto& knob : kSweptKnobs) {
    const bool swept =
        std::any_of(report.configs.begin(), report.configs.end(),
                    [&](const ReportConfig& c) { return c.labels.count(knob.label); });
    if (!swept) continue;
    out += setting_bars(report, knob, Metric::tokens_per_j, "tokens/J");
    out += setting_bars(report, knob, Metric::output_tokens_per_s, "throughput, tokens/s");
  }
  return out;
}

}  // namespace joulebench::report
