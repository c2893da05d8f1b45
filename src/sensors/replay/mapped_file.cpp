#include "sensors/replay/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "platform/files.hpp"

namespace joulebench::replay {
namespace {

// Closes a file descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Error system_error(const char* what, const std::string& path) {
  return Error{std::string(what) + ": " + std::strerror(errno), path};
}

}  // namespace

Expected<MappedFile> MappedFile::open(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return system_error("cannot open", path);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return system_error("cannot stat", path);
  if (S_ISDIR(info.st_mode)) return Error{"is a directory, not a trace file", path};
  MappedFile file;
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    const auto size = static_cast<std::size_t>(info.st_size);
    // MAP_POPULATE maps every page in one call: page faults one by one cost more than the
    // parsing on long logs (and much more inside a VM).
    void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.get(), 0);
    if (mapping != MAP_FAILED) {
      ::madvise(mapping, size, MADV_SEQUENTIAL);
      file.mapping_ = mapping;
      file.mapped_size_ = size;
      return file;
    }
  }
  auto contents = platform::read_file(path);
  if (!contents) return contents.error();
  file.contents_ = std::move(contents.value());
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      mapped_size_(std::exchange(other.mapped_size_, 0)),
      contents_(std::move(other.contents_)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapped_size_ = std::exchange(other.mapped_size_, 0);
    contents_ = std::move(other.contents_);
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_size_);
  mapping_ = nullptr;
  mapped_size_ = 0;
}

std::string_view MappedFile::text() const {
  if (mapping_ != nullptr) return {static_cast<const char*>(mapping_), mapped_size_};
  return contents_;
}

}  // namespace joulebench::replay
