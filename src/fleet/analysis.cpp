#include "fleet/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "models/carbon_model.hpp"

namespace joulebench::fleet {
namespace {

std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (out.rfind("nvidia", 0) == 0) out.erase(0, 6);
  return out;
}

std::string without_vendor(const std::string& name) {
  for (const char* prefix : {"NVIDIA ", "nvidia ", "AMD "}) {
    if (name.rfind(prefix, 0) == 0) return name.substr(std::char_traits<char>::length(prefix));
  }
  return name;
}

std::optional<models::GpuSpec> catalog_entry(const std::vector<models::GpuSpec>& catalog,
                                             const std::string& name) {
  if (catalog.empty()) return std::nullopt;
  auto found = models::find_gpu(catalog, without_vendor(name));
  if (!found) return std::nullopt;
  return *found;
}

std::optional<double> kg_co2_per_hour(const FleetOptions& options, double power_w) {
  if (!options.g_co2_per_kwh) return std::nullopt;
  return models::carbon(0.0, power_w / 1000.0, *options.g_co2_per_kwh, options.intensity_source)
      .kg_co2_per_hour;
}

std::optional<double> kg_co2_for_kwh(const FleetOptions& options, double kwh) {
  if (!options.g_co2_per_kwh) return std::nullopt;
  return kwh * *options.g_co2_per_kwh / 1000.0;
}

// A flag's GPU type names a family: "A100" covers "A100-SXM4-80GB" (the next character is a
// separator) but "A10" does not cover "A100".
bool flag_covers(const std::vector<models::GpuSpec>& catalog, const std::string& flag_type,
                 const std::string& gpu_type) {
  if (same_gpu_type(catalog, flag_type, gpu_type)) return true;
  const std::string type = without_vendor(gpu_type);
  if (type.size() <= flag_type.size()) return false;
  for (std::size_t i = 0; i < flag_type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) !=
        std::tolower(static_cast<unsigned char>(flag_type[i])))
      return false;
  }
  const char next = type[flag_type.size()];
  return next == '-' || next == ' ' || next == '_';
}

IdleAttribution attribute_idle(const FleetHistory& history, const ModelHistory& model,
                               const ModelFigures& figures, const FleetOptions& options) {
  IdleAttribution out;
  for (const auto& [type, watts] : options.idle_watts) {
    if (flag_covers(options.catalog, type, model.gpu_type)) {
      out.idle_w_per_gpu = watts;
      out.source = "--idle-watts " + type + "=" + fmt::format("{:g}", watts);
      break;
    }
  }
  if (!out.idle_w_per_gpu) {
    for (const auto& [type, watts] : history.idle_baselines_w) {
      if (same_gpu_type(options.catalog, type, model.gpu_type)) {
        out.idle_w_per_gpu = watts;
        out.source = "joulebench_gpu_idle_power_watts (" + type + ")";
        break;
      }
    }
  }
  if (!out.idle_w_per_gpu) {
    if (auto spec = catalog_entry(options.catalog, model.gpu_type)) {
      if (spec->idle_w) {
        out.idle_w_per_gpu = spec->idle_w;
        out.source = "catalog " + spec->name;
      } else {
        out.reason = "no idle figure for " + model.gpu_type + " (catalog " + spec->name +
                     " has none; give --idle-watts " + model.gpu_type + "=W)";
      }
    } else {
      out.reason = "no idle figure for " + model.gpu_type +
                   " (not in the catalog; give --idle-watts " + model.gpu_type + "=W)";
    }
  }
  if (!out.idle_w_per_gpu) return out;
  if (!figures.mean_power_w || *figures.mean_power_w <= 0.0) {
    out.reason = "no measured power";
    return out;
  }
  const double floor_w = model.gpus * *out.idle_w_per_gpu;
  out.fraction = std::min(1.0, floor_w / *figures.mean_power_w);
  if (floor_w > *figures.mean_power_w) {
    out.reason =
        fmt::format("idle floor {:.0f} W is above the measured {:.0f} W; fraction capped at 1",
                    floor_w, *figures.mean_power_w);
  }
  if (figures.kg_co2_per_hour) {
    out.idle_kg_co2_per_hour = *figures.kg_co2_per_hour * *out.fraction;
    out.productive_kg_co2_per_hour = *figures.kg_co2_per_hour - *out.idle_kg_co2_per_hour;
  } else if (out.reason.empty()) {
    out.reason = "CO2 split needs a grid intensity (--grid-gco2-kwh or --region)";
  }
  return out;
}

int next_power_of_two(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}

RightSizing right_size(const ModelHistory& model, const ModelFigures& figures,
                       const FleetOptions& options) {
  RightSizing out;
  if (figures.idle) {
    out.reason = "idle: see consolidation";
    return out;
  }
  if (model.gpus < 2) {
    out.reason = "already one GPU";
    return out;
  }
  const auto spec = catalog_entry(options.catalog, model.gpu_type);
  const ModelEntry* entry = find_model(options.models_file, model.model);
  const auto& idle = figures.idle_attribution.idle_w_per_gpu;
  if (!idle) {
    out.reason = "needs an idle figure per GPU";
    return out;
  }
  if (!spec || !spec->tdp_w || *spec->tdp_w <= *idle) {
    out.reason = "needs the board power (TDP) of " + model.gpu_type + " from the catalog";
    return out;
  }
  double peak_w_per_gpu = 0.0;
  for (const auto& point : model.points) {
    if (point.power_w) peak_w_per_gpu = std::max(peak_w_per_gpu, *point.power_w / model.gpus);
  }
  out.peak_load = std::clamp((peak_w_per_gpu - *idle) / (*spec->tdp_w - *idle), 0.0, 1.0);
  const std::optional<double> gpu_memory_gb =
      entry && entry->gpu_memory_gb ? entry->gpu_memory_gb : spec->memory_gb;
  if (!entry || !entry->memory_gb) {
    out.reason = "memory need unknown (give memory_gb in --models)";
    return out;
  }
  if (!gpu_memory_gb) {
    out.reason = "GPU memory of " + model.gpu_type + " unknown (give gpu_memory_gb in --models)";
    return out;
  }
  const int by_memory =
      next_power_of_two(static_cast<int>(std::ceil(*entry->memory_gb / *gpu_memory_gb - 1e-9)));
  std::optional<int> fewest;
  for (int n = by_memory; n < model.gpus; n *= 2) {
    if (*out.peak_load * model.gpus / n <= options.max_load) {
      fewest = n;
      break;
    }
  }
  if (!fewest) {
    out.reason = by_memory >= model.gpus
                     ? fmt::format("the model needs {} GPUs of {:g} GB", by_memory, *gpu_memory_gb)
                     : fmt::format("peak load {:.0f}% would exceed {:.0f}% on fewer GPUs",
                                   *out.peak_load * 100.0, options.max_load * 100.0);
    return out;
  }
  out.flagged = true;
  out.suggested_gpus = fewest;
  out.power_saved_w = (model.gpus - *fewest) * *idle;
  if (figures.j_per_token && figures.mean_power_w && *figures.mean_power_w > 0.0) {
    out.j_per_token_after =
        *figures.j_per_token * (*figures.mean_power_w - *out.power_saved_w) / *figures.mean_power_w;
  }
  out.kwh_saved_per_month = *out.power_saved_w * kHoursPerMonth / 1000.0;
  out.usd_saved_per_month = *out.kwh_saved_per_month * options.usd_per_kwh;
  out.kg_co2_saved_per_month = kg_co2_for_kwh(options, *out.kwh_saved_per_month);
  out.reason = fmt::format(
      "{}x fit the model ({:g} GB on {:g} GB boards) and peak load {:.0f}% would be {:.0f}%",
      *fewest, *entry->memory_gb, *gpu_memory_gb, *out.peak_load * 100.0,
      *out.peak_load * model.gpus / *fewest * 100.0);
  return out;
}

Consolidation consolidate(const ModelHistory& model, const ModelFigures& figures,
                          const FleetOptions& options) {
  Consolidation out;
  std::size_t with_throughput = 0, idle_steps = 0;
  for (const auto& point : model.points) {
    if (!point.tokens_per_s) continue;
    ++with_throughput;
    if (*point.tokens_per_s < options.idle_tokens_per_s) ++idle_steps;
  }
  if (with_throughput == 0) {
    out.reason = "no throughput data";
    return out;
  }
  out.idle_share = static_cast<double>(idle_steps) / static_cast<double>(with_throughput);
  if (*out.idle_share < options.idle_share) {
    out.reason = fmt::format("idle {:.0f}% of the time (threshold {:.0f}%)",
                             *out.idle_share * 100.0, options.idle_share * 100.0);
    return out;
  }
  out.candidate = true;
  out.reason = fmt::format("below {:g} tokens/s for {:.0f}% of the steps",
                           options.idle_tokens_per_s, *out.idle_share * 100.0);
  if (figures.mean_power_w) {
    out.kwh_saved_per_month = *figures.mean_power_w * kHoursPerMonth / 1000.0;
    out.usd_saved_per_month = *out.kwh_saved_per_month * options.usd_per_kwh;
    out.kg_co2_saved_per_month = kg_co2_for_kwh(options, *out.kwh_saved_per_month);
  }
  return out;
}

// Idle candidates that could live on another candidate's allocation: same GPU type, and the
// two memory needs fit the larger allocation's memory.
void suggest_sharing(const FleetHistory& history, FleetReport& report,
                     const FleetOptions& options) {
  for (std::size_t a = 0; a < report.models.size(); ++a) {
    auto& first = report.models[a];
    if (!first.consolidation.candidate) continue;
    const ModelEntry* need_a = find_model(options.models_file, first.model);
    if (!need_a || !need_a->memory_gb) continue;
    for (std::size_t b = 0; b < report.models.size(); ++b) {
      const auto& host = report.models[b];
      if (a == b || !host.consolidation.candidate || host.gpus < first.gpus) continue;
      if (!same_gpu_type(options.catalog, first.gpu_type, host.gpu_type)) continue;
      const ModelEntry* need_b = find_model(options.models_file, host.model);
      if (!need_b || !need_b->memory_gb) continue;
      auto spec = catalog_entry(options.catalog, host.gpu_type);
      const std::optional<double> board = need_b->gpu_memory_gb ? need_b->gpu_memory_gb
                                          : spec                ? spec->memory_gb
                                                                : std::nullopt;
      if (!board) continue;
      if (*need_a->memory_gb + *need_b->memory_gb <= host.gpus * *board) {
        first.consolidation.share_with =
            fmt::format("{} ({}x {}: {:g} + {:g} GB fit in {:g} GB)", host.model, host.gpus,
                        host.gpu_type, *need_a->memory_gb, *need_b->memory_gb, host.gpus * *board);
        break;
      }
    }
  }
  (void)history;
}

}  // namespace

bool same_gpu_type(const std::vector<models::GpuSpec>& catalog, const std::string& a,
                   const std::string& b) {
  if (normalized(a) == normalized(b)) return true;
  auto spec_a = catalog_entry(catalog, a);
  auto spec_b = catalog_entry(catalog, b);
  return spec_a && spec_b && spec_a->name == spec_b->name;
}

Expected<std::vector<std::pair<std::string, double>>> parse_idle_watts(
    const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& item : items) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0)
      return Error{"--idle-watts: '" + item + "' is not TYPE=WATTS (e.g. A100=60)"};
    const std::string value = item.substr(equals + 1);
    double watts = 0.0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), watts);
    if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(watts) ||
        watts < 0.0) {
      return Error{"--idle-watts: '" + value + "' in '" + item + "' is not a number of watts >= 0"};
    }
    out.emplace_back(item.substr(0, equals), watts);
  }
  return out;
}

EfficiencyCurve efficiency_curve(const std::vector<HistoryPoint>& points, double idle_tokens_per_s,
                                 double diminishing_gain) {
  struct Sum {
    double power_w = 0.0, tokens_per_s = 0.0;
    std::size_t count = 0;
  };
  std::map<int, Sum> bins;
  for (const auto& point : points) {
    if (!point.power_w || !point.tokens_per_s || *point.tokens_per_s < idle_tokens_per_s ||
        *point.tokens_per_s <= 0.0)
      continue;
    auto& sum = bins[static_cast<int>(std::floor(std::log2(*point.tokens_per_s)))];
    sum.power_w += *point.power_w;
    sum.tokens_per_s += *point.tokens_per_s;
    ++sum.count;
  }
  EfficiencyCurve curve;
  for (const auto& [k, sum] : bins) {
    curve.bins.push_back(CurveBin{std::ldexp(1.0, k), std::ldexp(1.0, k + 1),
                                  sum.tokens_per_s / static_cast<double>(sum.count),
                                  sum.power_w / static_cast<double>(sum.count),
                                  sum.power_w / sum.tokens_per_s, sum.count});
  }
  if (curve.bins.size() < 2) {
    curve.reason = "fewer than two throughput bins (tokens/s never doubled)";
    return curve;
  }
  for (std::size_t i = 0; i + 1 < curve.bins.size(); ++i) {
    const auto& low = curve.bins[i];
    const auto& high = curve.bins[i + 1];
    const double doublings = std::log2(high.mean_tokens_per_s / low.mean_tokens_per_s);
    if (!(doublings > 0.0)) continue;
    const double gain = 1.0 - std::pow(high.j_per_token / low.j_per_token, 1.0 / doublings);
    if (gain < diminishing_gain) {
      curve.diminishing_from_tokens_per_s = low.mean_tokens_per_s;
      return curve;
    }
  }
  curve.reason =
      fmt::format("J/token still improves by {:.0f}% or more per doubling up to {:.4g} tokens/s",
                  diminishing_gain * 100.0, curve.bins.back().mean_tokens_per_s);
  return curve;
}

FleetReport analyze_fleet(const FleetHistory& history, const FleetOptions& options) {
  FleetReport report;
  report.source = history.source;
  report.power_source = history.power_source;
  report.g_co2_per_kwh = options.g_co2_per_kwh;
  report.intensity_source = options.intensity_source;
  report.thresholds = options;
  report.thresholds.catalog.clear();
  report.thresholds.models_file.clear();
  report.notes = history.notes;
  report.warnings = history.warnings;
  report.series_received = history.series_received;
  report.points_received = history.points_received;
  for (const auto& model : history.models) {
    ModelFigures figures;
    figures.model = model.model;
    figures.gpu_type = model.gpu_type;
    figures.gpus = model.gpus;
    figures.notes = model.notes;
    figures.points = model.points.size();
    double power_sum = 0.0, tps_sum = 0.0, both_power = 0.0, both_tps = 0.0;
    std::size_t power_n = 0, tps_n = 0, both_n = 0;
    for (const auto& point : model.points) {
      if (point.power_w) power_sum += *point.power_w, ++power_n;
      if (point.tokens_per_s) {
        tps_sum += *point.tokens_per_s, ++tps_n;
        figures.peak_tokens_per_s =
            std::max(figures.peak_tokens_per_s.value_or(0.0), *point.tokens_per_s);
      }
      if (point.power_w && point.tokens_per_s)
        both_power += *point.power_w, both_tps += *point.tokens_per_s, ++both_n;
    }
    if (power_n > 0) figures.mean_power_w = power_sum / static_cast<double>(power_n);
    if (tps_n > 0) figures.tokens_per_s = tps_sum / static_cast<double>(tps_n);
    if (model.step_s && !model.points.empty()) {
      const auto span = model.points.back().time_s - model.points.front().time_s;
      const auto expected =
          static_cast<std::size_t>(std::llround(static_cast<double>(span) / *model.step_s)) + 1;
      if (power_n < expected) {
        figures.notes.push_back(
            fmt::format("power present at {} of {} steps (gaps); figures cover those steps only",
                        power_n, expected));
      }
      if (tps_n < expected) {
        figures.notes.push_back(
            fmt::format("tokens/s present at {} of {} steps (gaps)", tps_n, expected));
      }
    }
    if (!figures.mean_power_w) {
      figures.j_per_token_reason = "no power data";
    } else if (!figures.tokens_per_s) {
      figures.j_per_token_reason = "no throughput data";
    } else if (*figures.tokens_per_s < options.idle_tokens_per_s) {
      figures.idle = true;
      figures.j_per_token_reason =
          fmt::format("idle: below {:g} tokens/s", options.idle_tokens_per_s);
    } else if (both_n == 0 || both_tps <= 0.0) {
      figures.j_per_token_reason = "power and throughput never present at the same step";
    } else if (const double j_per_token = both_power / both_tps; !std::isfinite(j_per_token)) {
      // A value near the double's limit (1e308 W) sums to infinity: no figure, and say why.
      figures.j_per_token_reason =
          "power or throughput out of range (the sum over the steps is not finite)";
    } else {
      figures.j_per_token = j_per_token;
    }
    if (figures.mean_power_w) {
      figures.kg_co2_per_hour = kg_co2_per_hour(options, *figures.mean_power_w);
      if (!figures.kg_co2_per_hour)
        figures.co2_reason = "no grid intensity (--grid-gco2-kwh or --region)";
    } else {
      figures.co2_reason = "no power data";
    }
    figures.idle_attribution = attribute_idle(history, model, figures, options);
    figures.curve =
        efficiency_curve(model.points, options.idle_tokens_per_s, options.diminishing_gain);
    figures.right_sizing = right_size(model, figures, options);
    figures.consolidation = consolidate(model, figures, options);
    report.models.push_back(std::move(figures));
  }
  // Most efficient first, as the table reads; models without J/token (idle or
  // missing data) after them, the largest draw first.
  std::stable_sort(report.models.begin(), report.models.end(),
                   [](const ModelFigures& a, const ModelFigures& b) {
                     if (a.j_per_token.has_value() != b.j_per_token.has_value())
                       return a.j_per_token.has_value();
                     if (a.j_per_token) return *a.j_per_token < *b.j_per_token;
                     return a.mean_power_w.value_or(-1.0) > b.mean_power_w.value_or(-1.0);
                   });
  suggest_sharing(history, report, options);
  for (const auto& [type, watts] : options.idle_watts) {
    const bool used = std::any_of(
        history.models.begin(), history.models.end(),
        [&](const ModelHistory& m) { return flag_covers(options.catalog, type, m.gpu_type); });
    if (!used) report.notes.push_back("--idle-watts " + type + " matched no model's GPU type");
  }
  return report;
}

}  // namespace joulebench::fleet
