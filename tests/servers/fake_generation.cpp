#include "fake_generation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace joulebench::test_server {
namespace {

using nlohmann::json;

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!blank && !in_word) ++words;
    in_word = !blank;
  }
  return words;
}

// Chat content may be a string or an array of {"type": "text", "text": ...} parts.
Expected<std::size_t> content_words(const json& content) {
  if (content.is_string()) return count_words(content.get_ref<const std::string&>());
  if (!content.is_array()) return Error{"message content must be a string or an array"};
  std::size_t words = 0;
  for (const json& part : content) {
    const auto text = part.is_object() ? part.find("text") : part.end();
    if (text != part.end() && text->is_string()) words += count_words(text->get<std::string>());
  }
  return words;
}

Expected<std::size_t> prompt_words(const json& body, bool chat) {
  if (chat) {
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array())
      return Error{"'messages' must be an array"};
    std::size_t words = 0;
    for (const json& message : *messages) {
      if (!message.is_object() || !message.contains("content")) {
        return Error{"every message needs a 'content'"};
      }
      auto counted = content_words(message["content"]);
      if (!counted) return counted;
      words += *counted;
    }
    return words;
  }
  const auto prompt = body.find("prompt");
  if (prompt == body.end()) return Error{"'prompt' is required"};
  if (prompt->is_string()) return count_words(prompt->get_ref<const std::string&>());
  return Error{"'prompt' must be a string"};
}

Expected<std::size_t> optional_count(const json& body, const char* name, std::size_t fallback) {
  const auto value = body.find(name);
  if (value == body.end() || value->is_null()) return fallback;
  if (!value->is_number_unsigned()) return Error{std::string("'") + name + "' must be >= 0"};
  return value->get<std::size_t>();
}

std::string chunk_head(const GenerationPlan& plan) {
  const char* object = plan.chat ? "chat.completion.chunk" : "text_completion";
  return "data: {\"id\":\"" + plan.id + "\",\"object\":\"" + object +
         "\",\"created\":0,\"model\":" + plan.model_json;
}

std::string choice_event(const GenerationPlan& plan, const std::string& content_json,
                         const std::string& finish_json) {
  std::string event = chunk_head(plan) + ",\"choices\":[{\"index\":0,";
  if (plan.chat) {
    event += "\"delta\":" + content_json;
  } else {
    event += "\"text\":" + content_json;
  }
  event += ",\"logprobs\":null,\"finish_reason\":" + finish_json + "}]}\n\n";
  return event;
}

std::string tokens_string(std::size_t first_token, std::size_t count) {
  std::string text;
  for (std::size_t k = first_token; k < first_token + count; ++k) text += token_text(k);
  return text;
}

json usage_json(const GenerationPlan& plan, std::size_t completion_tokens) {
  return {{"prompt_tokens", plan.prompt_tokens},
          {"completion_tokens", completion_tokens},
          {"total_tokens", plan.prompt_tokens + completion_tokens}};
}

Expected<GenerationPlan> plan_from_json(const json& body, bool chat, std::size_t number,
                                        const GenerationSettings& settings) {
  GenerationPlan plan;
  plan.chat = chat;
  plan.id = (chat ? "chatcmpl-" : "cmpl-") + std::to_string(number);
  plan.stream = body.value("stream", false);
  const auto options = body.find("stream_options");
  const bool asked_usage =
      options != body.end() && options->is_object() && options->value("include_usage", false);
  plan.usage = plan.stream && asked_usage && settings.send_usage;
  plan.send_usage = settings.send_usage;
  plan.model_json = json(body.value("model", settings.model)).dump();
  auto words = prompt_words(body, chat);
  if (!words) return words.error();
  plan.prompt_tokens = *words;
  auto max_tokens = optional_count(body, "max_tokens", settings.default_max_tokens);
  if (!max_tokens) return max_tokens.error();
  if (*max_tokens == 0) return Error{"'max_tokens' must be at least 1"};
  auto min_tokens = optional_count(body, "min_tokens", 0);
  if (!min_tokens) return min_tokens.error();
  const bool ignore_eos = body.value("ignore_eos", false);
  const std::size_t eos_at = std::max(settings.eos_after, *min_tokens);
  plan.tokens = *max_tokens;
  if (settings.eos_after > 0 && !ignore_eos && eos_at < *max_tokens) {
    plan.tokens = eos_at;
    plan.finish_reason = "stop";
  }
  return plan;
}

}  // namespace

std::optional<FailMode> parse_fail_mode(std::string_view name) {
  if (name == "normal") return FailMode::kNormal;
  if (name == "malformed-sse") return FailMode::kMalformedSse;
  if (name == "drop-mid-stream") return FailMode::kDropMidStream;
  if (name == "http-429") return FailMode::kHttp429;
  if (name == "http-500") return FailMode::kHttp500;
  if (name == "error-in-stream") return FailMode::kErrorInStream;
  if (name == "stall") return FailMode::kStall;
  return std::nullopt;
}

Expected<GenerationPlan> plan_generation(std::string_view body_text, bool chat, std::size_t number,
                                         const GenerationSettings& settings) {
  const json body = json::parse(body_text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Error{"the body must be a JSON object"};
  try {
    return plan_from_json(body, chat, number, settings);
  } catch (const json::exception& e) {
    // json::value() throws on a field of the wrong type; a bad request is an answer, not a
    // crash.
    return Error{std::string("a field has the wrong type: ") + e.what()};
  }
}

std::string token_text(std::size_t token) { return "tok" + std::to_string(token) + " "; }

std::string role_event(const GenerationPlan& plan) {
  return choice_event(plan, R"({"role":"assistant","content":""})", "null");
}

std::string tokens_event(const GenerationPlan& plan, std::size_t first_token, std::size_t count) {
  const std::string text = json(tokens_string(first_token, count)).dump();
  return choice_event(plan, plan.chat ? R"({"content":)" + text + "}" : text, "null");
}

std::string finish_event(const GenerationPlan& plan) {
  return choice_event(plan, plan.chat ? "{}" : "\"\"", "\"" + plan.finish_reason + "\"");
}

std::string usage_event(const GenerationPlan& plan, std::size_t completion_tokens) {
  return chunk_head(plan) +
         ",\"choices\":[],\"usage\":" + usage_json(plan, completion_tokens).dump() + "}\n\n";
}

std::string done_event() { return "data: [DONE]\n\n"; }

std::string malformed_event() {
  return "data: {\"id\":\"broken\",\"choices\":[{\"text\":\"tok\n\n";
}

std::string error_event() {
  return "data: " + error_body(500, "simulated engine failure") + "\n\n";
}

std::string full_response(const GenerationPlan& plan, std::size_t tokens) {
  const std::string text = tokens_string(1, tokens);
  json choice = {{"index", 0}, {"finish_reason", plan.finish_reason}, {"logprobs", nullptr}};
  if (plan.chat) {
    choice["message"] = {{"role", "assistant"}, {"content", text}};
  } else {
    choice["text"] = text;
  }
  json body = {{"id", plan.id},
               {"object", plan.chat ? "chat.completion" : "text_completion"},
               {"created", 0},
               {"model", json::parse(plan.model_json)},
               {"choices", json::array({choice})}};
  if (plan.send_usage) body["usage"] = usage_json(plan, tokens);
  return body.dump();
}

std::string error_body(int status, std::string_view message) {
  const char* type = status == 429   ? "RateLimitError"
                     : status >= 500 ? "InternalServerError"
                                     : "BadRequestError";
  return json{{"error", {{"message", message}, {"type", type}, {"code", status}}}}.dump();
}

}  // namespace joulebench::test_server
