#include "exporter/connection_gate.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace joulebench::exporter {
namespace {

using namespace std::chrono_literals;

// Connections the gate handed on, as the serving pool would receive them.
struct Handed {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::shared_ptr<Connection>> connections;

  ConnectionGate::Ready callback() {
    return [this](std::shared_ptr<Connection> connection) {
      std::lock_guard lock(mutex);
      connections.push_back(std::move(connection));
      changed.notify_all();
    };
  }
  std::shared_ptr<Connection> wait_for_one() {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 30s, [&] { return !connections.empty(); });
    return connections.empty() ? nullptr : connections.front();
  }
};

// The client's end sees EOF once the gate closed the server's end.
bool closed_by_peer(int client_fd) {
  pollfd entry{client_fd, POLLIN, 0};
  if (::poll(&entry, 1, 30000) <= 0) return false;
  char byte;
  return ::recv(client_fd, &byte, 1, MSG_DONTWAIT) == 0;
}

TEST(ConnectionGate, RecognisesAWholeRequestHead) {
  EXPECT_TRUE(has_request_head("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(has_request_head("GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_FALSE(has_request_head(""));
}

TEST(ConnectionGate, HandsOnAConnectionOnceItsHeadIsComplete) {
  Handed handed;
  ConnectionGate gate(GateOptions{}, handed.callback());
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  gate.admit(fds[0]);
  const std::string head = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::write(fds[1], head.data(), 10), 10);
  std::this_thread::sleep_for(50ms);
  ASSERT_EQ(::write(fds[1], head.data() + 10, head.size() - 10),
            static_cast<ssize_t>(head.size() - 10));
  const auto connection = handed.wait_for_one();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->buffered, head);
  ::close(fds[1]);
}

// One byte at a time, each well within any per-read timeout, must not keep a connection
// waiting past the total header deadline.
TEST(ConnectionGate, ATricklingHeadIsCutOffAtTheTotalDeadline) {
  Handed handed;
  GateOptions options;
  options.header_timeout = 300ms;
  ConnectionGate gate(options, handed.callback());
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  gate.admit(fds[0]);
  bool cut = false;
  for (int i = 0; i < 200 && !cut; ++i) {  // 200 x 50 ms: far past the deadline
    if (::send(fds[1], "G", 1, MSG_NOSIGNAL) != 1) cut = true;
    pollfd entry{fds[1], POLLIN, 0};
    if (::poll(&entry, 1, 50) > 0) cut = closed_by_peer(fds[1]);
  }
  EXPECT_TRUE(cut);
  EXPECT_EQ(gate.timed_out(), 1u);
  EXPECT_TRUE(handed.connections.empty());
  ::close(fds[1]);
}

TEST(ConnectionGate, TheLongestWaitingMakesRoomForANewcomer) {
  Handed handed;
  GateOptions options;
  options.max_waiting = 1;
  ConnectionGate gate(options, handed.callback());
  int first[2];
  int second[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, first), 0);
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, second), 0);
  gate.admit(first[0]);
  std::this_thread::sleep_for(50ms);
  gate.admit(second[0]);
  EXPECT_TRUE(closed_by_peer(first[1]));
  const std::string head = "GET / HTTP/1.1\r\n\r\n";
  ASSERT_EQ(::write(second[1], head.data(), head.size()), static_cast<ssize_t>(head.size()));
  EXPECT_NE(handed.wait_for_one(), nullptr);
  ::close(first[1]);
  ::close(second[1]);
}

}  // namespace
}  // namespace joulebench::exporter
