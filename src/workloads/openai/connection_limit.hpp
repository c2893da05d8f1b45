// How many requests can be in flight at once: each holds a connection, i.e. a file
// descriptor, and a process may open only RLIMIT_NOFILE of them. A load level beyond that
// cannot be run as asked (its connections would fail to open, and fail again at once), so
// closed-loop levels beyond it are refused before anything is measured, and open-loop
// arrivals wait for a free connection (max_in_flight is capped).
// Thread-safety: call from one thread at a time (it changes the process's limit).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench {

struct OpenFileAllowance {
  std::size_t connections = 0;  // requests that may be in flight at once
  std::size_t soft_limit = 0;   // RLIMIT_NOFILE after raising it to the hard limit
  std::size_t hard_limit = 0;
};

// Raises the soft limit on open files to the hard limit, then counts what is left for
// connections: the limit less the files open now and a reserve for the rest of the run
// (trace, store, sensors, libcurl's own descriptors).
OpenFileAllowance open_file_allowance();

// Checks closed-loop concurrency levels (empty for open-loop levels) against the allowance;
// the Error names --concurrency, the level and the limit, and says how to raise it.
std::optional<Error> check_concurrency_fits_open_files(
    const std::vector<double>& concurrency_levels);

}  // namespace joulebench
