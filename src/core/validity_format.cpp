#include "core/validity_format.hpp"

#include <cstdio>

namespace joulebench::validity {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string compact(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string percent_text(double ratio) { return fixed(ratio * 100.0, 2) + "%"; }

ValidityCheck not_available(const std::string& name, const std::string& unit,
                            const std::string& why) {
  ValidityCheck check;
  check.name = name;
  check.status = ValidityCheck::Status::not_available;
  check.unit = unit;
  check.message = why;
  return check;
}

std::string device_phrase(const DeviceFigure& figure) {
  std::string phrase = " on " + figure.device->device.id;
  if (figure.devices_with_figure > 1) {
    phrase += " (worst of " + std::to_string(figure.devices_with_figure) + " devices)";
  }
  return phrase;
}

}  // namespace joulebench::validity
