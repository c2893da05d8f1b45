// Every `--energy-from` source of a run: a Sensor for the Monitor (live figures, traces, the
// devices list), and the window finisher that settles each remote device's energy once a
// reading after the window's end has come (MonitorOptions::finish_window).
// Thread-safety: the sensor is read by the sampler; finish_window runs on the window's caller.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/result.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/remote/remote_source.hpp"

namespace joulebench::remote {

class RemoteEnergy {
 public:
  // Opens every source (an Error names the first that cannot be read) and starts polling.
  static Expected<std::shared_ptr<RemoteEnergy>> open(
      const std::vector<std::pair<RemoteSpec, SourceOptions>>& sources);
  ~RemoteEnergy();

  // A Sensor over every remote device, sharing this object.
  static std::unique_ptr<Sensor> make_sensor(std::shared_ptr<RemoteEnergy> energy);
  // What makes a window of `seconds` too short for a source; empty when none does.
  std::string too_short(double seconds) const;
  // Settles the remote devices of `measurement` over [begin_s, end_s] (steady seconds).
  void finish_window(Measurement& measurement, double begin_s, double end_s);

  const std::vector<std::unique_ptr<RemoteSource>>& sources() const { return sources_; }

 private:
  std::vector<std::unique_ptr<RemoteSource>> sources_;
};

// Writes one remote device's window figures (energy by the source's readings) and recomputes
// the measurement's total; a remote device without energy leaves the total null, so that a
// host that stopped answering never makes a window silently smaller. Pure.
void settle_remote_device(Measurement& measurement, std::size_t device, const WindowEnergy& energy,
                          bool power_only);
void recompute_total(Measurement& measurement);

}  // namespace joulebench::remote
