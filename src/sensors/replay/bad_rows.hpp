// What both trace parsers do with a data row that does not parse: fail with an Error that
// names the file and line, or (TraceParseOptions::skip_bad_lines) count it and go on.
// Thread-safety: used by one parser on one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sensors/replay/trace.hpp"

namespace joulebench::replay {

// With skip_bad_lines the parsers hold back each device's latest row until the next one
// arrives, so that when time goes backwards they can tell which row is out of order. Without
// it, one row stamped ahead of its neighbours made every following row "go backwards", and
// skipping dropped hundreds of good rows instead of that one.
enum class OrderVerdict {
  deliver_held,   // the held row is in order: deliver it, hold the incoming one
  drop_held,      // the held row jumped ahead (the incoming one follows what came before it)
  drop_incoming,  // the incoming row goes back before what was delivered (or nothing was)
};

// last_delivered_ns: the device's last delivered time (none before its first);
// held_ns / incoming_ns: the held row's and the incoming row's times.
OrderVerdict order_verdict(std::optional<TimeNs> last_delivered_ns, TimeNs held_ns,
                           TimeNs incoming_ns);

class BadRows {
 public:
  BadRows(const std::string& filename, const TraceParseOptions& options, TraceSummary& summary)
      : filename_(filename), options_(options), summary_(summary) {}

  bool skipping() const { return options_.skip_bad_lines; }

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
