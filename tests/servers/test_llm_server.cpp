#include "test_llm_server.hpp"

#include "event_loop.hpp"

namespace joulebench::test_server {

TestLlmServer::TestLlmServer(TestLlmServerOptions options)
    : loop_(std::make_unique<EventLoop>(std::move(options))) {}

TestLlmServer::~TestLlmServer() {
  if (thread_.joinable()) {
    stop();
    thread_.join();
  }
}

Expected<std::uint16_t> TestLlmServer::bind() {
  auto port = loop_->bind();
  if (port) port_ = *port;
  return port;
}

void TestLlmServer::run() { loop_->run(); }

Expected<std::uint16_t> TestLlmServer::start() {
  auto port = bind();
  if (port) thread_ = std::thread([this] { run(); });
  return port;
}

void TestLlmServer::stop() { loop_->stop(); }

TestLlmServerStats TestLlmServer::stats() const { return loop_->stats(); }

}  // namespace joulebench::test_server
