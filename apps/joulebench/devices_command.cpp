// `joulebench devices`: every sensor tried, its devices and capabilities, or why not.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "report/run_reports.hpp"

namespace joulebench::cli {
namespace {

struct DevicesFlags {
  SensorFlags sensors;
  OutputFlags out;
};

int run_devices(const DevicesFlags& flags) {
  auto opened = open_sensors(flags.sensors.selection());
  if (!opened) return usage_error(opened.error());
  report::DevicesReport devices;
  for (const auto& sensor : opened->sensors) {
    devices.sensors_available.push_back(sensor->name());
    for (const auto& device : sensor->devices()) devices.devices.push_back(device);
  }
  devices.unavailable = opened->unavailable;
  for (const auto& dropped : opened->dropped) {
    devices.dropped.push_back({dropped.id, dropped.kept_id, dropped.reason});
  }
  if (const int status =
          flags.out.write(report::devices_json(devices), report::devices_table(devices));
      status != 0) {
    return status;
  }
  // Listing what is unavailable is this command's purpose, so that alone is not an error;
  // but an explicitly named sensor that failed, or nothing at all, is.
  if (devices.devices.empty() || opened->explicit_sensor_failed) return kExitUsage;
  return 0;
}

}  // namespace

Command add_devices_command(CLI::App& parent) {
  auto flags = std::make_shared<DevicesFlags>();
  CLI::App* app = parent.add_subcommand("devices", "List sensors, devices and their capabilities");
  flags->sensors.add_to(*app);
  flags->out.add_to(*app);
  return {app, [flags] { return run_devices(*flags); }};
}

}  // namespace joulebench::cli
