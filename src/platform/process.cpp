#include "platform/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace joulebench::platform {
namespace {

std::atomic<pid_t> g_forward_to{0};
std::atomic<int> g_last_signal{0};
struct sigaction g_old_int {};
struct sigaction g_old_term {};

extern "C" void forward_signal(int signal_number) {
  g_last_signal.store(signal_number);
  const pid_t child = g_forward_to.load();
  if (child > 0) ::kill(child, signal_number);
}

void install(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

}  // namespace

Expected<pid_t> spawn_process(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides) {
  if (argv.empty()) return Error{"no command given"};
  // A close-on-exec pipe tells the parent whether exec succeeded: EOF means it did,
  // an errno value means it did not.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return Error{std::string("pipe: ") + std::strerror(errno)};

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(report[0]);
    ::close(report[1]);
    return Error{std::string("fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    ::close(report[0]);
    for (const auto& [key, value] : overrides) ::setenv(key.c_str(), value.c_str(), 1);
    ::execvp(args[0], args.data());
    const int error_number = errno;
    [[maybe_unused]] auto written = ::write(report[1], &error_number, sizeof error_number);
    ::_exit(127);
  }
  ::close(report[1]);
  int child_errno = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof child_errno)) {
    ::waitpid(pid, nullptr, 0);
    return Error{"cannot start '" + argv[0] + "': " + std::strerror(child_errno)};
  }
  return pid;
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

SignalForwarder::SignalForwarder(pid_t child) {
  g_forward_to.store(child);
  install(forward_signal);
}

SignalForwarder::~SignalForwarder() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  g_forward_to.store(0);
}

int SignalForwarder::last_signal() { return g_last_signal.load(); }

void install_interrupt_flag() {
  g_forward_to.store(0);
  install(forward_signal);
}

bool interrupted() { return g_last_signal.load() != 0; }

}  // namespace joulebench::platform
