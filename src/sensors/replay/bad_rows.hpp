// What both trace parsers do with a data row that does not parse: fail with an Error that
// names the file and line, or (TraceParseOptions::skip_bad_lines) count it and go on.
// Thread-safety: used by one parser on one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sensors/replay/trace.hpp"

namespace joulebench::replay {

class BadRows {
 public:
  BadRows(const std::string& filename, const TraceParseOptions& options, TraceSummary& summary)
      : filename_(filename), options_(options), summary_(summary) {}

  // The error to stop with, or nullopt when the row was skipped and counted.
  std::optional<Error> reject(std::size_t line, std::string message);

  // An error about the file as a whole (header, device list): never skipped.
  Error fatal(std::size_t line, std::string message) const {
    return Error{std::move(message), filename_, line};
  }

 private:
  const std::string& filename_;
  const TraceParseOptions& options_;
  TraceSummary& summary_;
};

}  // namespace joulebench::replay
