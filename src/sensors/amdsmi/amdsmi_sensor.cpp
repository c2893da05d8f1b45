#include "sensors/amdsmi/amdsmi_sensor.hpp"

#include <cstdlib>
#include <utility>

#include "platform/files.hpp"
#include "sensors/amdsmi/device_reader.hpp"
#include "sensors/amdsmi/gpu_selection.hpp"
#include "sensors/device_dedup.hpp"

namespace joulebench {
namespace {

using amdsmi::AmdSmiLibrary;

std::optional<std::string> env_set(const char* name) {
  const char* value = std::getenv(name);  // "" is set: it selects no GPU
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// One call with a count, one with a buffer of that size: the library's listing idiom.
template <class Handle, class Fn, class... Args>
Expected<std::vector<Handle>> list_handles(const AmdSmiLibrary& library, Fn* function,
                                           const char* symbol, Args... args) {
  std::uint32_t count = 0;
  amdsmi::Status status = function(args..., &count, nullptr);
  std::vector<Handle> handles(count);
  if (status == amdsmi::kSuccess && count > 0) status = function(args..., &count, handles.data());
  if (status != amdsmi::kSuccess) {
    return Error{std::string(symbol) + " failed: " + library.describe(status)};
  }
  handles.resize(count);
  return handles;
}

std::string uuid_of(const AmdSmiLibrary& library, amdsmi::ProcessorHandle handle) {
  char buffer[amdsmi::kGpuUuidSize + 1] = {};
  unsigned length = amdsmi::kGpuUuidSize;
  auto* const function = library.api().get_device_uuid;
  if (function == nullptr || function(handle, &length, buffer) != amdsmi::kSuccess) return {};
  return buffer;
}

std::string pci_bus_id_of(const AmdSmiLibrary& library, amdsmi::ProcessorHandle handle) {
  amdsmi::Bdf bdf = {};
  auto* const function = library.api().get_device_bdf;
  if (function == nullptr || function(handle, &bdf) != amdsmi::kSuccess) return {};
  return amdsmi::bdf_text(bdf);
}

std::string partition_of(const AmdSmiLibrary& library, amdsmi::ProcessorHandle handle) {
  char buffer[amdsmi::kPartitionBufferSize] = {};
  auto* const function = library.api().get_compute_partition;
  if (function == nullptr || function(handle, buffer, sizeof buffer) != amdsmi::kSuccess) return {};
  buffer[sizeof buffer - 1] = '\0';
  return buffer;
}

std::string driver_version(const AmdSmiLibrary& library, amdsmi::ProcessorHandle handle) {
  amdsmi::Padded<amdsmi::DriverInfo> padded;
  auto& info = padded.value;
  auto* const function = library.api().get_driver_info;
  if (function == nullptr || function(handle, &info) != amdsmi::kSuccess) return {};
  info.driver_version[sizeof info.driver_version - 1] = '\0';
  return info.driver_version;
}

// Every GPU processor of every socket, in the library's order.
Expected<std::vector<amdsmi::Processor>> list_processors(const AmdSmiLibrary& library) {
  const auto& api = library.api();
  auto sockets = list_handles<amdsmi::SocketHandle>(library, api.get_socket_handles,
                                                    amdsmi::symbol::kGetSocketHandles);
  if (!sockets) return sockets.error();
  std::vector<amdsmi::Processor> processors;
  for (std::size_t socket = 0; socket < sockets->size(); ++socket) {
    auto handles = list_handles<amdsmi::ProcessorHandle>(library, api.get_processor_handles,
                                                         amdsmi::symbol::kGetProcessorHandles,
                                                         (*sockets)[socket]);
    if (!handles) return handles.error();
    for (std::size_t i = 0; i < handles->size(); ++i) {
      amdsmi::Processor processor;
      processor.handle = (*handles)[i];
      processor.socket = socket;
      processor.uuid = uuid_of(library, processor.handle);
      processor.pci_bus_id = pci_bus_id_of(library, processor.handle);
      processor.partition = partition_of(library, processor.handle);
      processor.shares_power_domain = i > 0;
      processors.push_back(std::move(processor));
    }
  }
  if (processors.empty()) return Error{"amdsmi reports no GPU"};
  return processors;
}

class AmdSmiSensor final : public Sensor, public PciDeviceSensor {
 public:
  explicit AmdSmiSensor(std::unique_ptr<AmdSmiLibrary> library) : library_(std::move(library)) {}

  void add(amdsmi::ProbedDevice probed, std::string pci_bus_id) {
    readers_.emplace_back(*library_, probed.plan, std::move(probed.lost_reason));
    devices_.push_back(std::move(probed.info));
    pci_bus_ids_.push_back(std::move(pci_bus_id));
  }

  std::string pci_bus_id(std::size_t index) const override {
    return index < pci_bus_ids_.size() ? pci_bus_ids_[index] : std::string();
  }

  std::string name() const override { return "amdsmi"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }

  Reading read(std::size_t index, TimeNs now_ns) override {
    if (index >= readers_.size()) {
      Reading reading;
      reading.status = ReadStatus::failed;
      reading.error = "amdsmi: no device " + std::to_string(index);
      return reading;
    }
    return readers_[index].read(now_ns);
  }

 private:
  std::unique_ptr<AmdSmiLibrary> library_;  // outlives the readers, which call through it
  std::vector<DeviceInfo> devices_;
  std::vector<amdsmi::DeviceReader> readers_;
  std::vector<std::string> pci_bus_ids_;
};

}  // namespace

Expected<std::unique_ptr<Sensor>> open_amdsmi_sensor(const AmdSmiOptions& options) {
  auto library = AmdSmiLibrary::open(
      amdsmi::library_candidates(options.library_path, platform::env("JOULEBENCH_AMDSMI_LIBRARY")));
  if (!library) return library.error();
  auto processors = list_processors(**library);
  if (!processors) return processors.error();
  std::vector<std::string> uuids;
  for (const auto& processor : *processors) uuids.push_back(processor.uuid);
  auto selected = amdsmi::select_gpus(
      options.gpus, {env_set("ROCR_VISIBLE_DEVICES"), env_set("HIP_VISIBLE_DEVICES")}, uuids);
  if (!selected) return selected.error();

  const AmdSmiLibrary& amdsmi_library = **library;  // the sensor takes over this same object
  const std::string driver = driver_version(amdsmi_library, processors->front().handle);
  auto sensor = std::make_unique<AmdSmiSensor>(std::move(library.value()));
  for (unsigned index : *selected) {
    const amdsmi::Processor& processor = (*processors)[index];
    sensor->add(amdsmi::probe_device(amdsmi_library, processor, index, driver),
                processor.pci_bus_id);
  }
  return std::unique_ptr<Sensor>(std::move(sensor));
}

}  // namespace joulebench
