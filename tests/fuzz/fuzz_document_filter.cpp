// libFuzzer target: parse_document with the report's filter on arbitrary bytes (result files
// and stored documents are outside input). Besides "no crash, no sanitizer report": the
// filtered parse fails exactly when the plain parse fails, and what it keeps is a part of
// the plain document made only of listed keys (anything inside a "whole" key).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.hpp"
#include "results/document_filter.hpp"

namespace {

using nlohmann::json;

const joulebench::DocumentFilter kFilter{
    {"kind", "levels", "iterations", "j_per_output_token", "validity", "verdict"}, {"labels"}};

// Every key of `kept` is listed (or under a whole key) and its value is part of `plain`'s.
bool is_filtered_part(const json& kept, const json& plain) {
  if (kept.is_object()) {
    if (!plain.is_object()) return false;
    for (const auto& [key, value] : kept.items()) {
      const auto found = plain.find(key);
      if (found == plain.end()) return false;
      if (kFilter.whole.count(key) > 0) {
        if (value != *found) return false;
      } else if (kFilter.keys.count(key) == 0 || !is_filtered_part(value, *found)) {
        return false;
      }
    }
    return true;
  }
  if (kept.is_array()) {
    if (!plain.is_array() || kept.size() != plain.size()) return false;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (!is_filtered_part(kept[i], plain[i])) return false;
    }
    return true;
  }
  return kept == plain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using joulebench::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const json plain = joulebench::parse_document(text, nullptr);
  const json kept = joulebench::parse_document(text, &kFilter);
  require(plain.is_discarded() == kept.is_discarded(),
          "filtered and plain parse disagree on validity");
  if (!plain.is_discarded())
    require(is_filtered_part(kept, plain), "kept a key that is not listed");
  return 0;
}
