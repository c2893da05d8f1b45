// The PromQL of fleet: aggregation by model happens in Prometheus, one query per figure family.
#include "fleet/promql.hpp"

#include <gtest/gtest.h>

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
