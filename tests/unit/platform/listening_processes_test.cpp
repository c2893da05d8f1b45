#include "platform/listening_processes.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "platform/url.hpp"

extern char** environ;

namespace joulebench::platform {
namespace {

bool contains(const std::vector<int>& pids, int pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

TEST(ListeningProcesses, FindsThisProcessListeningOnItsPort) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const unsigned port = ntohs(address.sin_port);
  EXPECT_TRUE(contains(pids_listening_on(port), ::getpid()));
  ::close(fd);
  EXPECT_FALSE(contains(pids_listening_on(port), ::getpid()));
}

TEST(ListeningProcesses, DescendantsIncludeAChildProcess) {
  pid_t child = 0;
  const char* argv[] = {"sleep", "30", nullptr};
  ASSERT_EQ(::posix_spawnp(&child, "sleep", nullptr, nullptr, const_cast<char**>(argv), environ),
            0);
  const auto family = with_descendants({::getpid()});
  EXPECT_TRUE(contains(family, ::getpid()));
  EXPECT_TRUE(contains(family, child));
  EXPECT_FALSE(contains(with_descendants({child}), ::getpid()));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

TEST(Url, PortFromTheAuthorityOrTheScheme) {
  EXPECT_EQ(url_port("http://127.0.0.1:8000/v1"), 8000u);
  EXPECT_EQ(url_port("http://localhost/v1"), 80u);
  EXPECT_EQ(url_port("https://user:pw@host/v1"), 443u);
  EXPECT_EQ(url_port("http://[::1]:9464/metrics"), 9464u);
  EXPECT_EQ(url_port("http://[::1]/"), 80u);
  EXPECT_FALSE(url_port("http://host:99999/"));
  EXPECT_FALSE(url_port("http://host:8x/"));
  EXPECT_FALSE(url_port("ftp://host/"));
  EXPECT_FALSE(url_port("127.0.0.1:8000"));
}

}  // namespace
}  // namespace joulebench::platform
