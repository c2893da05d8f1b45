#include "fleet/prometheus_client.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "fleet/dcgm_promql.hpp"
#include "fleet/promql.hpp"
#include "platform/http_fetch.hpp"

namespace joulebench::fleet {
namespace {

// Values per step of the range, indexed by (time - start) / step: a week of minutes for a
// hundred models is millions of points, which a map per model would hold at 4x the size.
using ByStep = std::vector<std::optional<double>>;

std::string label(const AnswerSeries& series, const std::string& key) {
  auto found = series.labels.find(key);
  return found == series.labels.end() ? std::string() : found->second;
}

std::string display_gpu_name(const std::string& name) {
  for (const char* prefix : {"NVIDIA ", "AMD "}) {
    if (name.rfind(prefix, 0) == 0) return name.substr(std::char_traits<char>::length(prefix));
  }
  return name;
}

Expected<QueryAnswer> ask(platform::HttpFetcher& http, const std::string& url,
                          const std::string& what, const PrometheusRange& range) {
  // Reading stops at the cap: a larger answer is never held whole.
  auto answer = http.fetch(url, range.timeout, range.max_answer_bytes);
  if (!answer && answer.error().message == "body larger than the limit") {
    const std::size_t mib = range.max_answer_bytes >> 20;
    return Error{
        fmt::format("--max-answer-mib: the answer to {} is larger than {} MiB; raise "
                    "--max-answer-mib, or use a longer --step or a shorter --range",
                    what, mib)};
  }
  if (!answer) return Error{"cannot reach Prometheus for " + what + ": " + answer.error().message};
  // A 400 or 422 carries Prometheus' own explanation; prefer it to the bare status.
  auto parsed = parse_query_answer(answer->body, what);
  if (answer->status != 200) {
    if (!parsed) {
      const bool has_api_error = parsed.error().message.rfind("Prometheus answered", 0) == 0;
      return Error{"HTTP " + std::to_string(answer->status) + " from Prometheus for " + what +
                   (has_api_error ? ": " + parsed.error().message : std::string())};
    }
    return Error{"HTTP " + std::to_string(answer->status) + " from Prometheus for " + what};
  }
  if (!parsed) return Error{parsed.error().message + " (" + what + ")"};
  return parsed;
}

bool is_dcgm(const PrometheusRange& range) { return range.metrics == MetricsFamily::Dcgm; }

std::string no_power_message(const PrometheusRange& range, bool mapped) {
  if (is_dcgm(range)) {
    return mapped ? fmt::format(
                        "no {} or {} series with the Hostname labels of --models in {} "
                        "(check the hostnames)",
                        kDcgmEnergyCounter, kDcgmPowerGauge, period_phrase(range))
                  : fmt::format(
                        "no {} or {} series whose namespace and pod carry a "
                        "vllm:/sglang:generation_tokens_total or "
                        "tgi_request_generated_tokens in {} (turn on dcgm-exporter's pod "
                        "mapping, or give --models models.yaml to map Hostname to models)",
                        kDcgmEnergyCounter, kDcgmPowerGauge, period_phrase(range));
  }
  return mapped ? "no joulebench_gpu_power_watts series on the hosts of --models in " +
                      period_phrase(range) + " (check the hostnames)"
                : "no joulebench_gpu_power_watts series with a `model` label in " +
                      period_phrase(range) +
                      " (give --models models.yaml to map hostnames to models, or check --range)";
}

std::string power_source_text(const PrometheusRange& range, const std::set<std::string>& sources) {
  const std::int64_t window_s = range.rate_window_s;
  const std::string counter(is_dcgm(range) ? kDcgmEnergyCounter : kEnergyCounter);
  const std::string gauge(is_dcgm(range) ? kDcgmPowerGauge : kPowerGauge);
  const std::string rate = is_dcgm(range)
                               ? fmt::format("rate({}[{}s]) / 1000 (mJ to W)", counter, window_s)
                               : fmt::format("rate({}[{}s])", counter, window_s);
  const std::string text =
      sources.count("counter") == 0 ? gauge + " gauge (no " + counter + " in the range)"
      : sources.count("gauge") == 0
          ? rate
          : rate + " where a GPU has the counter, else the " + gauge + " gauge";
  return is_dcgm(range) ? text + "; " + std::string(kMigSplit) : text;
}

}  // namespace

std::string period_phrase(const PrometheusRange& range) {
  if (range.ends_now) return "the last " + range.range_text;
  const auto end = std::chrono::system_clock::time_point(std::chrono::seconds(range.end_s));
  return fmt::format("the {} before {:%Y-%m-%dT%H:%M:%S}Z", range.range_text, end);
}

Expected<FleetHistory> assemble_history(const PrometheusRange& range,
                                        const std::vector<ModelEntry>& entries,
                                        const QueryAnswer& power, const QueryAnswer& allocation,
                                        const QueryAnswer& tokens, const QueryAnswer& idle) {
  if (power.series.empty()) return Error{no_power_message(range, !entries.empty())};
  FleetHistory history;
  const std::int64_t window_s = range.rate_window_s;
  if (range.end_s - range.start_s < window_s) {
    history.notes.push_back(fmt::format(
        "the range ({}s) is shorter than the rate window ({}s): rates need a longer --range",
        range.end_s - range.start_s, window_s));
  }
  for (const auto* answer : {&power, &allocation, &tokens, &idle}) {
    history.series_received += answer->series.size();
    for (const auto& series : answer->series) history.points_received += series.points.size();
    for (const auto& warning : answer->warnings) {
      if (std::find(history.warnings.begin(), history.warnings.end(), warning) ==
          history.warnings.end())
        history.warnings.push_back(warning);
    }
    if (answer->partial && history.warnings.empty()) {
      history.warnings.push_back(
          "the back end answered isPartial: some storage nodes did not answer, figures may read "
          "low");
    }
  }
  const auto steps = static_cast<std::size_t>((range.end_s - range.start_s) / range.step_s + 1);
  // The step a sample belongs to; nullopt for one outside the range (never from Prometheus).
  auto step_of = [&](double t) -> std::optional<std::size_t> {
    const auto k =
        std::llround((t - static_cast<double>(range.start_s)) / static_cast<double>(range.step_s));
    if (k < 0 || static_cast<std::size_t>(k) >= steps) return std::nullopt;
    return static_cast<std::size_t>(k);
  };
  struct Collected {
    ByStep power_w, tokens_per_s;
    std::map<std::string, std::size_t> gpu_names;  // name -> the largest count seen
    std::vector<int> gpus_at;
    std::vector<std::string> notes;
    bool has_tokens = false;
  };
  // A rate over a window that reaches back before its series began reads low (500 tok/s
  // read 22 on a short history): those steps are left out, when the queries had a lead-in
  // that shows where a series began.
  const double interval_s =
      static_cast<double>(range.scrape_interval_s > 0 ? range.scrape_interval_s : range.step_s);
  auto full_window_from = [&](const AnswerSeries& series) {
    if (range.lead_in_s <= 0 || series.points.empty()) return -1e300;
    const double first = series.points.front().first;
    const double view_start = static_cast<double>(range.start_s - range.lead_in_s);
    if (first <= view_start + 0.5 * static_cast<double>(range.step_s))
      return -1e300;  // began before the view
    return first + static_cast<double>(window_s) - interval_s;
  };
  std::map<std::string, Collected> models;
  std::set<std::string> power_sources;
  for (const auto& series : power.series) {
    auto& model = models[label(series, "model")];
    const std::string source = label(series, "source") == "counter" ? "counter" : "gauge";
    power_sources.insert(source);
    model.power_w.resize(steps);
    const double full_from = source == "counter" ? full_window_from(series) : -1e300;
    std::size_t partial = 0;
    for (const auto& [t, v] : series.points) {
      auto k = step_of(t);
      if (!k) continue;
      if (t < full_from) {
        ++partial;
        continue;
      }
      // A model's counted and gauged GPUs add up.
      model.power_w[*k] = model.power_w[*k].value_or(0.0) + v;
    }
    if (partial > 0) {
      model.notes.push_back(fmt::format(
          "{} power steps within the {}s rate window after the energy counter began left "
          "out (a partial window reads low)",
          partial, window_s));
    }
    if (series.non_finite > 0)
      model.notes.push_back(fmt::format("{} NaN/Inf power values left out", series.non_finite));
  }
  history.power_source = power_source_text(range, power_sources);
  const std::string window_reason =
      range.rate_window_auto
          ? (range.scrape_interval_s > 0
                 ? fmt::format("max(4 x {}s scrape interval, {}s step)", range.scrape_interval_s,
                               range.step_s)
                 : fmt::format("4 x {}s step; scrape interval unknown", range.step_s))
          : std::string("--rate-window");
  const std::string metrics = range.metrics_reason.empty() ? "" : range.metrics_reason + "; ";
  history.source = fmt::format("{} over {} at {}s steps; {}power from {}; rate window {}s ({})",
                               range.base_url, period_phrase(range), range.step_s, metrics,
                               history.power_source, window_s, window_reason);
  for (const auto& entry : entries)
    models[entry.model];  // mapped models without data still show, with reasons
  for (const auto& series : allocation.series) {
    auto found = models.find(label(series, "model"));
    if (found == models.end()) continue;
    std::size_t most = 0;
    found->second.gpus_at.resize(steps);
    for (const auto& [t, v] : series.points) {
      if (auto k = step_of(t)) found->second.gpus_at[*k] += static_cast<int>(std::lround(v));
      most = std::max(most, static_cast<std::size_t>(std::lround(v)));
    }
    auto& seen = found->second.gpu_names[display_gpu_name(label(series, "name"))];
    seen = std::max(seen, most);
  }
  for (const auto& series : tokens.series) {
    auto found = models.find(label(series, "model"));
    if (found == models.end()) continue;  // tokens of a model with no GPUs in view
    found->second.has_tokens = true;
    found->second.tokens_per_s.resize(steps);
    const double full_from = full_window_from(series);
    std::size_t partial = 0;
    for (const auto& [t, v] : series.points) {
      if (v < 0.0) {
        found->second.notes.push_back("a negative token rate left out");
        continue;
      }
      auto k = step_of(t);
      if (!k) continue;
      if (t < full_from) {
        ++partial;
        continue;
      }
      found->second.tokens_per_s[*k] = v;
    }
    if (partial > 0) {
      found->second.notes.push_back(
          fmt::format("{} tokens/s steps within the {}s rate window after the token counter "
                      "began left out (a partial window reads low)",
                      partial, window_s));
    }
    if (series.non_finite > 0)
      found->second.notes.push_back(
          fmt::format("{} NaN/Inf token rates left out", series.non_finite));
  }
  for (const auto& series : idle.series) {
    if (!series.points.empty())
      history.idle_baselines_w.emplace_back(display_gpu_name(label(series, "name")),
                                            series.points.back().second);
  }
  for (auto& [name, collected] : models) {
    ModelHistory model;
    model.model = name;
    model.step_s = static_cast<double>(range.step_s);
    model.notes = std::move(collected.notes);
    for (int count : collected.gpus_at) model.gpus = std::max(model.gpus, count);
    if (collected.gpu_names.empty()) {
      model.gpu_type = "?";
    } else {
      auto most =
          std::max_element(collected.gpu_names.begin(), collected.gpu_names.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      model.gpu_type = most->first;
      if (collected.gpu_names.size() > 1)
        model.notes.push_back("mixed GPU types; shown as the most common, " + model.gpu_type);
    }
    if (!collected.has_tokens) {
      model.notes.push_back(is_dcgm(range) ? "no engine token counter (vllm:/sglang:generation_"
                                             "tokens_total, tgi_request_generated_tokens) for "
                                             "this model in the range"
                                           : "no joulebench_tokens_total for this model in the "
                                             "range");
    }
    if (collected.power_w.empty())
      model.notes.push_back("no power series for this model in the range");
    collected.power_w.resize(steps);
    collected.tokens_per_s.resize(steps);
    for (std::size_t k = 0; k < steps; ++k) {
      HistoryPoint point{range.start_s + static_cast<std::int64_t>(k) * range.step_s,
                         collected.power_w[k], collected.tokens_per_s[k]};
      if (point.power_w || point.tokens_per_s) model.points.push_back(point);
    }
    ByStep().swap(collected.power_w);  // the next model's points take this memory
    ByStep().swap(collected.tokens_per_s);
    // Steps with neither value are gaps; the analysis counts them against the span, so keep the
    // ends.
    if (!model.points.empty()) {
      if (model.points.front().time_s != range.start_s)
        model.points.insert(model.points.begin(), HistoryPoint{range.start_s, {}, {}});
      if (model.points.back().time_s != range.end_s)
        model.points.push_back(HistoryPoint{range.end_s, {}, {}});
    }
    history.models.push_back(std::move(model));
  }
  return history;
}

// The scrape interval from the samples of the best-covered power series over the last hour
// (or the range); 0 when there is none.
std::int64_t estimate_scrape_interval_s(platform::HttpFetcher& http, const PrometheusRange& range) {
  const std::int64_t lookback_s = std::min<std::int64_t>(range.end_s - range.start_s, 3600);
  auto samples = ask(http,
                     query_url(range.base_url,
                               scrape_samples_query(is_dcgm(range) ? kDcgmPowerGauge : kPowerGauge,
                                                    std::to_string(lookback_s) + "s"),
                               range.end_s),
                     "the scrape interval query", range);
  if (!samples || samples->series.empty() || samples->series.front().points.empty()) return 0;
  const double count = samples->series.front().points.back().second;
  if (!(count >= 2.0)) return 0;
  // The window (end - lookback, end] holds one sample per interval.
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(lookback_s) / count));
}

// Which family the back end holds over the range; joulebench's own when it has both (its
// energy counter is joulebench's calibrated one).
Expected<MetricsFamily> detect_metrics(platform::HttpFetcher& http, PrometheusRange& range) {
  auto found =
      ask(http,
          query_url(range.base_url,
                    metrics_detection_query(std::to_string(range.end_s - range.start_s) + "s"),
                    range.end_s),
          "the metrics detection query", range);
  if (!found) return found.error();
  std::set<std::string> families;
  for (const auto& series : found->series) families.insert(label(series, "metrics"));
  if (families.count("joulebench") != 0) {
    range.metrics_reason = families.count("dcgm") != 0
                               ? "metrics auto: joulebench's (dcgm-exporter's also present; "
                                 "--metrics dcgm to use those)"
                               : "metrics auto: joulebench's";
    return MetricsFamily::Joulebench;
  }
  if (families.count("dcgm") != 0) {
    range.metrics_reason = "metrics auto: dcgm-exporter's with the engines' token counters";
    return MetricsFamily::Dcgm;
  }
  return Error{
      fmt::format("--metrics auto: neither {} nor {}/{} in {} (check --range, "
                  "--prometheus and, for a multi-tenant back end, --header "
                  "'X-Scope-OrgID: tenant')",
                  kPowerGauge, kDcgmEnergyCounter, kDcgmPowerGauge, period_phrase(range))};
}

Expected<FleetHistory> fetch_fleet_history(const PrometheusRange& requested,
                                           const std::vector<ModelEntry>& entries) {
  platform::HttpFetcher http;
  http.set_request_options(requested.request);
  PrometheusRange range = requested;
  if (range.metrics == MetricsFamily::Auto) {
    auto family = detect_metrics(http, range);
    if (!family) return family.error();
    range.metrics = *family;
  } else {
    range.metrics_reason = is_dcgm(range) ? "metrics dcgm: dcgm-exporter's with the engines' "
                                            "token counters"
                                          : "metrics joulebench";
  }
  if (range.rate_window_auto) {
    range.scrape_interval_s = estimate_scrape_interval_s(http, range);
    range.rate_window_s = range.scrape_interval_s > 0
                              ? std::max(4 * range.scrape_interval_s, range.step_s)
                              : 4 * range.step_s;
  }
  range.lead_in_s = (range.rate_window_s + range.step_s - 1) / range.step_s * range.step_s;
  const std::string window = std::to_string(range.rate_window_s) + "s";
  const FleetQueries queries = is_dcgm(range)
                                   ? dcgm_fleet_queries(entries, window, range.range_text)
                                   : fleet_queries(entries, window, range.range_text);
  auto range_query = [&](const std::string& expr, const std::string& what) {
    return ask(http,
               query_range_url(range.base_url, expr, range.start_s - range.lead_in_s, range.end_s,
                               range.step_s),
               what, range);
  };
  auto power = range_query(queries.power, "the power query");
  if (!power) return power.error();
  auto allocation = range_query(queries.allocation, "the allocation query");
  if (!allocation) return allocation.error();
  auto tokens = range_query(queries.tokens, "the tokens query");
  if (!tokens) return tokens.error();
  auto idle = ask(http, query_url(range.base_url, queries.idle, range.end_s),
                  "the idle baseline query", range);
  if (!idle) return idle.error();
  return assemble_history(range, entries, *power, *allocation, *tokens, *idle);
}

}  // namespace joulebench::fleet
