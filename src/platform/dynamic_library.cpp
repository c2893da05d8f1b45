#include "platform/dynamic_library.hpp"

#include <dlfcn.h>

namespace joulebench::platform {

void DynamicLibrary::Closer::operator()(void* handle) const {
  if (handle != nullptr) dlclose(handle);
}

Expected<DynamicLibrary> DynamicLibrary::open_first(const std::vector<std::string>& candidates) {
  std::string reasons;
  for (const auto& candidate : candidates) {
    // RTLD_NOW: a library with unresolved symbols fails here, not mid-run.
    void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) return DynamicLibrary(handle, candidate);
    const char* why = dlerror();
    if (!reasons.empty()) reasons += "; ";
    reasons += why != nullptr ? why : candidate + ": cannot open";
  }
  return Error{reasons.empty() ? "no library candidates given" : reasons};
}

void* DynamicLibrary::symbol(const char* name) const {
  if (!handle_) return nullptr;
  return dlsym(handle_.get(), name);
}

}  // namespace joulebench::platform
