#include "platform/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

namespace joulebench::platform {
namespace {

TEST(Process, ExitCodesComeBack) {
  auto ok = spawn_process({"sh", "-c", "exit 0"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(wait_for_exit(*ok), 0);
  auto three = spawn_process({"sh", "-c", "exit 3"});
  ASSERT_TRUE(three);
  EXPECT_EQ(wait_for_exit(*three), 3);
}

TEST(Process, ACommandThatCannotStartIsAnErrorNotAnExitCode) {
  auto missing = spawn_process({"joulebench-no-such-command-xyz"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("joulebench-no-such-command-xyz"), std::string::npos);
  EXPECT_FALSE(spawn_process({}));
}

TEST(Process, EnvironmentOverridesReachTheChild) {
  auto child = spawn_process({"sh", "-c", "test \"$JB_PROCESS_TEST\" = hello"},
                             {{"JB_PROCESS_TEST", "hello"}});
  ASSERT_TRUE(child);
  EXPECT_EQ(wait_for_exit(*child), 0);
}

TEST(Process, SignalsAreForwardedToTheChild) {
  // The child exits 42 when it receives SIGTERM; the forwarder must deliver it.
  const std::string ready = "/tmp/jb-process-ready-" + std::to_string(::getpid());
  ::unlink(ready.c_str());
  auto child = spawn_process(
      {"sh", "-c", "trap 'exit 42' TERM; : > " + ready + "; while :; do sleep 0.01; done"});
  ASSERT_TRUE(child);
  int exit_code = -1;
  {
    SignalForwarder forwarder(*child);
    while (::access(ready.c_str(), F_OK) != 0) ::usleep(1000);  // the trap is installed
    ::unlink(ready.c_str());
    ::kill(::getpid(), SIGTERM);
    exit_code = wait_for_exit(*child);
    EXPECT_EQ(SignalForwarder::last_signal(), SIGTERM);
  }
  EXPECT_EQ(exit_code, 42);
}

TEST(Process, AMissingCommandIsNamedAsNotFound) {
  auto missing = spawn_process({"joulebench-no-such-command-xyz"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "command not found: joulebench-no-such-command-xyz");
}

TEST(Process, HowAChildEndedNamesTheExitStatusOrTheSignal) {
  auto segv = spawn_process({"sh", "-c", "kill -SEGV $$"});
  ASSERT_TRUE(segv);
  const ChildExit killed = wait_for_child(*segv);
  EXPECT_EQ(killed.signal, SIGSEGV);
  EXPECT_EQ(killed.shell_code(), 128 + SIGSEGV);
  EXPECT_EQ(killed.failure(), "killed by signal SIGSEGV");

  auto three = spawn_process({"sh", "-c", "exit 3"});
  ASSERT_TRUE(three);
  EXPECT_EQ(wait_for_child(*three).failure(), "exit status 3");
  auto ok = spawn_process({"true"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(wait_for_child(*ok).failure(), std::nullopt);
}

TEST(Process, SignalNames) {
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGINT), "SIGINT");
  EXPECT_EQ(signal_name(1000), "signal 1000");
}

TEST(Process, ASignalEndingTheChildIsReportedAs128PlusSignal) {
  auto child = spawn_process({"sh", "-c", "kill -KILL $$"});
  ASSERT_TRUE(child);
  EXPECT_EQ(wait_for_exit(*child), 128 + SIGKILL);
}

}  // namespace
}  // namespace joulebench::platform
