// TokenEnergy.cost() and .co2(): the figures of `joulebench cost`, computed by the same C++
// (report::build_cost_report), for a window's J/token. Errors name the Python arguments.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <utility>

#include "bindings.hpp"
#include "report/cost_report.hpp"

namespace py = pybind11;

namespace joulebench::python {
namespace {

struct FacilityArgs {
  std::optional<double> pue;
  std::optional<double> node_overhead;
  std::optional<double> psu_efficiency;
};

// The models' messages name command-line flags; a Python caller passed keyword arguments.
std::string with_python_names(std::string message) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"--price-kwh", "price_kwh"},
      {"--pue", "pue"},
      {"--node-overhead", "node_overhead"},
      {"--psu-efficiency", "psu_efficiency"},
      {"--hardware-cost", "hardware_cost_usd"},
      {"--years", "years"},
      {"--utilization", "utilization"},
      {"--grid-gco2-kwh", "grid_gco2_kwh"},
      {"--region", "region"},
      {"--tokens-per-s", "tokens_per_second"},
      {"--j-per-token", "joules_per_token"}};
  for (const auto& [flag, argument] : kNames) {
    for (auto at = message.find(flag); at != std::string::npos; at = message.find(flag, at)) {
      message.replace(at, std::string(flag).size(), argument);
    }
  }
  return message;
}

report::CostRequest request_for(const TokenEnergy& energy, bool net, const FacilityArgs& facility,
                                const char* method) {
  const auto& j_per_token = net ? energy.j_per_output_token_net : energy.j_per_output_token;
  if (!j_per_token) {
    throw std::invalid_argument(std::string(method) + ": no " + (net ? "net " : "") +
                                "J/token to price: " + energy.reason);
  }
  report::CostRequest request;
  request.figures = {*j_per_token,
                     energy.output_tokens_per_s,
                     std::string("python TokenEnergy, ") + (net ? "net" : "gross"),
                     {}};
  const auto interval = net ? j_per_output_token_net_ci95(energy) : j_per_output_token_ci95(energy);
  if (interval) {
    request.figures.relative_ci95 = 0.5 * (interval->high - interval->low) / *j_per_token;
  } else {
    request.figures.relative_ci95_reason = "the window's energy has no interval";
  }
  request.pue = facility.pue;
  request.node_overhead = facility.node_overhead;
  request.psu_efficiency = facility.psu_efficiency;
  return request;
}

nlohmann::ordered_json built(const report::CostRequest& request) {
  auto report = report::build_cost_report(request);
  if (!report) throw std::invalid_argument(with_python_names(report.error().what_line()));
  return nlohmann::ordered_json::parse(report::cost_json(*report));
}

// One flat dict: the inputs (J/token, facility, ...) and the one scenario or the carbon block.
py::object flat(nlohmann::ordered_json document, const char* part) {
  nlohmann::ordered_json out = document["inputs"];
  nlohmann::ordered_json& extra =
      document[part].is_array() ? document[part].front() : document[part];
  for (auto& [key, value] : extra.items()) out[key] = value;
  return json_loads(out.dump());
}

py::object cost_of(const TokenEnergy& energy, double price_kwh, bool net, std::optional<double> pue,
                   std::optional<double> node_overhead, std::optional<double> psu_efficiency,
                   std::optional<double> hardware_cost_usd, double years, double utilization) {
  report::CostRequest request =
      request_for(energy, net, {pue, node_overhead, psu_efficiency}, "cost");
  request.prices_usd_per_kwh = {price_kwh};
  if (hardware_cost_usd)
    request.hardware = models::Hardware{*hardware_cost_usd, years, utilization};
  return flat(built(request), "scenarios");
}

py::object co2_of(const TokenEnergy& energy, std::optional<std::string> region,
                  std::optional<double> grid_gco2_kwh, bool net, std::optional<double> pue,
                  std::optional<double> node_overhead, std::optional<double> psu_efficiency) {
  if (!region == !grid_gco2_kwh) {
    throw std::invalid_argument("co2: give region= (e.g. 'FR') or grid_gco2_kwh=, one of them");
  }
  report::CostRequest request =
      request_for(energy, net, {pue, node_overhead, psu_efficiency}, "co2");
  request.region = region.value_or("");
  request.grid_g_co2_per_kwh = grid_gco2_kwh;
  return flat(built(request), "carbon");
}

}  // namespace

void bind_token_costs(py::class_<TokenEnergy>& token_energy) {
  token_energy
      .def("cost", &cost_of, py::arg("price_kwh") = 0.10, py::kw_only(), py::arg("net") = false,
           py::arg("pue") = py::none(), py::arg("node_overhead") = py::none(),
           py::arg("psu_efficiency") = py::none(), py::arg("hardware_cost_usd") = py::none(),
           py::arg("years") = 3.0, py::arg("utilization") = 0.7,
           "What these tokens cost, as `joulebench cost` computes it: USD per 1M tokens and per "
           "hour at price_kwh (USD/kWh), wall kWh per 1M tokens (facility: pue, or node_overhead "
           "and psu_efficiency as fractions), all-in with hardware_cost_usd amortised over years "
           "at utilization. net=True prices the idle-subtracted J/token. Returns a dict.")
      .def("co2", &co2_of, py::arg("region") = py::none(), py::kw_only(),
           py::arg("grid_gco2_kwh") = py::none(), py::arg("net") = false,
           py::arg("pue") = py::none(), py::arg("node_overhead") = py::none(),
           py::arg("psu_efficiency") = py::none(),
           "CO2 of these tokens, as `joulebench cost --region` computes it: g CO2 per 1M tokens "
           "and kg per hour, for a grid region code of the bundled table (region='FR') or an "
           "intensity in g/kWh. Returns a dict with the intensity's source.");
}

}  // namespace joulebench::python
