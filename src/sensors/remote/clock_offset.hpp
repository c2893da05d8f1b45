// A remote host's clock against this one: windows are on this host's clock, readings that
// carry the remote clock's time (Prometheus samples) are moved onto it by the measured offset.
// Pure.
#pragma once

#include <optional>
#include <string_view>

namespace joulebench::remote {

// Unix seconds of an HTTP Date header (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT");
// null for anything else.
std::optional<double> parse_http_date(std::string_view text);

// Remote minus local: the remote time stamped while the request was in flight, against the
// local midpoint of the request. `resolution_s` is the remote stamp's step (1 s for Date,
// whose second is truncated, so its middle is taken).
double clock_offset_s(double remote_unix_s, double resolution_s, double local_sent_unix_s,
                      double local_answered_unix_s);

}  // namespace joulebench::remote
