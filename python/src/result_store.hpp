// monitor.stop(store=True): keeps the run in the results store, as `joulebench monitor` does,
// so that `joulebench runs`, `compare` and `report` see it. No Python types here.
#pragma once

#include <optional>
#include <string>

namespace joulebench::python {

// Saves the CLI-schema document; returns the run id. `db`: the store file, default the one
// every command uses ($JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db). Throws
// RunError naming the file when it cannot be opened or written.
std::string store_run(const std::string& monitor_json, const std::optional<std::string>& db);

}  // namespace joulebench::python
