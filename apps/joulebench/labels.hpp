// --label key=value parsing shared by the benchmark commands.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::cli {

// "precision=fp16" -> {"precision": "fp16"}; the error names --label and the bad entry.
Expected<std::map<std::string, std::string>> parse_labels(const std::vector<std::string>& entries);

}  // namespace joulebench::cli
