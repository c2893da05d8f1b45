#include "fleet/dcgm_promql.hpp"

#include <fmt/format.h>

namespace joulebench::fleet {
namespace {

// The serving engines' output token counters, each with a `model` label.
std::string engine_tokens(const std::string& range_fn, const std::string& rate_window) {
  auto wrap = [&](const std::string& selector) {
    return range_fn.empty() ? selector : range_fn + "(" + selector + "[" + rate_window + "])";
  };
  return "label_replace(" +
         wrap("{__name__=~\"vllm:generation_tokens_total|sglang:generation_tokens_total\"}") +
         ", \"model\", \"$1\", \"model_name\", \"(.+)\") or label_replace(" +
         wrap("tgi_request_generated_tokens_sum") + ", \"model\", \"$1\", \"container\", \"(.+)\")";
}

// `metric{matchers}`; the braces left out when there are none.
std::string select(std::string_view metric, const std::string& matchers) {
  return matchers.empty() ? std::string(metric) : fmt::format("{}{{{}}}", metric, matchers);
}

std::string joined(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "," + b;
}

// GPUs (any value) among the GPUs `matchers` select.
std::string present(const std::string& matchers) {
  return "(" + select(kDcgmPowerGauge, matchers) + " or " + select(kDcgmEnergyCounter, matchers) +
         ")";
}

// One series per GPU or MIG instance among the GPUs `matchers` select, its value its share
// of the GPU's power: its compute slices over those of all the GPU's instances.
std::string slice_share(const std::string& matchers) {
  std::string weights = "(" + present(joined(matchers, "GPU_I_PROFILE=\"\"")) + " * 0 + 1)";
  for (int slices = 1; slices <= 7; ++slices) {
    const auto profile = fmt::format("GPU_I_PROFILE=~\"{}g\\\\..*\"", slices);
    weights += fmt::format(" or ({} * 0 + {})", present(joined(matchers, profile)), slices);
  }
  return "((" + weights + ") / on (UUID) group_left sum by (UUID) (" + weights + "))";
}

// W per GPU or MIG instance among the GPUs `matchers` select, labelled source="counter" or
// "gauge".
std::string slice_power(const std::string& matchers, const std::string& rate_window) {
  const std::string counter = select(kDcgmEnergyCounter, matchers);
  const std::string gauge = select(kDcgmPowerGauge, matchers);
  const std::string power = "label_replace(rate(" + counter + "[" + rate_window +
                            "]) / 1000, \"source\", \"counter\", \"\", \"\") or label_replace(" +
                            gauge + " unless " + counter + ", \"source\", \"gauge\", \"\", \"\")";
  return "((" + power + ") * ignoring (source) group_left () " + slice_share(matchers) + ")";
}

std::string pod_models() {
  return "clamp_max(count by (namespace, pod, model) (" + engine_tokens("", "") + "), 1)";
}

std::string by_pod(const std::string& per_gpu) {
  return per_gpu + " * on (namespace, pod) group_left (model) " + pod_models();
}

std::string host_matchers(const ModelEntry& entry) {
  std::string out = "Hostname=~\"" + promql_string(regex_alternatives(entry.hosts)) + "\"";
  if (!entry.gpu_indices.empty())
    out += ",gpu=~\"" + promql_string(regex_alternatives(entry.gpu_indices)) + "\"";
  return out;
}

// `per_gpu(matchers)` for each entry's hosts, relabelled with the entry's model.
template <typename PerGpu>
std::string by_entries(const std::vector<ModelEntry>& entries, PerGpu per_gpu) {
  std::string out;
  for (const auto& entry : entries) {
    if (entry.hosts.empty()) continue;
    if (!out.empty()) out += " or ";
    out += "label_replace(" + per_gpu(host_matchers(entry)) + ", \"model\", \"" +
           promql_string(entry.model) + "\", \"\", \"\")";
  }
  return out;
}

}  // namespace

FleetQueries dcgm_fleet_queries(const std::vector<ModelEntry>& entries,
                                const std::string& rate_window, const std::string& range) {
  std::string power, gpus;
  if (entries.empty()) {
    power = by_pod(slice_power("", rate_window));
    gpus = by_pod(present(""));
  } else {
    power = by_entries(entries, [&](const std::string& m) { return slice_power(m, rate_window); });
    gpus = by_entries(entries, [](const std::string& m) { return present(m); });
  }
  FleetQueries q;
  q.power = "sum by (model, source) (" + power + ")";
  // GPUs, not MIG instances: one per UUID.
  q.allocation = "count by (model, name) (count by (model, name, UUID) (label_replace(" + gpus +
                 ", \"name\", \"$1\", \"modelName\", \"(.*)\")))";
  q.tokens = "sum by (model) (" + engine_tokens("rate", rate_window) + ")";
  q.idle = "avg by (name) (avg_over_time(joulebench_gpu_idle_power_watts[" + range + "]))";
  return q;
}

std::string metrics_detection_query(const std::string& lookback) {
  auto family = [&](std::string_view metric, const char* name) {
    return fmt::format(
        "label_replace(count(last_over_time({}[{}])), \"metrics\", \"{}\", \"\", \"\")", metric,
        lookback, name);
  };
  return family(kPowerGauge, "joulebench") + " or " + family(kDcgmPowerGauge, "dcgm") + " or " +
         family(kDcgmEnergyCounter, "dcgm");
}

}  // namespace joulebench::fleet
