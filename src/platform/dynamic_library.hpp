// RAII wrapper around dlopen/dlsym. Vendor libraries (NVML, amdsmi) are opened at run time
// through this, never linked, so one binary runs on every machine.
// Thread-safety: a DynamicLibrary is immutable after open(); symbol() may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::platform {

class DynamicLibrary {
 public:
  // Tries each candidate in order; the error lists every candidate and dlerror()'s reason.
  static Expected<DynamicLibrary> open_first(const std::vector<std::string>& candidates);

  DynamicLibrary(DynamicLibrary&&) noexcept = default;
  DynamicLibrary& operator=(DynamicLibrary&&) noexcept = default;
  ~DynamicLibrary() = default;

  // The symbol's address, or nullptr when the library does not export it.
  void* symbol(const char* name) const;

  // Typed lookup: `auto* fn = lib.function<int(unsigned*)>("nvmlDeviceGetCount_v2");`
  template <class Signature>
  Signature* function(const char* name) const {
    return reinterpret_cast<Signature*>(symbol(name));
  }

  const std::string& path() const { return path_; }

 private:
  struct Closer {
    void operator()(void* handle) const;
  };
  DynamicLibrary(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}

  std::unique_ptr<void, Closer> handle_;
  std::string path_;
};

}  // namespace joulebench::platform
