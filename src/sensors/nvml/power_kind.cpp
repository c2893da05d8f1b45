#include "sensors/nvml/power_kind.hpp"

#include <cctype>

#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::nvml {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// `model` appears as its own word: after the start, a space or a dash, and not followed by
// another digit (so "A30" does not match "A3000").
bool names_model(std::string_view name, std::string_view model) {
  for (std::size_t at = name.find(model); at != std::string_view::npos;
       at = name.find(model, at + 1)) {
    const bool starts_word = at == 0 || name[at - 1] == ' ' || name[at - 1] == '-';
    const std::size_t after = at + model.size();
    const bool ends_number = after == name.size() || !is_digit(name[after]);
    if (starts_word && ends_number) return true;
  }
  return false;
}

}  // namespace

bool is_ga100_name(std::string_view device_name) {
  return names_model(device_name, "A100") || names_model(device_name, "A800") ||
         names_model(device_name, "A30");
}

PowerKind power_usage_kind(std::optional<unsigned> architecture, std::string_view device_name) {
  if (is_ga100_name(device_name)) return PowerKind::instantaneous;
  if (!architecture || *architecture == kArchUnknown) return PowerKind::unknown;
  return *architecture >= kArchAmpere ? PowerKind::average_1s : PowerKind::instantaneous;
}

}  // namespace joulebench::nvml
