// `joulebench fleet --prometheus URL --range 7d | --input-csv history.csv`: per model, power,
// throughput, J/token and CO2/h; the idle share of the draw; the efficiency curve; which
// allocations could be smaller and which idle models could be consolidated.
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "commands.hpp"
#include "flag_suggestions.hpp"
#include "fleet/analysis.hpp"
#include "fleet/fleet_writers.hpp"
#include "fleet/history.hpp"
#include "fleet/models_file.hpp"
#include "fleet/prometheus_client.hpp"
#include "models/catalog.hpp"
#include "platform/files.hpp"

namespace joulebench::cli {
namespace {

struct FleetFlags {
  std::string prometheus;
  std::string input_csv;
  std::string range = "7d";
  std::string end;  // empty: now
  std::string step = "1m";
  std::string rate_window = "auto";
  std::size_t max_answer_mib = fleet::kDefaultMaxAnswerMib;
  std::string timeout = "30s";
  std::string models;
  std::string metrics = "auto";
  std::vector<std::string> headers;
  std::string bearer_token_file;
  std::string cacert;
  std::vector<std::string> idle_watts;
  std::optional<double> grid_g_co2_per_kwh;
  std::string region;
  std::string regions_file;
  std::string catalog;
  double price_kwh = 0.10;
  double idle_below = 1.0;
  double idle_share = 0.90;
  double max_load = 0.70;
  std::string format = "table";
  bool json = false;
  std::string output = "-";
  const CLI::App* app = nullptr;  // to tell which flags were given
};

Expected<std::int64_t> whole_seconds(const std::string& text, const char* flag) {
  auto duration = parse_duration(text, flag);
  if (!duration) return duration.error();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*duration).count();
  if (seconds < 1 || std::chrono::nanoseconds(std::chrono::seconds(seconds)) != *duration) {
    return Error{std::string(flag) + ": '" + text +
                 "' must be a whole number of seconds, at least 1s"};
  }
  return static_cast<std::int64_t>(seconds);
}

// The end of the Prometheus range, Unix seconds: --end (ISO 8601 UTC or Unix seconds) or now.
Expected<std::int64_t> range_end_s(const std::string& end) {
  if (end.empty()) {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  if (auto iso = fleet::parse_utc_seconds(end)) return *iso;
  std::int64_t unix_s = 0;
  const auto [ptr, ec] = std::from_chars(end.data(), end.data() + end.size(), unix_s);
  if (ec == std::errc() && ptr == end.data() + end.size() && unix_s > 0) return unix_s;
  return Error{"--end: '" + end +
               "' is neither an ISO 8601 UTC time (2026-11-20T00:00:00Z) nor Unix seconds"};
}

Expected<fleet::FleetOptions> options_from(const FleetFlags& flags) {
  fleet::FleetOptions options;
  auto catalog = models::load_gpu_catalog(flags.catalog);
  if (!catalog) return catalog.error();
  options.catalog = std::move(*catalog);
  auto idle = fleet::parse_idle_watts(flags.idle_watts);
  if (!idle) return idle.error();
  options.idle_watts = std::move(*idle);
  if (!flags.models.empty()) {
    auto text = platform::read_file(flags.models);
    if (!text) return text.error();
    auto entries = fleet::parse_models_file(*text, flags.models);
    if (!entries) return entries.error();
    options.models_file = std::move(*entries);
  }
  if (flags.grid_g_co2_per_kwh && !flags.region.empty())
    return Error{"--region: give either --region or --grid-gco2-kwh"};
  if (flags.grid_g_co2_per_kwh) {
    if (!(*flags.grid_g_co2_per_kwh >= 0.0)) return Error{"--grid-gco2-kwh: must not be negative"};
    options.g_co2_per_kwh = flags.grid_g_co2_per_kwh;
    options.intensity_source = "--grid-gco2-kwh";
  } else if (!flags.region.empty()) {
    auto table = models::load_grid_table(flags.regions_file);
    if (!table) return table.error();
    auto region = models::find_region(*table, flags.region);
    if (!region) return region.error();
    options.g_co2_per_kwh = region->g_co2_per_kwh;
    options.intensity_source = region->code + " (" + region->name + "), " + table->source;
  }
  if (!(flags.price_kwh >= 0.0)) return Error{"--price-kwh: must not be negative"};
  if (!(flags.idle_below >= 0.0)) return Error{"--idle-below: must not be negative"};
  if (!(flags.idle_share > 0.0 && flags.idle_share <= 1.0))
    return Error{"--idle-share: must be in (0, 1]"};
  if (!(flags.max_load > 0.0 && flags.max_load <= 1.0))
    return Error{"--max-load: must be in (0, 1]"};
  options.usd_per_kwh = flags.price_kwh;
  options.idle_tokens_per_s = flags.idle_below;
  options.idle_share = flags.idle_share;
  options.max_load = flags.max_load;
  return options;
}

// What a gateway in front of the back end needs: --header, --bearer-token-file, --cacert and
// basic auth from JOULEBENCH_PROMETHEUS_USER / JOULEBENCH_PROMETHEUS_PASSWORD (the
// environment, so that a password is not in the process list or shell history).
Expected<platform::HttpRequestOptions> request_options_from(const FleetFlags& flags) {
  platform::HttpRequestOptions request;
  for (const auto& header : flags.headers) {
    const auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0 ||
        header.find_first_of("\r\n") != std::string::npos) {
      return Error{"--header: '" + header + "' is not 'Name: value'"};
    }
    request.headers.push_back(header);
  }
  if (!flags.bearer_token_file.empty()) {
    auto token = platform::read_file(flags.bearer_token_file);
    if (!token) return Error{"--bearer-token-file: " + token.error().message};
    while (!token->empty() && std::isspace(static_cast<unsigned char>(token->back())))
      token->pop_back();
    if (token->empty() || token->find_first_of("\r\n") != std::string::npos)
      return Error{"--bearer-token-file: '" + flags.bearer_token_file +
                   "' holds no one-line token"};
    request.bearer_token = std::move(*token);
  }
  const char* user = std::getenv("JOULEBENCH_PROMETHEUS_USER");
  const char* password = std::getenv("JOULEBENCH_PROMETHEUS_PASSWORD");
  if (user != nullptr && *user != '\0') {
    if (!request.bearer_token.empty())
      return Error{"--bearer-token-file: give either it or JOULEBENCH_PROMETHEUS_USER, not both"};
    request.basic_user = user;
    request.basic_password = password != nullptr ? password : "";
  } else if (password != nullptr && *password != '\0') {
    return Error{"JOULEBENCH_PROMETHEUS_PASSWORD: set JOULEBENCH_PROMETHEUS_USER as well"};
  }
  if (!flags.cacert.empty()) {
    auto readable = platform::read_file(flags.cacert);
    if (!readable) return Error{"--cacert: " + readable.error().message};
    request.ca_file = flags.cacert;
  }
  return request;
}

Expected<fleet::FleetHistory> history_from(const FleetFlags& flags,
                                           const fleet::FleetOptions& options) {
  if (flags.prometheus.empty() == flags.input_csv.empty())
    return Error{"fleet: give exactly one of --prometheus URL or --input-csv FILE"};
  if (!flags.input_csv.empty()) {
    const std::string query_flags = given_flags(
        *flags.app, {"--range", "--end", "--step", "--rate-window", "--timeout", "--max-answer-mib",
                     "--metrics", "--header", "--bearer-token-file", "--cacert"});
    if (!query_flags.empty()) {
      return Error{"fleet --input-csv: " + query_flags +
                   ": only with --prometheus (what to ask it); a CSV history is analysed "
                   "whole, over the times of its rows (cut the file to analyse less)"};
    }
    auto text = platform::read_file(flags.input_csv);
    if (!text) return text.error();
    return fleet::parse_history_csv(*text, flags.input_csv);
  }
  if (flags.prometheus.rfind("http://", 0) != 0 && flags.prometheus.rfind("https://", 0) != 0) {
    return Error{"--prometheus: '" + flags.prometheus + "' is not an http:// or https:// URL"};
  }
  auto range_s = whole_seconds(flags.range, "--range");
  if (!range_s) return range_s.error();
  auto step_s = whole_seconds(flags.step, "--step");
  if (!step_s) return step_s.error();
  std::optional<std::int64_t> window_s;  // auto: from the scrape interval and the step
  if (flags.rate_window != "auto") {
    auto given = whole_seconds(flags.rate_window, "--rate-window");
    if (!given) return given.error();
    window_s = *given;
  }
  auto timeout = parse_duration(flags.timeout, "--timeout");
  if (!timeout) return timeout.error();
  if (*step_s > *range_s) return Error{"--step: longer than --range"};
  // Prometheus refuses more than 11,000 points per series; say so before asking.
  if (*range_s / *step_s > 11000) {
    return Error{
        "--step: " + flags.range + " at " + flags.step +
        " steps is more than the 11,000 points per series Prometheus answers; use a longer --step"};
  }
  auto end_s = range_end_s(flags.end);
  if (!end_s) return end_s.error();
  fleet::PrometheusRange range;
  range.base_url = flags.prometheus;
  range.step_s = *step_s;
  range.end_s = *end_s / *step_s * *step_s;
  range.ends_now = flags.end.empty();
  range.start_s = range.end_s - *range_s / *step_s * *step_s;
  range.range_text = flags.range;
  range.rate_window_auto = !window_s.has_value();
  if (window_s) range.rate_window_s = *window_s;
  range.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  if (flags.max_answer_mib < 1 || flags.max_answer_mib > 65536) {
    return Error{"--max-answer-mib: must be 1..65536 (MiB)"};
  }
  range.max_answer_bytes = flags.max_answer_mib << 20;
  range.metrics = flags.metrics == "dcgm"         ? fleet::MetricsFamily::Dcgm
                  : flags.metrics == "joulebench" ? fleet::MetricsFamily::Joulebench
                                                  : fleet::MetricsFamily::Auto;
  auto request = request_options_from(flags);
  if (!request) return request.error();
  range.request = std::move(*request);
  return fleet::fetch_fleet_history(range, options.models_file);
}

int run_fleet(const FleetFlags& flags) {
  auto options = options_from(flags);
  if (!options) return usage_error(options.error());
  auto history = history_from(flags, *options);
  if (!history) return usage_error(history.error());
  const auto report = fleet::analyze_fleet(*history, *options);
  // A partial answer reads low: say so where a person sees it, not only inside the report.
  for (const auto& warning : report.warnings) fmt::print(stderr, "warning: {}\n", warning);
  std::string text;
  if (flags.format == "json" || flags.json) {
    text = fleet::fleet_json(report);
  } else if (flags.format == "md") {
    text = fleet::fleet_markdown(report);
  } else if (flags.format == "html") {
    text = fleet::fleet_html(report);
  } else if (flags.format == "csv") {
    text = fleet::fleet_csv(report);
  } else {
    text = fleet::fleet_table(report);
  }
  auto written = platform::write_file_atomically(flags.output, text);
  return written ? 0 : usage_error(written.error());
}

}  // namespace

Command add_fleet_command(CLI::App& parent) {
  auto flags = std::make_shared<FleetFlags>();
  CLI::App* app = parent.add_subcommand("fleet",
                                        "Fleet efficiency from Prometheus or a CSV: J/token, idle "
                                        "share, right-sizing, consolidation");
  app->add_option("--prometheus", flags->prometheus,
                  "Prometheus base URL, e.g. http://127.0.0.1:9090");
  flags->app = app;
  app->add_option("--input-csv", flags->input_csv,
                  "read an offline history: time, model, gpu_type, gpus, power_w, tokens_per_s")
      ->type_name("FILE");
  add_refused_flag(*app, "--csv",
                   "names a CSV file to write in run and bench; to read a history here use "
                   "--input-csv FILE (to write CSV, --format csv)");
  app->add_option("--range", flags->range, "how far back from the end (default 7d)");
  app->add_option(
      "--end", flags->end,
      "end of the range: ISO 8601 UTC (2026-11-20T00:00:00Z) or Unix seconds (default now)");
  app->add_option("--step", flags->step, "resolution of the range queries (default 1m)");
  app->add_option("--rate-window", flags->rate_window,
                  "window of rate() over the energy and token counters (default auto: max(4 x the "
                  "scrape interval, --step))");
  app->add_option("--timeout", flags->timeout, "per query (default 30s)");
  app->add_option("--max-answer-mib", flags->max_answer_mib,
                  "largest Prometheus answer read, in MiB (default 64)");
  app->add_option("--metrics", flags->metrics,
                  "whose metrics the back end holds: auto | joulebench | dcgm (dcgm-exporter with "
                  "vLLM/SGLang/TGI token counters; default auto: ask the back end)")
      ->check(CLI::IsMember({"auto", "joulebench", "dcgm"}));
  app->add_option("--header", flags->headers,
                  "extra HTTP header for the back end, e.g. 'X-Scope-OrgID: tenant' (repeatable)")
      ->type_name("'NAME: VALUE'");
  app->add_option("--bearer-token-file", flags->bearer_token_file,
                  "send 'Authorization: Bearer' with the token in FILE (basic auth: set "
                  "JOULEBENCH_PROMETHEUS_USER and JOULEBENCH_PROMETHEUS_PASSWORD)")
      ->type_name("FILE");
  app->add_option("--cacert", flags->cacert, "PEM CA file for an https:// back end")
      ->type_name("FILE");
  app->add_option("--models", flags->models,
                  "models.yaml: hostnames (and gpus) per model, memory_gb, gpu_memory_gb");
  app->add_option(
         "--idle-watts", flags->idle_watts,
         "idle W per GPU type, e.g. A100=60,A6000=25 (else the stored baseline, else the catalog)")
      ->delimiter(',');
  app->add_option("--grid-gco2-kwh", flags->grid_g_co2_per_kwh,
                  "grid carbon intensity, g CO2 per kWh");
  app->add_option("--region", flags->region,
                  "grid region code from data/grid-carbon.json (e.g. US, FR, WORLD)");
  app->add_option("--regions", flags->regions_file,
                  "another grid table file instead of the built-in one");
  app->add_option("--catalog", flags->catalog,
                  "another GPU catalog file instead of the built-in one");
  app->add_option("--price-kwh", flags->price_kwh, "USD per kWh for the savings (default 0.10)");
  app->add_option("--idle-below", flags->idle_below,
                  "tokens/s under which a step counts as idle (default 1)");
  app->add_option("--idle-share", flags->idle_share,
                  "share of idle steps that makes a consolidation candidate (default 90%)")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_option("--max-load", flags->max_load,
                  "peak load allowed after right-sizing, e.g. 70% or 0.7 (default 70%)")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_option("--format", flags->format, "table | json | md | html | csv (default table)")
      ->check(CLI::IsMember({"table", "json", "md", "html", "csv"}));
  app->add_flag("--json", flags->json, "same as --format json");
  app->add_option("-o,--output", flags->output, "output file, - for stdout (default -)");
  return {app, [flags] { return run_fleet(*flags); }};
}

}  // namespace joulebench::cli
