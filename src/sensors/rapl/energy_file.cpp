#include "sensors/rapl/energy_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace joulebench::rapl {
namespace {

// Twenty digits hold any uint64; a full buffer means the text is not a counter.
constexpr std::size_t kBufferSize = 32;

std::string open_failure(const std::string& path, int error_number) {
  if (error_number == EACCES || error_number == EPERM) {
    // powercap's energy_uj is root-only since CVE-2020-8694; other sysfs files (hwmon) say
    // nothing more than the mode.
    const bool powercap = path.ends_with("energy_uj");
    return "no permission to read " + path + (powercap ? " (root only since CVE-2020-8694)" : "");
  }
  return "cannot open " + path + ": " + std::strerror(error_number);
}

CounterRead failure(int error_number, std::string why) {
  CounterRead result;
  result.error_number = error_number;
  result.error = std::move(why);
  return result;
}

std::string_view trim_end(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

}  // namespace

int open_read_only(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd >= 0 ? fd : -errno;
}

std::optional<std::uint64_t> parse_sysfs_uint(std::string_view text) {
  text = trim_end(text);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool zone_is_gone(int error_number) { return error_number == ENODEV; }

Expected<EnergyFile> EnergyFile::open(const std::string& path, const OpenReadOnly& opener) {
  const int fd = opener(path);
  if (fd < 0) return Error{open_failure(path, -fd)};
  EnergyFile file(fd, path);
  CounterRead first = file.read();
  if (!first.energy_uj) return Error{std::move(first.error)};
  return file;
}

EnergyFile::EnergyFile(EnergyFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

EnergyFile& EnergyFile::operator=(EnergyFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

EnergyFile::~EnergyFile() { close(); }

void EnergyFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

CounterRead EnergyFile::read() const {
  char buffer[kBufferSize];
  const ssize_t got = ::pread(fd_, buffer, sizeof buffer, 0);
  if (got < 0) {
    const int error_number = errno;
    return failure(error_number, "cannot read " + path_ + ": " + std::strerror(error_number));
  }
  const std::string_view text(buffer, static_cast<std::size_t>(got));
  const auto value =
      got < static_cast<ssize_t>(sizeof buffer) ? parse_sysfs_uint(text) : std::nullopt;
  if (!value) {
    return failure(0, path_ + ": not a counter value: '" + std::string(trim_end(text)) + "'");
  }
  CounterRead result;
  result.energy_uj = value;
  return result;
}

}  // namespace joulebench::rapl
