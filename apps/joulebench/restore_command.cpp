// `joulebench restore`: puts back every GPU that a killed power-limit / clock sweep left
// changed, from the restore journal in the state directory, and removes the journal.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gpu_sweep.hpp"
#include "workloads/gpu_settings/gpu_control.hpp"
#include "workloads/gpu_settings/restore_journal.hpp"

namespace joulebench::cli {
namespace {

using nlohmann::json;

struct RestoreFlags {
  OutputFlags out;
  bool dry_run = false;
};

struct Outcome {
  json gpus = json::array();
  std::string summary;
  bool all_restored = true;
};

Outcome restore_all(const gpu_settings::RestoreJournal& journal, bool dry_run,
                    const gpu_settings::GpuControl* control) {
  Outcome outcome;
  for (const auto& gpu : journal.gpus) {
    std::vector<std::string> errors;
    if (!dry_run) {
      for (const auto& refusal : control->restore(gpu))
        errors.push_back(gpu_settings::explain(refusal));
    }
    outcome.all_restored = outcome.all_restored && errors.empty();
    const std::string verb = dry_run          ? "would restore"
                             : errors.empty() ? "restored"
                                              : "could not restore";
    outcome.summary += verb + " " + gpu_settings::describe_restore(gpu) + "\n";
    for (const auto& error : errors) outcome.summary += "  error: " + error + "\n";
    outcome.gpus.push_back({{"uuid", gpu.uuid},
                            {"index", gpu.index},
                            {"action", gpu_settings::describe_restore(gpu)},
                            {"restored", !dry_run && errors.empty()},
                            {"errors", errors}});
  }
  return outcome;
}

int run_restore(const RestoreFlags& flags) {
  const std::string path = gpu_settings::default_journal_path();
  auto journal = gpu_settings::read_journal(path);
  if (!journal) return usage_error(journal.error());
  json document = {{"kind", "gpu-restore"}, {"journal", path}, {"dry_run", flags.dry_run}};
  if (!*journal) {
    document["gpus"] = json::array();
    document["journal_found"] = false;
    return flags.out.write(document.dump(2) + "\n",
                           "no GPU restore journal at " + path + ": nothing to restore\n");
  }
  document["journal_found"] = true;
  std::unique_ptr<gpu_settings::GpuControl> control;
  if (!flags.dry_run) {
    auto opened = gpu_settings::GpuControl::open();
    if (!opened) return usage_error("restore: cannot open NVML: " + opened.error().what_line());
    control = std::move(*opened);
  }
  Outcome outcome = restore_all(**journal, flags.dry_run, control.get());
  document["gpus"] = outcome.gpus;
  if (!flags.dry_run && outcome.all_restored) {
    if (auto removed = gpu_settings::remove_journal(path); !removed)
      return usage_error(removed.error());
    outcome.summary += "removed " + path + "\n";
  }
  document["journal_removed"] = !flags.dry_run && outcome.all_restored;
  if (const int status = flags.out.write(document.dump(2) + "\n", outcome.summary); status != 0)
    return status;
  return outcome.all_restored ? 0 : kExitFailed;
}

}  // namespace

Command add_restore_command(CLI::App& parent) {
  auto flags = std::make_shared<RestoreFlags>();
  CLI::App* app = parent.add_subcommand(
      "restore",
      "Put back the GPU power limits and clocks that a killed sweep left changed (needs root)");
  flags->out.add_to(*app);
  app->add_flag("--dry-run", flags->dry_run, "print what would be restored; change nothing");
  app->footer(
      fmt::format("The journal: {} (set XDG_DATA_HOME or JOULEBENCH_RESTORE_JOURNAL to "
                  "use another).",
                  gpu_settings::default_journal_path()));
  return {app, [flags] { return run_restore(*flags); }};
}

}  // namespace joulebench::cli
