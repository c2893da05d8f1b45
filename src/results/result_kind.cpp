#include "results/result_kind.hpp"

namespace joulebench::results {

const char* kind_name(ResultKind kind) {
  switch (kind) {
    case ResultKind::monitor:
      return "monitor";
    case ResultKind::run:
      return "run";
    case ResultKind::bench_openai:
      return "bench-openai";
    // Historical spelling: the document has been "synthetic" since bench synthetic was added.
    case ResultKind::bench_synthetic:
      return "synthetic";
    case ResultKind::analyze:
      return "analyze";
  }
  return "";
}

std::optional<ResultKind> parse_kind(std::string_view name) {
  for (const ResultKind kind : kAllResultKinds) {
    if (name == kind_name(kind)) return kind;
  }
  return std::nullopt;
}

}  // namespace joulebench::results
