// Which Linux powercap zones the RAPL sensor measures, and why.
//
// Taken: every top-level zone `intel-rapl:N` named `package-N` (or `package-N-die-M` on
// multi-die parts) and its sub-zone named `dram`. Together they are the CPU packages and
// their memory, with nothing counted twice.
// Not taken: `core` (PP0) and `uncore` (PP1) sub-zones, which are parts of the package;
// `psys`, a platform zone that contains the packages; `intel-rapl-mmio:N`, which mirrors an
// MSR package zone on client parts.
// AMD: Linux (5.8+) exposes AMD packages through the same `intel-rapl` control type (package
// and core zones, no dram); there is no `amd-rapl` control type to look for.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::rapl {

struct RaplZone {
  std::string directory;  // ROOT/intel-rapl:0, ROOT/intel-rapl:0:2 (or nested in its parent)
  std::string id;         // "rapl:package-0", "rapl:package-0/dram"
  std::string name;       // "package-0", "package-0/dram"
  std::optional<double> counter_max_j;  // max_energy_range_uj in J; nullopt when unreadable
  std::optional<double> power_limit_w;  // the long-term limit (constraint 0) when set
};

// The zones to measure under `root` (a powercap directory), packages in numeric order each
// followed by its dram. Errors: "no powercap RAPL zones under ROOT" (nothing there at all)
// or "no RAPL package zone under ROOT (zones found: ...)".
Expected<std::vector<RaplZone>> find_rapl_zones(const std::string& root);

}  // namespace joulebench::rapl
