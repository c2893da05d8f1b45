// Flags for every validity threshold (defaults from the seeds' protocol).
#pragma once

#include <string>

#include "cli_common.hpp"
#include "core/validity.hpp"

namespace joulebench::cli {

// Shares are written "70%" or "0.7", as every share flag (parse_share).
struct ValidityFlags {
  ValidityThresholds values;
  std::string min_duration = "60s";
  std::string min_utilization = "70%";
  std::string max_power_cv = "5%";
  std::string max_method_disagreement = "5%";
  bool allow_throttling = false;

  void add_to(CLI::App& app);
  Expected<ValidityThresholds> thresholds() const;
};

}  // namespace joulebench::cli
