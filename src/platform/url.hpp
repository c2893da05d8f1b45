// Small URL helpers shared by the HTTP clients (OpenAI load generator, --tokens-from scraper).
#pragma once

#include <optional>
#include <string_view>

namespace joulebench::platform {

// The URL's host is this machine (127.x, localhost, [::1]), where a proxy from the
// environment must not intercept the request.
bool is_loopback_url(std::string_view url);

// The TCP port a URL names (":8000"), else its scheme's (http 80, https 443); nullopt for a
// malformed port or another scheme.
std::optional<unsigned> url_port(std::string_view url);

}  // namespace joulebench::platform
