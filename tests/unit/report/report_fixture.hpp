// Result documents shaped as `run` and `bench openai` write them (only the fields the report
// reads), with figures chosen so that expectations can be computed by hand.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_model.hpp"

namespace joulebench::report::testing {

inline nlohmann::json iteration(int index, bool warmup, double j_per_token, double tokens_per_s, double start_s) {
  return {{"index", index},
          {"warmup", warmup},
          {"exit_code", 0},
          {"j_per_output_token", j_per_token},
          {"tokens_per_j", 1.0 / j_per_token},
          {"output_tokens_per_s", tokens_per_s},
          {"avg_power_w", j_per_token * tokens_per_s},
          {"windows", nlohmann::json::array({{{"name", "decode"}, {"start_s", start_s}, {"duration_s", 0.5}}})}};
}

inline nlohmann::json validity(bool valid) {
  nlohmann::json checks = nlohmann::json::array();
  if (!valid) checks.push_back({{"name", "duration"}, {"status", "fail"}, {"message", "window shorter than 1 s"}});
  return {{"verdict", valid ? "valid" : "invalid"}, {"checks", checks}};
}

// A run of precision=PRECISION batch=8: a warm-up and three measured iterations.
inline ResultDocument run_document(const std::string& id, const std::string& precision, std::vector<double> j_per_token,
                                   bool valid = true) {
  nlohmann::json iterations = nlohmann::json::array({iteration(0, true, 9.0, 10.0, 0.0)});
  for (std::size_t i = 0; i < j_per_token.size(); ++i) {
    iterations.push_back(iteration(static_cast<int>(i + 1), false, j_per_token[i], 50.0 + 10.0 * i, 1.0 + i));
  }
  nlohmann::json document = {{"schema_version", 1},
                             {"kind", "run"},
                             {"labels", {{"precision", precision}, {"batch", "8"}}},
                             {"start_time", "2026-11-25T10:00:00Z"},
                             {"iterations", iterations},
                             {"validity", validity(valid)},
                             {"provenance", {{"host", "node-1"}, {"tool_version", "0.1.0"}, {"simulated", true}}}};
  return {id, "file", id, document, ""};
}

// A bench-openai sweep over concurrency 1, 4, 16 with precision=fp16 batch=8.
inline ResultDocument bench_document() {
  nlohmann::json levels = nlohmann::json::array();
  const double loads[] = {1, 4, 16};
  const double j_per_token[] = {2.0, 1.0, 0.8};
  const double tokens_per_s[] = {40, 150, 420};
  for (int i = 0; i < 3; ++i) {
    levels.push_back({{"concurrency", loads[i]},
                      {"j_per_output_token", j_per_token[i]},
                      {"tokens_per_j", 1.0 / j_per_token[i]},
                      {"output_tokens_per_s", tokens_per_s[i]},
                      {"avg_power_w", j_per_token[i] * tokens_per_s[i]},
                      {"validity", validity(i != 0)},
                      {"measurement", {{"start_s", 2.0 * i}, {"duration_s", 1.5}}}});
  }
  nlohmann::json document = {{"schema_version", 1},
                             {"kind", "bench-openai"},
                             {"labels", {{"precision", "fp16"}, {"batch", "8"}}},
                             {"start_time", "2026-11-25T11:00:00Z"},
                             {"levels", levels},
                             {"provenance", {{"host", "node-2"}, {"tool_version", "0.1.0"}, {"simulated", false}}}};
  return {"sweep.json", "file", "sweep.json", document, ""};
}

// A joulebench trace v1 of one GPU: 200 W, 600 W from 1 s to 3 s, 200 W after.
inline std::string trace_csv() {
  std::string text =
      "# joulebench-trace v1\n# tool=\"joulebench 0.1.0\"\n# start_time=2026-11-25T10:00:00Z\n# interval_s=0.5\n"
      "# device index=0 id=nvml:0 sensor=nvml name=GPU power_kind=instantaneous cap.power=yes\n"
      "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,memory_used_bytes,"
      "throttle_mask\n";
  for (int i = 0; i <= 8; ++i) {
    const double time_s = 0.5 * i;
    const double power_w = time_s >= 1.0 && time_s <= 3.0 ? 600.0 : 200.0;
    text += std::to_string(time_s) + ",0," + std::to_string(power_w) + ",,,,,,\n";
  }
  return text;
}

inline std::vector<ResultDocument> documents() {
  auto fp16 = run_document("fp16.json", "fp16", {4.0, 4.2, 4.4});
  fp16.trace_csv = trace_csv();
  return {fp16, run_document("nf4.json", "nf4", {3.5, 3.6, 3.7}, false), bench_document()};
}

}  // namespace joulebench::report::testing
