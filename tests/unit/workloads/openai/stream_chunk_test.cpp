// Payload samples written from each server's documented streaming format.
#include "workloads/openai/stream_chunk.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

// Parses with the public function and checks that the fast scanner, where it decides,
// agrees with the full parser.
StreamChunk parse_ok(std::string_view data) {
  auto chunk = parse_stream_chunk(data);
  EXPECT_TRUE(chunk) << (chunk ? "" : chunk.error().message);
  const auto full = stream_chunk_detail::parse_full(data);
  EXPECT_TRUE(full);
  if (const auto simple = stream_chunk_detail::parse_simple(data); simple && full) {
    EXPECT_TRUE(*simple);
    if (*simple) {
      EXPECT_EQ(**simple, *full) << data;
    }
  }
  return chunk ? *chunk : StreamChunk{};
}

TEST(ParseStreamChunk, VllmCompletionsToken) {
  const StreamChunk c =
      parse_ok(R"({"id":"cmpl-a1","object":"text_completion","created":1715000000,)"
               R"("model":"meta-llama/Llama-3.1-8B","choices":[{"index":0,"text":" Paris",)"
               R"("logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null})");
  EXPECT_EQ(c.content_bytes, 6u);
  EXPECT_TRUE(c.has_content());
  EXPECT_FALSE(c.finished);
  EXPECT_FALSE(c.completion_tokens);
  EXPECT_FALSE(c.error);
}

TEST(ParseStreamChunk, VllmFinalUsageChunk) {
  const StreamChunk c = parse_ok(
      R"({"id":"cmpl-a1","object":"text_completion","created":1715000000,"model":"m",)"
      R"("choices":[],"usage":{"prompt_tokens":12,"total_tokens":140,"completion_tokens":128}})");
  EXPECT_FALSE(c.has_content());
  EXPECT_EQ(c.prompt_tokens, 12);
  EXPECT_EQ(c.completion_tokens, 128);
}

TEST(ParseStreamChunk, ChatRoleChunkCarriesNoContent) {
  const StreamChunk c =
      parse_ok(R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m",)"
               R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,)"
               R"("finish_reason":null}]})");
  EXPECT_FALSE(c.has_content());
}

TEST(ParseStreamChunk, ReasoningContentCounts) {
  EXPECT_EQ(
      parse_ok(R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me"}}]})").content_bytes,
      6u);
  EXPECT_EQ(parse_ok(R"({"choices":[{"index":0,"delta":{"reasoning":"Hmm"}}]})").content_bytes, 3u);
}

TEST(ParseStreamChunk, TgiMessagesApiChunks) {
  const StreamChunk token = parse_ok(
      R"({"object":"chat.completion.chunk","id":"","created":1725000000,"model":"tgi",)"
      R"("system_fingerprint":"2.2.0-native","choices":[{"index":0,"delta":{"role":)"
      R"("assistant","content":"Deep"},"logprobs":null,"finish_reason":null}],"usage":null})");
  EXPECT_EQ(token.content_bytes, 4u);
  EXPECT_FALSE(token.completion_tokens);
  const StreamChunk last =
      parse_ok(R"({"object":"chat.completion.chunk","id":"","created":1725000000,"model":"tgi",)"
               R"("system_fingerprint":"2.2.0-native","choices":[{"index":0,"delta":{"role":)"
               R"("assistant","content":""},"logprobs":null,"finish_reason":"length"}],)"
               R"("usage":{"prompt_tokens":7,"completion_tokens":20,"total_tokens":27}})");
  EXPECT_TRUE(last.finished);
  EXPECT_EQ(last.completion_tokens, 20);
  EXPECT_EQ(last.prompt_tokens, 7);
}

TEST(ParseStreamChunk, LlamaCppUsageOnTheFinishChunk) {
  const StreamChunk token = parse_ok(
      R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hello"}}],)"
      R"("created":1,"id":"chatcmpl-x","model":"gpt-3.5-turbo","system_fingerprint":"b4000",)"
      R"("object":"chat.completion.chunk"})");
  EXPECT_EQ(token.content_bytes, 5u);
  const StreamChunk last =
      parse_ok(R"({"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1,)"
               R"("id":"chatcmpl-x","model":"m","object":"chat.completion.chunk",)"
               R"("usage":{"completion_tokens":10,"prompt_tokens":5,"total_tokens":15},)"
               R"("timings":{"prompt_n":5,"predicted_n":10,"predicted_per_second":50.1}})");
  EXPECT_TRUE(last.finished);
  EXPECT_FALSE(last.has_content());
  EXPECT_EQ(last.completion_tokens, 10);
  EXPECT_EQ(last.prompt_tokens, 5);
}

TEST(ParseStreamChunk, OpenAiUsageWithNestedDetails) {
  const StreamChunk c =
      parse_ok(R"({"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,)"
               R"("model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[],)"
               R"("usage":{"prompt_tokens":9,"prompt_tokens_details":{"cached_tokens":3},)"
               R"("completion_tokens":12,"completion_tokens_details":{"reasoning_tokens":4},)"
               R"("total_tokens":21}})");
  EXPECT_EQ(c.prompt_tokens, 9);
  EXPECT_EQ(c.completion_tokens, 12);
}

TEST(ParseStreamChunk, ErrorShapes) {
  EXPECT_EQ(parse_ok(R"({"error":{"message":"boom","type":"x","code":500}})").error, "boom");
  EXPECT_EQ(parse_ok(R"({"object":"error","message":"old","type":"BadRequestError"})").error,
            "old");
  EXPECT_EQ(parse_ok(R"({"object":"error"})").error, "unknown error");
  EXPECT_EQ(parse_ok(R"({"error":"plain"})").error, "plain");
  EXPECT_FALSE(parse_ok(R"({"error":null,"choices":[]})").error);
}

TEST(ParseStreamChunk, FieldsOutsideTheirPlaceAreIgnored) {
  EXPECT_EQ(parse_ok(R"({"text":"root"})").content_bytes, 0u);
  EXPECT_EQ(parse_ok(R"({"choices":[{"logprobs":{"text":"zzz"}}]})").content_bytes, 0u);
  EXPECT_EQ(parse_ok(R"({"choices":[{"delta":{"tool":{"content":"x"}}}]})").content_bytes, 0u);
  EXPECT_EQ(parse_ok(R"({"choices":["text"]})").content_bytes, 0u);
  const StreamChunk c =
      parse_ok(R"({"usage":{"completion_tokens":5},"x":{"usage":{"completion_tokens":9}}})");
  EXPECT_EQ(c.completion_tokens, 5);
  EXPECT_FALSE(parse_ok(R"({"usage":{"completion_tokens":-3}})").completion_tokens);
  EXPECT_EQ(parse_ok(R"({"usage":{"completion_tokens":18446744073709551615}})").completion_tokens,
            INT64_MAX);
}

TEST(ParseStreamChunk, SeveralChoicesAddUp) {
  EXPECT_EQ(parse_ok(R"({"choices":[{"text":"ab"},{"text":"cde"}]})").content_bytes, 5u);
}

TEST(ParseStreamChunk, DeepNestingIsHandled) {
  std::string deep = R"({"choices":[{"text":"ok","x":)";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}]}";
  EXPECT_EQ(parse_ok(deep).content_bytes, 2u);
}

TEST(ParseStreamChunk, BadPayloadsAreErrors) {
  for (const char* bad : {"{not json", "", "[1,2]", "\"text\"", "42", "{\"a\":1}}", "{\"a\":"}) {
    EXPECT_FALSE(parse_stream_chunk(bad)) << bad;
  }
  EXPECT_EQ(parse_stream_chunk("[1]").error().message, "stream chunk is not a JSON object");
  EXPECT_TRUE(parse_stream_chunk("{oops").error().message.starts_with("invalid JSON"));
}

TEST(ParseStreamChunk, FastScannerTakesTheCommonShapes) {
  using stream_chunk_detail::parse_simple;
  for (const char* common : {
           R"({"id":"cmpl-1","choices":[{"index":0,"text":" a","logprobs":null,)"
           R"("finish_reason":null}],"usage":null})",
           R"( {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}} )",
           R"({"timings":{"predicted_per_second":-50.125},"ok":true,"no":false})",
           R"({"a":[[],{},[{"b":-0}]]})",
       }) {
    EXPECT_TRUE(parse_simple(common)) << common;
  }
}

TEST(ParseStreamChunk, FastScannerLeavesTheRestToTheFullParser) {
  using stream_chunk_detail::parse_simple;
  for (const char* other : {
           R"({"choices":[{"text":"line\n"}]})",          // escape
           "{\"choices\":[{\"text\":\"caf\xC3\xA9\"}]}",  // non-ASCII
           R"({"x":1e5})",                                // exponent
           R"({"x":12345678901234567890})",               // beyond 18 digits
           R"({"x":01})",                                 // invalid: leading zero
           R"({"x":1.})",                                 // invalid: no fraction digits
           R"({"x":tru})",                                // invalid literal
           R"({"x":1,})",                                 // trailing comma
           R"({"x":1} x)",                                // trailing garbage
           "",                                            // empty
           "{\"x\":\"tab\there\"}",                       // control character
       }) {
    EXPECT_FALSE(parse_simple(other)) << other;
  }
  std::string deep(65, '[');
  deep += std::string(65, ']');
  EXPECT_FALSE(parse_simple(deep));
  EXPECT_TRUE(parse_simple(std::string(64, '[') + std::string(64, ']')));
}

TEST(ParseStreamChunk, EscapesAndUnicodeCountDecodedBytes) {
  EXPECT_EQ(parse_ok(R"({"choices":[{"text":"a\nb"}]})").content_bytes, 3u);
  EXPECT_EQ(parse_ok(R"({"choices":[{"delta":{"content":"\u00e9"}}]})").content_bytes, 2u);
  EXPECT_EQ(parse_ok("{\"choices\":[{\"text\":\"caf\xC3\xA9\"}]}").content_bytes, 5u);
}

}  // namespace
}  // namespace joulebench
