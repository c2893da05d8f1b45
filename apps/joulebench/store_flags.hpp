// --db and --no-store of the commands that produce results (monitor, run, bench openai): the
// result document goes into the results store after it was written out. Storing never loses
// the written JSON and never changes the exit code: a failure is a warning on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "joulebench/error.hpp"

namespace joulebench::cli {

struct StoreFlags {
  std::string db;  // empty: $JOULEBENCH_DB or the default path
  bool no_store = false;

  void add_to(CLI::App& app);
  // Opens the store before anything is measured (creating or migrating it), so that a --db
  // that cannot be used (another application's database, a newer schema, not SQLite) is a
  // usage error up front rather than a warning after the run. Nothing to check with --no-store.
  Expected<bool> check() const;
  // Stores `json_text`; with `trace_path` (a regular file), the trace file's text too. Prints
  // "stored as run ID in PATH" on stderr unless `quiet`.
  void store(const std::string& json_text, const std::string& trace_path, bool quiet) const;
};

}  // namespace joulebench::cli
