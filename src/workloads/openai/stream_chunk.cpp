#include "workloads/openai/stream_chunk.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "workloads/openai/chunk_fields.hpp"
#include "workloads/openai/simple_json.hpp"

namespace joulebench {
namespace {

using nlohmann::json;

// Forwards nlohmann's SAX events to ChunkFields; no document tree is built.
class SaxAdapter : public nlohmann::json_sax<json> {
 public:
  explicit SaxAdapter(ChunkFields& fields) : fields_(fields) {}

  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t value) override {
    fields_.integer(value);
    return true;
  }
  bool number_unsigned(number_unsigned_t value) override {
    const auto max = static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max());
    fields_.integer(static_cast<std::int64_t>(value > max ? max : value));
    return true;
  }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    fields_.string(value);
    return true;
  }
  bool key(string_t& name) override {
    fields_.key(name);
    return true;
  }
  bool start_object(std::size_t) override {
    fields_.open(false);
    return true;
  }
  bool start_array(std::size_t) override {
    fields_.open(true);
    return true;
  }
  bool end_object() override {
    fields_.close();
    return true;
  }
  bool end_array() override {
    fields_.close();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  ChunkFields& fields_;
};

Expected<StreamChunk> complete(ChunkFields& fields) {
  if (!fields.saw_root_object()) return Error{"stream chunk is not a JSON object"};
  return fields.finish();
}

}  // namespace

namespace stream_chunk_detail {

std::optional<Expected<StreamChunk>> parse_simple(std::string_view data) {
  ChunkFields fields;
  if (!scan_simple_json(data, fields)) return std::nullopt;
  return complete(fields);
}

Expected<StreamChunk> parse_full(std::string_view data) {
  ChunkFields fields;
  SaxAdapter adapter(fields);
  if (!json::sax_parse(data, &adapter, json::input_format_t::json, true)) {
    return Error{"invalid JSON in stream chunk: " + adapter.error};
  }
  return complete(fields);
}

}  // namespace stream_chunk_detail

Expected<StreamChunk> parse_stream_chunk(std::string_view data) {
  if (auto simple = stream_chunk_detail::parse_simple(data)) return std::move(*simple);
  return stream_chunk_detail::parse_full(data);
}

}  // namespace joulebench
