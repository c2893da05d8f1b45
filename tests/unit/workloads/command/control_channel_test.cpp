#include "workloads/command/control_channel.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace joulebench {
namespace {

TEST(ParseControlLine, AcceptsTheThreeCommands) {
  auto begin = parse_control_line("begin decode", 1);
  ASSERT_TRUE(begin);
  EXPECT_EQ(std::get<ControlBegin>(*begin).window, "decode");
  auto end = parse_control_line("  end   decode \r", 2);
  ASSERT_TRUE(end);
  EXPECT_EQ(std::get<ControlEnd>(*end).window, "decode");
  auto tokens = parse_control_line("tokens 256", 3);
  ASSERT_TRUE(tokens);
  EXPECT_EQ(std::get<ControlTokens>(*tokens).tokens, 256u);
  EXPECT_EQ(std::get<ControlTokens>(*tokens).window, "");
  auto named = parse_control_line("tokens 7 decode", 4);
  ASSERT_TRUE(named);
  EXPECT_EQ(std::get<ControlTokens>(*named).window, "decode");
}

TEST(ParseControlLine, BadLinesNameTheLineAndTheProblem) {
  struct Case {
    const char* line;
    const char* expected;
  };
  const Case cases[] = {
      {"start x", "JOULEBENCH_CONTROL:9: unknown command 'start' (expected begin, end, tokens)"},
      {"begin", "JOULEBENCH_CONTROL:9: begin: missing window name"},
      {"end a b", "JOULEBENCH_CONTROL:9: end: window name must not contain blanks"},
      {"tokens -5", "JOULEBENCH_CONTROL:9: tokens: '-5' is not a non-negative integer"},
      {"tokens 12abc", "JOULEBENCH_CONTROL:9: tokens: '12abc' is not a non-negative integer"},
      {"tokens", "JOULEBENCH_CONTROL:9: tokens: '' is not a non-negative integer"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_control_line(c.line, 9);
    ASSERT_FALSE(parsed) << c.line;
    EXPECT_EQ(parsed.error().what_line(), c.expected);
  }
}

TEST(ControlChannel, DeliversEveryLineFromSeveralWritersInOrder) {
  std::mutex mutex;
  std::vector<ControlEvent> events;
  std::vector<std::string> warnings;
  auto channel = ControlChannel::open(
      [&](const ControlEvent& event) {
        std::lock_guard lock(mutex);
        events.push_back(event);
      },
      [&](const std::string& warning) {
        std::lock_guard lock(mutex);
        warnings.push_back(warning);
      });
  ASSERT_TRUE(channel) << channel.error().message;
  const std::string path = (*channel)->path();
  // Two separate writers (like a script that reopens the file per line), one split write.
  for (const char* text : {"begin decode\ntok", "ens 10\nbogus\n", "end decode\ntokens 5"}) {
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, text, std::strlen(text)), static_cast<ssize_t>(std::strlen(text)));
    ::close(fd);
  }
  (*channel)->drain_and_stop();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(std::get<ControlBegin>(events[0]).window, "decode");
  EXPECT_EQ(std::get<ControlTokens>(events[1]).tokens, 10u);
  EXPECT_EQ(std::get<ControlEnd>(events[2]).window, "decode");
  EXPECT_EQ(std::get<ControlTokens>(events[3]).tokens, 5u);  // last line had no newline
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "JOULEBENCH_CONTROL:3: unknown command 'bogus' (expected begin, end, tokens)");
}

TEST(ControlChannel, RemovesItsFifoWhenDestroyed) {
  std::string path;
  {
    auto channel = ControlChannel::open([](const ControlEvent&) {}, [](const std::string&) {});
    ASSERT_TRUE(channel);
    path = (*channel)->path();
    EXPECT_EQ(::access(path.c_str(), F_OK), 0);
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace joulebench
