// libFuzzer target: the throughput CSV of `joulebench estimate --csv` on arbitrary bytes.
// Besides "no crash, no hang, no sanitizer report": a success has rows whose throughput is
// finite and positive, and the estimate of each row is finite (no silent zero, no NaN).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "models/estimate_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using joulebench::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = joulebench::models::parse_throughput_csv(text, "fuzz.csv");
  if (!rows) {
    require(!rows.error().message.empty(), "an error without a message");
    return 0;
  }
  require(!rows->empty(), "success without rows");
  const joulebench::models::PowerRange power{100.0, 200.0, "fuzz"};
  for (const auto& row : *rows) {
    require(std::isfinite(row.tokens_per_s) && row.tokens_per_s > 0.0, "a non-positive throughput accepted");
    auto estimate = joulebench::models::estimate(row.tokens_per_s, power, row.batch);
    require(estimate && std::isfinite(estimate->j_per_token_high), "estimate not finite");
  }
  return 0;
}
