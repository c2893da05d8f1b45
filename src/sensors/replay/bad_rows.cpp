#include "sensors/replay/bad_rows.hpp"

namespace joulebench::replay {
namespace {
constexpr std::size_t kSkippedExamples = 5;
}  // namespace

OrderVerdict order_verdict(std::optional<TimeNs> last_delivered_ns, TimeNs held_ns,
                           TimeNs incoming_ns) {
  if (incoming_ns >= held_ns) return OrderVerdict::deliver_held;
  // The incoming row follows what came before the held one: the held row is the odd one.
  // Without an earlier row there is no telling, and the incoming row is dropped as before.
  if (last_delivered_ns && incoming_ns >= *last_delivered_ns) return OrderVerdict::drop_held;
  return OrderVerdict::drop_incoming;
}

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
