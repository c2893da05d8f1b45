#include "output_flags.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli_common.hpp"
#include "platform/files.hpp"

namespace joulebench::cli {

void OutputFlags::add_to(CLI::App& app, StdoutOwner owner) {
  stdout_owner = owner;
  command_name = app.get_name();
  if (owner == StdoutOwner::joulebench) {
    app.add_flag("--json", json, "print the JSON document on stdout instead of the summary");
    app.add_option("-o,--output", output, "also write the JSON document to FILE (- for stdout)")
        ->type_name("FILE");
    return;
  }
  // Registered so that it can be refused with the reason rather than as an unknown flag.
  app.add_flag("--json", json, "")->group("");
  app.add_option("-o,--output", output,
                 "write the JSON result to FILE (- for stdout, mixed with the command's output)")
      ->type_name("FILE");
}

std::optional<Error> OutputFlags::check() const {
  if (json && stdout_owner == StdoutOwner::wrapped_command) {
    return Error{fmt::format(
        "{} --json: stdout belongs to the command, so joulebench writes nothing there; write "
        "the JSON with -o FILE (or -o - to mix it into the command's output)",
        command_name)};
  }
  return std::nullopt;
}

std::optional<std::string> OutputFlags::json_destination() const {
  if (!output.empty()) return output;
  if (json) return std::string("-");
  return std::nullopt;
}

std::ostream* OutputFlags::summary_stream(bool quiet) const {
  const bool stdout_free = stdout_owner == StdoutOwner::joulebench && json_destination() != "-";
  if (stdout_free) return &std::cout;
  return quiet ? nullptr : &std::cerr;
}

bool OutputFlags::write_json(const std::string& json_text) const {
  const auto destination = json_destination();
  if (!destination) return true;
  auto written = platform::write_file_atomically(*destination, json_text);
  if (!written) std::cerr << "error: " << written.error().what_line() << "\n";
  return static_cast<bool>(written);
}

int OutputFlags::write(const std::string& json_text, const std::string& summary_text) const {
  if (!write_json(json_text)) return kExitUsage;
  if (std::ostream* summary = summary_stream(true); summary != nullptr) *summary << summary_text;
  return 0;
}

}  // namespace joulebench::cli
