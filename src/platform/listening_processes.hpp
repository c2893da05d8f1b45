// Which local processes serve a TCP port, read from procfs (Linux): the listening sockets of
// /proc/net/tcp and tcp6, matched to processes through their /proc/PID/fd links. Used to find
// the GPUs of a local inference server. Processes whose fds cannot be read (another user's,
// without root) are not seen. Thread-safety: reads the file system only.
#pragma once

#include <string>
#include <vector>

namespace joulebench::platform {

// PIDs with a socket listening on `port` on any local address, in ascending order.
std::vector<int> pids_listening_on(unsigned port, const std::string& proc_root = "/proc");

// `pids` and every process that descends from one of them (inference servers hand the GPUs
// to worker processes they start), in ascending order.
std::vector<int> with_descendants(const std::vector<int>& pids,
                                  const std::string& proc_root = "/proc");

}  // namespace joulebench::platform
