// The names of the members of result documents (docs/trace-format.md, the writers in
// src/report/) that anything reads back: one constant each, used by the writers that put them
// there, the decoder that takes them out and the document filters that keep them. A member
// only ever written (never read back) may keep its literal in its writer.
#pragma once

namespace joulebench::results::keys {

// Document
inline constexpr const char* schema_version = "schema_version";
inline constexpr const char* kind = "kind";
inline constexpr const char* run_id = "run_id";  // added by `runs export`
inline constexpr const char* labels = "labels";
inline constexpr const char* command = "command";
inline constexpr const char* model = "model";
inline constexpr const char* url = "url";
inline constexpr const char* start_time = "start_time";
inline constexpr const char* failed_because = "failed_because";
inline constexpr const char* interrupted_by = "interrupted_by";
inline constexpr const char* trace = "trace";  // the trace CSV written beside the result
inline constexpr const char* provenance = "provenance";
inline constexpr const char* host = "host";
inline constexpr const char* tool_version = "tool_version";
inline constexpr const char* simulated = "simulated";
inline constexpr const char* devices_measured = "devices_measured";
inline constexpr const char* whole_run = "whole_run";
inline constexpr const char* summary = "summary";
inline constexpr const char* mean = "mean";
inline constexpr const char* iterations = "iterations";
inline constexpr const char* levels = "levels";
inline constexpr const char* slo = "slo";
inline constexpr const char* most_efficient = "most_efficient";
inline constexpr const char* most_efficient_within_slo = "most_efficient_within_slo";
inline constexpr const char* prompt_tokens = "prompt_tokens";
inline constexpr const char* output_tokens = "output_tokens";

// Figures (top level of monitor/analyze, each level and iteration, measurements, devices)
inline constexpr const char* energy_j = "energy_j";
inline constexpr const char* avg_power_w = "avg_power_w";
inline constexpr const char* duration_s = "duration_s";
inline constexpr const char* start_s = "start_s";
inline constexpr const char* j_per_output_token = "j_per_output_token";
inline constexpr const char* j_per_output_token_net = "j_per_output_token_net";
inline constexpr const char* tokens_per_j = "tokens_per_j";
inline constexpr const char* j_per_output_token_ci95 = "j_per_output_token_ci95";
inline constexpr const char* j_per_output_token_net_ci95 = "j_per_output_token_net_ci95";
inline constexpr const char* energy_uncertainty = "energy_uncertainty";
inline constexpr const char* ci95_j = "ci95_j";
inline constexpr const char* sources = "sources";
inline constexpr const char* half_width_j = "half_width_j";
inline constexpr const char* uuid = "uuid";
inline constexpr const char* output_tokens_per_s = "output_tokens_per_s";

// Validity (a document, a level or an iteration)
inline constexpr const char* validity = "validity";
inline constexpr const char* verdict = "verdict";
inline constexpr const char* checks = "checks";
inline constexpr const char* status = "status";
inline constexpr const char* message = "message";

// Iterations of a run
inline constexpr const char* index = "index";
inline constexpr const char* warmup = "warmup";
inline constexpr const char* exit_code = "exit_code";
inline constexpr const char* windows = "windows";
inline constexpr const char* name = "name";
inline constexpr const char* measurement = "measurement";

// Levels of a bench-openai run: the load is one of concurrency (closed loop) or rate (open)
inline constexpr const char* concurrency = "concurrency";
inline constexpr const char* rate = "rate";
inline constexpr const char* slo_met = "slo_met";
inline constexpr const char* ttft_p90_ms = "ttft_p90_ms";
inline constexpr const char* itl_p90_ms = "itl_p90_ms";
inline constexpr const char* ttft_ms = "ttft_ms";
inline constexpr const char* itl_ms = "itl_ms";
inline constexpr const char* p50 = "p50";
inline constexpr const char* p90 = "p90";
inline constexpr const char* p99 = "p99";

// Devices of a measurement (written by report/json_values.cpp)
inline constexpr const char* devices = "devices";
inline constexpr const char* id = "id";
inline constexpr const char* method = "method";

}  // namespace joulebench::results::keys
