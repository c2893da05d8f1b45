// `joulebench compare A B [C ...]`: is B (and C ...) different from A in J/token, tokens/J,
// throughput and power, by how much, and how sure? Each argument is a result file, a run id
// or a label filter; the first is the baseline.
#include <memory>

#include "commands.hpp"
#include "models/comparison.hpp"
#include "report/compare_writers.hpp"
#include "store/result_refs.hpp"

namespace joulebench::cli {
namespace {

struct CompareFlags {
  std::vector<std::string> references;
  std::optional<double> level;
  std::string db;
  OutputFlags out;
};

int run_compare(const CompareFlags& flags) {
  if (flags.references.size() < 2)
    return usage_error("compare: needs at least two results or filters (A B [C ...])");
  std::vector<std::vector<ResultDocument>> sides;
  for (const auto& reference : flags.references) {
    auto documents = resolve_result_refs({reference}, ResolveOptions{flags.db});
    if (!documents) return usage_error(documents.error());
    sides.push_back(std::move(*documents));
  }
  std::vector<const ResultDocument*> all;
  for (const auto& side : sides) {
    for (const auto& document : side) all.push_back(&document);
  }
  if (auto distinct = check_distinct_runs(all); !distinct)
    return usage_error("compare: " + distinct.error().message);
  const auto samples = models::side_samples(sides, flags.level);
  auto comparisons = models::compare_sides(samples);
  if (!comparisons) return usage_error(comparisons.error());
  return flags.out.write(report::compare_json(samples, *comparisons),
                         report::compare_table(samples, *comparisons));
}

}  // namespace

Command add_compare_command(CLI::App& parent) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* app = parent.add_subcommand(
      "compare",
      "Compare J/token, tokens/J, throughput and power of results: Welch's t-test, Cohen's d");
  app->add_option("results", flags->references,
                  "result files, run ids or label filters (k=v); the first is the baseline")
      ->required();
  app->add_option(
      "--level", flags->level,
      "bench-openai: compare this concurrency or rate (default: each one's most efficient)");
  app->add_option("--db", flags->db, "results store, for run ids and label filters");
  flags->out.add_to(*app);
  return {app, [flags] { return run_compare(*flags); }};
}

}  // namespace joulebench::cli
