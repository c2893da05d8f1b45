// The read path of one GPU: the calls decided at open (ReadPlan), made straight through the
// function table. Sampling runs at up to 1 kHz, so a read allocates nothing, formats no
// string and looks nothing up unless a call fails.
// Thread-safety: a DeviceReader is used from one thread at a time (it remembers a lost GPU).
#pragma once

#include <string>

#include "joulebench/sensor.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench::nvml {

enum class PowerSource {
  none,
  instant_field,  // nvmlDeviceGetFieldValues, field 186, scope GPU
  power_usage,    // nvmlDeviceGetPowerUsage
};

// What to call for one GPU; decided once by probe_device().
struct ReadPlan {
  Device handle = nullptr;
  PowerSource power = PowerSource::none;
  bool energy_in_field_call = false;  // field 83 fetched in the same call as field 186
  bool energy_function = false;       // nvmlDeviceGetTotalEnergyConsumption
  bool temperature = false;
  bool utilization = false;
  bool sm_clock = false;
  bool memory = false;
  DeviceGetClocksReasonsFn* throttle = nullptr;  // event reasons, or the older name
  const char* throttle_symbol = nullptr;
};

// The number in a field value whatever its declared type; nullopt for an unknown type.
std::optional<double> field_value_number(const FieldValue& value);

class DeviceReader {
 public:
  // `library` must outlive the reader. A non-empty `lost_reason` marks a GPU that was
  // already unusable at open: every read reports it lost with that reason.
  DeviceReader(const NvmlLibrary& library, const ReadPlan& plan, std::string lost_reason = {});

  // Status lost once any call returned GPU_IS_LOST (and from then on, without calling);
  // failed when every planned call failed; otherwise ok, with nullopt for each failed call.
  Reading read(TimeNs now_ns);

 private:
  struct CallLog;
  void read_power_and_energy(Sample& sample, CallLog& log) const;
  void read_other_metrics(Sample& sample, CallLog& log) const;
  Reading finish(Reading reading, const CallLog& log);

  const NvmlLibrary* library_;
  const FunctionTable* api_;
  ReadPlan plan_;
  std::string lost_reason_;  // empty while the GPU is usable
};

}  // namespace joulebench::nvml
