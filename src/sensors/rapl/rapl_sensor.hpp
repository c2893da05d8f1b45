// CPU package and DRAM energy from Linux powercap (Intel RAPL; AMD uses the same zones).
//
// Devices: one per package zone and one per package's dram sub-zone (see rapl_zones.hpp for
// which zones are taken and why), ids "rapl:package-0" and "rapl:package-0/dram".
// Each read returns the raw energy_uj counter in J (Sample::energy_counter_j), never
// unwrapped: the accountant unwraps with DeviceInfo::counter_max_j. Power is derived from
// counter deltas between reads at least 20 ms apart (PowerKind::derived), so the first read
// of a zone has none; energy accounting should use the counter, not this power.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/rapl/energy_file.hpp"

namespace joulebench {

struct RaplOptions {
  // The powercap directory; when unset $JOULEBENCH_POWERCAP_ROOT, else /sys/class/powercap.
  std::optional<std::string> root;
  // Where DeviceInfo::vendor comes from (vendor_id); "CPU" when unreadable.
  std::string cpuinfo_path = "/proc/cpuinfo";
  // How energy_uj files are opened; unset: open(2). Tests inject EACCES here.
  rapl::OpenReadOnly open_read_only;
};

// A zone that was found but could not be read, and why.
struct RaplSkippedZone {
  std::string id;      // "rapl:package-0/dram"
  std::string reason;  // "no permission to read ... (root only since CVE-2020-8694)"
};

// Thread-safety: one thread at a time (the Sensor contract).
class RaplSensor final : public Sensor {
 public:
  struct Channel;  // one open zone

  RaplSensor(std::vector<DeviceInfo> devices, std::vector<Channel> channels,
             std::vector<RaplSkippedZone> skipped);
  ~RaplSensor() override;

  std::string name() const override { return "rapl"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }
  // Cheap: one pread of a few bytes and no allocation unless the read fails.
  Reading read(std::size_t index, TimeNs now_ns) override;

  // Zones that exist but were left out because energy_uj could not be read.
  const std::vector<RaplSkippedZone>& skipped_zones() const { return skipped_; }

 private:
  std::vector<DeviceInfo> devices_;
  std::vector<Channel> channels_;
  std::vector<RaplSkippedZone> skipped_;
};

// Opens every readable zone. Fails when there is no zone ("no powercap RAPL zones under
// ROOT") or none can be read (then the first zone's reason, e.g. "no permission to read
// /sys/class/powercap/intel-rapl:0/energy_uj (root only since CVE-2020-8694)").
Expected<std::unique_ptr<Sensor>> open_rapl_sensor(const RaplOptions& options);

// root: the powercap directory; when unset $JOULEBENCH_POWERCAP_ROOT, else /sys/class/powercap.
Expected<std::unique_ptr<Sensor>> open_rapl_sensor(std::optional<std::string> root = std::nullopt);

}  // namespace joulebench
