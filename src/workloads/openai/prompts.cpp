#include "workloads/openai/prompts.hpp"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/splitmix64.hpp"
#include "platform/files.hpp"
#include "workloads/openai/sharegpt_reader.hpp"

namespace joulebench {
namespace {

using nlohmann::json;

// Short common words: most are one token for every mainstream tokenizer, which keeps the
// words-per-token rule close for synthetic prompts.
constexpr std::array<std::string_view, 64> kVocabulary = {
    "the",   "of",    "and",   "to",    "in",    "is",    "that",  "for",   "it",    "as",
    "was",   "with",  "be",    "by",    "on",    "not",   "he",    "this",  "are",   "or",
    "his",   "from",  "at",    "which", "but",   "have",  "an",    "had",   "they",  "you",
    "were",  "their", "one",   "all",   "we",    "can",   "her",   "has",   "there", "been",
    "if",    "more",  "when",  "will",  "would", "who",   "so",    "no",    "time",  "water",
    "light", "house", "river", "stone", "green", "music", "paper", "world", "city",  "table",
    "night", "small", "north", "cloud"};

std::string random_words(std::size_t words, std::uint64_t& state) {
  std::string text;
  text.reserve(words * 6);
  for (std::size_t i = 0; i < words; ++i) {
    if (i > 0) text.push_back(' ');
    text += kVocabulary[splitmix64_next(state) % kVocabulary.size()];
  }
  return text;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

Error line_error(const std::string& file, std::size_t line, std::string message) {
  return Error{std::move(message), file, line};
}

Expected<std::vector<ChatMessage>> messages_from_json(const json& array) {
  if (!array.is_array()) return Error{"'messages' is not an array"};
  if (array.empty()) return Error{"'messages' is empty"};
  std::vector<ChatMessage> messages;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& item = array[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error{where + " is not an object"};
    const auto role = item.find("role");
    const auto content = item.find("content");
    if (role == item.end() || !role->is_string()) return Error{where + ".role is not a string"};
    if (content == item.end() || !content->is_string()) {
      return Error{where + ".content is not a string"};
    }
    messages.push_back({role->get<std::string>(), content->get<std::string>()});
  }
  return messages;
}

Expected<Prompt> prompt_from_jsonl_line(std::string_view line) {
  const json value = json::parse(line, nullptr, false);
  if (value.is_discarded()) return Error{"invalid JSON"};
  if (!value.is_object()) return Error{"expected a JSON object with \"prompt\" or \"messages\""};
  Prompt prompt;
  if (const auto text = value.find("prompt"); text != value.end()) {
    if (!text->is_string()) return Error{"'prompt' is not a string"};
    prompt.text = text->get<std::string>();
    return prompt;
  }
  const auto messages = value.find("messages");
  if (messages == value.end()) return Error{"neither \"prompt\" nor \"messages\" is present"};
  auto parsed = messages_from_json(*messages);
  if (!parsed) return parsed.error();
  prompt.messages = std::move(*parsed);
  return prompt;
}

}  // namespace

std::size_t synthetic_word_count(std::size_t approx_tokens) {
  if (approx_tokens == 0) return 0;
  const auto words =
      static_cast<std::size_t>(std::llround(static_cast<double>(approx_tokens) * kWordsPerToken));
  return words == 0 ? 1 : words;
}

std::vector<Prompt> synthetic_prompts(std::size_t count, std::size_t approx_tokens,
                                      std::uint64_t seed) {
  std::vector<Prompt> prompts(count);
  std::uint64_t state = seed;
  const std::size_t words = synthetic_word_count(approx_tokens);
  for (Prompt& prompt : prompts) prompt.text = random_words(words, state);
  return prompts;
}

Expected<PromptDataset> parse_jsonl_prompts(std::string_view text, const std::string& file) {
  PromptDataset dataset;
  dataset.format = "jsonl";
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (is_blank(line)) continue;
    auto prompt = prompt_from_jsonl_line(line);
    if (!prompt) return line_error(file, line_number, prompt.error().message);
    dataset.prompts.push_back(std::move(*prompt));
  }
  return dataset;
}

Expected<PromptDataset> parse_sharegpt_prompts(std::string_view text, const std::string& file) {
  return read_sharegpt(text, file);
}

Expected<PromptDataset> load_prompt_dataset(const std::string& path) {
  auto contents = platform::read_file(path);
  if (!contents) return contents.error();
  const std::string_view text = *contents;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool sharegpt = first != std::string_view::npos && text[first] == '[';
  auto dataset = sharegpt ? parse_sharegpt_prompts(text, path) : parse_jsonl_prompts(text, path);
  if (dataset && dataset->prompts.empty()) return Error{"no prompts in the dataset", path};
  return dataset;
}

}  // namespace joulebench
