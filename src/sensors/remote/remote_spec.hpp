// `--energy-from` specs: where a remote device's energy is read during each window.
//
//   http://host:port/metrics                 a joulebench exporter's or dcgm-exporter's page
//   http://host:port/metrics?interval=1s     the same, stating how often its figures change
//   prometheus+http://host:port?selector=S   a Prometheus-compatible query API, series S
//
// `interval` and `selector` are joulebench's own parameters: they are taken out of the URL
// that is fetched. Values may be percent-encoded. Pure; errors name the flag.
#pragma once

#include <string>

#include "joulebench/error.hpp"

namespace joulebench::remote {

enum class RemoteKind { metrics_page, prometheus_api };

struct RemoteSpec {
  std::string given;  // as the user typed it
  RemoteKind kind = RemoteKind::metrics_page;
  std::string fetch_url;  // the page, or the API's base URL (no trailing slash)
  std::string host;       // the URL's host (and port)
  std::string selector;   // prometheus_api: the series selector
  std::string interval;   // the stated update interval, as typed ("1s"); empty when not given
};

Expected<RemoteSpec> parse_remote_spec(const std::string& text);

// "%7B" -> "{", "+" kept; an Error for a malformed escape.
Expected<std::string> percent_decode(const std::string& text);

}  // namespace joulebench::remote
