// What `joulebench exporter` publishes on /metrics, as MetricFamily records built from one
// Monitor snapshot plus the exporter's own state. Pure functions: the exporter calls
// render_metrics() once per sampling round and serves the cached text to every scrape.
//
// Per device (labels gpu, uuid, name, hostname): power, energy counter, temperature,
// utilization, memory, throttle reasons, stored idle baseline. Values a device cannot
// report are absent, never 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exporter/prometheus_writer.hpp"
#include "joulebench/monitor.hpp"

namespace joulebench::exporter {

struct ModelTokenFigures {
  std::string model;
  double tokens_total = 0.0;               // monotonic across engine restarts
  std::optional<double> tokens_per_joule;  // null until the window holds energy
};

struct TokenSourceFigures {
  std::string url;
  bool up = false;
};

struct TokenFigures {
  std::vector<ModelTokenFigures> models;
  std::vector<TokenSourceFigures> sources;
  double window_s = 60.0;
};

struct ServerCounters {
  std::uint64_t requests = 0;      // HTTP requests answered (any status)
  std::uint64_t rate_limited = 0;  // answered 429
};

struct ExporterInputs {
  const Snapshot* snapshot = nullptr;  // null before the first round
  std::string hostname;
  // Per device of the snapshot, the stored idle baseline (W); nullopt when none is stored.
  std::vector<std::optional<double>> idle_power_w;
  std::vector<SensorUnavailable> unavailable;  // sensors tried and never opened: no up gauge
  double interval_s = 0.1;
  TokenFigures tokens;
  ServerCounters server;
  std::vector<DeviceCalibration> calibrations;  // --calibration: a calibrated energy series
};

// The value of the `gpu` label: the NVML index for NVML devices ("nvml:3" -> "3"), else the id.
std::string gpu_label(const DeviceInfo& device);

std::vector<MetricFamily> device_families(const Snapshot& snapshot, const std::string& hostname,
                                          const std::vector<std::optional<double>>& idle_power_w);
// The documented accuracy of each device's power reading, where one is stated.
MetricFamily power_accuracy_family(const Snapshot& snapshot, const std::string& hostname);
// Calibrated energy of each device that has a calibration (none: an empty family).
MetricFamily calibrated_energy_family(const Snapshot& snapshot, const std::string& hostname,
                                      const std::vector<DeviceCalibration>& calibrations);
std::vector<MetricFamily> health_families(const ExporterInputs& inputs);
std::vector<MetricFamily> token_families(const TokenFigures& tokens);

// Everything above, as Prometheus text.
std::string render_metrics(const ExporterInputs& inputs);

}  // namespace joulebench::exporter
