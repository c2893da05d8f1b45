#include "sensors/remote/metrics_page.hpp"

#include <cmath>
#include <map>

#include "exporter/prometheus_text.hpp"

namespace joulebench::remote {
namespace {

using exporter::ParsedSample;

struct Dialect {
  std::string_view format;
  std::string_view energy;  // empty: power only
  double energy_to_j;
  std::string_view power;
  std::string_view uuid, name, host;
};

constexpr Dialect kJoulebench{kJoulebenchFormat,
                              "joulebench_gpu_energy_joules_total",
                              1.0,
                              "joulebench_gpu_power_watts",
                              "uuid",
                              "name",
                              "hostname"};
constexpr Dialect kDcgmEnergy{kDcgmEnergyFormat,
                              "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                              1e-3,
                              "DCGM_FI_DEV_POWER_USAGE",
                              "UUID",
                              "modelName",
                              "Hostname"};
constexpr Dialect kDcgmPower{kDcgmPowerFormat, "",          1.0,       "DCGM_FI_DEV_POWER_USAGE",
                             "UUID",           "modelName", "Hostname"};

std::string label_or_empty(const ParsedSample& sample, std::string_view name) {
  const std::string* value = exporter::find_label(sample, name);
  return value ? *value : std::string();
}

bool has_metric(const std::vector<ParsedSample>& samples, std::string_view name) {
  for (const auto& sample : samples) {
    if (sample.name == name) return true;
  }
  return false;
}

const Dialect* detect(const std::vector<ParsedSample>& samples) {
  for (const Dialect* dialect : {&kJoulebench, &kDcgmEnergy, &kDcgmPower}) {
    if (has_metric(samples, dialect->energy.empty() ? dialect->power : dialect->energy)) {
      return dialect;
    }
  }
  return nullptr;
}

PageDevice describe(const ParsedSample& sample, const Dialect& dialect) {
  PageDevice device;
  device.gpu = label_or_empty(sample, "gpu");
  device.uuid = label_or_empty(sample, dialect.uuid);
  device.name = label_or_empty(sample, dialect.name);
  device.host = label_or_empty(sample, dialect.host);
  device.key = device.uuid.empty() ? device.gpu : device.uuid;
  return device;
}

// A GPU series the page's devices are built from: an energy or power reading that is a
// measurement (finite, not negative) of a GPU it names.
std::optional<Error> check_gpu_sample(const ParsedSample& sample, const PageDevice& device,
                                      const std::string& url) {
  if (device.key.empty()) {
    return Error{url + ": " + sample.name + " has a series without a gpu or UUID label"};
  }
  if (!std::isfinite(sample.value) || sample.value < 0.0) {
    return Error{url + ": " + sample.name + "{" + device.key + "} is " +
                 std::to_string(sample.value) + ", not a finite, non-negative reading"};
  }
  return std::nullopt;
}

// The page's own update interval, where it states one that is a duration.
std::optional<double> stated_interval_s(double value) {
  if (std::isfinite(value) && value > 0.0) return value;
  return std::nullopt;
}

}  // namespace

Expected<MetricsPage> read_metrics_page(std::string_view text, const std::string& url) {
  auto samples = exporter::parse_prometheus_text(text, url);
  if (!samples) return samples.error();
  const Dialect* dialect = detect(*samples);
  if (dialect == nullptr) {
    return Error{url +
                 ": none of joulebench_gpu_energy_joules_total, "
                 "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION or DCGM_FI_DEV_POWER_USAGE on the page"};
  }
  MetricsPage page;
  page.format = std::string(dialect->format);
  std::map<std::string, std::size_t> by_key;  // first sample of each GPU wins (MIG repeats)
  for (const auto& sample : *samples) {
    const bool energy = !dialect->energy.empty() && sample.name == dialect->energy;
    const bool power = sample.name == dialect->power;
    if (sample.name == "joulebench_sampling_interval_seconds") {
      page.update_interval_s = stated_interval_s(sample.value);
    }
    if (!energy && !power) continue;
    PageDevice device = describe(sample, *dialect);
    if (auto refused = check_gpu_sample(sample, device, url)) return *refused;
    auto [at, inserted] = by_key.try_emplace(device.key, page.devices.size());
    if (inserted) page.devices.push_back(device);
    PageDevice& kept = page.devices[at->second];
    if (energy && !kept.energy_j) kept.energy_j = sample.value * dialect->energy_to_j;
    if (power && !kept.power_w) kept.power_w = sample.value;
  }
  // A device with only a power gauge on a page that has energy counters is not measurable.
  std::erase_if(page.devices, [dialect](const PageDevice& device) {
    return !dialect->energy.empty() && !device.energy_j;
  });
  if (page.devices.empty()) return Error{url + ": the page lists no GPU"};
  return page;
}

}  // namespace joulebench::remote
