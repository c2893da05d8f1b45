#include "workloads/openai/connection_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

namespace joulebench {
namespace {

// Descriptors kept for everything but connections: the trace, the store (SQLite with WAL
// opens three), sensors, libcurl's resolver pipes and epoll, stdio.
constexpr std::size_t kReservedFiles = 64;

std::size_t open_files_now() {
  std::error_code error;
  std::size_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  return count;
}

std::size_t as_count(rlim_t value) {
  if (value == RLIM_INFINITY) return static_cast<std::size_t>(-1) / 2;
  return static_cast<std::size_t>(value);
}

}  // namespace

OpenFileAllowance open_file_allowance() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  OpenFileAllowance allowance;
  allowance.soft_limit = as_count(limit.rlim_cur);
  allowance.hard_limit = as_count(limit.rlim_max);
  const std::size_t used = open_files_now() + kReservedFiles;
  allowance.connections = allowance.soft_limit > used ? allowance.soft_limit - used : 0;
  return allowance;
}

std::optional<Error> check_concurrency_fits_open_files(
    const std::vector<double>& concurrency_levels) {
  if (concurrency_levels.empty()) return std::nullopt;
  const double largest = *std::max_element(concurrency_levels.begin(), concurrency_levels.end());
  const OpenFileAllowance allowance = open_file_allowance();
  if (largest <= static_cast<double>(allowance.connections)) return std::nullopt;
  return Error{"--concurrency: " + std::to_string(static_cast<std::size_t>(largest)) +
               " requests in flight need as many open connections, and the open-file limit (" +
               std::to_string(allowance.soft_limit) + ", hard limit " +
               std::to_string(allowance.hard_limit) + ") leaves room for " +
               std::to_string(allowance.connections) +
               "; give a lower level, or raise the hard limit (ulimit -Hn, systemd LimitNOFILE=)"};
}

}  // namespace joulebench
