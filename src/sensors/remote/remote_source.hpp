// One `--energy-from` source read by its own thread while the run goes on: a /metrics page
// scraped at a short interval, or a Prometheus-compatible API asked for the raw samples of a
// selector. Each device's readings become an EnergySeries on this host's steady clock, from
// which a window's energy is taken once a reading after the window's end has arrived.
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "joulebench/sensor.hpp"
#include "sensors/remote/energy_series.hpp"
#include "sensors/remote/remote_spec.hpp"

namespace joulebench::remote {

inline constexpr double kMinUpdatesPerWindow = kMinRemoteUpdatesPerWindow;
// dcgm-exporter's default collection interval (its -c / --collect-interval, in ms).
inline constexpr double kDcgmDefaultIntervalS = 30.0;

struct SourceOptions {
  std::optional<double> stated_interval_s;  // from ?interval=, parsed by the caller
  std::chrono::milliseconds fetch_timeout{2000};
};

// The latest state of one device, for live figures.
struct LatestReading {
  std::optional<double> energy_j;  // cumulative since the source was opened
  std::optional<double> power_w;
  std::string error;  // the last poll's error; empty when it succeeded
};

class RemoteSource {
 public:
  // Reads the source once: an Error when it cannot be reached or holds no GPU energy.
  static Expected<std::unique_ptr<RemoteSource>> open(const RemoteSpec& spec,
                                                      const SourceOptions& options);
  ~RemoteSource();
  RemoteSource(const RemoteSource&) = delete;
  RemoteSource& operator=(const RemoteSource&) = delete;

  const std::vector<DeviceInfo>& devices() const { return devices_; }
  const RemoteSpec& spec() const { return spec_; }
  double update_interval_s() const { return update_interval_s_; }
  double min_window_s() const { return kMinUpdatesPerWindow * update_interval_s_; }
  // Why a window of `seconds` is too short for this source (what to change); empty when not.
  std::string too_short(double seconds) const;

  void start();  // the polling thread
  void stop();
  LatestReading latest(std::size_t device) const;
  // Waits (bounded) for a reading at or after `end_s`, then the energy of [begin_s, end_s],
  // both on the steady clock in seconds.
  WindowEnergy window(std::size_t device, double begin_s, double end_s);

  struct Impl;  // the format-specific reading (page or API)

 private:
  RemoteSource(RemoteSpec spec, std::unique_ptr<Impl> impl);
  void poll_loop();
  void poll_once();

  RemoteSpec spec_;
  std::unique_ptr<Impl> impl_;
  std::vector<DeviceInfo> devices_;
  double update_interval_s_ = 1.0;
  std::chrono::duration<double> poll_period_{1.0};

  mutable std::mutex mutex_;
  std::condition_variable polled_;
  std::vector<EnergySeries> series_;                  // per device
  std::vector<std::optional<double>> gauge_power_w_;  // per device: the page's power gauge
  std::string last_error_;
  std::optional<double> failing_since_s_;
  bool stopping_ = false;
  std::thread thread_;
};

double steady_seconds();  // the Monitor's clock, in seconds

}  // namespace joulebench::remote
