#include "sensors/remote/remote_spec.hpp"

#include <string_view>
#include <vector>

namespace joulebench::remote {
namespace {

constexpr std::string_view kFlag = "--energy-from";
constexpr std::string_view kPrometheusScheme = "prometheus+";

Error spec_error(const std::string& given, const std::string& why) {
  return Error{std::string(kFlag) + ": '" + given + "': " + why};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits "a=1&b=2" into its own parameters (kept in `spec`) and the rest (returned).
Expected<std::string> take_own_parameters(const std::string& query, RemoteSpec& spec) {
  std::string rest;
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq);
    if (key != "selector" && key != "interval") {
      rest += (rest.empty() ? "" : "&") + pair;
      continue;
    }
    if (eq == std::string::npos) return spec_error(spec.given, key + " needs a value");
    auto value = percent_decode(pair.substr(eq + 1));
    if (!value) return spec_error(spec.given, value.error().message);
    (key == "selector" ? spec.selector : spec.interval) = *value;
  }
  return rest;
}

}  // namespace

Expected<std::string> percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (high < 0 || low < 0)
      return Error{"malformed percent escape at character " + std::to_string(i + 1)};
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

Expected<RemoteSpec> parse_remote_spec(const std::string& text) {
  RemoteSpec spec;
  spec.given = text;
  std::string url = text;
  if (url.starts_with(kPrometheusScheme)) {
    spec.kind = RemoteKind::prometheus_api;
    url.erase(0, kPrometheusScheme.size());
  }
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return spec_error(text,
                      "not an http:// or https:// URL (or prometheus+http:// for a query API)");
  }
  const std::size_t host_start = url.find("//") + 2;
  const std::size_t host_end = std::min(url.find_first_of("/?#", host_start), url.size());
  spec.host = url.substr(host_start, host_end - host_start);
  if (spec.host.empty() || spec.host.find_first_of(" @") != std::string::npos) {
    return spec_error(text, "no host, or a malformed one");
  }
  if (url.find('#') != std::string::npos) return spec_error(text, "a URL fragment (#) is not used");
  const std::size_t query_at = url.find('?');
  std::string base = url.substr(0, query_at);
  if (query_at != std::string::npos) {
    auto rest = take_own_parameters(url.substr(query_at + 1), spec);
    if (!rest) return rest.error();
    if (!rest->empty()) base += "?" + *rest;
  }
  if (spec.kind == RemoteKind::prometheus_api) {
    if (spec.selector.empty()) {
      return spec_error(text,
                        "a Prometheus API source needs ?selector=SERIES, e.g. "
                        "selector=DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{Hostname=\"node1\"}");
    }
    while (base.ends_with('/')) base.pop_back();
  } else if (!spec.selector.empty()) {
    return spec_error(text, "selector= is for prometheus+http:// sources");
  }
  spec.fetch_url = base;
  return spec;
}

}  // namespace joulebench::remote
