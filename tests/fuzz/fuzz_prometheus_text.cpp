// libFuzzer target for the Prometheus text parser (--tokens-from input). Whatever the input,
// the parser returns samples or an error with a line inside the input; and every accepted
// sample, written back by the exporter's writer, parses to the same name, labels and value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/prometheus_text.hpp"
#include "exporter/prometheus_writer.hpp"

namespace {

using joulebench::exporter::MetricFamily;
using joulebench::exporter::MetricType;
using joulebench::exporter::ParsedSample;

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void check_round_trip(const ParsedSample& sample) {
  const MetricFamily family{sample.name, "fuzz", MetricType::gauge, {{sample.labels, sample.value}}};
  const auto again = joulebench::exporter::parse_prometheus_text(
      joulebench::exporter::write_text({family}), "again");
  if (!again || again->size() != 1) __builtin_trap();
  const ParsedSample& back = again->front();
  if (back.name != sample.name || back.labels != sample.labels || !same_value(back.value, sample.value)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = joulebench::exporter::parse_prometheus_text(input, "fuzz");
  if (!parsed) {
    std::size_t lines = 1;
    for (const char c : input) lines += c == '\n' ? 1 : 0;
    if (parsed.error().file != "fuzz" || parsed.error().line == 0 || parsed.error().line > lines ||
        parsed.error().message.empty()) {
      __builtin_trap();
    }
    return 0;
  }
  for (const auto& sample : *parsed) check_round_trip(sample);
  return 0;
}
