// `joulebench cost [RUN | --j-per-token X | --tokens-per-s T --power-w P]`: what a token costs
// in energy and, with hardware, all in; break-even against API prices; CO2 with a grid figure.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flag_suggestions.hpp"
#include "models/catalog.hpp"
#include "models/energy_model.hpp"
#include "models/result_figures.hpp"
#include "report/cost_report.hpp"
#include "report/cost_writers.hpp"
#include "store/result_refs.hpp"

namespace joulebench::cli {
namespace {

struct CostFlags {
  std::string run;
  std::optional<double> j_per_token;
  std::optional<double> tokens_per_s;
  std::optional<double> power_w;
  std::optional<double> level;
  std::optional<double> tokens;
  bool net = false;
  std::vector<double> prices_usd_per_kwh;
  std::optional<double> overhead;
  std::optional<double> psu_efficiency;
  std::optional<double> pue;
  std::optional<double> hardware_cost_usd;
  double years = 3.0;
  double utilization = 0.7;
  std::vector<std::string> api_prices;
  std::optional<double> grid_g_co2_per_kwh;
  std::string region;
  std::string regions_file;
  std::string db;
  OutputFlags out;
};

// Where J/token (and throughput) come from: a result, --j-per-token, or --power-w/--tokens-per-s.
Expected<models::ResultFigures> token_figures(const CostFlags& flags) {
  const int sources =
      !flags.run.empty() + flags.j_per_token.has_value() + flags.power_w.has_value();
  if (sources != 1)
    return Error{"cost: give exactly one of RUN, --j-per-token, or --power-w with --tokens-per-s"};
  if (!flags.run.empty()) {
    auto results = resolve_result_refs({flags.run}, ResolveOptions{flags.db});
    if (!results) return results.error();
    if (results->size() != 1)
      return Error{"cost: '" + flags.run + "' names " + std::to_string(results->size()) +
                   " runs; name one"};
    auto figures = models::result_figures(results->front(), {flags.level, flags.tokens, flags.net});
    if (!figures) return figures.error();
    for (const auto& warning : figures->warnings) std::cerr << "warning: " << warning << "\n";
    if (flags.tokens_per_s)
      figures->tokens_per_s = flags.tokens_per_s;  // the user's throughput wins
    return figures;
  }
  if (flags.j_per_token)
    return models::ResultFigures{*flags.j_per_token, flags.tokens_per_s, "--j-per-token"};
  if (!flags.tokens_per_s) return Error{"--power-w: needs --tokens-per-s"};
  if (!(*flags.tokens_per_s > 0.0)) return Error{"--tokens-per-s: must be positive"};
  if (!(*flags.power_w > 0.0)) return Error{"--power-w: must be positive"};
  return models::ResultFigures{models::j_per_token(*flags.power_w, *flags.tokens_per_s),
                               flags.tokens_per_s, "--power-w / --tokens-per-s"};
}

Expected<report::CostReport> build_report(const CostFlags& flags) {
  auto figures = token_figures(flags);
  if (!figures) return figures.error();
  report::CostRequest request;
  request.figures = std::move(*figures);
  request.node_overhead = flags.overhead;
  request.psu_efficiency = flags.psu_efficiency;
  request.pue = flags.pue;
  if (flags.hardware_cost_usd)
    request.hardware = models::Hardware{*flags.hardware_cost_usd, flags.years, flags.utilization};
  for (const auto& text : flags.api_prices) {
    auto price = models::parse_api_price(text);
    if (!price) return price.error();
    request.api_prices.push_back(*price);
  }
  request.prices_usd_per_kwh = flags.prices_usd_per_kwh;
  request.grid_g_co2_per_kwh = flags.grid_g_co2_per_kwh;
  request.region = flags.region;
  request.regions_file = flags.regions_file;
  return report::build_cost_report(request);
}

int run_cost(const CostFlags& flags) {
  auto report = build_report(flags);
  if (!report) return usage_error(report.error());
  return flags.out.write(report::cost_json(*report), report::cost_table(*report));
}

}  // namespace

Command add_cost_command(CLI::App& parent) {
  auto flags = std::make_shared<CostFlags>();
  CLI::App* app =
      parent.add_subcommand("cost", "Energy cost, all-in cost and CO2 per million tokens");
  app->add_option("run", flags->run, "a result file (or, with the results store, a run id)");
  app->add_option("--j-per-token", flags->j_per_token, "energy per output token at the GPUs, J");
  app->add_option("--tokens-per-s", flags->tokens_per_s,
                  "throughput, output tokens/s (per-hour figures, months)");
  app->add_option("--power-w", flags->power_w,
                  "average power of the GPUs, W (with --tokens-per-s)");
  app->add_option("--level", flags->level,
                  "bench-openai: the concurrency or rate to price (default: the most efficient "
                  "valid level, within the SLO when the bench had one)");
  app->add_option("--tokens", flags->tokens, "monitor results: tokens generated during the run");
  app->add_flag("--net", flags->net, "use idle-subtracted energy (the marginal cost of tokens)");
  app->add_option("--price-kwh", flags->prices_usd_per_kwh,
                  "USD per kWh, repeatable (default 0.10, 0.20, 0.30)")
      ->delimiter(',');
  app->add_option("--node-overhead", flags->overhead,
                  "energy beyond the GPUs (CPUs, NICs, fans) as a share, e.g. 20% or 0.2")
      ->transform(share_transform())
      ->type_name("SHARE");
  add_refused_flag(*app, "--overhead",
                   "is --node-overhead here, as in estimate (the energy beyond the GPUs)");
  app->add_option("--psu-efficiency", flags->psu_efficiency,
                  "power supply efficiency, e.g. 95% or 0.95")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_option("--pue", flags->pue,
                  "data-centre PUE instead of --node-overhead/--psu-efficiency, e.g. 1.3");
  app->add_option("--hardware-cost", flags->hardware_cost_usd,
                  "purchase price of the hardware, USD");
  app->add_option("--years", flags->years, "amortisation period, years (default 3)");
  app->add_option("--utilization", flags->utilization,
                  "share of time serving at this throughput, e.g. 70% or 0.7 (default 70%)")
      ->transform(share_transform())
      ->type_name("SHARE");
  app->add_option("--api-price", flags->api_prices,
                  "NAME=USD_PER_1M_TOKENS to break even against (repeatable)");
  app->add_option("--grid-gco2-kwh", flags->grid_g_co2_per_kwh,
                  "grid carbon intensity, g CO2 per kWh");
  app->add_option("--region", flags->region,
                  "grid region code from data/grid-carbon.json (e.g. US, FR, WORLD)");
  app->add_option("--regions", flags->regions_file,
                  "another grid table file instead of the built-in one");
  app->add_option("--db", flags->db, "results store, for run ids");
  flags->out.add_to(*app);
  return {app, [flags] { return run_cost(*flags); }};
}

}  // namespace joulebench::cli
