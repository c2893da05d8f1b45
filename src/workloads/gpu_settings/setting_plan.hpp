// The plan of a power-limit / clock sweep: the values of --power-limits, --gpu-clocks and
// --mem-clocks, crossed into settings, and checked against each GPU's own constraints before
// anything changes. Pure functions (the NVML reads happen in sensors/nvml/gpu_settings_control).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::gpu_settings {

enum class Knob { power_limit, gpu_clock, memory_clock };

// One value of one knob: a number (W for the power limit, MHz for clocks) or the GPU's own
// default ("default" for the power limit; "max" or "default" for clocks: no lock).
struct KnobValue {
  Knob knob = Knob::power_limit;
  std::optional<unsigned> value;  // nullopt: the default
};

// "--power-limits", "--gpu-clocks", "--mem-clocks".
const char* flag_name(Knob knob);
// "power-limit 400 W", "power-limit default", "gpu-clock 1200 MHz", "gpu-clock max".
std::string describe(const KnobValue& value);

// "300,400,default" (W; "300W" too) or "1200,1500,max" (MHz). Empty text: no values. Errors
// name the flag and the bad entry; repeats are refused.
Expected<std::vector<KnobValue>> parse_knob_values(std::string_view text, Knob knob);

// "10%" or "10": the throughput a more efficient setting may lose, in percent (0 to 100).
Expected<double> parse_max_slowdown(std::string_view text);

// One point of the sweep: a value per swept knob (unswept knobs are left as found).
struct Setting {
  std::optional<KnobValue> power_limit;
  std::optional<KnobValue> gpu_clock;
  std::optional<KnobValue> memory_clock;

  std::string name() const;  // "power-limit 400 W, gpu-clock 1200 MHz"
  bool is_default() const;   // every swept knob at the GPU's default
  // "power_limit_w=400" etc., the labels each result carries (value "default"/"max").
  std::vector<std::string> labels() const;
};

// The cross product, power limits outermost, in the order given.
std::vector<Setting> cross(const std::vector<KnobValue>& power_limits,
                           const std::vector<KnobValue>& gpu_clocks,
                           const std::vector<KnobValue>& memory_clocks);

// What a GPU allows; a missing capability is nullopt / empty with the reason.
struct GpuConstraints {
  unsigned index = 0;
  std::string uuid;
  std::string name;
  std::optional<unsigned> power_limit_min_mw;
  std::optional<unsigned> power_limit_max_mw;
  std::optional<unsigned> power_limit_default_mw;
  std::optional<unsigned> power_limit_mw;  // in force now
  std::string power_limit_unsupported;     // why the limit cannot be set ("" when it can)
  std::vector<unsigned> graphics_clocks_mhz;
  std::string gpu_clocks_unsupported;
  std::vector<unsigned> memory_clocks_mhz;
  std::string memory_clocks_unsupported;
};

// The first value that `gpu` cannot take, as the error line to print: "--power-limits: 800 W
// is outside what GPU 0 (NVIDIA H100) allows, 200-700 W", or that the GPU cannot set the knob
// at all. nullopt when every value fits.
std::optional<std::string> check_values(const std::vector<KnobValue>& values,
                                        const GpuConstraints& gpu);

}  // namespace joulebench::gpu_settings
