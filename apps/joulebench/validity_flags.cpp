#include "validity_flags.hpp"

namespace joulebench::cli {

void ValidityFlags::add_to(CLI::App& app) {
  auto* group = app.add_option_group("Validity", "thresholds of the validity verdict");
  group->add_option("--min-duration", min_duration, "measured duration at least (default 60s)")
      ->type_name("DURATION");
  group->add_option("--min-iterations", values.min_iterations,
                    "measured iterations at least, run mode (default 50)");
  group
      ->add_option("--min-utilization", min_utilization,
                   "mean GPU utilisation above: 70% or 0.7 (default 70%)")
      ->type_name("SHARE");
  group
      ->add_option("--max-power-cv", max_power_cv,
                   "steady-state power CV below: 5% or 0.05 (default 5%)")
      ->type_name("SHARE");
  group
      ->add_option("--max-method-disagreement", max_method_disagreement,
                   "counter vs integrated energy within: 5% or 0.05 (default 5%)")
      ->type_name("SHARE");
  group->add_flag("--allow-throttling", allow_throttling,
                  "do not fail the verdict on thermal or power-brake throttling");
}

Expected<ValidityThresholds> ValidityFlags::thresholds() const {
  ValidityThresholds out = values;
  auto duration = parse_duration(min_duration, "--min-duration");
  if (!duration) return duration.error();
  out.min_duration_s = std::chrono::duration<double>(*duration).count();
  auto utilization = parse_share(min_utilization, "--min-utilization");
  if (!utilization) return utilization.error();
  out.min_gpu_utilization_pct = *utilization * 100.0;
  auto power_cv = parse_share(max_power_cv, "--max-power-cv");
  if (!power_cv) return power_cv.error();
  if (*power_cv <= 0) return Error{"--max-power-cv: must be positive"};
  out.max_power_cv = *power_cv;
  auto disagreement = parse_share(max_method_disagreement, "--max-method-disagreement");
  if (!disagreement) return disagreement.error();
  if (*disagreement <= 0) return Error{"--max-method-disagreement: must be positive"};
  out.max_method_disagreement = *disagreement;
  out.forbid_throttling = !allow_throttling;
  return out;
}

}  // namespace joulebench::cli
