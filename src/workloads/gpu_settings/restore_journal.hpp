// The restore journal: what every GPU's settings were before a sweep changed them, written
// to the state directory before the first change and removed once every GPU is back. A
// journal still present when the next joulebench command starts means a sweep was killed
// (SIGKILL, a crash, power loss) and left GPUs changed: `joulebench restore` puts them back.
// Thread-safety: pure functions and file functions; one writer (the sweeping process).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::gpu_settings {

// One GPU as found, keyed by UUID (indices can change across reboots).
struct JournalGpu {
  std::string uuid;
  unsigned index = 0;  // at the time of the sweep, for messages
  std::string name;
  std::optional<unsigned> power_limit_mw;  // restored when set (the limit was swept)
  // Clocks are restored by removing the lock: NVML has no call that reads a lock set
  // beforehand, so a GPU whose clocks were locked before the sweep comes back unlocked.
  bool reset_gpu_clocks = false;
  bool reset_memory_clocks = false;
};

struct RestoreJournal {
  long pid = 0;            // the sweeping process
  std::string started_at;  // UTC, ISO 8601
  std::string command;     // "run", "bench openai", ...
  std::vector<JournalGpu> gpus;
};

// $XDG_DATA_HOME/joulebench/gpu-restore.json (the directory of the results store and the idle
// baselines), or $JOULEBENCH_RESTORE_JOURNAL when set.
std::string default_journal_path();

std::string journal_json(const RestoreJournal& journal);  // pretty, with a trailing newline
Expected<RestoreJournal> parse_journal(const std::string& text);

// nullopt when there is no journal at `path`; an unreadable or damaged one is an error.
Expected<std::optional<RestoreJournal>> read_journal(const std::string& path);
// Written atomically (temporary file, fsync, rename): a sweep killed while writing leaves the
// old journal or the new one, never half of one. Creates the directory.
Expected<bool> write_journal(const std::string& path, const RestoreJournal& journal);
Expected<bool> remove_journal(const std::string& path);

// "GPU 0 (NVIDIA H100, GPU-8f3a...): power limit back to 700 W, graphics clocks unlocked".
std::string describe_restore(const JournalGpu& gpu);

}  // namespace joulebench::gpu_settings
