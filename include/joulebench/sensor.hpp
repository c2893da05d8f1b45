// The sensor interface: a source of Samples for one or more devices.
//
// Thread-safety: a Sensor is used from one thread at a time (the sampler thread owns it
// while a Monitor runs). "Unsupported" is data (a Capability with a reason), never an
// exception and never a 0.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sample.hpp"

namespace joulebench {

enum class Metric {
  power,
  energy_counter,
  temperature,
  gpu_utilization,
  sm_clock,
  memory_used,
  throttle_mask,
};

const char* to_string(Metric metric);  // "power", "energy_counter", ...

struct Capability {
  bool supported = false;
  std::string reason;  // why not, when !supported; may also annotate a supported metric
};

// What a power reading means; it decides how to interpret integration.
enum class PowerKind {
  instantaneous,  // a point reading (NVML field 186, GA100 and older PowerUsage, replay of
                  // .instant)
  average_1s,     // a 1 s moving average (NVML PowerUsage on Ampere+ except GA100)
  derived,        // computed from energy-counter deltas (RAPL)
  unknown,
};

const char* to_string(PowerKind kind);  // "instantaneous", "average_1s", "derived", "unknown"

// Where a device measured on another host is read from (`--energy-from`); a local device has
// none. Windows are in this host's clock: the remote clock's offset is measured and recorded.
struct RemoteOrigin {
  std::string url;                       // as the user gave it
  std::string format;                    // "joulebench", "dcgm-energy", "dcgm-power", "prometheus"
  std::string host;                      // the host label of the series, else the URL's host
  std::optional<double> clock_offset_s;  // remote clock minus this host's; null: not stated
  std::string clock_offset_basis;        // "HTTP Date header", "Prometheus time()", or why null
  std::optional<double> update_interval_s;  // how often the source's figure changes
  std::string update_interval_basis;        // where that interval comes from
};

// A window read from a remote source must span this many of its updates: each end of the
// window is known to within one update.
inline constexpr double kMinRemoteUpdatesPerWindow = 10.0;

struct DeviceInfo {
  std::string id;              // stable within a run: "nvml:0", "rapl:package-0", "replay:0"
  std::string sensor;          // "nvml", "rapl", "replay"
  std::string name;            // "NVIDIA H100 80GB HBM3", "package-0"
  std::string uuid;            // GPU UUID; empty when the device has none
  std::string vendor;          // "NVIDIA", "Intel", "AMD", "replay"
  std::string driver_version;  // empty when unknown
  std::optional<double> power_limit_w;
  PowerKind power_kind = PowerKind::unknown;
  // Seconds between hardware updates of the energy counter (e.g. 0.1 for NVML).
  std::optional<double> counter_update_period_s;
  // Largest raw counter value before it wraps to 0 (RAPL max_energy_range_uj in J).
  std::optional<double> counter_max_j;
  // Part-time power sensing: the sensor averages only a part of every cycle of this many
  // seconds (A100/H100: 25 ms of each 100 ms), so a load in step with the cycle aliases.
  // Set from the GPU catalog by the application; null when the device is not known to.
  std::optional<double> part_time_cycle_s;
  // The power sensor's documented accuracy (95%), in watts and/or as a share of the reading,
  // and who documents it; both null when no one does (the source then says so). Set by the
  // sensor or by the application from data/gpus.json.
  std::optional<double> power_accuracy_w;
  std::optional<double> power_accuracy_share;
  std::string power_accuracy_source;
  std::map<Metric, Capability> capabilities;
  std::optional<RemoteOrigin> remote;  // null: measured by a sensor on this host

  bool supports(Metric metric) const {
    auto it = capabilities.find(metric);
    return it != capabilities.end() && it->second.supported;
  }
};

enum class ReadStatus {
  ok,      // sample holds what the device reported (fields may still be nullopt)
  failed,  // a transient failure: the sample is dropped, the device stays in the run
  lost,    // the device is gone (GPU fell off the bus): no further reads will succeed
};

struct Reading {
  ReadStatus status = ReadStatus::ok;
  Sample sample;
  std::string error;  // why, when status != ok
};

class Sensor {
 public:
  virtual ~Sensor() = default;

  // "nvml", "rapl", "replay".
  virtual std::string name() const = 0;

  // Devices this sensor measures, in a stable order; index = position in this vector.
  virtual const std::vector<DeviceInfo>& devices() const = 0;

  // Reads device `index` now. `now_ns` is the sampler's clock: live sensors store it as
  // the sample's time; the replay sensor plays its trace at `now_ns - first call's now_ns`.
  virtual Reading read(std::size_t index, TimeNs now_ns) = 0;
};

// Why a sensor could not be opened: one entry per sensor tried.
struct SensorUnavailable {
  std::string sensor;  // "nvml"
  std::string reason;  // "libnvidia-ml.so.1 not found (set JOULEBENCH_NVML_LIBRARY)"
};

}  // namespace joulebench
