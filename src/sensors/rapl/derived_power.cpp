#include "sensors/rapl/derived_power.hpp"

namespace joulebench::rapl {

std::optional<double> DerivedPower::update(std::uint64_t energy_uj, TimeNs now_ns) {
  if (!has_base_ || energy_uj < base_uj_) {
    has_base_ = true;
    base_uj_ = energy_uj;
    base_ns_ = now_ns;
    return std::nullopt;
  }
  const TimeNs elapsed_ns = now_ns - base_ns_;
  if (elapsed_ns < kMinIntervalNs) return std::nullopt;
  // µJ per ns is kW: scale by 1e3 for W.
  const double power_w =
      static_cast<double>(energy_uj - base_uj_) * 1e3 / static_cast<double>(elapsed_ns);
  base_uj_ = energy_uj;
  base_ns_ = now_ns;
  return power_w;
}

}  // namespace joulebench::rapl
