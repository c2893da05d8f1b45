#include "platform/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace joulebench::platform {
namespace {

namespace fs = std::filesystem;

std::string reason() { return std::strerror(errno); }

// Every byte into `fd`, through short writes and EINTR; false with errno set on a failure.
bool write_all(int fd, std::string_view contents) {
  while (!contents.empty()) {
    const ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    contents.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// The file a symlink chain ends at, so that `-o link` writes the link's target and keeps the
// link (as a shell's `> link` does). A path that is not a symlink is itself.
Expected<fs::path> final_target(const fs::path& path) {
  fs::path current = path;
  // Linux gives up after 40 links (ELOOP); so do we, rather than loop on a cycle.
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(current, error))) return current;
    const fs::path next = fs::read_symlink(current, error);
    if (error) return Error{"cannot read the symlink: " + error.message(), current.string()};
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  return Error{"too many levels of symbolic links", path.string()};
}

// Devices, FIFOs and sockets are written in place: renaming a file over /dev/null or a pipe
// would replace it for every other writer of the machine.
Expected<bool> write_through(const std::string& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error{"cannot write: " + reason(), path};
  const bool written = write_all(fd, contents);
  const std::string why = written ? "" : reason();
  if (::close(fd) != 0 && written) return Error{"write failed: " + reason(), path};
  if (!written) return Error{"write failed: " + why, path};
  return true;
}

// A regular file (or a new one): a temporary file beside it, renamed into place, so a reader
// never sees half a file and a failed write leaves the old one as it was. The temporary file
// takes the old file's permissions.
Expected<bool> replace_atomically(const std::string& path, std::string_view contents,
                                  const struct stat* existing) {
  // O_EXCL with 0666: the kernel applies the umask to a new file, as for any other output.
  static std::atomic<unsigned> counter{0};
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    temporary = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return Error{"cannot write: " + reason(), path};
  bool ok = (existing == nullptr || ::fchmod(fd, existing->st_mode & 07777) == 0) &&
            write_all(fd, contents);
  std::string why = ok ? "" : reason();
  if (::close(fd) != 0 && ok) {
    ok = false;
    why = reason();
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    return Error{"write failed: " + why, path};
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    why = reason();
    ::unlink(temporary.c_str());
    return Error{"cannot rename into place: " + why, path};
  }
  return true;
}

}  // namespace

Expected<std::string> read_file(const std::string& path) {
  // A directory opens and reads as zero bytes: callers then said "empty file" or "no header".
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return Error{"is a directory, not a file", path};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::string("cannot open: ") + std::strerror(errno), path};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{"read failed", path};
  return buffer.str();
}

Expected<bool> write_file_atomically(const std::string& path, std::string_view contents) {
  if (path == "-") {
    std::cout.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    std::cout.flush();
    if (!std::cout) return Error{"write failed on stdout", path};
    return true;
  }
  auto target = final_target(path);
  if (!target) return target.error();
  const std::string file = target->string();
  struct stat existing {};
  if (::stat(file.c_str(), &existing) != 0) {
    if (errno != ENOENT) return Error{"cannot write: " + reason(), path};
    return replace_atomically(file, contents, nullptr);
  }
  if (S_ISDIR(existing.st_mode)) return Error{"is a directory", path};
  if (!S_ISREG(existing.st_mode)) return write_through(file, contents);
  return replace_atomically(file, contents, &existing);
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace joulebench::platform
