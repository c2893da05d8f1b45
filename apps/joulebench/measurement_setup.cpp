#include "measurement_setup.hpp"

#include "cli_common.hpp"
#include "labels.hpp"

namespace joulebench::cli {

Expected<MeasurementSettings> parse_measurement_settings(const std::string& interval,
                                                         const std::vector<std::string>& labels,
                                                         const ValidityFlags& validity) {
  MeasurementSettings settings;
  auto parsed_labels = parse_labels(labels);
  if (!parsed_labels) return parsed_labels.error();
  settings.labels = std::move(*parsed_labels);
  auto thresholds = validity.thresholds();
  if (!thresholds) return thresholds.error();
  settings.thresholds = *thresholds;
  auto parsed_interval = parse_sampling_interval(interval);
  if (!parsed_interval) return parsed_interval.error();
  settings.interval = *parsed_interval;
  return settings;
}

Expected<IdlePower> start_with_idle(Monitor& monitor, const IdleFlags& idle,
                                    const std::string& host, bool quiet) {
  monitor.start();
  auto resolved = idle.resolve(monitor, host, quiet);
  if (!resolved) monitor.stop();
  return resolved;
}

}  // namespace joulebench::cli
