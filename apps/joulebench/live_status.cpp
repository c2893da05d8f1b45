#include "live_status.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace joulebench::cli {

void LiveStatus::update(const Snapshot& snapshot) {
  if (!enabled_ || snapshot.elapsed_s - last_draw_s_ < 1.0) return;
  last_draw_s_ = snapshot.elapsed_s;
  double power_w = 0.0;
  bool any_power = false;
  for (const auto& latest : snapshot.latest) {
    if (latest && latest->power_w) {
      power_w += *latest->power_w;
      any_power = true;
    }
  }
  double energy_j = 0.0;
  for (double device_energy_j : snapshot.energy_so_far_j) energy_j += device_energy_j;
  const std::string power = any_power ? fmt::format("{:.1f} W", power_w) : std::string("- W");
  fmt::print(stderr, "\r\033[Kjoulebench: {:.1f} s  {}  {:.1f} J so far", snapshot.elapsed_s, power,
             energy_j);
  std::fflush(stderr);
  drawn_ = true;
}

void LiveStatus::finish() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace joulebench::cli
