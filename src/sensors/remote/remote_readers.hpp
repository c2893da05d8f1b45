// The two ways of reading a remote source, behind RemoteSource: a /metrics page
// (joulebench exporter, dcgm-exporter) and a Prometheus-compatible query API. Each finds the
// devices, the update interval and the clock offset once, then turns every poll into points on
// this host's steady clock. Used by one thread at a time (open, then the polling thread).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"
#include "sensors/remote/remote_source.hpp"

namespace joulebench::remote {

struct FoundDevice {
  std::string key;  // how polls name it
  std::string gpu, uuid, name, host;
};

struct Discovery {
  std::string format;
  bool power_only = false;
  std::vector<FoundDevice> devices;
  double update_interval_s = 1.0;
  std::string update_interval_basis;
  std::optional<double> clock_offset_s;
  std::string clock_offset_basis;
  double poll_period_s = 1.0;
};

struct DevicePoints {
  std::size_t device = 0;                         // index into Discovery::devices
  std::vector<std::pair<double, double>> points;  // (steady s, energy J or power W), ascending
  std::optional<double> power_w;  // the page's own power gauge beside a counter, when it has one
};

struct RemoteSource::Impl {
  virtual ~Impl() = default;
  virtual Expected<Discovery> discover() = 0;
  virtual Expected<std::vector<DevicePoints>> poll() = 0;
  virtual bool power_only() const = 0;
  virtual std::chrono::milliseconds fetch_timeout() const = 0;
};

std::unique_ptr<RemoteSource::Impl> make_reader(const RemoteSpec& spec,
                                                const SourceOptions& options);

// "%7B..." for a URL's query value.
std::string percent_encode(const std::string& text);
// The middle value of the gaps between ascending times; null with fewer than two times.
std::optional<double> median_spacing(std::vector<double> times);

}  // namespace joulebench::remote
