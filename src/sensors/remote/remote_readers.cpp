#include "sensors/remote/remote_readers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "fleet/query_answer.hpp"
#include "platform/http_fetch.hpp"
#include "sensors/remote/clock_offset.hpp"
#include "sensors/remote/metrics_page.hpp"

namespace joulebench::remote {
namespace {

using Seconds = std::chrono::duration<double>;

double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// This host's steady clock minus its wall clock, to move Unix times onto the steady clock.
double steady_minus_unix_s() { return steady_seconds() - unix_now_s(); }

class PageReader final : public RemoteSource::Impl {
 public:
  PageReader(RemoteSpec spec, SourceOptions options)
      : spec_(std::move(spec)), options_(std::move(options)) {}

  Expected<Discovery> discover() override {
    const double sent = unix_now_s();
    auto answer = fetcher_.fetch(spec_.fetch_url, options_.fetch_timeout);
    const double answered = unix_now_s();
    if (!answer) return Error{"unreachable: " + answer.error().message};
    if (answer->status != 200) return Error{fmt::format("HTTP status {}", answer->status)};
    auto page = read_metrics_page(answer->body, spec_.fetch_url);
    if (!page) return page.error();
    Discovery found;
    found.format = page->format;
    found.power_only = power_only_ = page->format == kDcgmPowerFormat;
    for (const auto& device : page->devices) {
      keys_.push_back(device.key);
      found.devices.push_back({device.key, device.gpu, device.uuid, device.name, device.host});
    }
    set_interval(*page, found);
    if (auto date = parse_http_date(answer->date)) {
      found.clock_offset_s = clock_offset_s(*date, 1.0, sent, answered);
      found.clock_offset_basis =
          "HTTP Date header (1 s resolution); readings are timed on this "
          "host's clock when they arrive";
    } else {
      found.clock_offset_basis =
          "the page sent no Date header; readings are timed on this "
          "host's clock when they arrive";
    }
    found.poll_period_s = std::min(found.update_interval_s, 1.0);
    return found;
  }

  Expected<std::vector<DevicePoints>> poll() override {
    const double sent = steady_seconds();
    auto body = fetcher_.get(spec_.fetch_url, options_.fetch_timeout);
    const double at = 0.5 * (sent + steady_seconds());
    if (!body) return body.error();
    auto page = read_metrics_page(*body, spec_.fetch_url);
    if (!page) return page.error();
    std::vector<DevicePoints> out;
    for (const auto& device : page->devices) {
      const auto known = std::find(keys_.begin(), keys_.end(), device.key);
      const auto value = power_only_ ? device.power_w : device.energy_j;
      if (known == keys_.end() || !value) continue;
      out.push_back(
          {static_cast<std::size_t>(known - keys_.begin()), {{at, *value}}, device.power_w});
    }
    return out;
  }

  bool power_only() const override { return power_only_; }
  std::chrono::milliseconds fetch_timeout() const override { return options_.fetch_timeout; }

 private:
  void set_interval(const MetricsPage& page, Discovery& found) const {
    if (options_.stated_interval_s) {
      found.update_interval_s = *options_.stated_interval_s;
      found.update_interval_basis = "stated with ?interval=";
    } else if (page.update_interval_s && *page.update_interval_s > 0) {
      found.update_interval_s = *page.update_interval_s;
      found.update_interval_basis = "the exporter's joulebench_sampling_interval_seconds";
    } else if (page.format == kJoulebenchFormat) {
      found.update_interval_s = 1.0;
      found.update_interval_basis = "assumed: the exporter does not state its interval";
    } else {
      found.update_interval_s = kDcgmDefaultIntervalS;
      found.update_interval_basis =
          "dcgm-exporter's default collection interval; state yours with ?interval=";
    }
  }

  RemoteSpec spec_;
  SourceOptions options_;
  platform::HttpFetcher fetcher_;
  std::vector<std::string> keys_;
  bool power_only_ = false;
};

// A series of a Prometheus answer: its GPU and host, and how its values become J or W.
struct SeriesKind {
  std::string key;
  double to_si = 1.0;
  bool power = false;
};

std::optional<SeriesKind> kind_of(const fleet::AnswerSeries& series) {
  const auto label = [&](const char* name) {
    auto it = series.labels.find(name);
    return it == series.labels.end() ? std::string() : it->second;
  };
  const std::string metric = label("__name__");
  SeriesKind kind;
  if (metric == "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION") {
    kind.to_si = 1e-3;
  } else if (metric == "DCGM_FI_DEV_POWER_USAGE" || metric == "joulebench_gpu_power_watts") {
    kind.power = true;
  } else if (metric != "joulebench_gpu_energy_joules_total") {
    return std::nullopt;
  }
  std::string gpu = label("UUID");
  if (gpu.empty()) gpu = label("uuid");
  if (gpu.empty()) gpu = label("gpu");
  std::string host = label("Hostname");
  if (host.empty()) host = label("hostname");
  if (host.empty()) host = label("instance");
  kind.key = host + "/" + gpu;
  return kind;
}

class ApiReader final : public RemoteSource::Impl {
 public:
  ApiReader(RemoteSpec spec, SourceOptions options)
      : spec_(std::move(spec)), options_(std::move(options)) {}

  Expected<Discovery> discover() override {
    Discovery found;
    found.format = "prometheus";
    const double sent = unix_now_s();
    auto now = query("vector(time())");
    const double answered = unix_now_s();
    if (!now) return Error{"unreachable or not a Prometheus API: " + now.error().message};
    if (now->series.empty() || now->series.front().points.empty()) {
      return Error{"vector(time()) returned no sample"};
    }
    offset_s_ = clock_offset_s(now->series.front().points.front().second, 0.0, sent, answered);
    found.clock_offset_s = offset_s_;
    found.clock_offset_basis = "Prometheus time() against this host's clock";
    auto raw = query(spec_.selector + "[5m]");
    if (!raw) return raw.error();
    std::vector<double> times;
    for (const auto& series : raw->series) {
      auto kind = kind_of(series);
      if (!kind) continue;
      if (!kinds_.empty() && kind->power != power_only_) {
        return Error{"the selector mixes energy counters and power gauges: choose one"};
      }
      power_only_ = kind->power;
      kinds_.push_back(*kind);
      found.devices.push_back({kind->key, gpu_label(series), label(series, "UUID", "uuid"),
                               label(series, "modelName", "name"),
                               label(series, "Hostname", "hostname")});
      if (times.empty()) {
        for (const auto& point : series.points) times.push_back(point.first);
      }
    }
    if (found.devices.empty()) {
      return Error{
          "no series of joulebench_gpu_energy_joules_total, "
          "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION or DCGM_FI_DEV_POWER_USAGE matches " +
          spec_.selector + " in the last 5 minutes"};
    }
    found.power_only = power_only_;
    found.format = power_only_ ? "prometheus (power)" : "prometheus";
    if (options_.stated_interval_s) {
      found.update_interval_s = *options_.stated_interval_s;
      found.update_interval_basis = "stated with ?interval=";
    } else if (auto spacing = median_spacing(times)) {
      found.update_interval_s = *spacing;
      found.update_interval_basis = "the median spacing of the stored samples (scrape interval)";
    } else {
      return Error{"fewer than two samples of " + spec_.selector +
                   " in the last 5 minutes: state the scrape interval with ?interval="};
    }
    interval_s_ = found.update_interval_s;
    found.poll_period_s = std::clamp(interval_s_ / 2, 0.25, 5.0);
    return found;
  }

  Expected<std::vector<DevicePoints>> poll() override {
    const int range_s = static_cast<int>(std::ceil(std::max(4 * interval_s_, 10.0)));
    auto raw = query(fmt::format("{}[{}s]", spec_.selector, range_s));
    if (!raw) return raw.error();
    const double shift = steady_minus_unix_s() - offset_s_;
    std::vector<DevicePoints> out;
    for (const auto& series : raw->series) {
      auto kind = kind_of(series);
      if (!kind) continue;
      for (std::size_t i = 0; i < kinds_.size(); ++i) {
        if (kinds_[i].key != kind->key) continue;
        DevicePoints points{i, {}, std::nullopt};
        for (const auto& [time, value] : series.points) {
          points.points.emplace_back(time + shift, value * kinds_[i].to_si);
        }
        out.push_back(std::move(points));
      }
    }
    return out;
  }

  bool power_only() const override { return power_only_; }
  std::chrono::milliseconds fetch_timeout() const override { return options_.fetch_timeout; }

 private:
  static std::string label(const fleet::AnswerSeries& series, const char* a, const char* b) {
    for (const char* name : {a, b}) {
      if (auto it = series.labels.find(name); it != series.labels.end()) return it->second;
    }
    return {};
  }
  static std::string gpu_label(const fleet::AnswerSeries& series) {
    return label(series, "gpu", "UUID");
  }

  Expected<fleet::QueryAnswer> query(const std::string& promql) {
    const std::string url = spec_.fetch_url + "/api/v1/query?query=" + percent_encode(promql);
    auto answer = fetcher_.fetch(url, options_.fetch_timeout);
    if (!answer) return answer.error();
    return fleet::parse_query_answer(answer->body, spec_.given);
  }

  RemoteSpec spec_;
  SourceOptions options_;
  platform::HttpFetcher fetcher_;
  std::vector<SeriesKind> kinds_;
  bool power_only_ = false;
  double offset_s_ = 0;
  double interval_s_ = 1.0;
};

}  // namespace

std::unique_ptr<RemoteSource::Impl> make_reader(const RemoteSpec& spec,
                                                const SourceOptions& options) {
  if (spec.kind == RemoteKind::prometheus_api) return std::make_unique<ApiReader>(spec, options);
  return std::make_unique<PageReader>(spec, options);
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::optional<double> median_spacing(std::vector<double> times) {
  if (times.size() < 2) return std::nullopt;
  std::sort(times.begin(), times.end());
  std::vector<double> gaps;
  for (std::size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return gaps[gaps.size() / 2];
}

}  // namespace joulebench::remote
