// One function per subcommand; each registers its flags on `parent` and returns what runs.
#pragma once

#include "cli_common.hpp"
#include "output_flags.hpp"

namespace joulebench::cli {

Command add_devices_command(CLI::App& parent);
Command add_monitor_command(CLI::App& parent);
Command add_analyze_command(CLI::App& parent);
Command add_calibrate_command(CLI::App& parent);
Command add_idle_command(CLI::App& parent);
Command add_run_command(CLI::App& parent);
Command add_cost_command(CLI::App& parent);
Command add_estimate_command(CLI::App& parent);
Command add_compare_command(CLI::App& parent);
Command add_runs_command(CLI::App& parent);
Command add_exporter_command(CLI::App& parent);
Command add_report_command(CLI::App& parent);
Command add_fleet_command(CLI::App& parent);
// Children of `joulebench bench`.
Command add_bench_openai_command(CLI::App& bench);
Command add_bench_synthetic_command(CLI::App& bench);

}  // namespace joulebench::cli
