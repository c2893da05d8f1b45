// --db and --no-store of the commands that produce results (monitor, run, bench openai): the
// result document goes into the results store after it was written out. Storing never loses
// the written JSON and never changes the exit code: a failure is a warning on stderr.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace joulebench::cli {

struct StoreFlags {
  std::string db;  // empty: $JOULEBENCH_DB or the default path
  bool no_store = false;

  void add_to(CLI::App& app);
  // Stores `json_text`; with `trace_path`, the trace file's text too. Prints
  // "stored as run ID in PATH" on stderr unless `quiet`.
  void store(const std::string& json_text, const std::string& trace_path, bool quiet) const;
};

}  // namespace joulebench::cli
