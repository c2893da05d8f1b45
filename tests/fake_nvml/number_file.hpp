// Reads a file holding one decimal number (the fake time, a load level). Writers replace
// such files atomically with rename(), so a read sees the old or the new number.
// Thread-safety: a pure function of the file system.
#pragma once

#include <optional>
#include <string>

namespace joulebench::fake_nvml {

// nullopt when the file is missing, empty or does not start with a finite number.
std::optional<double> read_number_file(const std::string& path);

}  // namespace joulebench::fake_nvml
