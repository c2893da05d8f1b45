// Flags of `joulebench exporter` and how they turn into the exporter's settings.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "calibration_flag.hpp"
#include "cli_common.hpp"
#include "exporter/exporter_server.hpp"
#include "exporter/token_scraper.hpp"

namespace joulebench::cli {

struct ExporterFlags {
  SensorFlags sensors;
  CalibrationFlag calibration;
  std::string listen = "127.0.0.1:9464";
  std::string interval = "1s";
  std::string window = "60s";
  std::vector<std::string> tokens_from;
  std::vector<std::string> tokens_metric;
  std::string baseline_file;
  std::optional<std::string> hostname;  // the `hostname` label; see exporter_hostname()
  std::size_t threads = 64;
  double rate_limit = 100000;
  std::string duration;  // empty: until SIGINT/SIGTERM
  std::string output = "-";
  bool json = false;

  CLI::Option* tokens_from_option = nullptr;
  CLI::Option* tokens_metric_option = nullptr;

  void add_to(CLI::App& app);
};

struct ExporterSettings {
  exporter::ServerOptions server;
  std::chrono::nanoseconds interval{};
  double window_s = 60.0;
  std::vector<exporter::TokenSource> token_sources;
  std::chrono::nanoseconds duration{};  // 0: until a signal
  std::string hostname;                 // the `hostname` label of every series
};

// Checks every flag; the Error names the flag at fault. `app` gives the order in which
// --tokens-from and --tokens-metric were given (a metric belongs to the URL before it).
Expected<ExporterSettings> exporter_settings(const ExporterFlags& flags, const CLI::App& app);

}  // namespace joulebench::cli
