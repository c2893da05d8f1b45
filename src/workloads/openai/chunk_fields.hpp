// Collects a StreamChunk from JSON parse events (objects, keys, scalars), whichever parser
// produces them: the fast scanner (simple_json.hpp) or nlohmann's SAX parser. Internal to the
// openai workload. Thread-safety: one instance per parse.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/openai/stream_chunk.hpp"

namespace joulebench {

class ChunkFields {
 public:
  void open(bool is_array);
  void close();
  void key(std::string_view name);
  void string(std::string_view value);
  void integer(std::int64_t value);  // other scalars (floats, booleans, null) carry nothing

  // Completes the chunk once the whole document is parsed.
  StreamChunk finish();
  bool saw_root_object() const { return saw_root_object_; }

 private:
  // Where a JSON container sits, as far as the fields that matter are concerned.
  enum class Place { kRoot, kChoices, kChoice, kDelta, kUsage, kError, kArray, kOther };
  enum class Key {
    kOther,
    kChoices,
    kText,
    kDelta,
    kContent,
    kReasoning,
    kFinishReason,
    kUsage,
    kPromptTokens,
    kCompletionTokens,
    kError,
    kMessage,
    kObject,
  };

  static Key classify(std::string_view key);
  Place current() const;
  Key value_key() const;
  Place child_place(bool is_array) const;

  StreamChunk chunk_;
  std::array<Place, 16> places_{};
  std::size_t depth_ = 0;
  Key key_ = Key::kOther;
  bool saw_root_object_ = false;
  bool error_object_ = false;
  std::optional<std::string> root_message_;
};

}  // namespace joulebench
