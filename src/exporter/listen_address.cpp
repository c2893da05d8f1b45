#include "exporter/listen_address.hpp"

#include <charconv>

namespace joulebench::exporter {

Expected<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error{"--listen: '" + std::string(text) + "' " + why + " (use HOST:PORT, e.g. 127.0.0.1:9464)"};
  };
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("has no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("has an IPv6 host without brackets");
  }
  int port = -1;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return bad("has no port number in 0..65535");
  }
  ListenAddress address{std::string(host), port};
  if (address.host.empty()) address.host = "127.0.0.1";
  return address;
}

std::string listen_url(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + address.host + "]" : address.host) + ":" +
         std::to_string(address.port);
}

}  // namespace joulebench::exporter
