// The JSON a wrapped command may leave at JOULEBENCH_RESULT when it exits, e.g.
//   {"tokens": 25600}   or   {"tokens_per_second": 94.9, "duration_s": 27.0}
// (the seeds' throughput.json). Accepted token keys: tokens, output_tokens, tokens_generated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench {

struct CommandResult {
  std::optional<double> tokens;             // output tokens generated
  std::optional<double> tokens_per_second;  // as the command measured it
  std::optional<double> duration_s;         // as the command measured it
  std::string tokens_source;                // which key the token count came from
};

// Parses the file's text; `file` names it in errors.
Expected<CommandResult> parse_command_result(std::string_view text, const std::string& file);

}  // namespace joulebench
