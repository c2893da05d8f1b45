// Wall-clock formatting for provenance fields (start_time). Measurements themselves use the
// monotonic clock; the wall clock only labels when a run happened.
#pragma once

#include <chrono>
#include <string>

namespace joulebench::platform {

// "2026-11-24T10:11:12.345Z" (UTC, milliseconds).
std::string iso8601_utc(std::chrono::system_clock::time_point when);

// "Sun, 06 Nov 1994 08:49:37 GMT": an HTTP Date header (IMF-fixdate), which lets a client
// measure this host's clock offset (`--energy-from`).
std::string http_date(std::chrono::system_clock::time_point when);

// The host name, or "unknown" when it cannot be read.
std::string host_name();

}  // namespace joulebench::platform
