// Bounds on what a device can report at all. A reading outside them is a corrupt log or a
// broken sensor, not a measurement: integrating it produced megajoules from a 16 s log.
// Used by every reader of outside samples (offline analysis, fleet histories).
// Thread-safety: constants and pure functions.
#pragma once

#include "joulebench/sensor.hpp"

namespace joulebench {

// No accelerator board draws more (the largest in data/gpus.json is 1000 W; a GB200
// superchip with its CPU is 2.7 kW): the bound when a device's power limit is unknown.
inline constexpr double kMaxPlausibleDevicePowerW = 5000.0;

// Transients go above the board's power limit for milliseconds (about 1.5x on H100), so the
// bound leaves room for them.
inline constexpr double kPowerLimitHeadroom = 2.0;

// A gap longer than this many sampling intervals is not integrated across: the trapezoid
// would invent the energy of a time nobody measured (a day's gap in a 16 s log).
inline constexpr double kMaxGapIntervals = 10.0;
// ...and never a gap below this: a sampler's hiccup of a few hundred ms is bridged well by
// the trapezoid, and dropping it would lose energy that was drawn.
inline constexpr double kMinGapS = 1.0;

// The largest power in W that `device` can plausibly draw: kPowerLimitHeadroom times its
// power limit when the trace or the driver gives one, else kMaxPlausibleDevicePowerW.
double max_plausible_power_w(const DeviceInfo& device);
// The same for a power limit from elsewhere (the GPU catalog); nullopt: the global bound.
double max_plausible_power_w(std::optional<double> power_limit_w);

// The largest energy in J the device can add in `seconds` (with one second of slack, so a
// counter read twice within a millisecond may still move by a normal update).
double max_plausible_energy_j(const DeviceInfo& device, double seconds);

}  // namespace joulebench
