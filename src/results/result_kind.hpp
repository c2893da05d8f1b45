// The kinds of result document joulebench writes and reads back, each with its one spelling
// in the JSON "kind" member. Writers and readers both take the spelling from here, so a kind
// cannot be written one way and looked for another. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace joulebench::results {

enum class ResultKind {
  monitor,          // `monitor`: one command, energy of the whole run and its windows
  run,              // `run`: repeated iterations of a token-generating command (also each
                    // configuration of `bench synthetic`)
  bench_openai,     // `bench openai`: load levels against a server
  bench_synthetic,  // `bench synthetic` on a GPU: its plan with one run document per configuration
  analyze,          // `analyze`: a recorded trace summarised offline
};

inline constexpr ResultKind kAllResultKinds[] = {ResultKind::monitor, ResultKind::run,
                                                 ResultKind::bench_openai,
                                                 ResultKind::bench_synthetic, ResultKind::analyze};

// "monitor", "run", "bench-openai", "synthetic", "analyze".
const char* kind_name(ResultKind kind);

// The kind a "kind" member spells; nullopt for documents that are not results (devices,
// report, compare, cost, ...) and unknown spellings.
std::optional<ResultKind> parse_kind(std::string_view name);

}  // namespace joulebench::results
