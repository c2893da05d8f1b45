#include "models/device_facts.hpp"

#include "models/catalog.hpp"

namespace joulebench::models {

std::function<void(DeviceInfo&)> catalog_device_facts() {
  auto catalog = load_gpu_catalog("");
  if (!catalog) return {};  // the built-in catalog always parses; a test catches it otherwise
  return [specs = std::move(catalog.value()),
          accuracy = builtin_sensor_accuracy()](DeviceInfo& device) {
    if (!device.part_time_cycle_s) {  // else the sensor knew better
      auto spec = find_gpu_for_device(specs, device.name);
      if (spec && spec->part_time_cycle_s) device.part_time_cycle_s = spec->part_time_cycle_s;
    }
    if (device.power_accuracy_source.empty()) {
      const auto* entry = find_sensor_accuracy(accuracy, device.vendor);
      if (entry) {
        device.power_accuracy_w = entry->power_w;
        device.power_accuracy_source = entry->source;
      }
    }
  };
}

}  // namespace joulebench::models
