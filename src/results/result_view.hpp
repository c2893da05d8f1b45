// The typed, read-only view of one result document that every reader of results uses (the
// store's columns, cost, compare, report). decode_result (result_decoder.hpp) builds it; a
// member the document lacks, or holds with another type, is empty (nullopt, "", {}), never a
// default that looks measured. Units are in the types (Joules, Watts, Seconds) where they have
// one and in the names everywhere. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/token_energy.hpp"
#include "joulebench/units.hpp"
#include "results/result_kind.hpp"

namespace joulebench::results {

using Labels = std::map<std::string, std::string>;

// A verdict as written: "valid" or "invalid"; empty when the part was not judged.
struct ValidityView {
  std::string verdict;
  std::vector<std::string> failed_checks;  // the messages of the checks with status "fail"
  bool valid() const { return verdict == "valid"; }
};

// The energy and token figures of a level, an iteration or a whole monitor/analyze run.
struct FiguresView {
  std::optional<Joules> energy_j;
  std::optional<Watts> avg_power_w;
  std::optional<Seconds> duration_s;
  std::optional<double> j_per_output_token;
  std::optional<double> j_per_output_token_net;  // idle subtracted
  std::optional<double> tokens_per_j;
  std::optional<double> output_tokens_per_s;
  // 95% intervals written beside the figures (from the energy's uncertainty); null when the
  // document has none (older results, or no interval could be built).
  std::optional<Interval> j_per_output_token_ci95;
  std::optional<Interval> j_per_output_token_net_ci95;
  std::optional<Interval> energy_ci95_j;  // a monitor's energy_uncertainty.ci95_j
};

// One device of a measurement.
struct DeviceView {
  std::string id;
  std::string name;
  std::string method;  // "counter" or "integrated"; empty when not written
  std::optional<Joules> energy_j;
  std::optional<Watts> avg_power_w;
  std::string uuid;  // empty when the document names none
  // The systematic part of the energy's 95% interval (the sensor's stated accuracy, or the
  // calibration's interval): what differs between two GPUs and cancels on one. Null when
  // the document states none.
  std::optional<Joules> systematic_half_width_j;
};

// When a measurement ran, on the run's clock (seconds from its start), and on what.
struct MeasurementView {
  std::optional<Seconds> start_s;
  std::optional<Seconds> duration_s;
  std::vector<DeviceView> devices;
};

// Gross energy, or net of the idle power measured before the run.
enum class EnergyBasis { gross, net };

// The J/output token on `basis`, and the JSON member it is written as.
std::optional<double> j_per_output_token(const FiguresView& figures, EnergyBasis basis);
std::optional<Interval> j_per_output_token_ci95(const FiguresView& figures, EnergyBasis basis);
const char* j_per_output_token_key(EnergyBasis basis);

// A named window marked inside a run iteration (the command's own, e.g. "decode").
struct WindowView {
  std::string name;
  std::optional<Seconds> start_s;
  std::optional<Seconds> duration_s;
};

struct IterationView {
  std::optional<std::int64_t> index;  // 0-based
  bool warmup = false;
  std::optional<std::int64_t> exit_code;
  FiguresView figures;
  std::vector<WindowView> windows;
  MeasurementView measurement;
  ValidityView validity;
  // What `compare` and `report` count: not a warm-up, and the command exited with 0.
  bool measured() const { return !warmup && exit_code == 0; }
};

// How a bench-openai level was loaded: a concurrency (closed loop) or an arrival rate (open).
enum class LoadMode { concurrency, rate };
const char* load_mode_name(LoadMode mode);  // the JSON member: "concurrency" or "rate"

// A level named by its load, as "most_efficient" names one.
struct LevelRefView {
  LoadMode mode = LoadMode::concurrency;
  std::optional<double> load;
  std::optional<double> j_per_output_token;
};

struct LatencyView {
  std::optional<double> p50_ms;
  std::optional<double> p90_ms;
  std::optional<double> p99_ms;
};

struct LevelView {
  LoadMode mode = LoadMode::concurrency;  // concurrency when the level has that member
  std::optional<double> load;             // its value; nullopt when not a number
  FiguresView figures;
  ValidityView validity;
  std::optional<bool> slo_met;
  LatencyView ttft;
  LatencyView itl;
  MeasurementView measurement;
};

struct SloView {
  std::optional<double> ttft_p90_ms;
  std::optional<double> itl_p90_ms;
  bool given() const { return ttft_p90_ms.has_value() || itl_p90_ms.has_value(); }
};

// The means over a run's measured iterations ("summary").
struct RunSummaryView {
  std::optional<double> j_per_output_token;
  std::optional<double> j_per_output_token_net;
  std::optional<double> tokens_per_j;
  std::optional<double> output_tokens_per_s;
};

std::optional<double> j_per_output_token(const RunSummaryView& summary, EnergyBasis basis);

struct ProvenanceView {
  std::string host;
  std::string tool_version;
  std::string start_time;                     // where a document keeps it in its provenance only
  bool simulated = false;                     // played from a recorded trace
  std::vector<std::string> devices_measured;  // bench-openai: the GPUs summed
};

struct ResultView {
  ResultKind kind = ResultKind::monitor;
  std::int64_t schema_version = 0;
  Labels labels;  // string-valued labels only
  std::string start_time;
  ProvenanceView provenance;
  // The command measured (monitor, run); nullopt when the document names none.
  std::optional<std::vector<std::string>> command;
  std::string model;  // bench-openai
  std::string url;    // bench-openai
  std::optional<std::string> failed_because;
  std::optional<std::string> interrupted_by;
  std::optional<std::string> trace;          // the trace file written beside the result, as written
  FiguresView figures;                       // monitor, analyze: the whole run
  std::vector<DeviceView> devices;           // monitor, analyze: the whole run's devices
  std::optional<Joules> whole_run_energy_j;  // run: warm-ups and gaps included
  RunSummaryView summary;                    // run
  ValidityView validity;                     // run
  // nullopt when the document has no such array (the reason readers give: "has no levels").
  std::optional<std::vector<IterationView>> iterations;  // run
  std::optional<std::vector<LevelView>> levels;          // bench-openai
  SloView slo;                                           // bench-openai
  std::optional<double> prompt_tokens;                   // bench-openai; nullopt: a dataset
  std::optional<double> output_tokens;
  std::optional<LevelRefView> most_efficient;
  std::optional<LevelRefView> most_efficient_within_slo;
};

}  // namespace joulebench::results
