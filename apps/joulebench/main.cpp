// joulebench: energy per token, measured honestly.
#include <exception>
#include <iostream>
#include <new>
#include <vector>

#include "commands.hpp"
#include "flag_suggestions.hpp"
#include "gpu_sweep.hpp"
#include "report/run_reports.hpp"

using namespace joulebench;

namespace {

// CLI11 reports an unknown word as "A subcommand is required"; users need to see the word.
// Returns the first word at argv[first..] that is not a subcommand of `app`, walking down
// the command tree, or nullptr when every command word is known.
const char* unknown_command_word(CLI::App& app, int argc, char** argv, int first) {
  if (first >= argc || argv[first][0] == '-') return nullptr;
  const std::string word = argv[first];
  auto matches = app.get_subcommands([&](CLI::App* sub) { return sub->check_name(word); });
  if (matches.empty()) return argv[first];
  CLI::App* sub = matches.front();
  if (sub->get_subcommands({}).empty()) return nullptr;
  return unknown_command_word(*sub, argc, argv, first + 1);
}

// Commands report their errors as values; an exception that still escapes one (a library
// throwing on input we did not foresee, memory exhausted) becomes one `error:` line and exit 2
// instead of std::terminate's abort (exit 134) and a core dump.
int run_guarded(const cli::Command& command) {
  try {
    return command.run();
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "error: unexpected failure\n";
  }
  return cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"joulebench: measure the energy of LLM inference (J/token, tokens/J, cost, CO2)"};
  app.set_version_flag("--version", std::string("joulebench ") + report::tool_version());
  app.require_subcommand(1);
  app.fallthrough(false);

  CLI::App* bench =
      app.add_subcommand("bench", "Benchmarks that produce tokens and measure J/token");
  bench->require_subcommand(1);
  std::vector<cli::Command> commands = {
      cli::add_devices_command(app),
      cli::add_monitor_command(app),
      cli::add_analyze_command(app),
      cli::add_calibrate_command(app),
      cli::add_idle_command(app),
      cli::add_run_command(app),
      cli::add_cost_command(app),
      cli::add_estimate_command(app),
      cli::add_compare_command(app),
      cli::add_runs_command(app),
      cli::add_exporter_command(app),
      cli::add_report_command(app),
      cli::add_fleet_command(app),
      cli::add_restore_command(app),
      cli::add_bench_openai_command(*bench),
      cli::add_bench_synthetic_command(*bench),
  };

  if (const char* word = unknown_command_word(app, argc, argv, 1)) {
    std::cerr << "error: unknown command '" << word << "'\nRun with --help for usage.\n";
    return cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return app.exit(CLI::CallForHelp());
  } catch (const CLI::CallForAllHelp&) {
    return app.exit(CLI::CallForAllHelp());
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    // One line that names the flag, then where to look; exit 2 like every usage error.
    const auto unknown = cli::unknown_flag_message(app, argc, argv);
    std::cerr << "error: " << (unknown ? *unknown : std::string(error.what()))
              << "\nRun with --help for usage.\n";
    return cli::kExitUsage;
  }

  for (auto& command : commands) {
    if (!command.app->parsed()) continue;
    // A sweep killed before it restored its GPUs is reported by whatever runs next.
    cli::report_leftover_journal(command.app->get_name());
    return run_guarded(command);
  }
  return cli::usage_error("no subcommand given");
}
