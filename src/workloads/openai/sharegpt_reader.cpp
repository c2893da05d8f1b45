#include "workloads/openai/sharegpt_reader.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

namespace joulebench {
namespace {

using nlohmann::json;

// Depths of the containers in [ {"conversations": [ {"from", "value"} ] } ].
constexpr std::size_t kEntryDepth = 2;
constexpr std::size_t kTurnsDepth = 3;
constexpr std::size_t kTurnDepth = 4;

// Takes each entry's first human turn without building a document tree. A failure keeps the
// entry index so the caller can name its line.
class ShareGptHandler : public nlohmann::json_sax<json> {
 public:
  PromptDataset dataset;
  std::string error;                        // empty while the input is acceptable
  std::optional<std::size_t> error_offset;  // byte offset of a syntax error
  std::size_t entry = 0;                    // index of the entry being read
  bool root_error = false;                  // the document is not an array

  bool null() override { return scalar("null"); }
  bool boolean(bool) override { return scalar("a boolean"); }
  bool number_integer(number_integer_t) override { return scalar("a number"); }
  bool number_unsigned(number_unsigned_t) override { return scalar("a number"); }
  bool number_float(number_float_t, const string_t&) override { return scalar("a number"); }
  bool binary(binary_t&) override { return scalar("binary"); }

  bool string(string_t& value) override {
    if (!scalar("a string")) return false;
    if (depth_ == kTurnDepth && in_turns_ && turn_key_ == "from") from_ = value;
    if (depth_ == kTurnDepth && in_turns_ && turn_key_ == "value") value_ = std::move(value);
    return true;
  }

  bool key(string_t& name) override {
    if (depth_ == kEntryDepth) entry_key_ = name;
    if (depth_ == kTurnDepth && in_turns_) turn_key_ = name;
    return true;
  }

  bool start_object(std::size_t) override { return open(false); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    error = e.what();
    error_offset = position == 0 ? 0 : position - 1;
    return false;
  }

 private:
  bool fail(std::string message) {
    error = "entry " + std::to_string(entry) + ": " + std::move(message);
    return false;
  }

  std::string turn_name() const { return "conversations[" + std::to_string(turn_) + "]"; }

  // Checks a scalar against the position it appears at.
  bool scalar(const char* kind) {
    if (depth_ == 0) return fail_root();
    if (depth_ == 1) return fail(std::string("is ") + kind + ", not an object");
    if (depth_ == kEntryDepth && entry_key_ == "conversations") {
      return fail("'conversations' is not an array");
    }
    if (depth_ == kTurnsDepth && in_turns_) return fail(turn_name() + " is not an object");
    const bool turn_field = in_turns_ && (turn_key_ == "from" || turn_key_ == "value");
    if (depth_ == kTurnDepth && turn_field && std::string_view(kind) != "a string") {
      return fail(turn_name() + "." + turn_key_ + " is not a string");
    }
    return true;
  }

  bool fail_root() {
    error = "expected a JSON array of {\"conversations\": [...]} entries";
    root_error = true;
    return false;
  }

  bool open(bool is_array) {
    if (depth_ == 0 && !is_array) return fail_root();
    if (depth_ == 1 && is_array) return fail("is an array, not an object");
    if (depth_ == 1) start_entry();
    if (depth_ == kEntryDepth && entry_key_ == "conversations") {
      if (!is_array) return fail("'conversations' is not an array");
      has_turns_ = true;
      in_turns_ = true;
    } else if (in_turns_ && depth_ == kTurnsDepth) {
      if (is_array) return fail(turn_name() + " is not an object");
      start_turn();
    } else if (in_turns_ && depth_ == kTurnDepth && (turn_key_ == "from" || turn_key_ == "value")) {
      return fail(turn_name() + "." + turn_key_ + " is not a string");
    }
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == kTurnsDepth && in_turns_) return end_turn();
    if (depth_ == kEntryDepth) in_turns_ = false;
    if (depth_ == 1) return end_entry();
    return true;
  }

  void start_entry() {
    entry_key_.clear();
    has_turns_ = false;
    taken_ = false;
    turn_ = 0;
  }

  void start_turn() {
    turn_key_.clear();
    from_.clear();
    value_.reset();
  }

  bool end_turn() {
    const bool human = from_ == "human" || from_ == "user";
    if (human && !taken_) {
      if (!value_) return fail(turn_name() + " has no \"value\"");
      Prompt prompt;
      prompt.text = std::move(*value_);
      dataset.prompts.push_back(std::move(prompt));
      taken_ = true;
    }
    ++turn_;
    return true;
  }

  bool end_entry() {
    if (!has_turns_) return fail("no \"conversations\" array");
    if (!taken_) ++dataset.skipped;
    ++entry;
    return true;
  }

  std::size_t depth_ = 0;
  std::string entry_key_;
  std::string turn_key_;
  std::string from_;
  std::optional<std::string> value_;
  bool has_turns_ = false;
  bool in_turns_ = false;  // inside this entry's "conversations" array
  bool taken_ = false;
  std::size_t turn_ = 0;
};

}  // namespace

std::size_t line_at_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::size_t offset_of_array_element(std::string_view text, std::size_t index) {
  std::size_t depth = 0;
  std::size_t seen = 0;
  bool in_string = false;
  bool escaped = false;
  bool expecting = false;  // at depth 1, the next non-blank byte starts an element
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (depth == 1 && expecting && c != ']') {
      if (seen++ == index) return i;
      expecting = false;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') expecting = ++depth == 1;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 1) expecting = true;
  }
  return text.size();
}

Expected<PromptDataset> read_sharegpt(std::string_view text, const std::string& file) {
  ShareGptHandler handler;
  handler.dataset.format = "sharegpt";
  if (json::sax_parse(text, &handler, json::input_format_t::json, true)) {
    return std::move(handler.dataset);
  }
  std::size_t offset = text.find_first_not_of(" \t\r\n");
  if (handler.error_offset) {
    offset = *handler.error_offset;
  } else if (!handler.root_error) {
    offset = offset_of_array_element(text, handler.entry);
  }
  return Error{handler.error, file, line_at_offset(text, offset)};
}

}  // namespace joulebench
