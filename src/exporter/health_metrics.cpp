// Sensor, sampling, server and token families of /metrics, and the whole page.
#include <set>

#include "exporter/exporter_metrics.hpp"

namespace joulebench::exporter {
namespace {

// A sensor is up while at least one of its devices is not lost and has a reading. Only
// sensors that were opened have this gauge: 0 means "was available and went down", the
// condition the shipped JoulebenchSensorDown alert watches.
MetricFamily sensor_up_family(const ExporterInputs& inputs) {
  MetricFamily family{"joulebench_sensor_up",
                      "1 while the sensor delivers readings for at least one device, 0 once it "
                      "stopped (sensors never available are in joulebench_sensor_unavailable).",
                      MetricType::gauge,
                      {}};
  std::set<std::string> up;
  std::set<std::string> seen;
  if (inputs.snapshot != nullptr) {
    const Snapshot& snapshot = *inputs.snapshot;
    for (std::size_t i = 0; i < snapshot.devices->size(); ++i) {
      const std::string& sensor = (*snapshot.devices)[i].sensor;
      seen.insert(sensor);
      if (!snapshot.lost[i] && snapshot.latest[i]) up.insert(sensor);
    }
  }
  for (const auto& sensor : seen) {
    family.samples.push_back(
        {{{"sensor", sensor}, {"hostname", inputs.hostname}}, up.count(sensor) != 0 ? 1.0 : 0.0});
  }
  return family;
}

// Sensors tried at start and never available (no permission, absent hardware or driver):
// not an outage, so not in joulebench_sensor_up, but visible with the reason.
MetricFamily sensor_unavailable_family(const ExporterInputs& inputs) {
  MetricFamily family{"joulebench_sensor_unavailable",
                      "1 for a sensor tried at start and never available (no permission, absent "
                      "hardware or driver); `reason` says why.",
                      MetricType::gauge,
                      {}};
  for (const auto& missing : inputs.unavailable) {
    family.samples.push_back(
        {{{"sensor", missing.sensor}, {"hostname", inputs.hostname}, {"reason", missing.reason}},
         1.0});
  }
  return family;
}

MetricFamily single(std::string name, std::string help, MetricType type, double value) {
  return {std::move(name), std::move(help), type, {{{}, value}}};
}

}  // namespace

std::vector<MetricFamily> health_families(const ExporterInputs& inputs) {
  std::vector<MetricFamily> families;
  families.push_back(sensor_up_family(inputs));
  families.push_back(sensor_unavailable_family(inputs));
  families.push_back(single("joulebench_sampling_interval_seconds",
                            "Scheduled time between sampling rounds.", MetricType::gauge,
                            inputs.interval_s));
  if (inputs.snapshot != nullptr) {
    families.push_back(single("joulebench_sampling_rounds_total", "Sampling rounds completed.",
                              MetricType::counter, static_cast<double>(inputs.snapshot->rounds)));
    families.push_back(
        single("joulebench_sampling_missed_rounds_total",
               "Scheduled sampling rounds skipped because a round overran (0 while on schedule).",
               MetricType::counter, static_cast<double>(inputs.snapshot->missed_rounds)));
  }
  families.push_back(single("joulebench_exporter_requests_total",
                            "HTTP requests answered by the exporter (as of the latest round).",
                            MetricType::counter, static_cast<double>(inputs.server.requests)));
  families.push_back(single("joulebench_exporter_rate_limited_total",
                            "HTTP requests refused with 429 by the exporter's rate bound.",
                            MetricType::counter, static_cast<double>(inputs.server.rate_limited)));
  return families;
}

std::vector<MetricFamily> token_families(const TokenFigures& tokens) {
  MetricFamily total{"joulebench_tokens_total",
                     "Generated tokens reported by the serving engines' own counters (summed per "
                     "model over --tokens-from URLs; engine restarts do not reset it).",
                     MetricType::counter,
                     {}};
  MetricFamily per_joule{"joulebench_tokens_per_joule",
                         "Generated tokens over the sliding window divided by the energy of ALL "
                         "measured devices over the same window.",
                         MetricType::gauge,
                         {}};
  MetricFamily source_up{"joulebench_tokens_source_up",
                         "1 when the latest scrape of the engine's metrics endpoint succeeded.",
                         MetricType::gauge,
                         {}};
  for (const auto& model : tokens.models) {
    total.samples.push_back({{{"model", model.model}}, model.tokens_total});
    if (model.tokens_per_joule) {
      per_joule.samples.push_back({{{"model", model.model}}, *model.tokens_per_joule});
    }
  }
  for (const auto& source : tokens.sources) {
    source_up.samples.push_back({{{"url", source.url}}, source.up ? 1.0 : 0.0});
  }
  return {std::move(total), std::move(per_joule), std::move(source_up)};
}

std::string render_metrics(const ExporterInputs& inputs) {
  std::string out;
  out.reserve(4096);
  if (inputs.snapshot != nullptr) {
    for (const auto& family :
         device_families(*inputs.snapshot, inputs.hostname, inputs.idle_power_w)) {
      append_family(out, family);
    }
    if (!inputs.calibrations.empty()) {
      append_family(
          out, calibrated_energy_family(*inputs.snapshot, inputs.hostname, inputs.calibrations));
    }
  }
  for (const auto& family : health_families(inputs)) append_family(out, family);
  for (const auto& family : token_families(inputs.tokens)) append_family(out, family);
  return out;
}

}  // namespace joulebench::exporter
