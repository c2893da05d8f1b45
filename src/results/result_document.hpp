// One result document as read from a file or the results store, with where it came from.
// The document is the JSON the writers produce; decode_result (result_decoder.hpp) gives the
// typed view that readers use. Thread-safety: a value type.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace joulebench {

struct ResultDocument {
  std::string id;           // run id in the store, else the file path
  std::string source;       // "file" or "store"
  std::string reference;    // the argument it came from, for messages and verdicts
  nlohmann::json document;  // as written by the report writers (has "kind", "schema_version")
  std::string trace_csv;    // the run's raw trace (joulebench trace CSV) when stored, else empty
};

}  // namespace joulebench
