// The floor under any streaming client's CPU cost on this machine: the least a client can do
// to receive an OpenAI-style token stream. One epoll loop, one recv per readable socket, one
// clock read per wakeup and one timestamp per event; no HTTP parsing beyond spotting the end
// of a chunked response, no SSE parsing, no JSON. It is not a usable client (plain HTTP on
// 127.0.0.1, keep-alive, chunked responses from the test LLM server only); it exists so that
// docs/benchmarks.md can say how much of a client's cost per token is the kernel's, which
// no client can avoid, and how much is the client's own.
//
//   openai_socket_floor --port PORT --concurrency 256 --requests 2048 --output-tokens 256
//
// Prints JSON: requests, output_tokens (requests x --output-tokens: the server sends exactly
// that many with ignore_eos), events (SSE "data:" lines, usage and [DONE] included), cpu_s
// (the whole process), wall_s, tokens_per_cpu_s.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "process_cpu.hpp"

namespace {

using joulebench::bench::process_cpu_s;

struct Stream {
  int fd = -1;
  std::vector<long long> event_ns;  // what a real client keeps per token
};

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string completions_request(std::size_t output_tokens) {
  const std::string body =
      fmt::format(R"({{"model":"joulebench-test-model","prompt":"a b c d e f g h","max_tokens":{},)"
                  R"("stream":true,"ignore_eos":true,"stream_options":{{"include_usage":true}}}})",
                  output_tokens);
  return fmt::format(
      "POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Accept: text/event-stream\r\nContent-Length: {}\r\n\r\n{}",
      body.size(), body);
}

int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::size_t count_events(std::string_view bytes) {
  std::size_t events = 0;
  for (std::size_t at = bytes.find("data: "); at != std::string_view::npos;
       at = bytes.find("data: ", at + 6)) {
    ++events;
  }
  return events;
}

// The zero-length chunk that ends a chunked response; the test server sends it on its own
// after "data: [DONE]", so it always ends a read.
bool ends_response(std::string_view bytes) {
  return bytes.ends_with("\r\n0\r\n\r\n") || bytes == "0\r\n\r\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The kernel's floor under a streaming client's CPU per token (bench only)"};
  int port = 0;
  std::size_t concurrency = 64;
  std::size_t requests = 512;
  std::size_t output_tokens = 256;
  app.add_option("--port", port, "the test LLM server's port on 127.0.0.1")->required();
  app.add_option("--concurrency", concurrency, "streams kept in flight")->default_val(64);
  app.add_option("--requests", requests, "requests in all")->default_val(512);
  app.add_option("--output-tokens", output_tokens, "max_tokens per request")->default_val(256);
  CLI11_PARSE(app, argc, argv);

  const std::string request = completions_request(output_tokens);
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Stream> streams(concurrency);
  std::size_t issued = 0;
  std::size_t finished = 0;
  std::size_t events = 0;
  const double cpu_before = process_cpu_s();
  const long long wall_before = now_ns();
  for (std::size_t i = 0; i < concurrency && issued < requests; ++i) {
    streams[i].fd = connect_loopback(port);
    if (streams[i].fd < 0) {
      std::fprintf(stderr, "error: --port: cannot connect to 127.0.0.1:%d\n", port);
      return 2;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, streams[i].fd, &event);
    send(streams[i].fd, request.data(), request.size(), MSG_NOSIGNAL);
    ++issued;
  }
  static char buffer[1 << 16];
  std::vector<epoll_event> ready(1024);
  while (finished < issued) {
    const int count = epoll_wait(epoll_fd, ready.data(), static_cast<int>(ready.size()), 10'000);
    if (count <= 0) {
      std::fprintf(stderr, "error: no data for 10 s (is the server running?)\n");
      return 1;
    }
    const long long arrival_ns = now_ns();
    for (int k = 0; k < count; ++k) {
      Stream& stream = streams[ready[k].data.u64];
      const ssize_t got = recv(stream.fd, buffer, sizeof buffer, 0);
      if (got <= 0) {
        std::fprintf(stderr, "error: the server closed a stream\n");
        return 1;
      }
      const std::string_view bytes(buffer, static_cast<std::size_t>(got));
      const std::size_t new_events = count_events(bytes);
      stream.event_ns.insert(stream.event_ns.end(), new_events, arrival_ns);
      events += new_events;
      if (!ends_response(bytes)) continue;
      ++finished;
      stream.event_ns.clear();
      if (issued < requests) {
        send(stream.fd, request.data(), request.size(), MSG_NOSIGNAL);
        ++issued;
      }
    }
  }
  const double cpu_s = process_cpu_s() - cpu_before;
  const std::size_t tokens = finished * output_tokens;
  const double wall_s = static_cast<double>(now_ns() - wall_before) * 1e-9;
  fmt::print(
      "{{\"client\": \"socket floor (epoll + recv, no parsing)\", \"concurrency\": {}, "
      "\"requests\": {}, \"output_tokens\": {}, \"events\": {}, \"cpu_s\": {:.3f}, "
      "\"wall_s\": {:.3f}, \"tokens_per_cpu_s\": {:.0f}}}\n",
      concurrency, finished, tokens, events, cpu_s, wall_s, static_cast<double>(tokens) / cpu_s);
  return 0;
}
