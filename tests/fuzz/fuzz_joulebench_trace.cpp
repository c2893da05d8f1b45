// libFuzzer target: format detection plus both parsers on arbitrary bytes. When the input
// parses as a joulebench trace, it is written again with TraceWriter and parsed a second
// time: the result must be the same devices, samples and losses (the round-trip promise).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "fuzz_checks.hpp"
#include "sensors/replay/trace.hpp"
#include "sensors/replay/trace_writer.hpp"

namespace joulebench::fuzz {
namespace {

std::string rewrite(const RecordingSink& parsed) {
  std::ostringstream out;
  TraceWriter writer(out, parsed.devices, {.start_time = "2026-01-01T00:00:00.000Z"});
  for (const auto& event : parsed.events) {
    if (event.lost) {
      writer.mark_lost(event.device, event.sample.time_ns);
    } else {
      writer.write(event.device, event.sample);
    }
  }
  writer.close();
  return out.str();
}

void check_round_trip(const RecordingSink& first) {
  const std::string text = rewrite(first);
  RecordingSink second;
  auto summary = parse_trace_stream(text, "rewritten.csv", {}, second);
  require(static_cast<bool>(summary), "a rewritten trace does not parse");
  require(second.devices.size() == first.devices.size(), "device count changed");
  for (std::size_t i = 0; i < first.devices.size(); ++i) {
    require(same_device(first.devices[i], second.devices[i]), "device changed");
  }
  require(second.events.size() == first.events.size(), "event count changed");
  for (std::size_t i = 0; i < first.events.size(); ++i) {
    require(same_event(first.events[i], second.events[i]), "sample changed");
  }
}

}  // namespace
}  // namespace joulebench::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace joulebench;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool skip : {false, true}) {
    fuzz::RecordingSink sink;
    auto summary = parse_trace_stream(text, "fuzz.csv", {.skip_bad_lines = skip}, sink);
    sink.check_finished(summary);
    if (summary && summary->format == kJoulebenchTraceFormat) fuzz::check_round_trip(sink);
  }
  return 0;
}
