#include "report/report_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>

#include "core/statistics.hpp"

namespace joulebench::report {
namespace {

using models::Metric;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, start)) {
    parts.push_back(trim(text.substr(start, at - start)));
    start = at + 1;
  }
  parts.push_back(trim(text.substr(start)));
  return parts;
}

std::optional<double> parse_number(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0') return std::nullopt;
  return value;
}

// Configurations whose labels include every `key=value` of the selector; when some of them
// have exactly the selector's labels, only those: `precision=fp16,batch=8` then names that
// configuration and not also the bench levels that add `concurrency=N` to the same labels.
Expected<std::vector<const ReportConfig*>> select(const Report& report, std::string_view selector) {
  std::vector<std::pair<std::string, std::string>> wanted;
  if (selector != "*") {
    for (const auto part : split(selector, ',')) {
      const auto equals = part.find('=');
      if (equals == std::string_view::npos || equals == 0) {
        return Error{fmt::format("selector part '{}' is not key=value (or use * for all)", part)};
      }
      wanted.emplace_back(std::string(trim(part.substr(0, equals))),
                          std::string(trim(part.substr(equals + 1))));
    }
  }
  std::vector<const ReportConfig*> matched;
  for (const auto& config : report.configs) {
    const bool all = std::all_of(wanted.begin(), wanted.end(), [&](const auto& pair) {
      const auto found = config.labels.find(pair.first);
      return found != config.labels.end() && found->second == pair.second;
    });
    if (all) matched.push_back(&config);
  }
  if (matched.empty())
    return Error{fmt::format("selector '{}' matches no configuration", selector)};
  std::vector<const ReportConfig*> exact;
  std::copy_if(matched.begin(), matched.end(), std::back_inserter(exact),
               [&](const ReportConfig* config) { return config->labels.size() == wanted.size(); });
  return exact.empty() ? matched : exact;
}

std::vector<double> pooled(const std::vector<const ReportConfig*>& configs, Metric metric) {
  std::vector<double> values;
  for (const auto* config : configs) {
    const auto& some = config->samples.values[static_cast<std::size_t>(metric)];
    values.insert(values.end(), some.begin(), some.end());
  }
  return values;
}

struct Figure {
  std::optional<double> value;
  int decimals = 2;
};

Expected<Figure> figure_of(const Report& report, const std::vector<const ReportConfig*>& configs,
                           std::string_view metric) {
  for (const auto candidate : models::kAllMetrics) {
    if (metric == models::metric_key(candidate)) {
      const int decimals = candidate == Metric::j_per_output_token ? 4
                           : candidate == Metric::tokens_per_j     ? 3
                                                                   : 1;
      return Figure{mean(pooled(configs, candidate)), decimals};
    }
  }
  const auto j_per_token = pooled(configs, Metric::j_per_output_token);
  if (metric == "j_per_1k_tokens") {
    const auto value = mean(j_per_token);
    return Figure{value ? std::optional<double>(*value * 1000.0) : std::nullopt, 1};
  }
  if (metric == "cv") {
    const auto value = coefficient_of_variation(j_per_token);
    return Figure{value ? std::optional<double>(*value * 100.0) : std::nullopt, 1};
  }
  if (metric == "n") return Figure{static_cast<double>(j_per_token.size()), 0};
  if (metric.substr(0, 22) == "usd_per_million_tokens") {
    std::optional<double> price =
        report.prices_usd_per_kwh.empty() ? 0.1 : report.prices_usd_per_kwh.front();
    if (metric.size() > 22)
      price = metric[22] == '@' ? parse_number(metric.substr(23)) : std::nullopt;
    if (!price || !(*price > 0.0))
      return Error{fmt::format("'{}': the price after @ is not a positive number", metric)};
    return Figure{energy_cost(mean(j_per_token), *price), 4};
  }
  return Error{
      fmt::format("unknown metric '{}' (use j_per_output_token, tokens_per_j, output_tokens_per_s, "
                  "avg_power_w, "
                  "j_per_1k_tokens, cv, n, usd_per_million_tokens[@PRICE])",
                  metric)};
}

Expected<std::string> fill_one(std::string_view inside, const Report& report) {
  const auto parts = split(inside, ':');
  if (parts.size() < 2 || parts.size() > 3)
    return Error{"expected {{ SELECTOR : METRIC }} or {{ SELECTOR : METRIC : DECIMALS }}"};
  auto configs = select(report, parts[0]);
  if (!configs) return configs.error();
  auto figure = figure_of(report, *configs, parts[1]);
  if (!figure) return figure.error();
  if (parts.size() == 3) {
    const auto decimals = parse_number(parts[2]);
    if (!decimals || *decimals < 0 || *decimals > 12 || *decimals != static_cast<int>(*decimals)) {
      return Error{fmt::format("decimals '{}' is not a whole number from 0 to 12", parts[2])};
    }
    figure->decimals = static_cast<int>(*decimals);
  }
  return figure->value ? fmt::format("{:.{}f}", *figure->value, figure->decimals)
                       : std::string("n/a");
}

}  // namespace

Expected<std::string> fill_template(std::string_view text, const std::string& filename,
                                    const Report& report) {
  std::string out;
  std::size_t line = 1;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t open = text.find("{{", position);
    const std::string_view before =
        text.substr(position, open == std::string_view::npos ? text.npos : open - position);
    out += before;
    line += static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open + 2);
    const std::size_t newline = text.find('\n', open);
    if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close)) {
      return Error{"placeholder '{{' is not closed by '}}' on the same line", filename, line};
    }
    const std::string_view placeholder = text.substr(open, close + 2 - open);
    auto filled = fill_one(text.substr(open + 2, close - open - 2), report);
    if (!filled)
      return Error{fmt::format("placeholder '{}': {}", placeholder, filled.error().message),
                   filename, line};
    out += *filled;
    position = close + 2;
  }
  return out;
}

}  // namespace joulebench::report
