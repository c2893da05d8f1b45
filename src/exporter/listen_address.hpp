// --listen HOST:PORT for the exporter: "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464",
// ":9464" (loopback; binding every interface must be asked for by name). Port 0 = any free port.
#pragma once

#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::exporter {

struct ListenAddress {
  std::string host;  // without brackets
  int port = 0;
};

// The error names --listen.
Expected<ListenAddress> parse_listen_address(std::string_view text);

// "http://HOST:PORT" with brackets around an IPv6 host.
std::string listen_url(const ListenAddress& address);

}  // namespace joulebench::exporter
