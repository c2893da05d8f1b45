#include "workloads/openai/openai_request.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace joulebench {
namespace {

using nlohmann::json;

RequestOptions options(ApiKind api) {
  RequestOptions o;
  o.api = api;
  o.model = "m";
  o.max_tokens = 5;
  return o;
}

TEST(BuildRequestBody, CompletionsSendsThePromptAndAsksForUsage) {
  const json body = json::parse(build_request_body(options(ApiKind::kCompletions), {"hi", {}}));
  const json expected = {{"model", "m"},    {"stream", true},
                         {"max_tokens", 5}, {"temperature", 0.0},
                         {"prompt", "hi"},  {"stream_options", {{"include_usage", true}}}};
  EXPECT_EQ(body, expected);
}

TEST(BuildRequestBody, ChatWrapsATextPromptAsOneUserMessage) {
  const json body = json::parse(build_request_body(options(ApiKind::kChatCompletions), {"hi", {}}));
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"user","content":"hi"}])"));
  EXPECT_FALSE(body.contains("prompt"));
}

TEST(BuildRequestBody, ChatSendsMessagesAsGiven) {
  Prompt prompt{"", {{"system", "be brief"}, {"user", "hello"}}};
  const json body = json::parse(build_request_body(options(ApiKind::kChatCompletions), prompt));
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"system","content":"be brief"},)"
                                          R"({"role":"user","content":"hello"}])"));
}

TEST(BuildRequestBody, CompletionsJoinsMessageContents) {
  Prompt prompt{"", {{"system", "a b"}, {"user", "c"}}};
  const json body = json::parse(build_request_body(options(ApiKind::kCompletions), prompt));
  EXPECT_EQ(body["prompt"], "a b\nc");
}

TEST(BuildRequestBody, ExtensionsOnlyWhenAskedFor) {
  RequestOptions o = options(ApiKind::kCompletions);
  json body = json::parse(build_request_body(o, {"x", {}}));
  EXPECT_FALSE(body.contains("ignore_eos"));
  EXPECT_FALSE(body.contains("min_tokens"));
  o.ignore_eos = true;
  o.min_tokens = 5;
  o.include_usage = false;
  o.temperature = 0.5;
  body = json::parse(build_request_body(o, {"x", {}}));
  EXPECT_EQ(body["ignore_eos"], true);
  EXPECT_EQ(body["min_tokens"], 5);
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(BuildRequestBody, InvalidUtf8IsReplacedNotThrown) {
  const std::string body = build_request_body(options(ApiKind::kCompletions), {std::string("a\xff"
                                                                                           "b"),
                                                                               {}});
  EXPECT_EQ(json::parse(body)["prompt"],
            "a\xEF\xBF\xBD"
            "b");
}

TEST(EndpointUrl, AppendsV1OnlyWhenMissing) {
  EXPECT_EQ(endpoint_url("http://h:8000", ApiKind::kChatCompletions),
            "http://h:8000/v1/chat/completions");
  EXPECT_EQ(endpoint_url("http://h:8000/", ApiKind::kCompletions), "http://h:8000/v1/completions");
  EXPECT_EQ(endpoint_url("http://h:8000/v1", ApiKind::kCompletions),
            "http://h:8000/v1/completions");
  EXPECT_EQ(endpoint_url("https://api.example.com/v1/", ApiKind::kChatCompletions),
            "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(endpoint_url("http://h/openai", ApiKind::kCompletions),
            "http://h/openai/v1/completions");
}

TEST(ApiKind, ParsesAndNames) {
  EXPECT_EQ(parse_api_kind("chat"), ApiKind::kChatCompletions);
  EXPECT_EQ(parse_api_kind("completions"), ApiKind::kCompletions);
  EXPECT_EQ(parse_api_kind("Chat"), std::nullopt);
  EXPECT_EQ(api_kind_name(ApiKind::kChatCompletions), "chat");
  EXPECT_EQ(api_kind_name(ApiKind::kCompletions), "completions");
}

}  // namespace
}  // namespace joulebench
