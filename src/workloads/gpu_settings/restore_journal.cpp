#include "workloads/gpu_settings/restore_journal.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "platform/files.hpp"
#include "store/idle_baselines.hpp"

namespace joulebench::gpu_settings {
namespace {

using nlohmann::json;

json gpu_json(const JournalGpu& gpu) {
  json object = {{"uuid", gpu.uuid},
                 {"index", gpu.index},
                 {"name", gpu.name},
                 {"power_limit_mw", nullptr},
                 {"reset_gpu_clocks", gpu.reset_gpu_clocks},
                 {"reset_memory_clocks", gpu.reset_memory_clocks}};
  if (gpu.power_limit_mw) object["power_limit_mw"] = *gpu.power_limit_mw;
  return object;
}

JournalGpu gpu_from(const json& object) {
  JournalGpu gpu;
  gpu.uuid = object.at("uuid").get<std::string>();
  gpu.index = object.at("index").get<unsigned>();
  gpu.name = object.value("name", "");
  if (object.contains("power_limit_mw") && !object.at("power_limit_mw").is_null())
    gpu.power_limit_mw = object.at("power_limit_mw").get<unsigned>();
  gpu.reset_gpu_clocks = object.value("reset_gpu_clocks", false);
  gpu.reset_memory_clocks = object.value("reset_memory_clocks", false);
  return gpu;
}

}  // namespace

std::string default_journal_path() {
  if (auto path = platform::env("JOULEBENCH_RESTORE_JOURNAL")) return *path;
  // Beside the idle baselines and the results store: joulebench's one state directory.
  return (std::filesystem::path(default_idle_baseline_path()).parent_path() / "gpu-restore.json")
      .string();
}

std::string journal_json(const RestoreJournal& journal) {
  json gpus = json::array();
  for (const auto& gpu : journal.gpus) gpus.push_back(gpu_json(gpu));
  const json root = {{"kind", "gpu-restore-journal"},
                     {"pid", journal.pid},
                     {"started_at", journal.started_at},
                     {"command", journal.command},
                     {"gpus", gpus}};
  return root.dump(2) + "\n";
}

Expected<RestoreJournal> parse_journal(const std::string& text) {
  const json root = json::parse(text, nullptr, false);
  if (!root.is_object() || root.value("kind", "") != "gpu-restore-journal")
    return Error{"not a joulebench GPU restore journal"};
  try {
    RestoreJournal journal;
    journal.pid = root.value("pid", 0L);
    journal.started_at = root.value("started_at", "");
    journal.command = root.value("command", "");
    for (const auto& gpu : root.at("gpus")) journal.gpus.push_back(gpu_from(gpu));
    return journal;
  } catch (const json::exception& error) {
    return Error{std::string("damaged GPU restore journal: ") + error.what()};
  }
}

Expected<std::optional<RestoreJournal>> read_journal(const std::string& path) {
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) return std::optional<RestoreJournal>{};
  auto text = platform::read_file(path);
  if (!text) return text.error();
  auto journal = parse_journal(*text);
  if (!journal) return Error{journal.error().message, path};
  return std::optional<RestoreJournal>(std::move(*journal));
}

Expected<bool> write_journal(const std::string& path, const RestoreJournal& journal) {
  std::error_code error;
  const auto directory = std::filesystem::path(path).parent_path();
  if (!directory.empty()) std::filesystem::create_directories(directory, error);
  if (error) return Error{"cannot create the state directory: " + error.message(), path};
  return platform::write_file_atomically(path, journal_json(journal));
}

Expected<bool> remove_journal(const std::string& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
  if (error) return Error{"cannot remove the GPU restore journal: " + error.message(), path};
  return true;
}

std::string describe_restore(const JournalGpu& gpu) {
  std::vector<std::string> steps;
  if (gpu.power_limit_mw)
    steps.push_back(fmt::format("power limit back to {:g} W", *gpu.power_limit_mw / 1e3));
  if (gpu.reset_gpu_clocks) steps.push_back("graphics clocks unlocked");
  if (gpu.reset_memory_clocks) steps.push_back("memory clocks unlocked");
  if (steps.empty()) steps.push_back("nothing to restore");
  return fmt::format("GPU {} ({}, {}): {}", gpu.index, gpu.name, gpu.uuid, fmt::join(steps, ", "));
}

}  // namespace joulebench::gpu_settings
