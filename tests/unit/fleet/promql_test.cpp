// The PromQL of fleet: aggregation by model happens in Prometheus, one query per figure family.
#include "fleet/promql.hpp"

#include <gtest/gtest.h>

#include "fleet/dcgm_promql.hpp"

namespace joulebench::fleet {
namespace {

TEST(Promql, ModelLabelQueries) {
  const auto q = fleet_queries({}, "300s", "7d");
  // The counter's rate where a GPU has the counter, the gauge only where it has none.
  EXPECT_EQ(q.power,
            "sum by (model, source) "
            "(label_replace(rate(joulebench_gpu_energy_joules_total{model!=\"\"}[300s]), "
            "\"source\", \"counter\", \"\", \"\") or "
            "label_replace(joulebench_gpu_power_watts{model!=\"\"} unless "
            "joulebench_gpu_energy_joules_total{model!=\"\"}, \"source\", \"gauge\", \"\", \"\"))");
  EXPECT_EQ(q.allocation, "count by (model, name) (joulebench_gpu_power_watts{model!=\"\"})");
  EXPECT_EQ(q.tokens, "sum by (model) (rate(joulebench_tokens_total{model!=\"\"}[300s]))");
  EXPECT_EQ(q.idle, "avg by (name) (avg_over_time(joulebench_gpu_idle_power_watts[7d]))");
}

TEST(Promql, ModelsFileBecomesLabelMatchers) {
  std::vector<ModelEntry> entries = {{"a.b", {"node-1", "node.2"}, {"0", "1"}, {}, {}},
                                     {"c\"d", {"n3"}, {}, {}, {}}};
  const auto q = fleet_queries(entries, "300s", "1d");
  const std::string gauge =
      "label_replace(joulebench_gpu_power_watts{hostname=~\"node-1|node\\\\.2\",gpu=~\"0|1\"}, "
      "\"model\", \"a.b\", \"\", "
      "\"\") or label_replace(joulebench_gpu_power_watts{hostname=~\"n3\"}, \"model\", \"c\\\"d\", "
      "\"\", \"\")";
  const std::string counter_rate =
      "label_replace(rate(joulebench_gpu_energy_joules_total{hostname=~\"node-1|node\\\\.2\",gpu=~"
      "\"0|1\"}[300s]), "
      "\"model\", \"a.b\", \"\", \"\") or "
      "label_replace(rate(joulebench_gpu_energy_joules_total{hostname=~\"n3\"}[300s]), "
      "\"model\", \"c\\\"d\", \"\", \"\")";
  const std::string counter =
      "label_replace(joulebench_gpu_energy_joules_total{hostname=~\"node-1|node\\\\.2\",gpu=~\"0|"
      "1\"}, \"model\", "
      "\"a.b\", \"\", \"\") or label_replace(joulebench_gpu_energy_joules_total{hostname=~\"n3\"}, "
      "\"model\", "
      "\"c\\\"d\", \"\", \"\")";
  EXPECT_EQ(q.power, "sum by (model, source) (label_replace((" + counter_rate +
                         "), \"source\", \"counter\", \"\", \"\") or label_replace((" + gauge +
                         ") unless (" + counter + "), \"source\", \"gauge\", \"\", \"\"))");
  EXPECT_EQ(q.allocation, "count by (model, name) (" + gauge + ")");
  EXPECT_EQ(q.tokens,
            "sum by (model) (rate(joulebench_tokens_total{model=~\"a\\\\.b|c\\\"d\"}[300s]))");
}

TEST(DcgmPromql, PodJoinMigShareAndEngineTokens) {
  const auto q = dcgm_fleet_queries({}, "120s", "7d");
  // Power: the counter in mJ to W, the gauge only without a counter, weighted per MIG
  // instance by compute slices over the GPU's UUID, then joined to the engines' pods.
  EXPECT_EQ(
      q.power.rfind("sum by (model, source) (((label_replace(rate("
                    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION[120s]) / 1000, \"source\", "
                    "\"counter\", \"\", \"\") or label_replace(DCGM_FI_DEV_POWER_USAGE unless "
                    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, \"source\", \"gauge\", \"\", \"\")) "
                    "* ignoring (source) group_left () ",
                    0),
      0u)
      << q.power;
  EXPECT_NE(
      q.power.find("(DCGM_FI_DEV_POWER_USAGE{GPU_I_PROFILE=~\"3g\\\\..*\"} or "
                   "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{GPU_I_PROFILE=~\"3g\\\\..*\"}) * 0 + 3"),
      std::string::npos)
      << q.power;
  EXPECT_NE(q.power.find("/ on (UUID) group_left sum by (UUID)"), std::string::npos);
  EXPECT_NE(q.power.find("* on (namespace, pod) group_left (model) clamp_max(count by "
                         "(namespace, pod, model) ("),
            std::string::npos);
  EXPECT_EQ(q.tokens,
            "sum by (model) (label_replace(rate({__name__=~\"vllm:generation_tokens_total|"
            "sglang:generation_tokens_total\"}[120s]), \"model\", \"$1\", \"model_name\", "
            "\"(.+)\") or label_replace(rate(tgi_request_generated_tokens_sum[120s]), \"model\", "
            "\"$1\", \"container\", \"(.+)\"))");
  // GPUs, not instances: one per UUID, typed by modelName.
  EXPECT_EQ(q.allocation.rfind("count by (model, name) (count by (model, name, UUID) "
                               "(label_replace(",
                               0),
            0u);
  EXPECT_NE(q.allocation.find("\"name\", \"$1\", \"modelName\", \"(.*)\")))"), std::string::npos);
}

TEST(DcgmPromql, ModelsFileMatchesHostnameAndGpu) {
  std::vector<ModelEntry> entries = {{"m", {"node.1"}, {"0"}, {}, {}}};
  const auto q = dcgm_fleet_queries(entries, "120s", "1d");
  EXPECT_NE(
      q.power.find("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{Hostname=~\"node\\\\.1\",gpu=~\"0\"}"),
      std::string::npos)
      << q.power;
  EXPECT_NE(q.power.find(", \"model\", \"m\", \"\", \"\")"), std::string::npos);
  EXPECT_EQ(q.power.find("namespace"), std::string::npos);  // no pod join
}

TEST(DcgmPromql, DetectionQueryLabelsEachFamily) {
  EXPECT_EQ(metrics_detection_query("3600s"),
            "label_replace(count(last_over_time(joulebench_gpu_power_watts[3600s])), \"metrics\", "
            "\"joulebench\", \"\", \"\") or label_replace(count(last_over_time("
            "DCGM_FI_DEV_POWER_USAGE[3600s])), \"metrics\", \"dcgm\", \"\", \"\") or "
            "label_replace(count(last_over_time(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION[3600s])), "
            "\"metrics\", \"dcgm\", \"\", \"\")");
}

TEST(Promql, ScrapeIntervalQuery) {
  EXPECT_EQ(scrape_samples_query(kPowerGauge, "3600s"),
            "max(count_over_time(joulebench_gpu_power_watts[3600s]))");
}

TEST(Promql, Urls) {
  EXPECT_EQ(url_encode("sum by (m) (x{a=\"b\"})"), "sum%20by%20%28m%29%20%28x%7Ba%3D%22b%22%7D%29");
  EXPECT_EQ(query_range_url("http://p:9090/", "up", 60, 120, 60),
            "http://p:9090/api/v1/query_range?query=up&start=60&end=120&step=60");
  EXPECT_EQ(query_url("http://p:9090", "up", 7), "http://p:9090/api/v1/query?query=up&time=7");
}

}  // namespace
}  // namespace joulebench::fleet
