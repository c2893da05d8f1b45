// Request bodies and endpoint URLs for the OpenAI-compatible text APIs served by vLLM,
// SGLang, TGI, llama.cpp and OpenAI itself. Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/openai/prompts.hpp"

namespace joulebench {

enum class ApiKind {
  kCompletions,      // POST /v1/completions with "prompt"
  kChatCompletions,  // POST /v1/chat/completions with "messages"
};

// "completions" or "chat"; nullopt for anything else.
std::optional<ApiKind> parse_api_kind(std::string_view name);
std::string_view api_kind_name(ApiKind api);

// The endpoint for `api` under `base_url`, which may or may not already end in "/v1":
// "http://h:8000" and "http://h:8000/v1/" both give "http://h:8000/v1/chat/completions".
std::string endpoint_url(std::string_view base_url, ApiKind api);

struct RequestOptions {
  ApiKind api = ApiKind::kChatCompletions;
  std::string model;
  std::size_t max_tokens = 128;  // output tokens asked for
  // vLLM and SGLang extensions that make every request generate exactly max_tokens, so
  // J/token does not depend on where the model happens to stop. Other servers may reject
  // unknown fields: the caller decides whether to send them.
  bool ignore_eos = false;
  std::optional<std::size_t> min_tokens;
  double temperature = 0.0;  // greedy: repeatable output lengths
  // Asks for the final usage chunk (stream_options.include_usage) so that output tokens are
  // counted by the server's tokenizer rather than by chunks.
  bool include_usage = true;
};

// The JSON body of one streaming request.
std::string build_request_body(const RequestOptions& options, const Prompt& prompt);

}  // namespace joulebench
