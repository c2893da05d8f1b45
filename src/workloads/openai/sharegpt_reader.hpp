// Streaming reader of ShareGPT JSON (see parse_sharegpt_prompts in prompts.hpp); internal to
// the openai workload. Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "joulebench/error.hpp"
#include "workloads/openai/prompts.hpp"

namespace joulebench {

Expected<PromptDataset> read_sharegpt(std::string_view text, const std::string& file);

// 1-based line of byte `offset` in `text`.
std::size_t line_at_offset(std::string_view text, std::size_t offset);

// Byte offset where element `index` (0-based) of the top-level JSON array in `text` starts;
// text.size() when there is no such element.
std::size_t offset_of_array_element(std::string_view text, std::size_t index);

}  // namespace joulebench
