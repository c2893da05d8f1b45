// `joulebench bench openai`: J per generated token of an OpenAI-compatible serving endpoint
// at each load level (concurrency or Poisson rate), each measured over a steady-state window.
#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <memory>
#include <thread>

#include "calibration_flag.hpp"
#include "commands.hpp"
#include "energy_from_flag.hpp"
#include "gpu_sweep.hpp"
#include "idle_flags.hpp"
#include "labels.hpp"
#include "measurement_setup.hpp"
#include "models/device_facts.hpp"
#include "part_time_sampling.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "progress_line.hpp"
#include "report/serving_writers.hpp"
#include "serving_gpus.hpp"
#include "store_flags.hpp"
#include "sweep_progress.hpp"
#include "trace_recorder.hpp"
#include "validity_flags.hpp"
#include "workloads/openai/connection_limit.hpp"
#include "workloads/openai/endpoint_probe.hpp"
#include "workloads/serving/level_runner.hpp"

namespace joulebench::cli {
namespace {

struct BenchOpenaiFlags {
  SensorFlags sensors;
  EnergyFromFlag energy_from;
  CalibrationFlag calibration;
  IdleFlags idle;
  ValidityFlags validity;
  std::string url;
  std::string model;
  std::string api = "chat";
  std::string concurrency;
  std::string rate;
  std::size_t prompt_tokens = 512;
  std::size_t output_tokens = 256;
  bool ignore_eos = false;
  std::string dataset;
  std::string duration;
  std::optional<std::size_t> requests;
  std::string warmup = "10s";
  std::string cooldown = "0s";
  std::string api_key_env;
  std::optional<double> slo_ttft_ms;
  std::optional<double> slo_itl_ms;
  std::string interval = "100ms";
  OutputFlags out;
  std::string csv;
  std::string trace;  // --trace: every sample of the whole run
  std::vector<std::string> labels;
  std::string max_failed = "1%";  // failed share of a level's requests that invalidates it
  bool strict = false;
  bool quiet = false;
  StoreFlags store;
  GpuSweepFlags gpu_sweep;
  std::string* captured_document = nullptr;  // a sweep's copy of each setting's result
};

struct Plan {
  LoadMode mode = LoadMode::concurrency;
  std::vector<double> levels;
  LevelPlan level_template;
  std::chrono::nanoseconds cooldown{0};
};

Expected<Plan> make_plan(const BenchOpenaiFlags& flags) {
  if (!flags.concurrency.empty() && !flags.rate.empty()) {
    return Error{"--concurrency and --rate: give one of them, not both"};
  }
  Plan plan;
  plan.mode = flags.rate.empty() ? LoadMode::concurrency : LoadMode::rate;
  auto levels =
      plan.mode == LoadMode::concurrency
          ? parse_levels(flags.concurrency.empty() ? "1,2,4,8,16,32,64" : flags.concurrency,
                         "--concurrency", true)
          : parse_levels(flags.rate, "--rate", false);
  if (!levels) return levels.error();
  plan.levels = *levels;
  if (!flags.duration.empty() && flags.requests)
    return Error{"--duration and --requests: give one"};
  auto warmup = parse_duration(flags.warmup, "--warmup");
  if (!warmup) return warmup.error();
  auto cooldown = parse_duration(flags.cooldown, "--cooldown");
  if (!cooldown) return cooldown.error();
  plan.cooldown = *cooldown;
  plan.level_template.warmup = *warmup;
  if (flags.requests) {
    if (*flags.requests == 0) return Error{"--requests: must be at least 1"};
    plan.level_template.requests = flags.requests;
  } else {
    auto duration = parse_duration(flags.duration.empty() ? "60s" : flags.duration, "--duration");
    if (!duration) return duration.error();
    if (duration->count() <= 0) return Error{"--duration: must be positive"};
    plan.level_template.duration = *duration;
  }
  return plan;
}

Expected<LoadOptions> make_load_options(const BenchOpenaiFlags& flags) {
  LoadOptions options;
  options.base_url = flags.url;
  auto api = parse_api_kind(flags.api);
  if (!api) return Error{"--api: '" + flags.api + "' is not completions or chat"};
  options.request.api = *api;
  options.request.model = flags.model;
  if (flags.output_tokens == 0) return Error{"--output-tokens: must be at least 1"};
  options.request.max_tokens = flags.output_tokens;
  if (flags.ignore_eos) {
    options.request.ignore_eos = true;
    options.request.min_tokens = flags.output_tokens;
  }
  if (!flags.api_key_env.empty()) {
    auto key = platform::env(flags.api_key_env.c_str());
    if (!key)
      return Error{"--api-key-env: environment variable " + flags.api_key_env + " is not set"};
    options.api_key = *key;
  }
  return options;
}

struct Prompts {
  std::vector<Prompt> prompts;
  std::string source;
};

Expected<Prompts> make_prompts(const BenchOpenaiFlags& flags) {
  if (!flags.dataset.empty()) {
    auto dataset = load_prompt_dataset(flags.dataset);
    if (!dataset) return dataset.error();
    return Prompts{std::move(dataset->prompts), flags.dataset + " (" + dataset->format + ")"};
  }
  if (flags.prompt_tokens == 0) return Error{"--prompt-tokens: must be at least 1"};
  return Prompts{synthetic_prompts(256, flags.prompt_tokens, 1),
                 std::string(kSyntheticPromptLabel)};
}

// One request before any level: a wrong URL, model or path stops here with the server's words.
Expected<bool> probe_server(const LoadOptions& options, const Prompts& prompts, bool quiet) {
  LoadOptions probe = options;
  if (probe.request_timeout.count() == 0) probe.request_timeout = std::chrono::minutes(5);
  auto answer = probe_endpoint(probe, prompts.prompts);
  if (!answer) return answer.error();
  if (!quiet) {
    fmt::print(stderr, "server answered the probe request: {} token(s) in {:.2f} s\n",
               answer->output_tokens, answer->seconds);
  }
  return true;
}

void judge_level(LevelResult& level, const ValidityThresholds& thresholds) {
  ValidityInput input{level.measurement, std::nullopt, {}, request_outcomes(level)};
  if (auto verdict = assess_validity(input, thresholds)) level.validity = *verdict;
}

SweepPlan sweep_plan(const Plan& plan, const IdleFlags& idle) {
  SweepPlan out;
  out.levels = plan.levels.size();
  out.warmup_s = std::chrono::duration<double>(plan.level_template.warmup).count();
  if (plan.level_template.duration) {
    out.duration_s = std::chrono::duration<double>(*plan.level_template.duration).count();
  }
  out.cooldown_s = std::chrono::duration<double>(plan.cooldown).count();
  if (auto idle_s = parse_duration(idle.measure_first, "--idle");
      idle_s && !idle.measure_first.empty()) {
    out.idle_s = std::chrono::duration<double>(*idle_s).count();
  }
  return out;
}

// Every level in turn, each judged as it ends; Ctrl-C keeps the levels measured so far.
Expected<bool> run_levels(LevelRunner& runner, const Plan& plan,
                          const ValidityThresholds& thresholds, SweepProgress& progress,
                          ServingBenchResult& result) {
  const auto on_progress = [&progress](const LevelProgress& p) { progress.on_progress(p); };
  for (std::size_t index = 0; index < plan.levels.size(); ++index) {
    LevelPlan level_plan = plan.level_template;
    level_plan.mode = plan.mode;
    level_plan.level = plan.levels[index];
    progress.level_started(index, level_plan);
    auto measured = runner.run(level_plan, on_progress);
    if (!measured) return measured.error();
    judge_level(*measured, thresholds);
    for (auto& warning : idle_device_warnings(measured->measurement)) {
      measured->warnings.push_back(std::move(warning));
    }
    result.levels.push_back(std::move(measured.value()));
    if (platform::interrupted()) {
      result.interrupted_by = "SIGINT or SIGTERM";
      break;
    }
    if (index + 1 < plan.levels.size()) std::this_thread::sleep_for(plan.cooldown);
  }
  return true;
}

int write_outputs(const BenchOpenaiFlags& flags, const ServingBenchResult& result,
                  const report::Provenance& provenance, bool trace_complete) {
  const std::string document = report::serving_json(result, provenance);
  if (flags.captured_document) *flags.captured_document = document;
  flags.store.store(document, trace_complete ? flags.trace : "", flags.quiet);
  if (!flags.out.write_json(document)) return kExitUsage;
  if (!flags.csv.empty()) {
    auto csv = platform::write_file_atomically(flags.csv, report::serving_csv(result));
    if (!csv) return usage_error(csv.error());
  }
  if (std::ostream* summary = flags.out.summary_stream(flags.quiet)) {
    *summary << report::serving_table(result);
  }
  return 0;
}

ServingBenchResult describe(const BenchOpenaiFlags& flags, const Prompts& prompts,
                            std::map<std::string, std::string> labels) {
  ServingBenchResult result;
  result.url = flags.url;
  result.model = flags.model;
  result.api = flags.api;
  result.prompt_source = prompts.source;
  if (flags.dataset.empty()) result.prompt_tokens = flags.prompt_tokens;
  result.output_tokens = flags.output_tokens;
  result.labels = std::move(labels);
  result.slo = {flags.slo_ttft_ms, flags.slo_itl_ms};
  return result;
}

int run_bench_openai(const BenchOpenaiFlags& flags) {
  auto plan = make_plan(flags);
  if (!plan) return usage_error(plan.error());
  if (auto error = check_concurrency_fits_open_files(
          plan->mode == LoadMode::concurrency ? plan->levels : std::vector<double>{})) {
    return usage_error(*error);
  }
  auto load_options = make_load_options(flags);
  if (!load_options) return usage_error(load_options.error());
  auto prompts = make_prompts(flags);
  if (!prompts) return usage_error(prompts.error());
  auto settings = parse_measurement_settings(flags.interval, flags.labels, flags.validity);
  if (!settings) return usage_error(settings.error());
  auto max_failed = parse_share(flags.max_failed, "--max-failed");
  if (!max_failed) return usage_error(max_failed.error());
  settings->thresholds.max_failed_share = *max_failed;
  if (auto db = flags.store.check(); !db) return usage_error(db.error());
  if (auto probed = probe_server(*load_options, *prompts, flags.quiet); !probed) {
    return usage_error(probed.error());
  }
  EnergyFromFlag remote = flags.energy_from;
  if (auto ok = remote.open(flags.quiet); !ok) return usage_error(ok.error());
  if (plan->level_template.duration) {
    const double window_s = std::chrono::duration<double>(*plan->level_template.duration).count();
    if (auto ok = remote.check_window(window_s, "--duration"); !ok) return usage_error(ok.error());
  }
  SensorFlags sensors = flags.sensors;
  const ServingGpus serving = serving_gpus(flags.url, sensors);
  if (!serving.gpus.empty()) sensors.gpus = serving.gpus;
  auto opened = remote.open_sensors(sensors);
  if (!opened) return kExitUsage;

  ServingBenchResult result = describe(flags, *prompts, settings->labels);
  result.devices_measured = describe_devices(*opened);
  result.devices_note = serving.note.empty() ? devices_chosen_by(flags.sensors) : serving.note;
  if (!flags.quiet) {
    std::cerr << "devices: " << join_devices(result.devices_measured) << "\n  "
              << result.devices_note << "\n";
  }
  const report::Provenance provenance =
      make_provenance(*opened, settings->interval, flags.sensors.sensors);
  platform::install_interrupt_flag();
  auto recorder = open_trace(flags.trace, *opened, provenance);
  if (!recorder) return usage_error(recorder.error());
  MonitorOptions monitor_options;
  monitor_options.interval = settings->interval;
  if (auto loaded = flags.calibration.load_into(opened->sensors, monitor_options, flags.store.db);
      !loaded)
    return usage_error(loaded.error());
  monitor_options.describe_device = models::catalog_device_facts();
  remote.attach(monitor_options);
  record_rounds(monitor_options, recorder->get());
  Monitor monitor(std::move(opened->sensors), monitor_options);
  auto idle = start_with_idle(monitor, flags.idle, provenance.host, flags.quiet);
  if (!idle) return usage_error(idle.error());
  result.idle = *idle;

  LevelRunner runner(monitor, *load_options, prompts->prompts, result.idle,
                     [] { return platform::interrupted(); });
  ProgressLine line(ProgressLine::mode_for(flags.quiet));
  SweepProgress progress(line, monitor, sweep_plan(*plan, flags.idle));
  progress.announce();
  auto swept = run_levels(runner, *plan, settings->thresholds, progress, result);
  line.clear();
  monitor.stop();
  if (!swept) return usage_error(swept.error());
  const bool trace_complete = close_trace(recorder->get(), result.warnings);
  choose_most_efficient(result);
  // An interrupted bench is stored as interrupted: its cut levels are the user's choice.
  if (!result.interrupted_by) result.failed_because = run_failure(result);
  if (trace_complete) result.trace_path = trace_path_for_result(flags.trace, flags.out.output);
  if (const int status = write_outputs(flags, result, provenance, trace_complete); status != 0)
    return status;
  if (result.failed_because) {
    std::cerr << "error: the bench failed: " << *result.failed_because << "\n";
    return kExitFailed;
  }
  if (!trace_complete) return kExitFailed;
  bool all_valid = !result.levels.empty();
  for (const auto& level : result.levels) all_valid = all_valid && level.validity.valid;
  if (flags.strict && !all_valid) return kExitFailed;
  return result.interrupted_by ? kExitFailed : 0;
}

void add_flags(CLI::App& app, BenchOpenaiFlags& flags) {
  flags.sensors.add_to(app);
  flags.energy_from.add_to(app);
  flags.calibration.add_to(app);
  flags.idle.add_to(app);
  flags.validity.add_to(app);
  app.add_option("--url", flags.url, "server base URL, e.g. http://127.0.0.1:8000/v1")->required();
  app.add_option("--model", flags.model, "model name the server serves")->required();
  app.add_option("--api", flags.api, "completions or chat (default chat)");
  app.add_option("--concurrency", flags.concurrency,
                 "closed-loop levels: requests kept in flight (default 1,2,4,8,16,32,64)")
      ->type_name("LIST");
  app.add_option("--rate", flags.rate, "open-loop levels: Poisson arrivals, requests/s")
      ->type_name("LIST");
  app.add_option("--prompt-tokens", flags.prompt_tokens, "synthetic prompt length (default 512)");
  app.add_option("--output-tokens", flags.output_tokens, "max_tokens per request (default 256)");
  app.add_flag("--ignore-eos", flags.ignore_eos,
               "also send ignore_eos and min_tokens (vLLM, SGLang) for fixed output lengths");
  app.add_option("--dataset", flags.dataset,
                 "prompts from JSONL (prompt/messages) or ShareGPT JSON")
      ->type_name("FILE");
  app.add_option("--duration", flags.duration, "measured window per level (default 60s)")
      ->type_name("DURATION");
  app.add_option("--requests", flags.requests, "measured window ends after N completed requests");
  app.add_option("--warmup", flags.warmup, "unmeasured load before each window (default 10s)")
      ->type_name("DURATION");
  app.add_option("--cooldown", flags.cooldown, "pause between levels (default 0s)")
      ->type_name("DURATION");
  app.add_option("--api-key-env", flags.api_key_env, "environment variable holding the API key")
      ->type_name("VAR");
  app.add_option("--slo-ttft-ms", flags.slo_ttft_ms, "SLO: time to first token, p90, ms");
  app.add_option("--slo-itl-ms", flags.slo_itl_ms, "SLO: inter-token latency, p90, ms");
  app.add_option("--interval", flags.interval, "sampling interval (default 100ms)")
      ->type_name("DURATION");
  flags.store.add_to(app);
  flags.out.add_to(app);
  app.add_option("--csv", flags.csv, "also write one CSV row per level")->type_name("FILE");
  app.add_option(
         "--trace", flags.trace,
         "also record every sample to this CSV trace (stored with the result; report draws it)")
      ->type_name("FILE");
  app.add_option("--label", flags.labels, "KEY=VALUE describing the configuration (repeatable)");
  app.add_option(
         "--max-failed", flags.max_failed,
         "a level with a larger share of failed requests is invalid: 1% or 0.01 (default 1%)")
      ->type_name("SHARE");
  app.add_flag("--strict", flags.strict, "exit 1 when a level's measurement is not valid");
  app.add_flag("-q,--quiet", flags.quiet,
               "no progress on stderr (the summary still goes to stdout unless --json)");
  flags.gpu_sweep.add_to(app);
}

}  // namespace

Command add_bench_openai_command(CLI::App& bench) {
  auto flags = std::make_shared<BenchOpenaiFlags>();
  CLI::App* app = bench.add_subcommand(
      "openai", "J/token of an OpenAI-compatible server (vLLM, SGLang, TGI, llama.cpp) under load");
  add_flags(*app, *flags);
  return {app, [flags] {
            if (auto misuse = flags->gpu_sweep.misuse()) return usage_error(*misuse);
            if (!flags->gpu_sweep.requested()) return run_bench_openai(*flags);
            // The whole bench (every level) once per GPU setting.
            return run_gpu_sweep(flags->gpu_sweep, flags->sensors, flags->out, flags->quiet,
                                 "bench openai", [&](const std::vector<std::string>& labels) {
                                   auto at_setting = sweep_setting_flags(*flags, labels);
                                   std::string document;
                                   at_setting.captured_document = &document;
                                   const int code = run_bench_openai(at_setting);
                                   return SettingMeasurement{code, document};
                                 });
          }};
}

}  // namespace joulebench::cli
