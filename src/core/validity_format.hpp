// Small helpers shared by the validity checks: number formatting for their sentences and the
// search for the worst device. Thread-safety: pure functions.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

#include "core/validity.hpp"

namespace joulebench::validity {

// "42.0" for fixed(42, 1).
std::string fixed(double value, int decimals);
// Shortest natural form of a threshold: "60", "0.5", "70".
std::string compact(double value);
// A ratio as a percentage for messages: "7.25%" for percent_text(0.0725).
std::string percent_text(double ratio);

ValidityCheck not_available(const std::string& name, const std::string& unit,
                            const std::string& why);

// The device with the highest or lowest figure among those that have one.
struct DeviceFigure {
  const DeviceMeasurement* device = nullptr;
  double value = 0.0;
  std::size_t devices_with_figure = 0;
};

enum class Worst { highest, lowest };

// `figure(device)` returns std::optional<double>; non-finite figures count as absent.
template <class Figure>
std::optional<DeviceFigure> worst_device(const Measurement& m, Worst worst, Figure figure) {
  std::optional<DeviceFigure> found;
  std::size_t count = 0;
  for (const auto& device : m.devices) {
    const std::optional<double> value = figure(device);
    if (!value || !std::isfinite(*value)) continue;
    ++count;
    const bool worse =
        !found || (worst == Worst::highest ? *value > found->value : *value < found->value);
    if (worse) found = DeviceFigure{&device, *value, 0};
  }
  if (found) found->devices_with_figure = count;
  return found;
}

// " on nvml:0", or " on nvml:1 (worst of 2 devices)" when several devices report the figure.
std::string device_phrase(const DeviceFigure& figure);

}  // namespace joulebench::validity
