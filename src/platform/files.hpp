// Small file helpers that report failures as values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::platform {

// Whole file as bytes; the error names the path and strerror.
Expected<std::string> read_file(const std::string& path);

// Writes an output file (-o, --csv): "-" is stdout. A regular file, or a path where nothing
// is, is written via a temporary file in the same directory and rename(), so a reader never
// sees a half-written file and an interrupted write leaves the old file intact. Anything else
// (a character device such as /dev/null, a FIFO, a socket) is written in place and never
// replaced. A symlink is followed: its final target is written and the link stays.
Expected<bool> write_file_atomically(const std::string& path, std::string_view contents);

// The value of an environment variable, nullopt when unset or empty.
std::optional<std::string> env(const char* name);

}  // namespace joulebench::platform
