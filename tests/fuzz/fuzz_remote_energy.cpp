// libFuzzer target for what `--energy-from` reads from other hosts: a remote /metrics page
// (joulebench exporter or dcgm-exporter), the --energy-from URL itself and the HTTP Date header.
// The first byte picks the parser. Whatever the input: no crash, and every answer keeps its
// promises (a page's devices have a key, energy and power are finite and not negative, a
// parsed Date is a finite time).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sensors/remote/clock_offset.hpp"
#include "sensors/remote/metrics_page.hpp"
#include "sensors/remote/remote_spec.hpp"

namespace {

bool finite_non_negative(const std::optional<double>& value) {
  return !value || (std::isfinite(*value) && *value >= 0.0);
}

void fuzz_page(std::string_view text) {
  const auto page = joulebench::remote::read_metrics_page(text, "http://fuzz/metrics");
  if (!page) {
    if (page.error().message.empty()) __builtin_trap();
    return;
  }
  for (const auto& device : page->devices) {
    if (device.key.empty()) __builtin_trap();
    if (!finite_non_negative(device.energy_j) || !finite_non_negative(device.power_w)) {
      __builtin_trap();
    }
  }
  if (page->update_interval_s && !(*page->update_interval_s > 0.0)) __builtin_trap();
}

void fuzz_spec(std::string_view text) {
  const auto spec = joulebench::remote::parse_remote_spec(std::string(text));
  if (!spec && spec.error().message.empty()) __builtin_trap();
}

void fuzz_date(std::string_view text) {
  const auto unix_s = joulebench::remote::parse_http_date(text);
  if (unix_s && !std::isfinite(*unix_s)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzz_page(input);
      break;
    case 1:
      fuzz_spec(input);
      break;
    default:
      fuzz_date(input);
      break;
  }
  return 0;
}
