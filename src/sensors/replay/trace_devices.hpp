// The "# device ..." lines of a joulebench trace: one DeviceInfo as key=value tokens.
//
//   # device index=0 id=nvml:0 sensor=nvml name="NVIDIA H100 80GB HBM3" uuid=GPU-5c3e...
//     vendor=NVIDIA driver=550.54.15 power_kind=instantaneous power_limit_w=700
//     counter_update_period_s=0.1 cap.power=yes cap.energy_counter=no
//     why.energy_counter="..."
//
// (one line in the file). Optional numbers are left out when unknown. Thread-safety: pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::replay {

// Appends the whole line, "# device " to the newline.
void append_device_line(std::string& out, std::size_t index, const DeviceInfo& device);

// Reads the tokens after "# device". The line must declare index `expected_index` (devices
// are listed in order). Keys this version does not know are skipped and named in `notes`,
// so that a newer writer's additions do not make old readers fail.
Expected<DeviceInfo> parse_device_tokens(std::string_view tokens, std::size_t expected_index,
                                         std::vector<std::string>& notes);

}  // namespace joulebench::replay
