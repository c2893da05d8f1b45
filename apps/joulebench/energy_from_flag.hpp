// --energy-from URL (repeatable) for `run` and `bench openai`: GPUs on other hosts measured in
// the same windows as the local ones (src/sensors/remote). Their readings are polled while the
// run goes on; each window's energy is settled once a reading after its end has come.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "joulebench/monitor.hpp"
#include "sensors/registry.hpp"
#include "sensors/remote/remote_energy.hpp"

namespace joulebench::cli {

struct EnergyFromFlag {
  std::vector<std::string> urls;
  std::shared_ptr<remote::RemoteEnergy> energy;  // after open()

  void add_to(CLI::App& app);
  bool given() const { return !urls.empty(); }
  // Parses every URL and reads each source once (an Error names the flag and the URL), then
  // starts polling. Says on stderr what each source is, unless quiet.
  Expected<bool> open(bool quiet);
  // An Error naming `flag` when a window of `seconds` spans too few updates of a source.
  Expected<bool> check_window(double seconds, const std::string& flag) const;
  // The local sensors and, with --energy-from, the remote one; without a local sensor the
  // remote devices alone are measured. Prints the errors as open_sensors_or_explain does.
  std::optional<OpenedSensors> open_sensors(const SensorFlags& flags) const;
  // Settles every window's remote devices after the sampler ended it.
  void attach(MonitorOptions& options) const;
};

}  // namespace joulebench::cli
