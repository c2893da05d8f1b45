// `joulebench exporter`: serves live measurements as Prometheus metrics.
//
// Three kinds of threads that never wait for each other: the Monitor's sampler renders the
// /metrics text once per round into a cache; HTTP pool threads copy the cached text; the
// token scraper reads engines' endpoints and publishes figures the next round picks up.
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands.hpp"
#include "exporter/exporter_metrics.hpp"
#include "exporter/exporter_server.hpp"
#include "exporter/live_page.hpp"
#include "exporter/token_scraper.hpp"
#include "exporter_flags.hpp"
#include "joulebench/monitor.hpp"
#include "models/device_facts.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "platform/time_format.hpp"
#include "report/json_values.hpp"
#include "store/idle_baselines.hpp"

namespace joulebench::cli {
namespace {

// The latest rendered /metrics text: written by the sampler, read by HTTP threads.
class MetricsCache {
 public:
  void set(std::string text) {
    auto shared = std::make_shared<const std::string>(std::move(text));
    std::lock_guard lock(mutex_);
    text_ = std::move(shared);
  }
  std::shared_ptr<const std::string> get() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::string> text_ = std::make_shared<const std::string>();
};

double energy_so_far_j(const Monitor& monitor) {
  double total_j = 0;
  if (auto snapshot = monitor.snapshot()) {
    for (const double energy_j : snapshot->energy_so_far_j) total_j += energy_j;
  }
  return total_j;
}

// Sampling is on schedule (a round within the last three intervals) and a device reads.
exporter::Health health_of(const Monitor& monitor) {
  const auto snapshot = monitor.snapshot();
  if (!snapshot) return {false, "no sampling round yet"};
  const TimeNs now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
  const double age_s = ns_to_s(now_ns - snapshot->time_ns);
  const double interval_s = std::chrono::duration<double>(monitor.interval()).count();
  if (age_s > 3 * interval_s) {
    return {false, "sampling late: last round " + std::to_string(age_s) + " s ago"};
  }
  for (std::size_t i = 0; i < snapshot->latest.size(); ++i) {
    if (!snapshot->lost[i] && snapshot->latest[i]) return {true, ""};
  }
  return {false, "no sensor delivers readings"};
}

std::vector<std::optional<double>> idle_powers(const std::vector<DeviceInfo>& devices,
                                               const std::vector<IdleBaseline>& baselines,
                                               const std::string& host) {
  std::vector<std::optional<double>> powers;
  for (const auto& device : devices) {
    auto baseline = find_idle_baseline(baselines, host, device);
    powers.push_back(baseline ? std::optional<double>(baseline->idle_power_w) : std::nullopt);
  }
  return powers;
}

std::string summary_text(const nlohmann::ordered_json& summary, bool json) {
  if (json) return summary.dump(2) + "\n";
  std::string text;
  for (const auto& [key, value] : summary.items()) {
    if (key != "schema_version") text += key + ": " + value.dump() + "\n";
  }
  return text;
}

void wait_for_stop(std::chrono::nanoseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (!platform::interrupted()) {
    if (duration.count() > 0 && std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int run_exporter(const ExporterFlags& flags, const CLI::App& app) {
  auto settings = exporter_settings(flags, app);
  if (!settings) return usage_error(settings.error());
  const std::string path =
      flags.baseline_file.empty() ? default_idle_baseline_path() : flags.baseline_file;
  auto baselines = load_idle_baselines(path);
  if (!baselines) return usage_error(baselines.error());
  auto opened = open_sensors_or_explain(flags.sensors);
  if (!opened) return kExitUsage;
  platform::install_interrupt_flag();

  exporter::ExporterInputs inputs;
  inputs.hostname = settings->hostname;
  inputs.unavailable = opened->unavailable;
  inputs.interval_s = std::chrono::duration<double>(settings->interval).count();
  std::unique_ptr<exporter::TokenScraper> scraper;
  std::unique_ptr<exporter::ExporterServer> server;
  MetricsCache cache;

  MonitorOptions options;
  options.interval = settings->interval;
  if (auto loaded = flags.calibration.load_into(opened->sensors, options); !loaded)
    return usage_error(loaded.error());
  inputs.calibrations = options.calibrations;
  options.describe_device = models::catalog_device_facts();
  options.on_round = [&](const Snapshot& snapshot) {
    // Runs on the sampler thread: `inputs` is only touched here once sampling has started.
    inputs.snapshot = &snapshot;
    if (scraper) inputs.tokens = scraper->figures();
    inputs.server = server->counters();
    cache.set(exporter::render_metrics(inputs));
    inputs.snapshot = nullptr;
  };
  Monitor monitor(std::move(opened->sensors), options);
  inputs.idle_power_w = idle_powers(monitor.devices(), *baselines, inputs.hostname);
  if (!settings->token_sources.empty()) {
    scraper = std::make_unique<exporter::TokenScraper>(exporter::TokenScraperOptions{
        settings->token_sources, settings->interval, settings->window_s,
        [&monitor] { return energy_so_far_j(monitor); }});
  }
  const int poll_ms = std::max(1000, static_cast<int>(inputs.interval_s * 1000));
  std::vector<std::string> token_urls;
  for (const auto& source : settings->token_sources) token_urls.push_back(source.url);
  server = std::make_unique<exporter::ExporterServer>(
      settings->server,
      exporter::Endpoints{[&cache] { return cache.get(); },
                          [&monitor] { return health_of(monitor); },
                          exporter::live_page(inputs.hostname, poll_ms, 300,
                                              exporter::tokens_chart_empty_reason(token_urls))});
  auto bound = server->start();
  if (!bound) return usage_error(bound.error());
  monitor.start();
  if (scraper) scraper->start();
  std::cerr << "listening on " << exporter::listen_url(*bound) << std::endl;

  wait_for_stop(settings->duration);
  server->stop();
  if (scraper) scraper->stop();
  monitor.stop();

  const auto snapshot = monitor.snapshot();
  const auto counters = server->counters();
  nlohmann::ordered_json summary = {{"schema_version", report::kSchemaVersion},
                                    {"listen", exporter::listen_url(*bound)},
                                    {"rounds", snapshot ? snapshot->rounds : 0},
                                    {"missed_rounds", snapshot ? snapshot->missed_rounds : 0},
                                    {"requests", counters.requests},
                                    {"rate_limited", counters.rate_limited}};
  auto written = platform::write_file_atomically(flags.output, summary_text(summary, flags.json));
  if (!written) return usage_error(written.error());
  return 0;
}

}  // namespace

Command add_exporter_command(CLI::App& parent) {
  auto flags = std::make_shared<ExporterFlags>();
  CLI::App* app = parent.add_subcommand(
      "exporter",
      "Serve live power, energy and tokens/J as Prometheus metrics (/metrics, /healthz, /)");
  flags->add_to(*app);
  app->footer(
      "Example: joulebench exporter --listen 127.0.0.1:9464 --tokens-from "
      "http://127.0.0.1:8000/metrics");
  return {app, [flags, app] { return run_exporter(*flags, *app); }};
}

}  // namespace joulebench::cli
