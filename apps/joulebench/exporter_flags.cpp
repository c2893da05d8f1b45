#include "exporter_flags.hpp"

#include <cstdlib>

#include "platform/time_format.hpp"

namespace joulebench::cli {

void ExporterFlags::add_to(CLI::App& app) {
  sensors.add_to(app);
  calibration.add_to(app);
  app.add_option("--listen", listen,
                 "HOST:PORT to serve on (default 127.0.0.1:9464, loopback only; port 0 = any free "
                 "port; 0.0.0.0:9464 to serve other hosts)")
      ->type_name("HOST:PORT");
  app.add_option(
         "--interval", interval,
         "sampling interval, 1ms..10s; also how often --tokens-from URLs are read (default 1s)")
      ->type_name("DURATION");
  tokens_from_option =
      app.add_option("--tokens-from", tokens_from,
                     "a serving engine's Prometheus endpoint whose generated-token "
                     "counter is republished (repeatable)")
          ->type_name("URL");
  tokens_metric_option =
      app.add_option("--tokens-metric", tokens_metric,
                     "the token counter of the --tokens-from URL just before it (default: "
                     "vllm:generation_tokens_total, sglang:generation_tokens_total, "
                     "tgi_request_generated_tokens_sum, first found)")
          ->type_name("NAME");
  app.add_option("--window", window, "sliding window of joulebench_tokens_per_joule (default 60s)")
      ->type_name("DURATION");
  app.add_option("--idle-baseline-file", baseline_file,
                 "stored idle baselines (default $XDG_DATA_HOME/joulebench/idle-baselines.json)")
      ->type_name("FILE");
  app.add_option("--hostname", hostname,
                 "the `hostname` label (default: $NODE_NAME where set, as the Kubernetes "
                 "DaemonSet does, else this host's name)")
      ->type_name("NAME");
  app.add_option("--threads", threads,
                 "HTTP requests served at once, 1..1024 (default 64); connections waiting for a "
                 "request take no thread");
  app.add_option("--rate-limit", rate_limit,
                 "HTTP requests per second, all clients together; 429 beyond (default 100000)");
  app.add_option("--duration", duration, "stop after this long (default: until SIGINT/SIGTERM)")
      ->type_name("DURATION");
  app.add_option("-o,--output", output, "summary at exit to this file, - for stdout (default -)")
      ->type_name("FILE");
  app.add_flag("--json", json, "write the summary at exit as JSON");
}

namespace {

Expected<std::vector<exporter::TokenSource>> token_sources(const ExporterFlags& flags,
                                                           const CLI::App& app) {
  std::vector<exporter::TokenSource> sources;
  std::size_t next_url = 0;
  std::size_t next_metric = 0;
  for (const CLI::Option* option : app.parse_order()) {
    if (option == flags.tokens_from_option && next_url < flags.tokens_from.size()) {
      const std::string& url = flags.tokens_from[next_url++];
      if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        return Error{"--tokens-from: '" + url + "' is not an http:// or https:// URL"};
      }
      sources.push_back({url, ""});
    } else if (option == flags.tokens_metric_option && next_metric < flags.tokens_metric.size()) {
      const std::string& metric = flags.tokens_metric[next_metric++];
      if (sources.empty())
        return Error{"--tokens-metric: '" + metric + "' must follow a --tokens-from URL"};
      if (!sources.back().metric.empty()) {
        return Error{"--tokens-metric: " + sources.back().url + " already has a metric"};
      }
      sources.back().metric = metric;
    }
  }
  return sources;
}

// In a pod, gethostname() is the pod's name, which changes on every rollout: series must
// carry the node's name (NODE_NAME, set by the DaemonSet from spec.nodeName) to stay one
// host across restarts and to match `fleet --models` host mappings.
Expected<std::string> exporter_hostname(const std::optional<std::string>& flag) {
  if (flag) {
    if (flag->empty()) return Error{"--hostname: must not be empty"};
    return *flag;
  }
  if (const char* node = std::getenv("NODE_NAME"); node != nullptr && *node != '\0') {
    return std::string(node);
  }
  return platform::host_name();
}

}  // namespace

Expected<ExporterSettings> exporter_settings(const ExporterFlags& flags, const CLI::App& app) {
  ExporterSettings settings;
  auto listen = exporter::parse_listen_address(flags.listen);
  if (!listen) return listen.error();
  settings.server.listen = *listen;
  auto interval = parse_sampling_interval(flags.interval);
  if (!interval) return interval.error();
  settings.interval = *interval;
  auto window = parse_duration(flags.window, "--window");
  if (!window) return window.error();
  if (*window < *interval)
    return Error{"--window: " + flags.window + " is shorter than --interval"};
  settings.window_s = std::chrono::duration<double>(*window).count();
  if (flags.threads < 1 || flags.threads > 1024) return Error{"--threads: must be 1..1024"};
  settings.server.threads = flags.threads;
  if (!(flags.rate_limit >= 1)) return Error{"--rate-limit: must be at least 1 request per second"};
  settings.server.rate_per_s = flags.rate_limit;
  settings.server.burst = std::max(1.0, flags.rate_limit / 10);
  if (!flags.duration.empty()) {
    auto duration = parse_duration(flags.duration, "--duration");
    if (!duration) return duration.error();
    settings.duration = *duration;
  }
  auto sources = token_sources(flags, app);
  if (!sources) return sources.error();
  settings.token_sources = std::move(*sources);
  auto hostname = exporter_hostname(flags.hostname);
  if (!hostname) return hostname.error();
  settings.hostname = std::move(*hostname);
  return settings;
}

}  // namespace joulebench::cli
