#include "workloads/openai/openai_request.hpp"

#include <nlohmann/json.hpp>

namespace joulebench {
namespace {

using nlohmann::json;

std::string joined_contents(const std::vector<ChatMessage>& messages) {
  std::string text;
  for (const ChatMessage& message : messages) {
    if (!text.empty()) text.push_back('\n');
    text += message.content;
  }
  return text;
}

json messages_json(const Prompt& prompt) {
  json messages = json::array();
  if (prompt.messages.empty()) {
    messages.push_back({{"role", "user"}, {"content", prompt.text}});
    return messages;
  }
  for (const ChatMessage& message : prompt.messages) {
    messages.push_back({{"role", message.role}, {"content", message.content}});
  }
  return messages;
}

}  // namespace

std::optional<ApiKind> parse_api_kind(std::string_view name) {
  if (name == "completions") return ApiKind::kCompletions;
  if (name == "chat") return ApiKind::kChatCompletions;
  return std::nullopt;
}

std::string_view api_kind_name(ApiKind api) {
  return api == ApiKind::kCompletions ? "completions" : "chat";
}

std::string endpoint_url(std::string_view base_url, ApiKind api) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string url(base_url);
  if (!base_url.ends_with("/v1")) url += "/v1";
  url += api == ApiKind::kCompletions ? "/completions" : "/chat/completions";
  return url;
}

std::string build_request_body(const RequestOptions& options, const Prompt& prompt) {
  json body = {
      {"model", options.model},
      {"stream", true},
      {"max_tokens", options.max_tokens},
      {"temperature", options.temperature},
  };
  if (options.api == ApiKind::kCompletions) {
    body["prompt"] = prompt.messages.empty() ? prompt.text : joined_contents(prompt.messages);
  } else {
    body["messages"] = messages_json(prompt);
  }
  if (options.include_usage) body["stream_options"] = {{"include_usage", true}};
  if (options.ignore_eos) body["ignore_eos"] = true;
  if (options.min_tokens) body["min_tokens"] = *options.min_tokens;
  // Invalid UTF-8 in a prompt is replaced rather than thrown: bad input is not a crash.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace joulebench
