#include "sensors/nvml/nvml_sensor.hpp"

#include <cstdlib>
#include <utility>

#include "platform/files.hpp"
#include "sensors/nvml/device_probe.hpp"
#include "sensors/nvml/device_reader.hpp"
#include "sensors/nvml/gpu_selection.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench {
namespace {

using nvml::NvmlLibrary;

// $JOULEBENCH_NVML_POWER: unset or "instant" (field 186 where supported), or "usage".
Expected<nvml::PowerPreference> power_preference(const std::optional<std::string>& value) {
  if (!value || *value == "instant") return nvml::PowerPreference::instant_first;
  if (*value == "usage") return nvml::PowerPreference::power_usage;
  return Error{"JOULEBENCH_NVML_POWER: '" + *value + "' is not 'instant' or 'usage'"};
}

// Every GPU NVML reports, before selection: UUIDs are needed to resolve --gpus and
// CUDA_VISIBLE_DEVICES entries that name GPUs by UUID.
struct Inventory {
  std::vector<nvml::Device> handles;
  std::vector<nvml::Return> handle_codes;
  std::vector<std::string> uuids;  // "" where NVML could not tell
};

std::string driver_version(const NvmlLibrary& library) {
  char buffer[nvml::kDriverVersionBufferSize] = {};
  auto* const function = library.api().system_get_driver_version;
  if (function == nullptr || function(buffer, sizeof buffer) != nvml::kSuccess) return {};
  buffer[sizeof buffer - 1] = '\0';
  return buffer;
}

std::string uuid_of(const NvmlLibrary& library, nvml::Device handle) {
  char buffer[nvml::kDeviceUuidBufferSize] = {};
  auto* const function = library.api().device_get_uuid;
  if (function == nullptr || function(handle, buffer, sizeof buffer) != nvml::kSuccess) return {};
  buffer[sizeof buffer - 1] = '\0';
  return buffer;
}

Expected<Inventory> list_gpus(const NvmlLibrary& library, const std::string& driver) {
  unsigned count = 0;
  const nvml::Return code = library.api().device_get_count(&count);
  if (code != nvml::kSuccess) {
    return Error{std::string(nvml::symbol::kDeviceGetCount) + " failed: " + library.describe(code)};
  }
  if (count == 0) {
    return Error{"NVML reports no GPU" + (driver.empty() ? "" : " (driver " + driver + ")")};
  }
  Inventory inventory;
  for (unsigned index = 0; index < count; ++index) {
    nvml::Device handle = nullptr;
    const nvml::Return handle_code = library.api().device_get_handle_by_index(index, &handle);
    inventory.handles.push_back(handle);
    inventory.handle_codes.push_back(handle_code);
    inventory.uuids.push_back(handle_code == nvml::kSuccess ? uuid_of(library, handle) : "");
  }
  return inventory;
}

// CUDA_VISIBLE_DEVICES="" is meaningful (no GPU), so unset and empty differ here.
std::optional<std::string> cuda_visible_devices() {
  const char* value = std::getenv("CUDA_VISIBLE_DEVICES");
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

class NvmlSensor final : public Sensor {
 public:
  explicit NvmlSensor(std::unique_ptr<NvmlLibrary> library) : library_(std::move(library)) {}

  void add(nvml::ProbedDevice probed) {
    readers_.emplace_back(*library_, probed.plan, std::move(probed.lost_reason));
    devices_.push_back(std::move(probed.info));
  }

  std::string name() const override { return "nvml"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }

  Reading read(std::size_t index, TimeNs now_ns) override {
    if (index >= readers_.size()) {
      Reading reading;
      reading.status = ReadStatus::failed;
      reading.error = "nvml: no device " + std::to_string(index);
      return reading;
    }
    return readers_[index].read(now_ns);
  }

 private:
  std::unique_ptr<NvmlLibrary> library_;  // outlives the readers, which call through it
  std::vector<DeviceInfo> devices_;
  std::vector<nvml::DeviceReader> readers_;
};

}  // namespace

Expected<std::unique_ptr<Sensor>> open_nvml_sensor(const NvmlOptions& options) {
  auto library = NvmlLibrary::open(
      nvml::library_candidates(options.library_path, platform::env("JOULEBENCH_NVML_LIBRARY")));
  if (!library) return library.error();
  const std::string driver = driver_version(**library);
  auto inventory = list_gpus(**library, driver);
  if (!inventory) return inventory.error();
  auto selected = nvml::select_gpus(options.gpus, cuda_visible_devices(), inventory->uuids);
  if (!selected) return selected.error();

  auto preference = power_preference(platform::env("JOULEBENCH_NVML_POWER"));
  if (!preference) return preference.error();
  const NvmlLibrary& nvml_library = **library;  // the sensor takes over this same object
  auto sensor = std::make_unique<NvmlSensor>(std::move(library.value()));
  for (unsigned index : *selected) {
    sensor->add(nvml::probe_device(nvml_library, index, inventory->handles[index],
                                   inventory->handle_codes[index], driver, *preference));
  }
  return std::unique_ptr<Sensor>(std::move(sensor));
}

}  // namespace joulebench
