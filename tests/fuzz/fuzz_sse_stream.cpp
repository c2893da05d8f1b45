// libFuzzer target for the SSE parser and the stream chunk parser. The input's first 8 bytes
// seed random chunk splits of the rest; feeding the rest whole and feeding it in pieces must
// give identical events and the same error state. Every event's data also goes through both
// stream chunk parsers: the fast scanner, where it decides, must agree with the full parser.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/openai/sse_parser.hpp"
#include "workloads/openai/stream_chunk.hpp"

namespace {

// A small bound so that the line-length limit is reached often.
constexpr std::size_t kMaxLineBytes = 256;

void check_chunk_parsers(std::string_view data) {
  namespace detail = joulebench::stream_chunk_detail;
  const auto simple = detail::parse_simple(data);
  if (!simple) return;
  const auto full = detail::parse_full(data);
  const bool same = simple->has_value() == full.has_value() &&
                    (!full.has_value() || simple->value() == full.value());
  if (!same) __builtin_trap();
}

struct Outcome {
  std::vector<std::string> events;  // type, data and id of each event, joined
  bool failed = false;
  bool done = false;
  bool operator==(const Outcome&) const = default;
};

Outcome parse(std::string_view input, std::uint64_t seed, bool split) {
  Outcome outcome;
  joulebench::SseParser parser(
      [&](const joulebench::SseEvent& e) {
        outcome.events.push_back(std::string(e.type) + '\0' + std::string(e.data) + '\0' +
                                 std::string(e.id) + (e.done ? "\1" : "\0"));
        check_chunk_parsers(e.data);
      },
      kMaxLineBytes);
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t size = input.size() - pos;
    if (split) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      size = 1 + (seed >> 33) % 17;
      if (size > input.size() - pos) size = input.size() - pos;
    }
    parser.feed(input.substr(pos, size));
    pos += size;
  }
  parser.finish();
  outcome.failed = parser.failed();
  outcome.done = parser.saw_done();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t seed = 0;
  const std::size_t seed_bytes = size < sizeof seed ? size : sizeof seed;
  std::memcpy(&seed, data, seed_bytes);
  const std::string_view input(reinterpret_cast<const char*>(data) + seed_bytes, size - seed_bytes);
  if (!(parse(input, seed, false) == parse(input, seed, true))) __builtin_trap();
  return 0;
}
