// Inputs of an OpenAI-style load run: synthetic prompts of a target length, or prompts read
// from a dataset file (JSONL or ShareGPT JSON). Thread-safety: plain values and pure
// functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// One request's input. /v1/completions sends `text` (or the messages' contents joined by
// newlines when only messages are set); /v1/chat/completions sends `messages` (or `text` as
// one user message when messages is empty).
struct Prompt {
  std::string text;
  std::vector<ChatMessage> messages;
};

// No tokenizer is used: a synthetic prompt of N tokens has round(N * 0.75) words, the common
// rule of thumb for English text with BPE tokenizers. Real token counts differ by model; the
// server's usage.prompt_tokens (recorded per request) is the measured value. Results built
// from synthetic prompts should carry kSyntheticPromptLabel.
inline constexpr double kWordsPerToken = 0.75;
inline constexpr std::string_view kSyntheticPromptLabel =
    "synthetic prompt, ~0.75 words per token (no tokenizer)";

// Words in a synthetic prompt of about `approx_tokens` tokens (at least 1 when > 0).
std::size_t synthetic_word_count(std::size_t approx_tokens);

// `count` different prompts of synthetic_word_count(approx_tokens) words each, drawn from a
// fixed English vocabulary; the same seed gives the same prompts. Distinct prompts keep a
// server's prefix cache from turning the prefill into a no-op.
std::vector<Prompt> synthetic_prompts(std::size_t count, std::size_t approx_tokens,
                                      std::uint64_t seed);

struct PromptDataset {
  std::vector<Prompt> prompts;
  std::size_t skipped = 0;  // ShareGPT entries without a human turn
  std::string format;       // "jsonl" or "sharegpt"
};

// JSONL: one JSON object per line with "prompt" (string) or "messages" (array of
// {"role", "content"} with string content); blank lines are skipped. `file` names the input
// in errors ("FILE:LINE: ...").
Expected<PromptDataset> parse_jsonl_prompts(std::string_view text, const std::string& file);

// ShareGPT: a JSON array of {"conversations": [{"from": "human"|"gpt"|..., "value": ...}]};
// each entry gives its first human (or "user") turn. Parsed as a stream (no document tree),
// so the 600+ MB public dumps load in bounded memory. Errors name the line of the entry.
Expected<PromptDataset> parse_sharegpt_prompts(std::string_view text, const std::string& file);

// Reads `path` and picks the format by its first non-blank byte ('[' means ShareGPT).
// A dataset without any prompt is an error.
Expected<PromptDataset> load_prompt_dataset(const std::string& path);

}  // namespace joulebench
