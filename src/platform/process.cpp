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
std::atomic<int> g_interrupts{0};  // SIGINT/SIGTERM received so far, for the escalation
struct sigaction g_old_int {};
struct sigaction g_old_term {};

// Async-signal-safe: a fixed message through write(2).
void tell(const char* message) {
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, std::strlen(message));
}

// A child that ignores Ctrl-C must not leave joulebench unkillable but for SIGKILL (which
// loses the measurement): each further interrupt sends a stronger signal to the child.
int escalated_signal(int received, int interrupts) {
  if (interrupts <= 1) return received;
  if (interrupts == 2) {
    tell("joulebench: interrupted again, sending SIGTERM to the command (once more: SIGKILL)\n");
    return SIGTERM;
  }
  tell("joulebench: interrupted again, sending SIGKILL to the command\n");
  return SIGKILL;
}

extern "C" void forward_signal(int signal_number) {
  g_last_signal.store(signal_number);
  const int interrupts = g_interrupts.fetch_add(1) + 1;
  const pid_t child = g_forward_to.load();
  if (child > 0) ::kill(child, escalated_signal(signal_number, interrupts));
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
    if (child_errno == ENOENT) return Error{"command not found: " + argv[0]};
    return Error{"cannot start '" + argv[0] + "': " + std::strerror(child_errno)};
  }
  return pid;
}

std::optional<std::string> ChildExit::failure() const {
  if (signal != 0) return "killed by signal " + signal_name(signal);
  if (exit_status != 0) return "exit status " + std::to_string(exit_status);
  return std::nullopt;
}

ChildExit wait_for_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return {127, 0};
  }
  if (WIFEXITED(status)) return {WEXITSTATUS(status), 0};
  if (WIFSIGNALED(status)) return {0, WTERMSIG(status)};
  return {1, 0};
}

int wait_for_exit(pid_t pid) { return wait_for_child(pid).shell_code(); }

std::string signal_name(int signal_number) {
  // sigabbrev_np (glibc 2.32) gives "SEGV"; nullptr for a number without a name.
  if (const char* abbreviation = ::sigabbrev_np(signal_number)) {
    return std::string("SIG") + abbreviation;
  }
  return "signal " + std::to_string(signal_number);
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
