#include "workloads/openai/sse_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace joulebench {
namespace {

struct Event {
  std::string type;
  std::string data;
  std::string id;
  bool done = false;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Event& e) {
  return out << "{" << e.type << "|" << e.data << "|" << e.id << "|" << e.done << "}";
}

// Feeds `pieces` one after another, then finish().
std::vector<Event> parse_pieces(const std::vector<std::string>& pieces, bool finish = true) {
  std::vector<Event> events;
  SseParser parser([&](const SseEvent& e) {
    events.push_back({std::string(e.type), std::string(e.data), std::string(e.id), e.done});
  });
  for (const std::string& piece : pieces) parser.feed(piece);
  if (finish) parser.finish();
  EXPECT_FALSE(parser.failed()) << parser.error();
  return events;
}

std::vector<Event> parse_whole(const std::string& text) { return parse_pieces({text}); }

std::vector<Event> parse_bytewise(const std::string& text) {
  std::vector<std::string> pieces;
  for (char c : text) pieces.emplace_back(1, c);
  return parse_pieces(pieces);
}

struct Case {
  const char* name;
  std::string input;
  std::vector<Event> expected;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"plain", "data: hello\n\n", {{"message", "hello", "", false}}},
      {"no space after colon", "data:hello\n\n", {{"message", "hello", "", false}}},
      {"only one space is stripped", "data:  two\n\n", {{"message", " two", "", false}}},
      {"multi-line data", "data: a\ndata: b\n\n", {{"message", "a\nb", "", false}}},
      {"crlf", "data: x\r\n\r\n", {{"message", "x", "", false}}},
      {"cr only", "data: x\r\r", {{"message", "x", "", false}}},
      {"mixed endings", "data: a\r\ndata: b\rdata: c\n\r\n", {{"message", "a\nb\nc", "", false}}},
      {"comment only", ": keep-alive\n\n", {}},
      {"comment between data", "data: a\n: c\ndata: b\n\n", {{"message", "a\nb", "", false}}},
      {"event type", "event: error\ndata: boom\n\n", {{"error", "boom", "", false}}},
      {"type resets after dispatch",
       "event: x\ndata: 1\n\ndata: 2\n\n",
       {{"x", "1", "", false}, {"message", "2", "", false}}},
      {"type resets on empty event", "event: x\n\ndata: 1\n\n", {{"message", "1", "", false}}},
      {"id persists",
       "id: 7\ndata: a\n\ndata: b\n\n",
       {{"message", "a", "7", false}, {"message", "b", "7", false}}},
      {"field without colon", "data\n\n", {{"message", "", "", false}}},
      {"empty data", "data:\n\n", {{"message", "", "", false}}},
      {"done sentinel", "data: [DONE]\n\n", {{"message", "[DONE]", "", true}}},
      {"done must be exact", "data: [DONE] \n\n", {{"message", "[DONE] ", "", false}}},
      {"unknown field ignored", "foo: bar\ndata: x\n\n", {{"message", "x", "", false}}},
      {"retry ignored", "retry: 100\n\n", {}},
      {"byte order mark",
       "\xEF\xBB\xBF"
       "data: x\n\n",
       {{"message", "x", "", false}}},
      {"blank lines only", "\n\n\r\n", {}},
      {"json payload",
       "data: {\"choices\":[{\"text\":\"a:b\"}]}\n\n",
       {{"message", "{\"choices\":[{\"text\":\"a:b\"}]}", "", false}}},
  };
  return kCases;
}

TEST(SseParser, Table) {
  for (const Case& c : cases()) {
    EXPECT_EQ(parse_whole(c.input), c.expected) << c.name;
  }
}

TEST(SseParser, EverySplitPointGivesTheSameEvents) {
  for (const Case& c : cases()) {
    for (std::size_t cut = 0; cut <= c.input.size(); ++cut) {
      EXPECT_EQ(parse_pieces({c.input.substr(0, cut), c.input.substr(cut)}), c.expected)
          << c.name << " cut at " << cut;
    }
    EXPECT_EQ(parse_bytewise(c.input), c.expected) << c.name << " byte by byte";
  }
}

// A vLLM-like stream with every line-ending style, fed in random chunk sizes.
TEST(SseParser, RandomSplitsGiveIdenticalEvents) {
  std::string stream;
  const char* endings[] = {"\n", "\r\n", "\r"};
  for (int i = 0; i < 200; ++i) {
    const std::string end = endings[i % 3];
    if (i % 17 == 0) stream += ": ping" + end;
    stream += "data: {\"choices\":[{\"index\":0,\"text\":\"tok" + std::to_string(i) + " \"}]}" +
              end + end;
  }
  stream += "data: [DONE]\n\n";
  const std::vector<Event> expected = parse_whole(stream);
  ASSERT_EQ(expected.size(), 201u);
  EXPECT_TRUE(expected.back().done);

  std::mt19937_64 random(12345);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> pieces;
    std::size_t pos = 0;
    while (pos < stream.size()) {
      const std::size_t size = 1 + random() % 64;
      pieces.push_back(stream.substr(pos, size));
      pos += size;
    }
    ASSERT_EQ(parse_pieces(pieces), expected) << "round " << round;
  }
}

TEST(SseParser, LineOverTheBoundIsAnErrorAndLaterInputIsIgnored) {
  int events = 0;
  SseParser parser([&](const SseEvent&) { ++events; }, 16);
  EXPECT_TRUE(parser.feed("data: 0123456789"));  // 16 bytes: at the bound
  EXPECT_FALSE(parser.feed("x"));                // 17 bytes, still without a line end
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.error(), "SSE line longer than 16 bytes");
  EXPECT_FALSE(parser.feed("\n\ndata: ok\n\n"));
  parser.finish();
  EXPECT_EQ(events, 0);
}

TEST(SseParser, WholeLineOverTheBoundInOneFeedIsAnError) {
  SseParser parser(nullptr, 16);
  EXPECT_FALSE(parser.feed("data: 01234567890\n\n"));
  EXPECT_TRUE(parser.failed());
}

TEST(SseParser, LineAtTheBoundIsAccepted) {
  std::vector<std::string> data;
  SseParser parser([&](const SseEvent& e) { data.emplace_back(e.data); }, 16);
  EXPECT_TRUE(parser.feed("data: 0123456789\n\n"));
  EXPECT_EQ(data, std::vector<std::string>{"0123456789"});
}

TEST(SseParser, EventDataOverTheBoundIsAnError) {
  SseParser parser(nullptr, 16);
  EXPECT_TRUE(parser.feed("data: 01234\ndata: 01234\n"));  // 11 bytes of data so far
  EXPECT_FALSE(parser.feed("data: 01234\n"));              // 17 with the joining newlines
  EXPECT_EQ(parser.error(), "SSE event data longer than 16 bytes");
}

TEST(SseParser, FinishDispatchesAnUnterminatedLastEvent) {
  EXPECT_EQ(parse_pieces({"data: x\n"}), (std::vector<Event>{{"message", "x", "", false}}));
  EXPECT_EQ(parse_pieces({"data: [DONE]"}), (std::vector<Event>{{"message", "[DONE]", "", true}}));
  EXPECT_TRUE(parse_pieces({"data: x\n"}, false).empty());
}

TEST(SseParser, CountsEventsAndRemembersDone) {
  SseParser parser(nullptr);
  parser.feed("data: 1\n\ndata: [DONE]\n\n");
  EXPECT_EQ(parser.events_dispatched(), 2u);
  EXPECT_TRUE(parser.saw_done());
}

TEST(SseParser, ResetClearsAnErrorAndState) {
  std::vector<std::string> data;
  SseParser parser([&](const SseEvent& e) { data.emplace_back(e.data); }, 16);
  parser.feed("data: 0123456789abcdef\n");
  ASSERT_TRUE(parser.failed());
  parser.reset();
  EXPECT_FALSE(parser.failed());
  EXPECT_FALSE(parser.saw_done());
  EXPECT_TRUE(parser.feed("data: fresh\n\n"));
  EXPECT_EQ(data, std::vector<std::string>{"fresh"});
}

TEST(SseParser, ResetDropsAPartialEvent) {
  std::vector<std::string> data;
  SseParser parser([&](const SseEvent& e) { data.emplace_back(e.data); });
  parser.feed("data: a\r");
  parser.reset();
  parser.feed("\ndata: b\n\n");  // without the reset the event would be "a\nb"
  EXPECT_EQ(data, std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace joulebench
