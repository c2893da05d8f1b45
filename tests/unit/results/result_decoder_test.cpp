// decode_result: each kind of result document to its typed view, malformed documents to an
// Error naming the member, and absent or mistyped optional members to empty values.
#include "results/result_decoder.hpp"

#include <gtest/gtest.h>

#include "results/document_filter.hpp"

namespace joulebench::results {
namespace {

using nlohmann::json;

json measurement(double start_s, double duration_s) {
  return {{"name", "m"},
          {"start_s", start_s},
          {"duration_s", duration_s},
          {"devices",
           {{{"id", "gpu0"},
             {"name", "H100"},
             {"method", "counter"},
             {"energy_j", 42.0},
             {"avg_power_w", 300.0}}}}};
}

json monitor_document() {
  return {{"schema_version", 1},
          {"kind", "monitor"},
          {"command", {"sleep", "1"}},
          {"labels", {{"precision", "fp16"}, {"batch", 8}}},
          {"start_time", "2026-01-01T00:00:00Z"},
          {"failed_because", nullptr},
          {"interrupted_by", "SIGINT"},
          {"duration_s", 2.0},
          {"energy_j", 500.0},
          {"avg_power_w", 250.0},
          {"trace", "trace.csv"},
          {"provenance", {{"host", "h"}, {"tool_version", "0.1.0"}, {"simulated", true}}}};
}

json run_document() {
  return {{"schema_version", 1},
          {"kind", "run"},
          {"command", {"gen"}},
          {"iterations",
           {{{"index", 0}, {"warmup", true}, {"exit_code", 0}, {"j_per_output_token", 9.0}},
            {{"index", 1},
             {"warmup", false},
             {"exit_code", 0},
             {"j_per_output_token", 2.0},
             {"tokens_per_j", 0.5},
             {"energy_j", 20.0},
             {"windows", {{{"name", "decode"}, {"start_s", 1.0}, {"duration_s", 0.5}}}},
             {"measurement", measurement(0.5, 2.0)},
             {"validity",
              {{"verdict", "invalid"},
               {"checks",
                {{{"status", "fail"}, {"message", "too short"}},
                 {{"status", "pass"}, {"message", "fine"}}}}}}}}},
          {"summary",
           {{"j_per_output_token", {{"mean", 2.0}}},
            {"j_per_output_token_net", {{"mean", 1.5}, {"unit", "J/token"}}},
            {"tokens_per_j", {{"unit", "tokens/J"}, {"missing_reason", "no tokens"}}}}},
          {"whole_run", measurement(0.0, 3.0)},
          {"validity", {{"verdict", "valid"}, {"checks", json::array()}}}};
}

json bench_document() {
  return {{"schema_version", 1},
          {"kind", "bench-openai"},
          {"model", "m"},
          {"url", "http://x/v1"},
          {"prompt_tokens", nullptr},
          {"output_tokens", 128},
          {"slo", {{"ttft_p90_ms", 500.0}, {"itl_p90_ms", nullptr}}},
          {"levels",
           {{{"concurrency", 4},
             {"j_per_output_token", 0.4},
             {"j_per_output_token_net", 0.3},
             {"slo_met", true},
             {"ttft_ms", {{"p50", 10.0}, {"p90", 20.0}, {"p99", 30.0}}},
             {"validity", {{"verdict", "valid"}}},
             {"measurement", measurement(5.0, 10.0)}},
            {{"rate", 2.5}, {"j_per_output_token", 0.2}}}},
          {"most_efficient", {{"concurrency", 4}, {"j_per_output_token", 0.4}}},
          {"most_efficient_within_slo", nullptr},
          {"provenance", {{"devices_measured", {"gpu0", "gpu1"}}}}};
}

TEST(ResultDecoder, Monitor) {
  auto view = decode_result(monitor_document());
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->kind, ResultKind::monitor);
  EXPECT_EQ(view->schema_version, 1);
  EXPECT_EQ(view->labels, (Labels{{"precision", "fp16"}}));  // string labels only
  EXPECT_EQ(view->command, (std::vector<std::string>{"sleep", "1"}));
  EXPECT_EQ(view->start_time, "2026-01-01T00:00:00Z");
  EXPECT_FALSE(view->failed_because);
  EXPECT_EQ(view->interrupted_by, "SIGINT");
  EXPECT_EQ(view->trace, "trace.csv");
  EXPECT_EQ(view->figures.energy_j, Joules(500.0));
  EXPECT_EQ(view->figures.avg_power_w, Watts(250.0));
  EXPECT_EQ(view->figures.duration_s, Seconds(2.0));
  EXPECT_FALSE(view->figures.j_per_output_token);
  EXPECT_EQ(view->provenance.host, "h");
  EXPECT_EQ(view->provenance.tool_version, "0.1.0");
  EXPECT_TRUE(view->provenance.simulated);
  EXPECT_FALSE(view->iterations);
  EXPECT_FALSE(view->levels);
}

TEST(ResultDecoder, RunWithIterationsSummaryAndValidity) {
  auto view = decode_result(run_document());
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->kind, ResultKind::run);
  ASSERT_TRUE(view->iterations);
  ASSERT_EQ(view->iterations->size(), 2u);
  const IterationView& warmup = (*view->iterations)[0];
  EXPECT_TRUE(warmup.warmup);
  EXPECT_FALSE(warmup.measured());
  const IterationView& measured = (*view->iterations)[1];
  EXPECT_TRUE(measured.measured());
  EXPECT_EQ(measured.index, 1);
  EXPECT_EQ(measured.figures.j_per_output_token, 2.0);
  EXPECT_EQ(measured.figures.tokens_per_j, 0.5);
  EXPECT_EQ(measured.figures.energy_j, Joules(20.0));
  ASSERT_EQ(measured.windows.size(), 1u);
  EXPECT_EQ(measured.windows[0].name, "decode");
  EXPECT_EQ(measured.windows[0].start_s, Seconds(1.0));
  EXPECT_EQ(measured.measurement.duration_s, Seconds(2.0));
  ASSERT_EQ(measured.measurement.devices.size(), 1u);
  EXPECT_EQ(measured.measurement.devices[0].id, "gpu0");
  EXPECT_EQ(measured.measurement.devices[0].energy_j, Joules(42.0));
  EXPECT_EQ(measured.validity.verdict, "invalid");
  EXPECT_EQ(measured.validity.failed_checks, (std::vector<std::string>{"too short"}));
  EXPECT_EQ(view->summary.j_per_output_token, 2.0);
  EXPECT_EQ(view->summary.j_per_output_token_net, 1.5);
  EXPECT_FALSE(view->summary.tokens_per_j);  // a figure with a missing_reason has no mean
  EXPECT_EQ(j_per_output_token(view->summary, EnergyBasis::net), 1.5);
  EXPECT_EQ(view->whole_run_energy_j, std::nullopt);  // whole_run keeps energy_j at its top
  EXPECT_TRUE(view->validity.valid());
}

TEST(ResultDecoder, BenchOpenaiLevels) {
  auto view = decode_result(bench_document());
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->kind, ResultKind::bench_openai);
  EXPECT_EQ(view->model, "m");
  EXPECT_EQ(view->url, "http://x/v1");
  EXPECT_FALSE(view->command);
  EXPECT_FALSE(view->prompt_tokens);  // null: prompts from a dataset
  EXPECT_EQ(view->output_tokens, 128.0);
  EXPECT_EQ(view->slo.ttft_p90_ms, 500.0);
  EXPECT_FALSE(view->slo.itl_p90_ms);
  EXPECT_TRUE(view->slo.given());
  ASSERT_TRUE(view->levels);
  ASSERT_EQ(view->levels->size(), 2u);
  const LevelView& closed = (*view->levels)[0];
  EXPECT_EQ(closed.mode, LoadMode::concurrency);
  EXPECT_EQ(closed.load, 4.0);
  EXPECT_EQ(j_per_output_token(closed.figures, EnergyBasis::net), 0.3);
  EXPECT_EQ(closed.slo_met, true);
  EXPECT_EQ(closed.ttft.p90_ms, 20.0);
  EXPECT_FALSE(closed.itl.p90_ms);
  EXPECT_TRUE(closed.validity.valid());
  EXPECT_EQ(closed.measurement.start_s, Seconds(5.0));
  const LevelView& open = (*view->levels)[1];
  EXPECT_EQ(open.mode, LoadMode::rate);
  EXPECT_EQ(open.load, 2.5);
  EXPECT_FALSE(open.slo_met);
  EXPECT_TRUE(open.validity.verdict.empty());  // not judged
  ASSERT_TRUE(view->most_efficient);
  EXPECT_EQ(view->most_efficient->load, 4.0);
  EXPECT_EQ(view->most_efficient->j_per_output_token, 0.4);
  EXPECT_FALSE(view->most_efficient_within_slo);
  EXPECT_EQ(view->provenance.devices_measured, (std::vector<std::string>{"gpu0", "gpu1"}));
}

TEST(ResultDecoder, AnalyzeAndSyntheticAreKindsWithTheirSpelling) {
  auto analyze = decode_result({{"schema_version", 1}, {"kind", "analyze"}, {"energy_j", 3.0}});
  ASSERT_TRUE(analyze);
  EXPECT_EQ(analyze->kind, ResultKind::analyze);
  EXPECT_EQ(analyze->figures.energy_j, Joules(3.0));
  auto synthetic = decode_result({{"schema_version", 1}, {"kind", "synthetic"}});
  ASSERT_TRUE(synthetic);
  EXPECT_EQ(synthetic->kind, ResultKind::bench_synthetic);
  for (const ResultKind kind : kAllResultKinds) EXPECT_EQ(parse_kind(kind_name(kind)), kind);
  EXPECT_STREQ(kind_name(ResultKind::bench_openai), "bench-openai");
}

std::string error_of(const json& document) {
  auto view = decode_result(document);
  return view ? std::string("(decoded)") : view.error().message;
}

TEST(ResultDecoder, MalformedDocumentsAreErrorsNamingTheMember) {
  EXPECT_EQ(error_of(json::array()), "not a JSON object (expected a joulebench result document)");
  EXPECT_EQ(error_of({{"kind", "run"}}),
            "\"schema_version\": missing (not a joulebench result document)");
  EXPECT_EQ(error_of({{"schema_version", "1"}, {"kind", "run"}}),
            "\"schema_version\": \"1\" is not an integer");
  EXPECT_EQ(error_of({{"schema_version", 2}, {"kind", "run"}}),
            "\"schema_version\": 2 is not supported (this joulebench reads 1 to 1)");
  EXPECT_EQ(error_of({{"schema_version", 1}}), "\"kind\": missing");
  EXPECT_NE(
      error_of({{"schema_version", 1}, {"kind", "devices"}}).find("\"kind\": \"devices\" is not"),
      std::string::npos);
  EXPECT_NE(error_of({{"schema_version", 1}, {"kind", 7}}).find("\"kind\": 7 is not"),
            std::string::npos);
}

TEST(ResultDecoder, MistypedOptionalMembersAreEmptyNotACrash) {
  const json document = {
      {"schema_version", 1},
      {"kind", "run"},
      {"labels", {"not", "an object"}},
      {"command", 5},
      {"summary", "none"},
      {"validity", {{"verdict", 3}, {"checks", "x"}}},
      {"provenance", {{"simulated", "yes"}, {"devices_measured", "gpu0"}}},
      {"iterations", {{{"warmup", "no"}, {"exit_code", "0"}, {"windows", {{"name", 1}}}}, 7}},
      {"levels", json::array({json{{"concurrency", "four"}}})}};
  auto view = decode_result(document);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_TRUE(view->labels.empty());
  EXPECT_FALSE(view->command);
  EXPECT_FALSE(view->summary.j_per_output_token);
  EXPECT_TRUE(view->validity.verdict.empty());
  EXPECT_FALSE(view->provenance.simulated);
  EXPECT_TRUE(view->provenance.devices_measured.empty());
  ASSERT_TRUE(view->iterations);
  ASSERT_EQ(view->iterations->size(), 2u);
  EXPECT_FALSE((*view->iterations)[0].warmup);
  EXPECT_FALSE((*view->iterations)[0].exit_code);
  EXPECT_FALSE((*view->iterations)[0].measured());
  EXPECT_FALSE((*view->iterations)[1].index);
  ASSERT_TRUE(view->levels);
  EXPECT_EQ((*view->levels)[0].mode, LoadMode::concurrency);
  EXPECT_FALSE((*view->levels)[0].load);
}

TEST(ResultDecoder, DeviceEnergyHasOneAccessor) {
  EXPECT_EQ(device_energy_j(json{{"energy_j", 12.5}}), Joules(12.5));
  EXPECT_FALSE(device_energy_j(json{{"energy_j", nullptr}, {"energy_reason", "no counter"}}));
  EXPECT_FALSE(device_energy_j(json::array()));
}

TEST(ResultDecoder, TheViewFilterKeepsWhatTheViewReadsAndDropsDeviceDetail) {
  const json whole = run_document();
  const json filtered = parse_document(whole.dump(), &view_document_filter());
  auto full_view = decode_result(whole);
  auto filtered_view = decode_result(filtered);
  ASSERT_TRUE(full_view && filtered_view);
  EXPECT_EQ(filtered_view->summary.j_per_output_token_net, 1.5);
  EXPECT_EQ((*filtered_view->iterations)[1].windows.size(), 1u);
  EXPECT_EQ((*filtered_view->iterations)[1].validity.failed_checks,
            (*full_view->iterations)[1].validity.failed_checks);
  EXPECT_TRUE((*filtered_view->iterations)[1].measurement.devices.empty());
}

}  // namespace
}  // namespace joulebench::results
