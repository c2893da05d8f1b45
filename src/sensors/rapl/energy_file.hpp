// A powercap energy counter file (energy_uj) kept open for a whole run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::rapl {

// Opens `path` read-only and returns the descriptor, or -errno. Injectable because root can
// read a chmod-000 file, so file modes alone cannot simulate the CVE-2020-8694 restriction.
using OpenReadOnly = std::function<int(const std::string& path)>;

// The real opener: open(2) with O_RDONLY | O_CLOEXEC.
int open_read_only(const std::string& path);

// A sysfs unsigned integer ("123456\n"); nullopt for anything else (empty, sign, junk).
std::optional<std::uint64_t> parse_sysfs_uint(std::string_view text);

// True for a read errno that means the zone is gone for good (the RAPL driver was unloaded
// and kernfs detached the open file), as opposed to a transient failure.
bool zone_is_gone(int error_number);

// One read of a counter: energy_uj on success, otherwise why (and errno when a syscall failed).
struct CounterRead {
  std::optional<std::uint64_t> energy_uj;
  int error_number = 0;  // 0 when the text could not be parsed
  std::string error;
};

// sysfs regenerates an attribute's text on every read at offset 0, so one descriptor read
// with pread serves the whole run: no path lookup and no allocation on the sampling path.
// Thread-safety: one thread at a time. Move-only; closes the descriptor.
class EnergyFile {
 public:
  // Opens and reads once, so that an unreadable file is reported at open time. Errors:
  // "no permission to read PATH (root only since CVE-2020-8694)", "cannot open PATH: ...",
  // "cannot read PATH: ...", "PATH: not a counter value: '...'".
  static Expected<EnergyFile> open(const std::string& path, const OpenReadOnly& opener);

  EnergyFile(EnergyFile&& other) noexcept;
  EnergyFile& operator=(EnergyFile&& other) noexcept;
  EnergyFile(const EnergyFile&) = delete;
  EnergyFile& operator=(const EnergyFile&) = delete;
  ~EnergyFile();

  CounterRead read() const;
  const std::string& path() const { return path_; }

 private:
  EnergyFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void close();

  int fd_ = -1;
  std::string path_;
};

}  // namespace joulebench::rapl
