// One AMD GPU (or compute partition) through amdsmi: what to call, decided once at open
// (probe_device), and the read path that makes those calls (DeviceReader). A read allocates
// nothing and formats no string unless a call fails.
// Thread-safety: a DeviceReader is used from one thread at a time (it remembers a lost GPU).
#pragma once

#include <string>

#include "joulebench/sensor.hpp"
#include "sensors/amdsmi/amdsmi_library.hpp"

namespace joulebench::amdsmi {

// A processor handle as listed, before probing.
struct Processor {
  ProcessorHandle handle = nullptr;
  std::size_t socket = 0;  // position of its socket in amdsmi_get_socket_handles' list
  std::string uuid;        // "" when amdsmi could not tell
  std::string pci_bus_id;  // "0000:03:00.0", "" when unknown
  std::string partition;   // "SPX", "CPX", ... ; "" when not reported
  // True for the second and later processors of one socket: partitions share the socket's
  // power domain, which amdsmi reports on the socket's first processor only.
  bool shares_power_domain = false;
};

enum class PowerField {
  none,
  current,  // current_socket_power (layout current_first)
  average,  // average_socket_power
};

struct ReadPlan {
  ProcessorHandle handle = nullptr;
  bool energy = false;
  PowerLayout layout = PowerLayout::unknown;
  PowerField power = PowerField::none;
  bool temperature = false;
  bool activity = false;
  bool memory = false;
  bool clock = false;
  bool violation = false;
};

struct ProbedDevice {
  DeviceInfo info;
  ReadPlan plan;
  std::string lost_reason;  // non-empty when the device was already gone at open
};

// Calls each entry point once to learn what this device reports; every metric gets a
// Capability, with the reason where it is missing.
ProbedDevice probe_device(const AmdSmiLibrary& library, const Processor& processor,
                          std::size_t index, const std::string& driver_version);

// The power fields of amdsmi_power_info_t under `layout`, in W; nullopt where the library
// marks a field as not available (all ones) or the layout is unknown.
struct PowerWatts {
  std::optional<double> current_w;
  std::optional<double> average_w;
};
PowerWatts decode_power_info(const void* info, PowerLayout layout);

// throttle:: bits from the "active" flags of amdsmi_violation_status_t: package power
// tracking as a software power cap, socket/processor-hot/HBM thermal as a hardware thermal
// slowdown, voltage regulator as a hardware slowdown. Flags of 0xFF mean not supported.
std::uint64_t violation_throttle_mask(const ViolationStatus& status);

class DeviceReader {
 public:
  DeviceReader(const AmdSmiLibrary& library, const ReadPlan& plan, std::string lost_reason = {});

  // Lost once any call returned NOT_FOUND (and from then on, without calling); failed when
  // every planned call failed; otherwise ok, with nullopt for each failed call.
  Reading read(TimeNs now_ns);

 private:
  struct CallLog;
  void read_energy_and_power(Sample& sample, CallLog& log) const;
  void read_other_metrics(Sample& sample, CallLog& log) const;
  Reading finish(Reading reading, const CallLog& log);

  const AmdSmiLibrary* library_;
  const FunctionTable* api_;
  ReadPlan plan_;
  std::string lost_reason_;
};

}  // namespace joulebench::amdsmi
