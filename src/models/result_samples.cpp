#include "models/result_samples.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "results/result_decoder.hpp"
#include "results/result_keys.hpp"

namespace joulebench::models {
namespace {

using results::ResultKind;

std::optional<double> figure(const results::FiguresView& figures, Metric metric) {
  switch (metric) {
    case Metric::j_per_output_token:
      return figures.j_per_output_token;
    case Metric::tokens_per_j:
      return figures.tokens_per_j;
    case Metric::output_tokens_per_s:
      return figures.output_tokens_per_s;
    case Metric::avg_power_w:
      return figures.avg_power_w ? std::optional<double>(figures.avg_power_w->value) : std::nullopt;
  }
  return std::nullopt;
}

void add_figures(const results::FiguresView& figures, SideSamples& side) {
  for (std::size_t m = 0; m < std::size(kAllMetrics); ++m) {
    if (auto value = figure(figures, kAllMetrics[m])) side.values[m].push_back(*value);
  }
}

// The level asked for, else the lowest J/token of any level (a sample of what the run
// measured, valid or not: compare reports the validity beside it).
const results::LevelView* chosen_level(const results::ResultView& result,
                                       std::optional<double> level) {
  if (!result.levels) return nullptr;
  const results::LevelView* best = nullptr;
  for (const auto& entry : *result.levels) {
    const auto j_per_token = entry.figures.j_per_output_token;
    if (!j_per_token) continue;
    if (level) {
      if (entry.load == level) return &entry;
    } else if (best == nullptr || *j_per_token < *best->figures.j_per_output_token) {
      best = &entry;
    }
  }
  return best;
}

// Each device's identity, and the systematic share of its energy, into the side.
void add_devices(const std::vector<results::DeviceView>& devices, SideSamples& side) {
  for (const auto& device : devices) {
    side.devices.insert(device.uuid.empty() ? device.name : device.uuid);
    if (!device.systematic_half_width_j || !device.energy_j || !(device.energy_j->value > 0.0))
      continue;
    const double share = device.systematic_half_width_j->value / device.energy_j->value;
    side.systematic_share = std::max(side.systematic_share.value_or(0.0), share);
  }
}

}  // namespace

void add_result_samples(const results::ResultView& result, std::optional<double> level,
                        SideSamples& side) {
  if (result.kind == ResultKind::run && result.iterations) {
    for (const auto& iteration : *result.iterations) {
      if (!iteration.measured()) continue;
      add_figures(iteration.figures, side);
      add_devices(iteration.measurement.devices, side);
    }
  } else if (result.kind == ResultKind::bench_openai) {
    if (const auto* chosen = chosen_level(result, level)) {
      add_figures(chosen->figures, side);
      add_devices(chosen->measurement.devices, side);
    }
  } else if (result.kind == ResultKind::monitor) {
    const auto power_index = static_cast<std::size_t>(Metric::avg_power_w);
    if (auto power = figure(result.figures, Metric::avg_power_w))
      side.values[power_index].push_back(*power);
    add_devices(result.devices, side);
  }
}

namespace {

using Labels = std::map<std::string, std::string>;

// Each document decoded once; one that does not decode has no labels and no samples.
using DecodedSide = std::vector<std::optional<results::ResultView>>;

DecodedSide decoded(const std::vector<ResultDocument>& documents) {
  DecodedSide out;
  for (const auto& document : documents) {
    auto result = results::decode_result(document.document);
    out.push_back(result ? std::optional<results::ResultView>(std::move(*result)) : std::nullopt);
  }
  return out;
}

Labels labels_of(const std::optional<results::ResultView>& result) {
  return result ? result->labels : Labels{};
}

// The labels every document of the side shares.
Labels common_labels(const DecodedSide& side) {
  if (side.empty()) return {};
  Labels common = labels_of(side.front());
  for (const auto& result : side) {
    const Labels labels = labels_of(result);
    for (auto it = common.begin(); it != common.end();) {
      const auto found = labels.find(it->first);
      it =
          (found == labels.end() || found->second != it->second) ? common.erase(it) : std::next(it);
    }
  }
  return common;
}

std::vector<std::string> side_names(const std::vector<std::vector<ResultDocument>>& sides,
                                    const std::vector<DecodedSide>& decoded_sides) {
  std::vector<Labels> labels;
  std::set<std::string> keys;
  for (const auto& side : decoded_sides) {
    labels.push_back(common_labels(side));
    for (const auto& [key, value] : labels.back()) keys.insert(key);
  }
  // A key names the sides when not every side has the same value for it.
  std::set<std::string> differing;
  for (const auto& key : keys) {
    std::set<std::string> values;
    for (const auto& side : labels) {
      const auto found = side.find(key);
      values.insert(found == side.end() ? std::string("\x01(none)") : found->second);
    }
    if (values.size() > 1) differing.insert(key);
  }
  std::vector<std::string> names;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    std::string name;
    for (const auto& key : differing) {
      const auto found = labels[s].find(key);
      if (found != labels[s].end()) name += (name.empty() ? "" : " ") + key + "=" + found->second;
    }
    if (name.empty() && !sides[s].empty()) name = sides[s].front().reference;
    names.push_back(name);
  }
  return names;
}

}  // namespace

const char* metric_key(Metric metric) {
  switch (metric) {
    case Metric::j_per_output_token:
      return results::keys::j_per_output_token;
    case Metric::tokens_per_j:
      return results::keys::tokens_per_j;
    case Metric::output_tokens_per_s:
      return results::keys::output_tokens_per_s;
    case Metric::avg_power_w:
      return results::keys::avg_power_w;
  }
  return "";
}

const char* metric_unit(Metric metric) {
  switch (metric) {
    case Metric::j_per_output_token:
      return "J/token";
    case Metric::tokens_per_j:
      return "tokens/J";
    case Metric::output_tokens_per_s:
      return "tokens/s";
    case Metric::avg_power_w:
      return "W";
  }
  return "";
}

bool lower_is_better(Metric metric) {
  return metric == Metric::j_per_output_token || metric == Metric::avg_power_w;
}

std::vector<SideSamples> side_samples(const std::vector<std::vector<ResultDocument>>& sides,
                                      std::optional<double> level) {
  std::vector<DecodedSide> decoded_sides;
  for (const auto& side : sides) decoded_sides.push_back(decoded(side));
  const auto names = side_names(sides, decoded_sides);
  std::vector<SideSamples> out;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    SideSamples side{names[s], {}, std::vector<std::vector<double>>(std::size(kAllMetrics))};
    for (std::size_t d = 0; d < sides[s].size(); ++d) {
      side.result_ids.push_back(sides[s][d].id);
      if (decoded_sides[s][d]) add_result_samples(*decoded_sides[s][d], level, side);
    }
    out.push_back(std::move(side));
  }
  return out;
}

}  // namespace joulebench::models
