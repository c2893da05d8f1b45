// A whole file as read-only text, memory-mapped when it is a regular file (no copy of a
// multi-gigabyte log) and read into memory otherwise (pipes, /dev/stdin).
// Thread-safety: the text may be read from any thread; the object is move-only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::replay {

class MappedFile {
 public:
  // The error names the path and the reason (strerror).
  static Expected<MappedFile> open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view text() const;

 private:
  MappedFile() = default;
  void release();

  void* mapping_ = nullptr;
  std::size_t mapped_size_ = 0;
  std::string contents_;  // used when the file could not be mapped
};

}  // namespace joulebench::replay
