// CPU seconds this process has used so far (all threads, user + system), for benchmarks
// that report CPU cost per unit of work.
#pragma once

#include <time.h>

namespace joulebench::bench {

inline double process_cpu_s() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace joulebench::bench
