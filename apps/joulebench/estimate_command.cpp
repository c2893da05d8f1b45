// `joulebench estimate --tokens-per-s T (--power-w P[-Q] | --gpu NAME --gpu-count N)` or
// `--input-csv`:
// energy per token without a meter, the seed post's method (node power / throughput).
#include <memory>

#include "commands.hpp"
#include "flag_suggestions.hpp"
#include "models/catalog.hpp"
#include "models/estimate_model.hpp"
#include "report/cost_writers.hpp"

namespace joulebench::cli {
namespace {

struct EstimateFlags {
  std::optional<double> tokens_per_s;
  std::string input_csv;
  std::string power_w;
  std::string gpu;
  int gpu_count = 1;
  double node_overhead = 0.10;
  std::string catalog_file;
  OutputFlags out;
};

Expected<models::PowerRange> power_range(const EstimateFlags& flags) {
  if (flags.power_w.empty() == flags.gpu.empty())
    return Error{"estimate: give either --power-w or --gpu"};
  if (!flags.power_w.empty()) return models::parse_power_w(flags.power_w);
  auto catalog = models::load_gpu_catalog(flags.catalog_file);
  if (!catalog) return catalog.error();
  auto gpu = models::find_gpu(*catalog, flags.gpu);
  if (!gpu) return gpu.error();
  return models::gpu_node_power(*gpu, flags.gpu_count, flags.node_overhead);
}

Expected<std::vector<models::ThroughputRow>> throughputs(const EstimateFlags& flags) {
  if (flags.tokens_per_s.has_value() == !flags.input_csv.empty()) {
    return Error{"estimate: give either --tokens-per-s or --input-csv"};
  }
  if (!flags.input_csv.empty()) return models::read_throughput_csv(flags.input_csv);
  return std::vector<models::ThroughputRow>{{"", *flags.tokens_per_s}};
}

int run_estimate(const EstimateFlags& flags) {
  auto rows = throughputs(flags);
  if (!rows) return usage_error(rows.error());
  auto power = power_range(flags);
  if (!power) return usage_error(power.error());
  report::EstimateReport report{power->basis, power->low_w, power->high_w, {}};
  for (const auto& row : *rows) {
    auto estimate = models::estimate(row.tokens_per_s, *power, row.batch);
    if (!estimate) return usage_error(estimate.error());
    report.rows.push_back(std::move(*estimate));
  }
  return flags.out.write(report::estimate_json(report), report::estimate_table(report));
}

}  // namespace

Command add_estimate_command(CLI::App& parent) {
  auto flags = std::make_shared<EstimateFlags>();
  CLI::App* app = parent.add_subcommand(
      "estimate", "J/token and kWh per million tokens from throughput and power, no meter");
  app->add_option("--tokens-per-s", flags->tokens_per_s, "throughput, output tokens/s");
  app->add_option("--input-csv", flags->input_csv,
                  "read CSV rows batch,tokens_per_s: one estimate per row")
      ->type_name("FILE");
  add_refused_flag(*app, "--csv",
                   "names a CSV file to write in run and bench; to read throughput rows here use "
                   "--input-csv FILE");
  app->add_option("--power-w", flags->power_w,
                  "node power, W, or a range LOW-HIGH (e.g. 1500-3000)");
  app->add_option("--gpu", flags->gpu,
                  "GPU type from the catalog (e.g. H100-SXM, A100-PCIe-80GB, MI300X)");
  app->add_option("--gpu-count", flags->gpu_count, "how many GPUs of that type (default 1)");
  add_refused_flag(*app, "--gpus",
                   "is a list of GPU indices in every measuring command; the number of GPUs "
                   "here is --gpu-count N");
  app->add_option("--node-overhead", flags->node_overhead,
                  "node power beyond the GPUs as a share, e.g. 10% or 0.1 (default 10%)")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_option("--catalog", flags->catalog_file,
                  "another GPU catalog file instead of the built-in one");
  flags->out.add_to(*app);
  return {app, [flags] { return run_estimate(*flags); }};
}

}  // namespace joulebench::cli
