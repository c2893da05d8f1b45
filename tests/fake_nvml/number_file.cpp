#include "number_file.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace joulebench::fake_nvml {

std::optional<double> read_number_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return std::nullopt;
  char text[64] = {};
  const std::size_t length = std::fread(text, 1, sizeof text - 1, file);
  std::fclose(file);
  text[length] = '\0';
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (end == text || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace joulebench::fake_nvml
