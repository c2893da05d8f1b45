// libFuzzer target: the offline history CSV and the models.yaml of `joulebench fleet --csv`
// on arbitrary bytes (the same bytes through both parsers). A successful CSV has at least one
// model, every model a GPU count >= 1, values finite and >= 0 or missing, times ascending;
// a successful models file has named models with positive memory figures.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/plausibility.hpp"
#include "fleet/history.hpp"
#include "fleet/models_file.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using joulebench::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto history = joulebench::fleet::parse_history_csv(text, "fuzz.csv");
  if (!history) {
    require(!history.error().message.empty() && history.error().file == "fuzz.csv",
            "an error without message or file");
  } else {
    require(!history->models.empty(), "success without models");
    for (const auto& model : history->models) {
      require(model.gpus >= 1 && !model.model.empty() && !model.points.empty(),
              "a model without GPUs, name or rows");
      for (std::size_t i = 0; i < model.points.size(); ++i) {
        const auto& p = model.points[i];
        require(!p.power_w || (std::isfinite(*p.power_w) && *p.power_w >= 0.0 &&
                               *p.power_w <= model.gpus * joulebench::kMaxPlausibleDevicePowerW),
                "a bad power value accepted");
        require(!p.tokens_per_s || (std::isfinite(*p.tokens_per_s) && *p.tokens_per_s >= 0.0),
                "a bad throughput accepted");
        require(i == 0 || model.points[i - 1].time_s <= p.time_s, "rows not in time order");
      }
      require(!model.step_s || *model.step_s > 0.0, "a non-positive step");
    }
  }
  auto entries = joulebench::fleet::parse_models_file(text, "fuzz.yaml");
  if (!entries) {
    require(!entries.error().message.empty(), "an error without a message");
    return 0;
  }
  for (const auto& entry : *entries) {
    require(!entry.model.empty(), "a model without a name");
    require(!entry.memory_gb || *entry.memory_gb > 0.0, "a non-positive memory figure accepted");
  }
  return 0;
}
