#include "sensors/remote/remote_energy.hpp"

#include <fmt/format.h>

#include "core/energy_uncertainty.hpp"

namespace joulebench::remote {
namespace {

class RemoteSensor final : public Sensor {
 public:
  explicit RemoteSensor(std::shared_ptr<RemoteEnergy> energy) : energy_(std::move(energy)) {
    for (const auto& source : energy_->sources()) {
      for (std::size_t i = 0; i < source->devices().size(); ++i) {
        devices_.push_back(source->devices()[i]);
        where_.push_back({source.get(), i});
      }
    }
  }
  std::string name() const override { return "remote"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }

  // The latest reading polled (live figures only: windows are settled by finish_window).
  Reading read(std::size_t index, TimeNs now_ns) override {
    const auto [source, device] = where_.at(index);
    const LatestReading latest = source->latest(device);
    Reading reading;
    if (!latest.error.empty() || !latest.energy_j) {
      reading.status = ReadStatus::failed;
      reading.error = latest.error.empty() ? "no reading yet" : latest.error;
      return reading;
    }
    reading.sample.time_ns = now_ns;
    reading.sample.energy_counter_j = latest.energy_j;
    reading.sample.power_w = latest.power_w;
    return reading;
  }

 private:
  std::shared_ptr<RemoteEnergy> energy_;
  std::vector<DeviceInfo> devices_;
  std::vector<std::pair<RemoteSource*, std::size_t>> where_;
};

}  // namespace

Expected<std::shared_ptr<RemoteEnergy>> RemoteEnergy::open(
    const std::vector<std::pair<RemoteSpec, SourceOptions>>& sources) {
  auto energy = std::make_shared<RemoteEnergy>();
  for (const auto& [spec, options] : sources) {
    auto source = RemoteSource::open(spec, options);
    if (!source) return source.error();
    energy->sources_.push_back(std::move(source.value()));
  }
  for (auto& source : energy->sources_) source->start();
  return energy;
}

RemoteEnergy::~RemoteEnergy() {
  for (auto& source : sources_) source->stop();
}

std::unique_ptr<Sensor> RemoteEnergy::make_sensor(std::shared_ptr<RemoteEnergy> energy) {
  return std::make_unique<RemoteSensor>(std::move(energy));
}

std::string RemoteEnergy::too_short(double seconds) const {
  for (const auto& source : sources_) {
    if (auto why = source->too_short(seconds); !why.empty()) return why;
  }
  return {};
}

void RemoteEnergy::finish_window(Measurement& measurement, double begin_s, double end_s) {
  for (std::size_t d = 0; d < measurement.devices.size(); ++d) {
    const DeviceInfo& info = measurement.devices[d].device;
    if (!info.remote) continue;
    for (const auto& source : sources_) {
      const auto& devices = source->devices();
      for (std::size_t i = 0; i < devices.size(); ++i) {
        if (devices[i].id != info.id) continue;
        settle_remote_device(measurement, d, source->window(i, begin_s, end_s),
                             info.power_kind == PowerKind::unknown);
      }
    }
  }
  recompute_total(measurement);
}

void settle_remote_device(Measurement& measurement, std::size_t device, const WindowEnergy& energy,
                          bool power_only) {
  DeviceMeasurement& d = measurement.devices.at(device);
  d.energy_j = energy.energy_j;
  d.raw_energy_j = energy.energy_j;
  d.counter_energy_j = power_only ? std::nullopt : energy.energy_j;
  d.integrated_energy_j = power_only ? energy.energy_j : std::nullopt;
  d.method = !energy.energy_j ? EnergyMethod::none
                              : (power_only ? EnergyMethod::integrated : EnergyMethod::counter);
  // The live reads' own figures are not comparable with the settled one.
  d.method_disagreement.reset();
  d.integration_half_width_j.reset();
  d.calibration.reset();
  d.energy_uncertainty = {};
  d.avg_power_w.reset();
  if (energy.energy_j && measurement.duration_s > 0) {
    d.avg_power_w = *energy.energy_j / measurement.duration_s;
  }
  d.energy_reason =
      energy.energy_j
          ? fmt::format(
                "read from {} after the window closed: the {} interpolated at both ends "
                "({} reading(s) inside)",
                d.device.remote->url, power_only ? "integrated power" : "counter",
                energy.readings_inside)
          : energy.reason;
}

void recompute_total(Measurement& measurement) {
  std::optional<double> total;
  bool remote_missing = false;
  for (const auto& device : measurement.devices) {
    if (device.device.remote && !device.energy_j) remote_missing = true;
    if (device.energy_j) total = total.value_or(0.0) + *device.energy_j;
  }
  measurement.energy_uncertainty = {};
  measurement.avg_power_w.reset();
  measurement.energy_j = remote_missing ? std::nullopt : total;
  if (remote_missing) {
    measurement.warnings.push_back(
        "a remote device has no energy for this window: the total is left unknown, not smaller");
    return;
  }
  if (measurement.energy_j && measurement.duration_s > 0) {
    measurement.avg_power_w = *measurement.energy_j / measurement.duration_s;
  }
  add_energy_uncertainty(measurement);
}

}  // namespace joulebench::remote
