// libFuzzer target: the Prometheus HTTP API answer parser of `joulebench fleet` on arbitrary
// bytes. Besides "no crash, no hang, no sanitizer report": a success carries only finite
// values in increasing time order (NaN/Inf are counted, never delivered), and an error has a
// message and names the query.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fleet/query_answer.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using joulebench::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto answer = joulebench::fleet::parse_query_answer(text, "fuzz query");
  if (!answer) {
    require(!answer.error().message.empty(), "an error without a message");
    require(answer.error().file == "fuzz query", "an error without the query's name");
    return 0;
  }
  for (const auto& series : answer->series) {
    for (std::size_t i = 0; i < series.points.size(); ++i) {
      require(std::isfinite(series.points[i].first) && std::isfinite(series.points[i].second), "a non-finite point delivered");
      require(i == 0 || series.points[i - 1].first < series.points[i].first, "times do not increase");
    }
  }
  return 0;
}
