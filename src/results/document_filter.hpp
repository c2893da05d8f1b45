// Which parts of a result document a reader needs. Parsing with a filter skips everything
// else instead of building it, so a report over 10,000 stored runs does not allocate (and
// free) gigabytes of per-device and per-request JSON it never reads.
// Thread-safety: a DocumentFilter is immutable once built; parse_document is reentrant.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

namespace joulebench {

struct DocumentFilter {
  // Object keys kept wherever they appear (with their values, filtered the same way).
  std::set<std::string, std::less<>> keys;
  // Object keys kept with everything inside them unfiltered (e.g. "labels", whose keys are the
  // user's).
  std::set<std::string, std::less<>> whole;
};

// The document, or a discarded value (is_discarded()) when the text is not JSON. Without a
// filter (nullptr) everything is kept.
nlohmann::json parse_document(std::string_view text, const DocumentFilter* filter);

}  // namespace joulebench
