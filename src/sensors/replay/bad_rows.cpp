#include "sensors/replay/bad_rows.hpp"

namespace joulebench::replay {
namespace {
constexpr std::size_t kSkippedExamples = 5;
}  // namespace

std::optional<Error> BadRows::reject(std::size_t line, std::string message) {
  Error error{std::move(message), filename_, line};
  if (!options_.skip_bad_lines) return error;
  ++summary_.skipped_lines;
  if (summary_.skipped_examples.size() < kSkippedExamples) {
    summary_.skipped_examples.push_back(std::move(error));
  }
  return std::nullopt;
}

}  // namespace joulebench::replay
