#include "validity_flags.hpp"

namespace joulebench::cli {

void ValidityFlags::add_to(CLI::App& app) {
  auto* group = app.add_option_group("Validity", "thresholds of the validity verdict");
  group->add_option("--min-duration", min_duration, "measured duration at least (default 60s)")
      ->type_name("DURATION");
  group->add_option("--min-iterations", values.min_iterations,
                    "measured iterations at least, run mode (default 50)");
  group->add_option("--min-utilization", values.min_gpu_utilization_pct,
                    "mean GPU utilisation above, percent (default 70)");
  group->add_option("--max-power-cv", values.max_power_cv,
                    "power coefficient of variation below (default 0.05)");
  group->add_option("--max-method-disagreement", values.max_method_disagreement,
                    "counter vs integrated energy within (default 0.05)");
  group->add_flag("!--allow-throttling", values.forbid_throttling,
                  "do not fail the verdict on thermal or power-brake throttling");
}

Expected<ValidityThresholds> ValidityFlags::thresholds() const {
  ValidityThresholds out = values;
  auto duration = parse_duration(min_duration, "--min-duration");
  if (!duration) return duration.error();
  out.min_duration_s = std::chrono::duration<double>(*duration).count();
  if (out.min_gpu_utilization_pct < 0 || out.min_gpu_utilization_pct > 100) {
    return Error{"--min-utilization: must be between 0 and 100"};
  }
  if (out.max_power_cv <= 0) return Error{"--max-power-cv: must be positive"};
  if (out.max_method_disagreement <= 0) return Error{"--max-method-disagreement: must be positive"};
  return out;
}

}  // namespace joulebench::cli
