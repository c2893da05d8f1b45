// What the test LLM server "generates": a plan per request from its JSON body, and the
// OpenAI-style bodies and SSE events it sends (vLLM's shapes). Tokens are the words
// "tok1 ", "tok2 ", ...; a prompt's token count is its number of words.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::test_server {

// How a request fails on purpose. The stream-breaking modes act after half the tokens.
enum class FailMode {
  kNormal,
  kMalformedSse,   // an event whose data is cut-off JSON, then the body ends
  kDropMidStream,  // the connection is closed without ending the body
  kHttp429,
  kHttp500,
  kErrorInStream,  // an {"error": ...} event, then [DONE]
  kStall,          // no more events; the connection stays open (client timeouts)
};

std::optional<FailMode> parse_fail_mode(std::string_view name);  // "malformed-sse", ...

struct GenerationSettings {
  std::string model = "joulebench-test-model";
  std::size_t default_max_tokens = 16;
  std::size_t eos_after = 0;  // the "model" ends after this many tokens unless ignore_eos; 0: never
  bool send_usage = true;     // false: never send usage, even when asked
};

struct GenerationPlan {
  bool chat = false;
  bool stream = false;
  bool usage = false;             // a streamed request asked for (and gets) the usage chunk
  bool send_usage = true;         // non-streamed answers carry usage unless disabled
  std::string id;                 // "cmpl-N" / "chatcmpl-N"
  std::string model_json;         // the model name as a JSON string literal
  std::size_t tokens = 0;         // tokens to generate
  std::size_t prompt_tokens = 0;  // words in the prompt
  std::string finish_reason = "length";
};

// A body that is not valid JSON or has fields of the wrong type is an error (HTTP 400).
Expected<GenerationPlan> plan_generation(std::string_view body, bool chat, std::size_t number,
                                         const GenerationSettings& settings);

std::string token_text(std::size_t token);  // 1-based: "tok1 "

// SSE events ("data: ...\n\n").
std::string role_event(const GenerationPlan& plan);  // chat only: the assistant role delta
std::string tokens_event(const GenerationPlan& plan, std::size_t first_token, std::size_t count);
std::string finish_event(const GenerationPlan& plan);
std::string usage_event(const GenerationPlan& plan, std::size_t completion_tokens);
std::string done_event();
std::string malformed_event();
std::string error_event();

// Non-streamed answer with all `tokens` tokens.
std::string full_response(const GenerationPlan& plan, std::size_t tokens);

// {"error": {...}} body for an HTTP error status.
std::string error_body(int status, std::string_view message);

}  // namespace joulebench::test_server
