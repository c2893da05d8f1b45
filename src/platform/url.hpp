// Small URL helpers shared by the HTTP clients (OpenAI load generator, --tokens-from scraper).
#pragma once

#include <string_view>

namespace joulebench::platform {

// The URL's host is this machine (127.x, localhost, [::1]), where a proxy from the
// environment must not intercept the request.
bool is_loopback_url(std::string_view url);

}  // namespace joulebench::platform
