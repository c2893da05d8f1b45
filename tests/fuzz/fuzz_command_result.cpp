// libFuzzer target: the JOULEBENCH_RESULT file a wrapped command leaves (`joulebench run`).
// A successful parse has only finite, non-negative, plausible figures (1e308 tokens made
// tokens/s infinite); an error names the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "workloads/command/result_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using joulebench::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = joulebench::parse_command_result(text, "result.json");
  if (!result) {
    require(!result.error().message.empty() && result.error().file == "result.json",
            "an error without message or file");
    return 0;
  }
  for (const auto& figure : {result->tokens, result->tokens_per_second, result->duration_s}) {
    require(!figure || (std::isfinite(*figure) && *figure >= 0.0 && *figure <= 1e18),
            "an implausible figure accepted");
  }
  return 0;
}
