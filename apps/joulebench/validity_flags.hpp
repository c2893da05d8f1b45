// Flags for every validity threshold (defaults from the seeds' protocol).
#pragma once

#include <string>

#include "cli_common.hpp"
#include "core/validity.hpp"

namespace joulebench::cli {

struct ValidityFlags {
  ValidityThresholds values;
  std::string min_duration = "60s";

  void add_to(CLI::App& app);
  Expected<ValidityThresholds> thresholds() const;
};

}  // namespace joulebench::cli
