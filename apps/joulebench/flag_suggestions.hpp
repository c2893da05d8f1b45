// "unknown flag --intervl (did you mean --interval?)": CLI11 reports an unknown flag as an
// unexpected argument and often names the wrong word (`monitor --intervl 1s -- true` said
// "true"). This finds the first flag the command does not know and the nearest one it does.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace joulebench::cli {

// Pure part: the first "--word" of `args` (up to a "--" separator) that is not in `known`
// ("--interval", ...), with a suggestion when one is within two edits or starts alike.
std::optional<std::string> unknown_flag_message(const std::vector<std::string>& known,
                                                const std::vector<std::string>& args);

// The message for argv, walking `app`'s subcommands named in it; nullopt when every flag is
// known (then CLI11's own message stands).
std::optional<std::string> unknown_flag_message(CLI::App& app, int argc, char** argv);

// A flag this command does not have although another one does (or did) with another meaning:
// accepted by the parser only to be refused with `message`, which says what the flag means
// elsewhere and what to use here ("--gpus is a list of GPU indices ...; use --gpu-count 4").
// Hidden from --help.
void add_refused_flag(CLI::App& app, const std::string& name, const std::string& message);

// The long names of `flags` that were given on the command line, "--range, --step".
std::string given_flags(const CLI::App& app, const std::vector<std::string>& flags);

}  // namespace joulebench::cli
