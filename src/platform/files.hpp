// Small file helpers that report failures as values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::platform {

// Whole file as bytes; the error names the path and strerror.
Expected<std::string> read_file(const std::string& path);

// Writes via a temporary file in the same directory and rename(), so a reader never sees
// a half-written file and an interrupted write leaves the old file intact. "-" is stdout.
Expected<bool> write_file_atomically(const std::string& path, std::string_view contents);

// The value of an environment variable, nullopt when unset or empty.
std::optional<std::string> env(const char* name);

}  // namespace joulebench::platform
