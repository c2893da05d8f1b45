// One set of output flags for every command (README "Output conventions"):
//   the human summary goes to stdout where stdout is joulebench's own, to stderr where it
//   belongs to a wrapped command (monitor, run); --json puts the JSON on stdout instead of the
//   summary; -o/--output FILE (or - for stdout) writes the JSON document to FILE.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "joulebench/error.hpp"

namespace joulebench::cli {

// Who owns stdout: joulebench (bench, cost, ...) or the command it wraps (monitor, run).
enum class StdoutOwner { joulebench, wrapped_command };

struct OutputFlags {
  bool json = false;
  std::string output;  // empty: no file
  StdoutOwner stdout_owner = StdoutOwner::joulebench;
  std::string command_name;  // "monitor", for the messages

  void add_to(CLI::App& app, StdoutOwner owner = StdoutOwner::joulebench);
  // --json where stdout is the wrapped command's: refused, naming what to use instead.
  std::optional<Error> check() const;
  // Where the JSON document goes: a path, "-" for stdout, or nullopt for nowhere.
  std::optional<std::string> json_destination() const;
  // Where the human summary goes: stdout, or stderr when stdout is taken (by the JSON or the
  // wrapped command); nullptr with quiet where the summary would go to stderr.
  std::ostream* summary_stream(bool quiet) const;

  // Writes the JSON document where asked (nowhere without --json or -o); on failure prints
  // one error line and returns false.
  bool write_json(const std::string& json_text) const;

  // For commands whose summary is their whole answer (cost, estimate, compare, analyze,
  // devices, idle, bench synthetic --plan): writes the JSON where asked and the summary to
  // stdout unless the JSON took it; returns the exit code.
  int write(const std::string& json_text, const std::string& summary_text) const;
};

}  // namespace joulebench::cli
