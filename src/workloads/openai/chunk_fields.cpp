#include "workloads/openai/chunk_fields.hpp"

namespace joulebench {

ChunkFields::Key ChunkFields::classify(std::string_view key) {
  struct Entry {
    std::string_view name;
    Key key;
  };
  static constexpr std::array<Entry, 13> kKeys = {{
      {"choices", Key::kChoices},
      {"text", Key::kText},
      {"delta", Key::kDelta},
      {"content", Key::kContent},
      {"reasoning_content", Key::kReasoning},
      {"reasoning", Key::kReasoning},
      {"finish_reason", Key::kFinishReason},
      {"usage", Key::kUsage},
      {"prompt_tokens", Key::kPromptTokens},
      {"completion_tokens", Key::kCompletionTokens},
      {"error", Key::kError},
      {"message", Key::kMessage},
      {"object", Key::kObject},
  }};
  for (const Entry& entry : kKeys) {
    if (entry.name == key) return entry.key;
  }
  return Key::kOther;
}

ChunkFields::Place ChunkFields::current() const {
  if (depth_ == 0 || depth_ > places_.size()) return Place::kOther;
  return places_[depth_ - 1];
}

// Inside arrays the last key seen belongs to an enclosing object, not to the value.
ChunkFields::Key ChunkFields::value_key() const {
  const Place place = current();
  return place == Place::kChoices || place == Place::kArray ? Key::kOther : key_;
}

ChunkFields::Place ChunkFields::child_place(bool is_array) const {
  if (depth_ == 0) return is_array ? Place::kArray : Place::kRoot;
  const Place parent = current();
  const Key key = value_key();
  if (parent == Place::kRoot && key == Key::kChoices && is_array) return Place::kChoices;
  if (parent == Place::kChoices && !is_array) return Place::kChoice;
  if (parent == Place::kChoice && key == Key::kDelta && !is_array) return Place::kDelta;
  if (parent == Place::kRoot && key == Key::kUsage && !is_array) return Place::kUsage;
  if (parent == Place::kRoot && key == Key::kError && !is_array) return Place::kError;
  return is_array ? Place::kArray : Place::kOther;
}

void ChunkFields::open(bool is_array) {
  const Place place = child_place(is_array);
  if (depth_ == 0) saw_root_object_ = place == Place::kRoot;
  if (depth_ < places_.size()) places_[depth_] = place;
  ++depth_;
  key_ = Key::kOther;
}

void ChunkFields::close() {
  --depth_;
  key_ = Key::kOther;
}

void ChunkFields::key(std::string_view name) { key_ = classify(name); }

void ChunkFields::string(std::string_view value) {
  const Place place = current();
  const Key key = value_key();
  if (place == Place::kChoice && key == Key::kText) chunk_.content_bytes += value.size();
  if (place == Place::kDelta && (key == Key::kContent || key == Key::kReasoning)) {
    chunk_.content_bytes += value.size();
  }
  if (place == Place::kChoice && key == Key::kFinishReason) chunk_.finished = true;
  if (place == Place::kError && key == Key::kMessage) chunk_.error = std::string(value);
  if (place == Place::kRoot && key == Key::kError) chunk_.error = std::string(value);
  if (place == Place::kRoot && key == Key::kObject && value == "error") error_object_ = true;
  if (place == Place::kRoot && key == Key::kMessage) root_message_ = std::string(value);
}

void ChunkFields::integer(std::int64_t value) {
  // A negative count is nonsense: leave the field missing rather than trust it.
  if (current() != Place::kUsage || value < 0) return;
  if (key_ == Key::kPromptTokens) chunk_.prompt_tokens = value;
  if (key_ == Key::kCompletionTokens) chunk_.completion_tokens = value;
}

// The legacy vLLM error shape is a root object whose "object" is "error".
StreamChunk ChunkFields::finish() {
  if (error_object_ && (!chunk_.error || chunk_.error->empty())) {
    chunk_.error = root_message_ && !root_message_->empty() ? *root_message_ : "unknown error";
  }
  return std::move(chunk_);
}

}  // namespace joulebench
