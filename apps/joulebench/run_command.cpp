// `joulebench run -- CMD ARGS...`: a command that generates tokens itself, repeated
// (warm-ups first), with J/token per iteration and statistics across iterations.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "calibration_flag.hpp"
#include "commands.hpp"
#include "energy_from_flag.hpp"
#include "gpu_sweep.hpp"
#include "idle_flags.hpp"
#include "joulebench/monitor.hpp"
#include "labels.hpp"
#include "measurement_setup.hpp"
#include "models/device_facts.hpp"
#include "part_time_sampling.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "platform/time_format.hpp"
#include "progress_line.hpp"
#include "report/run_result_writers.hpp"
#include "report/text_table.hpp"
#include "store_flags.hpp"
#include "trace_recorder.hpp"
#include "validity_flags.hpp"
#include "workloads/command/iteration_plan.hpp"
#include "workloads/command/iteration_runner.hpp"
#include "workloads/command/phase_spread.hpp"
#include "workloads/command/run_summary.hpp"
#include "workloads/command/run_validity.hpp"

namespace joulebench::cli {
namespace {

struct RunFlags {
  SensorFlags sensors;
  EnergyFromFlag energy_from;
  CalibrationFlag calibration;
  IdleFlags idle;
  ValidityFlags validity;
  std::optional<std::size_t> iterations;  // unset: as many as the validity criteria need
  std::size_t warmup_iterations = 1;
  std::optional<double> tokens;
  std::string interval = "100ms";
  OutputFlags out;
  std::string csv;
  std::string trace;  // --trace: every sample of the whole run
  std::vector<std::string> labels;
  bool strict = false;
  bool quiet = false;
  std::string spread_phases = "auto";
  std::optional<std::uint64_t> phase_seed;  // unset: a random seed, recorded in the result
  StoreFlags store;
  std::vector<std::string> command;
  GpuSweepFlags gpu_sweep;
  std::string* captured_document = nullptr;  // a sweep's copy of each setting's result
};

// A line per iteration on a terminal (the command may print between them); in a log, one
// every 10 s.
void show_progress(ProgressLine& line, const IterationResult& iteration, const RunResult& so_far,
                   const IterationPlan& plan) {
  const std::string of =
      plan.fixed_iterations ? fmt::format("/{}", plan.warmup_iterations + *plan.fixed_iterations)
                            : fmt::format(" ({} counted, {:.1f} s measured)",
                                          measured_iterations(so_far), measured_duration_s(so_far));
  const std::string text =
      fmt::format("iteration {}{}{}: exit {}, {} J/token", iteration.index + 1, of,
                  iteration.warmup ? " (warm-up)" : "", iteration.exit_code,
                  report::format_number(iteration.energy.j_per_output_token, 4));
  if (line.mode() == ProgressLine::Mode::terminal) {
    line.milestone(text);
  } else {
    line.update(text);
  }
}

// The run failed as a whole when no measured iteration succeeded: there is nothing to
// report but failures (an interrupted run is interrupted, not failed).
std::optional<std::string> run_failure(const RunResult& result) {
  if (result.interrupted_by) return std::nullopt;
  const IterationResult* first_failed = nullptr;
  for (const auto& iteration : result.iterations) {
    if (iteration.warmup) continue;
    if (!iteration.failed_because) return std::nullopt;
    if (!first_failed) first_failed = &iteration;
  }
  if (!first_failed) return std::nullopt;
  return "every iteration failed (first: " + *first_failed->failed_because + ")";
}

// Runs the planned iterations; stops early on Ctrl-C. Returns 0, kExitCannotStart when the
// command cannot start (result.failed_because then says why), or kExitUsage when it left an
// invalid JOULEBENCH_RESULT file.
int run_iterations(Monitor& monitor, const RunFlags& flags, const IterationPlan& plan,
                   RunResult& result) {
  IterationOptions options{flags.command, flags.tokens, result.idle};
  IterationRunner runner(monitor, options);
  PhaseSpreader spreader(result.phase_spreading);
  ProgressLine progress(ProgressLine::mode_for(flags.quiet));
  progress.milestone("run: " + describe(plan));
  if (result.phase_spreading.enabled) {
    progress.milestone(fmt::format("run: iteration phases spread over {} s (seed {})",
                                   result.phase_spreading.cycle_s, result.phase_spreading.seed));
  }
  for (std::size_t index = 0; wants_another_iteration(plan, result); ++index) {
    // Before the iteration's window opens: the delay's idle energy is in no iteration.
    std::this_thread::sleep_for(std::chrono::duration<double>(spreader.next_delay_s()));
    auto iteration = runner.run(index, index < plan.warmup_iterations);
    if (!iteration) {
      std::cerr << "error: " << iteration.error().what_line() << "\n";
      result.failed_because = iteration.error().message;
      if (index > 0) *result.failed_because += " (iteration " + std::to_string(index + 1) + ")";
      return kExitCannotStart;
    }
    if (!iteration->result_file_error.empty()) {
      std::cerr << "error: " << iteration->result_file_error << "\n";
      return kExitUsage;
    }
    if (iteration->exit_code != 0) ++result.failed_iterations;
    result.iterations.push_back(std::move(iteration.value()));
    show_progress(progress, result.iterations.back(), result, plan);
    if (platform::SignalForwarder::last_signal() != 0) {
      result.interrupted_by = "SIGINT or SIGTERM after iteration " + std::to_string(index + 1);
      break;
    }
  }
  return 0;
}

int write_outputs(const RunFlags& flags, const RunResult& result,
                  const report::Provenance& provenance, bool trace_complete) {
  const std::string document = report::run_json(result, provenance);
  if (flags.captured_document) *flags.captured_document = document;
  flags.store.store(document, trace_complete ? flags.trace : "", flags.quiet);
  if (!flags.out.write_json(document)) return kExitUsage;
  if (!flags.csv.empty()) {
    auto csv = platform::write_file_atomically(flags.csv, report::run_csv(result));
    if (!csv) return usage_error(csv.error());
  }
  if (std::ostream* summary = flags.out.summary_stream(flags.quiet)) {
    *summary << report::run_table(result);
  }
  return 0;
}

int run_run(RunFlags& flags) {
  if (flags.command.empty()) {
    return usage_error("run: no command given (usage: joulebench run [OPTIONS] -- CMD ARGS...)");
  }
  if (auto refused = flags.out.check()) return usage_error(*refused);
  if (flags.iterations && *flags.iterations == 0)
    return usage_error("--iterations: must be at least 1");
  if (flags.tokens && *flags.tokens <= 0) return usage_error("--tokens: must be positive");
  auto settings = parse_measurement_settings(flags.interval, flags.labels, flags.validity);
  if (!settings) return usage_error(settings.error());
  auto spread_mode = parse_phase_spread_mode(flags.spread_phases);
  if (!spread_mode) return usage_error(spread_mode.error());
  if (auto db = flags.store.check(); !db) return usage_error(db.error());
  if (auto remote = flags.energy_from.open(flags.quiet); !remote)
    return usage_error(remote.error());
  auto opened = flags.energy_from.open_sensors(flags.sensors);
  if (!opened) return kExitUsage;

  RunResult result;
  result.command = flags.command;
  result.labels = settings->labels;
  const report::Provenance provenance =
      make_provenance(*opened, settings->interval, flags.sensors.sensors);

  auto recorder = open_trace(flags.trace, *opened, provenance);
  if (!recorder) return usage_error(recorder.error());
  MonitorOptions options;
  options.interval = settings->interval;
  if (auto loaded = flags.calibration.load_into(opened->sensors, options, flags.store.db); !loaded)
    return usage_error(loaded.error());
  options.describe_device = models::catalog_device_facts();
  flags.energy_from.attach(options);
  record_rounds(options, recorder->get());
  Monitor monitor(std::move(opened->sensors), options);
  auto idle = start_with_idle(monitor, flags.idle, provenance.host, flags.quiet);
  if (!idle) return usage_error(idle.error());
  result.idle = *idle;
  result.phase_spreading = plan_phase_spreading(
      *spread_mode, part_time_devices(monitor.devices()), part_time_cycle_s(monitor.devices()),
      flags.phase_seed ? *flags.phase_seed : std::random_device{}());
  // Ctrl-C between two iterations (no child to forward it to) is recorded, not fatal.
  platform::install_interrupt_flag();
  const IterationPlan plan =
      plan_iterations(flags.iterations, flags.warmup_iterations, settings->thresholds);
  const int stopped = run_iterations(monitor, flags, plan, result);
  result.whole_run = monitor.stop();
  const bool trace_complete = close_trace(recorder->get(), result.warnings);
  if (trace_complete) result.trace_path = trace_path_for_result(flags.trace, flags.out.output);
  if (stopped == kExitUsage) return stopped;  // a bad JOULEBENCH_RESULT: said, nothing to keep

  result.summaries = summarize_iterations(result.iterations);
  result.validity = assess_run_validity(result, settings->thresholds);
  if (stopped == 0) result.failed_because = run_failure(result);
  if (const int status = write_outputs(flags, result, provenance, trace_complete); status != 0)
    return status;
  if (stopped != 0) return stopped;
  if (result.failed_because) {
    std::cerr << "the run failed: " << *result.failed_because << "\n";  // even with --quiet
    return kExitFailed;
  }
  if (!trace_complete) return kExitFailed;
  if (flags.strict && !result.validity.valid) return kExitFailed;
  return result.failed_iterations > 0 ? kExitFailed : 0;
}

// The run once per GPU setting: each stored with the setting's labels; -o/--json get the
// sweep's answers instead of one run.
int run_run_sweep(const RunFlags& flags) {
  if (flags.command.empty() && !flags.gpu_sweep.dry_run)
    return usage_error("run: no command given (usage: joulebench run [OPTIONS] -- CMD ARGS...)");
  if (auto refused = flags.out.check()) return usage_error(*refused);
  return run_gpu_sweep(flags.gpu_sweep, flags.sensors, flags.out, flags.quiet, "run",
                       [&](const std::vector<std::string>& labels) {
                         RunFlags at_setting = sweep_setting_flags(flags, labels);
                         std::string document;
                         at_setting.captured_document = &document;
                         const int code = run_run(at_setting);
                         return SettingMeasurement{code, document};
                       });
}

}  // namespace

Command add_run_command(CLI::App& parent) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* app = parent.add_subcommand(
      "run", "Repeat a token-generating command and report J/token with statistics");
  flags->sensors.add_to(*app);
  flags->energy_from.add_to(*app);
  flags->calibration.add_to(*app);
  flags->idle.add_to(*app);
  flags->validity.add_to(*app);
  app->add_option("--iterations", flags->iterations,
                  "measured iterations (default: until --min-iterations and --min-duration are "
                  "both reached, 50 and 60 s, so that the run can be valid)");
  app->add_option("--warmup-iterations", flags->warmup_iterations,
                  "iterations run first and left out of the statistics (default 1)");
  app->add_option("--tokens", flags->tokens,
                  "tokens per iteration, when the command reports none itself");
  app->add_option("--interval", flags->interval, "sampling interval (default 100ms)")
      ->type_name("DURATION");
  app->add_option("--spread-phases", flags->spread_phases,
                  "a random idle delay before each iteration, uniform in [0, the power sensor's "
                  "cycle), against aliasing with part-time sensors: auto (default: on when a "
                  "measured GPU samples power part-time per the GPU catalog: A100, H100, H200), "
                  "on (100 ms cycle for GPUs the catalog does not mark), off")
      ->type_name("auto|on|off");
  app->add_option("--phase-seed", flags->phase_seed,
                  "seed of the phase-spreading delays (default: random; recorded in the result)")
      ->type_name("N");
  flags->store.add_to(*app);
  flags->out.add_to(*app, StdoutOwner::wrapped_command);
  app->add_option("--csv", flags->csv, "also write one CSV row per iteration")->type_name("FILE");
  app->add_option(
         "--trace", flags->trace,
         "also record every sample to this CSV trace (stored with the result; report draws it)")
      ->type_name("FILE");
  app->add_option("--label", flags->labels, "KEY=VALUE describing the configuration (repeatable)")
      ->allow_extra_args(false);
  app->add_flag("--strict", flags->strict, "exit 1 when the measurement is not valid");
  app->add_flag("-q,--quiet", flags->quiet, "no progress and no table on stderr");
  flags->gpu_sweep.add_to(*app);
  app->add_option("command", flags->command, "the command to run, after --")
      ->type_name("CMD ARGS...");
  app->footer(
      "The command finds JOULEBENCH_CONTROL (a FIFO: write 'begin NAME', 'end NAME', 'tokens N'\n"
      "lines, flushed) and JOULEBENCH_RESULT (a path for JSON such as {\"tokens\": 25600} or\n"
      "{\"tokens_per_second\": 94.9, \"duration_s\": 27.0}) in its environment.");
  return {app, [flags] {
            if (auto misuse = flags->gpu_sweep.misuse()) return usage_error(*misuse);
            return flags->gpu_sweep.requested() ? run_run_sweep(*flags) : run_run(*flags);
          }};
}

}  // namespace joulebench::cli
