// The 95% interval of every energy figure, built from stated sources only
// (docs/accuracy.md "Uncertainty"): the sensor's documented accuracy or, when calibrated,
// the calibration's own interval; the trapezoid integration of power readings; the energy
// counter's update period at the window's edges; part-time sampling. A source no one states
// is listed as unknown and makes the interval incomplete. Thread-safety: pure functions.
#pragma once

#include "joulebench/result.hpp"

namespace joulebench {

// Fills energy_uncertainty of each device with an energy and of the total. Call after any
// calibration was applied (calibrate_measurement).
void add_energy_uncertainty(Measurement& measurement);

// The relative half-width of `uncertainty` around `energy_j`; null without an interval.
std::optional<double> relative_half_width(const EnergyUncertainty& uncertainty, double energy_j);

}  // namespace joulebench
