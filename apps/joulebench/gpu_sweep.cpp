#include "gpu_sweep.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <variant>

#include "platform/files.hpp"
#include "platform/process.hpp"
#include "platform/time_format.hpp"
#include "results/result_decoder.hpp"
#include "sensors/nvml/gpu_selection.hpp"
#include "workloads/gpu_settings/gpu_control.hpp"
#include "workloads/gpu_settings/restore_journal.hpp"
#include "workloads/gpu_settings/sweep_answers.hpp"

namespace joulebench::cli {
namespace {

using gpu_settings::GpuConstraints;
using gpu_settings::GpuControl;
using gpu_settings::Knob;
using gpu_settings::KnobValue;
using gpu_settings::RestoreJournal;
using gpu_settings::Setting;
using gpu_settings::SettingResult;

struct SweepPlan {
  std::vector<KnobValue> power_limits, gpu_clocks, memory_clocks;
  std::vector<Setting> settings;
  std::optional<double> max_slowdown_pct;
  std::chrono::nanoseconds settle_timeout{};
};

Expected<SweepPlan> parse_plan(const GpuSweepFlags& flags) {
  SweepPlan plan;
  auto limits = gpu_settings::parse_knob_values(flags.power_limits, Knob::power_limit);
  if (!limits) return limits.error();
  auto gpu = gpu_settings::parse_knob_values(flags.gpu_clocks, Knob::gpu_clock);
  if (!gpu) return gpu.error();
  auto memory = gpu_settings::parse_knob_values(flags.mem_clocks, Knob::memory_clock);
  if (!memory) return memory.error();
  plan.power_limits = *limits;
  plan.gpu_clocks = *gpu;
  plan.memory_clocks = *memory;
  plan.settings = gpu_settings::cross(*limits, *gpu, *memory);
  if (!flags.max_slowdown.empty()) {
    auto pct = gpu_settings::parse_max_slowdown(flags.max_slowdown);
    if (!pct) return pct.error();
    plan.max_slowdown_pct = *pct;
  }
  auto settle = parse_duration(flags.settle_timeout, "--settle-timeout");
  if (!settle) return settle.error();
  plan.settle_timeout = *settle;
  return plan;
}

// The measured GPUs: --gpus, else CUDA_VISIBLE_DEVICES, else all; only these are touched.
Expected<std::vector<unsigned>> measured_gpus(const SensorFlags& sensors,
                                              const GpuControl& control) {
  return nvml::select_gpus(sensors.selection().gpus, platform::env("CUDA_VISIBLE_DEVICES"),
                           control.uuids());
}

bool process_alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

RestoreJournal make_journal(const SweepPlan& plan, const std::vector<GpuConstraints>& gpus,
                            const std::string& command_name) {
  RestoreJournal journal;
  journal.pid = static_cast<long>(::getpid());
  journal.started_at = platform::iso8601_utc(std::chrono::system_clock::now());
  journal.command = command_name;
  for (const auto& gpu : gpus) {
    gpu_settings::JournalGpu entry{gpu.uuid, gpu.index, gpu.name};
    // The limit in force; the default where it cannot be read (prepare() refuses neither).
    if (!plan.power_limits.empty())
      entry.power_limit_mw = gpu.power_limit_mw ? gpu.power_limit_mw : gpu.power_limit_default_mw;
    entry.reset_gpu_clocks = !plan.gpu_clocks.empty();
    entry.reset_memory_clocks = !plan.memory_clocks.empty();
    journal.gpus.push_back(entry);
  }
  return journal;
}

std::string plan_text(const SweepPlan& plan, const std::vector<GpuConstraints>& gpus,
                      const RestoreJournal& journal, const std::string& journal_path) {
  std::string out = "GPU settings sweep plan (dry run: nothing is changed or measured)\n";
  for (const auto& gpu : gpus) {
    out += fmt::format(
        "GPU {} ({}, {}): power limit now {}\n", gpu.index, gpu.name, gpu.uuid,
        gpu.power_limit_mw ? fmt::format("{:g} W", *gpu.power_limit_mw / 1e3) : "unknown");
  }
  for (std::size_t i = 0; i < plan.settings.size(); ++i)
    out += fmt::format("setting {}/{}: {}\n", i + 1, plan.settings.size(), plan.settings[i].name());
  out += "restore journal, written to " + journal_path + " before the first change:\n";
  out += gpu_settings::journal_json(journal);
  return out;
}

// Waits until every GPU's power and graphics clock read the same twice in a row (within 5%),
// at most `timeout`. Returns (seconds waited, settled) and the last read-backs.
std::pair<double, bool> settle(const GpuControl& control, const std::vector<unsigned>& gpus,
                               std::chrono::nanoseconds timeout,
                               std::vector<gpu_settings::ReadBack>& read_back) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto near = [](const std::optional<double>& a, const std::optional<double>& b) {
    if (!a || !b) return a.has_value() == b.has_value();
    return std::fabs(*a - *b) <= 0.05 * std::max(std::fabs(*a), 1.0);
  };
  std::vector<gpu_settings::ReadBack> previous;
  while (true) {
    read_back.clear();
    for (unsigned index : gpus) read_back.push_back(control.read_back(index));
    const double waited_s = std::chrono::duration<double>(Clock::now() - start).count();
    bool steady = previous.size() == read_back.size();
    for (std::size_t i = 0; steady && i < read_back.size(); ++i) {
      steady = near(previous[i].power_w, read_back[i].power_w) &&
               near(previous[i].graphics_clock_mhz, read_back[i].graphics_clock_mhz);
    }
    if (steady) return {waited_s, true};
    if (Clock::now() - start >= timeout || platform::interrupted()) return {waited_s, false};
    previous = read_back;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<std::string> read_back_labels(const std::vector<gpu_settings::ReadBack>& read_back) {
  std::vector<std::string> labels;
  if (read_back.empty()) return labels;
  const auto& first = read_back.front();  // the first measured GPU: every GPU got the same setting
  if (first.power_limit_w)
    labels.push_back(fmt::format("power_limit_read_back_w={:g}", *first.power_limit_w));
  return labels;
}

// A run's iterations, a bench-openai document's most efficient level, or the first run of a
// bench-synthetic document (its first precision and batch).
models::SideSamples samples_of(const std::string& document) {
  models::SideSamples side;
  side.values.resize(std::size(models::kAllMetrics));
  auto json = nlohmann::json::parse(document, nullptr, false);
  if (json.is_discarded()) return side;
  if (json.contains("runs") && json.at("runs").is_array() && !json.at("runs").empty())
    json = nlohmann::json(json.at("runs").at(0));
  if (auto view = results::decode_result(json))
    models::add_result_samples(*view, std::nullopt, side);
  return side;
}

// Whether some level of a bench-openai document met its SLO; null when no SLO was given
// (every level's slo_met is null) or the document has no levels.
std::optional<bool> slo_met_of(const std::string& document) {
  const auto json = nlohmann::json::parse(document, nullptr, false);
  if (!json.is_object() || !json.contains("levels") || !json.at("levels").is_array())
    return std::nullopt;
  std::optional<bool> met;
  for (const auto& level : json.at("levels")) {
    if (!level.is_object() || !level.contains("slo_met") || !level.at("slo_met").is_boolean())
      continue;
    met = met.value_or(false) || level.at("slo_met").get<bool>();
  }
  return met;
}

// Puts every journaled GPU back and removes the journal; on failure keeps it and says so.
// Runs on every way out of the sweep (its destructor runs while an exception unwinds too).
class RestoreGuard {
 public:
  RestoreGuard(const GpuControl& control, RestoreJournal journal, std::string path)
      : control_(control), journal_(std::move(journal)), path_(std::move(path)) {}
  RestoreGuard(const RestoreGuard&) = delete;
  RestoreGuard& operator=(const RestoreGuard&) = delete;
  ~RestoreGuard() { restore(); }

  void restore() {
    if (done_) return;
    done_ = true;
    bool all = true;
    for (const auto& gpu : journal_.gpus) {
      for (const auto& refusal : control_.restore(gpu)) {
        std::cerr << "error: restoring " << gpu.uuid << ": " << refusal.message << "\n";
        all = false;
      }
      if (all) std::cerr << "restored " << gpu_settings::describe_restore(gpu) << "\n";
    }
    if (!all) {
      std::cerr << "the GPU restore journal stays at " << path_
                << ": run `joulebench restore` (as root) to put the GPUs back\n";
      return;
    }
    if (auto removed = gpu_settings::remove_journal(path_); !removed)
      std::cerr << "warning: " << removed.error().what_line() << "\n";
  }

 private:
  const GpuControl& control_;
  RestoreJournal journal_;
  std::string path_;
  bool done_ = false;
};

// Refuses to start over a journal: its GPUs may be changed still (and their originals are
// only known from it), or another sweep is running.
std::optional<std::string> journal_conflict(const std::string& path) {
  auto existing = gpu_settings::read_journal(path);
  if (!existing) return existing.error().what_line();
  if (!*existing) return std::nullopt;
  if (process_alive((*existing)->pid) && (*existing)->pid != ::getpid())
    return fmt::format("another GPU settings sweep (pid {}) holds {}; wait for it to end",
                       (*existing)->pid, path);
  return "a GPU settings sweep was killed and left GPUs changed (journal " + path +
         "): run `joulebench restore` first";
}

struct Prepared {
  SweepPlan plan;
  std::unique_ptr<GpuControl> control;
  std::vector<unsigned> gpus;
  std::vector<GpuConstraints> constraints;
};

// Everything that can refuse before a change: flags, GPUs, constraints, journal, permission.
std::variant<Prepared, int> prepare(const GpuSweepFlags& flags, const SensorFlags& sensors) {
  auto plan = parse_plan(flags);
  if (!plan) return usage_error(plan.error());
  auto control = GpuControl::open();
  if (!control)
    return usage_error("GPU settings sweep: cannot open NVML: " + control.error().what_line());
  auto gpus = measured_gpus(sensors, **control);
  if (!gpus) return usage_error(gpus.error());
  Prepared prepared{*plan, std::move(*control), *gpus, {}};
  for (unsigned index : prepared.gpus) {
    prepared.constraints.push_back(prepared.control->constraints(index));
    for (const auto* values : {&plan->power_limits, &plan->gpu_clocks, &plan->memory_clocks}) {
      if (auto refused = gpu_settings::check_values(*values, prepared.constraints.back()))
        return usage_error(*refused + "; nothing was changed");
    }
    const auto& gpu = prepared.constraints.back();
    if (!plan->power_limits.empty() && !gpu.power_limit_mw && !gpu.power_limit_default_mw)
      return usage_error(fmt::format(
          "--power-limits: GPU {} ({}) reports neither its power limit nor its default, so it "
          "could not be put back; nothing was changed",
          gpu.index, gpu.name));
  }
  return prepared;
}

std::optional<std::string> probe_permission(const Prepared& prepared) {
  if (prepared.plan.power_limits.empty()) return std::nullopt;
  for (unsigned index : prepared.gpus) {
    if (auto refused = prepared.control->probe_power_permission(index))
      return gpu_settings::explain(*refused);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> GpuSweepFlags::misuse() const {
  if (requested()) return std::nullopt;
  // The flags that only mean something with a sweep, first given first named.
  const char* given = dry_run                                   ? "--dry-run"
                      : !max_slowdown.empty()                   ? "--max-slowdown"
                      : settle_timeout != kDefaultSettleTimeout ? "--settle-timeout"
                                                                : nullptr;
  if (given == nullptr) return std::nullopt;
  return std::string(given) + ": needs --power-limits, --gpu-clocks or --mem-clocks";
}

void GpuSweepFlags::add_to(CLI::App& app) {
  app.add_option("--power-limits", power_limits,
                 "sweep the GPU power limit: W values and/or 'default', e.g. 300,400,default "
                 "(needs root; restored afterwards)")
      ->type_name("LIST");
  app.add_option("--gpu-clocks", gpu_clocks,
                 "sweep locked graphics clocks: MHz values and/or 'max' (unlocked), e.g. "
                 "1200,1500,max (needs root; restored afterwards)")
      ->type_name("LIST");
  app.add_option("--mem-clocks", mem_clocks,
                 "sweep locked memory clocks where the GPU supports it: MHz and/or 'max'")
      ->type_name("LIST");
  app.add_option("--max-slowdown", max_slowdown,
                 "with a sweep: also name the most efficient setting that loses at most this "
                 "much throughput against the default setting, e.g. 10%")
      ->type_name("PCT");
  app.add_option("--settle-timeout", settle_timeout,
                 "with a sweep: longest wait for power and clocks to settle after a change "
                 "(default 30s)")
      ->type_name("DURATION");
  app.add_flag("--dry-run", dry_run,
               "with a sweep: print the plan and the restore journal it would write; change and "
               "measure nothing");
}

bool GpuSweepFlags::requested() const {
  return !power_limits.empty() || !gpu_clocks.empty() || !mem_clocks.empty();
}

int run_gpu_sweep(const GpuSweepFlags& flags, const SensorFlags& sensors, const OutputFlags& out,
                  bool quiet, const std::string& command_name, const MeasureAtSetting& measure) {
  auto prepared_or_exit = prepare(flags, sensors);
  if (auto* exit_code = std::get_if<int>(&prepared_or_exit)) return *exit_code;
  auto& prepared = std::get<Prepared>(prepared_or_exit);
  const std::string journal_path = gpu_settings::default_journal_path();
  const RestoreJournal journal = make_journal(prepared.plan, prepared.constraints, command_name);
  if (flags.dry_run) {
    std::cout << plan_text(prepared.plan, prepared.constraints, journal, journal_path);
    return 0;
  }
  if (auto conflict = journal_conflict(journal_path)) return usage_error(*conflict);
  if (auto refused = probe_permission(prepared)) return usage_error(*refused);
  if (auto written = gpu_settings::write_journal(journal_path, journal); !written)
    return usage_error("cannot write the GPU restore journal: " + written.error().what_line());
  platform::install_interrupt_flag();
  const std::string sweep_id = journal.started_at;
  std::vector<SettingResult> results;
  int exit_code = 0;
  {
    RestoreGuard guard(*prepared.control, journal, journal_path);
    for (std::size_t i = 0; i < prepared.plan.settings.size() && !platform::interrupted(); ++i) {
      const Setting& setting = prepared.plan.settings[i];
      if (!quiet)
        std::cerr << fmt::format("setting {}/{}: {}\n", i + 1, prepared.plan.settings.size(),
                                 setting.name());
      for (std::size_t g = 0; g < prepared.gpus.size(); ++g) {
        if (auto refused =
                prepared.control->apply(prepared.gpus[g], setting, prepared.constraints[g])) {
          std::cerr << "error: " << gpu_settings::explain(*refused) << "\n";
          return refused->code == nvml::kNoPermission || refused->code == nvml::kInvalidArgument
                     ? kExitUsage
                     : kExitFailed;
        }
      }
      SettingResult result{setting};
      std::tie(result.settle_s, result.settled) =
          settle(*prepared.control, prepared.gpus, prepared.plan.settle_timeout, result.read_back);
      if (!quiet)
        std::cerr << fmt::format("settled in {:.1f} s{}\n", result.settle_s,
                                 result.settled ? "" : " (bound reached: still moving)");
      std::vector<std::string> labels = setting.labels();
      const auto read_labels = read_back_labels(result.read_back);
      labels.insert(labels.end(), read_labels.begin(), read_labels.end());
      labels.push_back("gpu_sweep=" + sweep_id);
      const SettingMeasurement measured = measure(labels);
      result.exit_code = measured.exit_code;
      result.samples = samples_of(measured.document);
      result.slo_met = slo_met_of(measured.document);
      results.push_back(std::move(result));
      if (measured.exit_code != 0 && exit_code == 0) exit_code = measured.exit_code;
      if (measured.exit_code == kExitUsage) break;  // bad input stays bad at every setting
    }
    guard.restore();
  }
  if (platform::interrupted()) {
    std::cerr << "sweep interrupted after " << results.size() << " of "
              << prepared.plan.settings.size() << " settings; GPUs restored\n";
    if (exit_code == 0) exit_code = kExitFailed;
  }
  const auto answers = gpu_settings::answer(results, prepared.plan.max_slowdown_pct);
  if (!out.write_json(gpu_settings::sweep_json(results, answers, command_name, sweep_id)))
    return kExitUsage;
  if (std::ostream* summary = out.summary_stream(quiet))
    *summary << gpu_settings::sweep_table(results, answers);
  return exit_code;
}

void report_leftover_journal(const std::string& command_name) {
  const std::string path = gpu_settings::default_journal_path();
  auto journal = gpu_settings::read_journal(path);
  if (!journal) {
    std::cerr << "warning: " << journal.error().what_line() << "\n";
    return;
  }
  if (!*journal || process_alive((*journal)->pid)) return;
  std::cerr << "warning: a GPU settings sweep (" << (*journal)->command << ", pid "
            << (*journal)->pid << ", started " << (*journal)->started_at
            << ") ended without restoring its GPUs; journal " << path << ":\n";
  for (const auto& gpu : (*journal)->gpus)
    std::cerr << "  to restore: " << gpu_settings::describe_restore(gpu) << "\n";
  if (command_name != "restore")
    std::cerr << "  run `joulebench restore` (as root) to put them back\n";
}

}  // namespace joulebench::cli
