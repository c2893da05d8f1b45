// One "data:" payload of an OpenAI-style completion stream, reduced to what a load run
// counts. Known shapes (all handled by one parser):
//   completions    {"choices":[{"text":"Hi","finish_reason":null}]}
//   chat           {"choices":[{"delta":{"content":"Hi"}}]}   (also reasoning_content /
//                  reasoning, as vLLM and SGLang send for reasoning models)
//   usage          {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12}}
//                  (TGI sends "usage":null on every other chunk; llama.cpp puts usage on the
//                  chunk that carries finish_reason)
//   errors         {"error":{"message":"..."}}, {"object":"error","message":"..."}
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench {

struct StreamChunk {
  std::size_t content_bytes = 0;              // bytes of generated text (text, content, reasoning)
  bool finished = false;                      // some choice carried a non-null finish_reason
  std::optional<std::int64_t> prompt_tokens;  // usage, when the chunk carries it
  std::optional<std::int64_t> completion_tokens;  // usage, when the chunk carries it
  std::optional<std::string> error;               // the server's error message

  // Most servers send one token per chunk with text, so such chunks count tokens when the
  // server sends no usage.
  bool has_content() const { return content_bytes > 0; }
  bool operator==(const StreamChunk&) const = default;
};

// Parses one event's data. Invalid JSON or a payload that is not an object is an error
// (message only: the stream position is the caller's).
Expected<StreamChunk> parse_stream_chunk(std::string_view data);

// The two parsers behind parse_stream_chunk, exposed for differential tests and fuzzing: an
// allocation-free scanner for the common case (ASCII strings without escapes, no exponents;
// several times faster) and nlohmann's SAX parser for everything else.
namespace stream_chunk_detail {
std::optional<Expected<StreamChunk>> parse_simple(std::string_view data);  // nullopt: undecided
Expected<StreamChunk> parse_full(std::string_view data);
}  // namespace stream_chunk_detail

}  // namespace joulebench
