// A fast, allocation-free scanner for the JSON that token streams carry almost always:
// ASCII strings without escapes, integers, plain decimals, true/false/null, nesting up to 64.
// It validates what it accepts and feeds ChunkFields; anything else (escapes, non-ASCII,
// exponents, huge numbers, syntax errors) makes it give up, and nlohmann's full parser decides.
// Internal to the openai workload. Thread-safety: pure function.
#pragma once

#include <string_view>

#include "workloads/openai/chunk_fields.hpp"

namespace joulebench {

// True when `text` is one valid JSON value inside the subset; `fields` then holds its events.
// False means "not decided here": `fields` is then partial and must be discarded.
bool scan_simple_json(std::string_view text, ChunkFields& fields);

}  // namespace joulebench
