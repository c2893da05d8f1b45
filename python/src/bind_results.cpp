// Result, DeviceResult, Gauge and TokenEnergy: read-only views of the C++ result model.
// Names carry units (energy_joules, avg_power_watts); a figure that could not be measured is
// None (never 0), as in the CLI's JSON.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <sstream>

#include "bindings.hpp"
#include "energy_monitor.hpp"
#include "joulebench/token_energy.hpp"
#include "report/bench_json.hpp"
#include "report/json_values.hpp"

namespace py = pybind11;

namespace joulebench::python {
namespace {

std::string optional_text(const std::optional<double>& value) {
  if (!value) return "None";
  std::ostringstream out;
  out << *value;
  return out.str();
}

TokenEnergy token_energy_of(const Result& result, std::optional<double> tokens,
                            std::optional<double> idle_power_watts, std::string tokens_source) {
  if (tokens && !(*tokens >= 0 && std::isfinite(*tokens))) {
    throw std::invalid_argument("tokens: " + optional_text(tokens) + " is not a token count");
  }
  IdlePower idle;
  if (idle_power_watts) {
    idle.total_w = *idle_power_watts;
    idle.source = "given (idle_power_watts)";
  } else {
    idle.reason = "No idle power given (idle_power_watts).";
  }
  const Measurement& m = result.measurement;
  return compute_token_energy(m, tokens, std::move(tokens_source), idle);
}

void bind_gauge(py::module_& module) {
  py::class_<GaugeSummary>(module, "Gauge",
                           "min / mean / max / stddev of a gauge over a window, in the unit "
                           "its name says; all None when count == 0.")
      .def_readonly("count", &GaugeSummary::count, "number of readings")
      .def_readonly("min", &GaugeSummary::min)
      .def_readonly("mean", &GaugeSummary::mean)
      .def_readonly("max", &GaugeSummary::max)
      .def_readonly("stddev", &GaugeSummary::stddev, "sample standard deviation (n - 1)")
      .def("__repr__", [](const GaugeSummary& g) {
        return "Gauge(count=" + std::to_string(g.count) + ", min=" + optional_text(g.min) +
               ", mean=" + optional_text(g.mean) + ", max=" + optional_text(g.max) + ")";
      });
}

void bind_device_result(py::module_& module) {
  using D = DeviceMeasurement;
  py::class_<D>(module, "DeviceResult", "One device's share of a Result.")
      .def_property_readonly(
          "id", [](const D& d) { return d.device.id; }, "\"nvml:0\", \"rapl:package-0\", ...")
      .def_property_readonly("name", [](const D& d) { return d.device.name; })
      .def_property_readonly("uuid", [](const D& d) { return d.device.uuid; })
      .def_property_readonly("sensor", [](const D& d) { return d.device.sensor; })
      .def_property_readonly("vendor", [](const D& d) { return d.device.vendor; })
      .def_property_readonly(
          "method", [](const D& d) { return std::string(to_string(d.method)); },
          "\"counter\", \"integrated\" or \"none\"")
      .def_readonly("energy_joules", &D::energy_j, "J, by `method`")
      .def_readonly("energy_reason", &D::energy_reason,
                    "why energy is None, or a note on the method")
      .def_readonly("raw_energy_joules", &D::raw_energy_j,
                    "J as the sensor reported it; energy_joules is calibrated when a "
                    "calibration was applied")
      .def_property_readonly(
          "calibrated", [](const D& d) { return d.calibration.has_value(); },
          "True when a reference-meter calibration was applied to this device")
      .def_readonly("counter_energy_joules", &D::counter_energy_j, "J from the hardware counter")
      .def_readonly("integrated_energy_joules", &D::integrated_energy_j, "J from integrated power")
      .def_readonly("method_disagreement", &D::method_disagreement,
                    "|counter - integrated| / counter (a fraction)")
      .def_readonly("avg_power_watts", &D::avg_power_w, "W = energy / duration")
      .def_readonly("peak_power_watts", &D::peak_power_w, "W, largest power sample")
      .def_readonly("samples", &D::samples)
      .def_readonly("failed_reads", &D::failed_reads)
      .def_readonly("counter_wraps", &D::counter_wraps)
      .def_readonly("counter_resets", &D::counter_resets)
      .def_readonly("power_watts", &D::power_w)
      .def_readonly("temperature_celsius", &D::temperature_c)
      .def_readonly("gpu_utilization_percent", &D::gpu_utilization_pct)
      .def_readonly("sm_clock_mhz", &D::sm_clock_mhz)
      .def_readonly("memory_used_bytes", &D::memory_used_bytes)
      .def_readonly("lost", &D::lost, "the device fell off during the window")
      .def_readonly("lost_at_seconds", &D::lost_at_s, "s since the window began")
      .def(
          "to_dict", [](const D& d) { return json_loads(report::to_json(d).dump()); },
          "The device's entry in the CLI's JSON (keys with units: energy_j, avg_power_w).")
      .def("__repr__", [](const D& d) {
        return "DeviceResult(id='" + d.device.id + "', energy_joules=" + optional_text(d.energy_j) +
               ", avg_power_watts=" + optional_text(d.avg_power_w) + ", method='" +
               to_string(d.method) + "')";
      });
}

// (low, high) for Python, or None.
py::object interval_tuple(const std::optional<Interval>& interval) {
  if (!interval) return py::none();
  return py::make_tuple(interval->low, interval->high);
}

void bind_token_energy(py::module_& module) {
  using T = TokenEnergy;
  py::class_<T> token_energy(module, "TokenEnergy",
                             "Energy per generated token for one window; None with `reason` "
                             "when unknown.");
  bind_token_costs(token_energy);
  token_energy.def_readonly("output_tokens", &T::output_tokens)
      .def_readonly("tokens_source", &T::tokens_source)
      .def_readonly("duration_seconds", &T::duration_s)
      .def_readonly("tokens_per_second", &T::output_tokens_per_s)
      .def_readonly("energy_joules", &T::energy_j, "J, gross")
      .def_readonly("idle_energy_joules", &T::idle_energy_j, "J = idle power x duration")
      .def_readonly("net_energy_joules", &T::net_energy_j, "J, gross - idle")
      .def_readonly("joules_per_token", &T::j_per_output_token, "J/token, gross")
      .def_readonly("joules_per_token_net", &T::j_per_output_token_net, "J/token, net of idle")
      .def_readonly("tokens_per_joule", &T::tokens_per_j)
      .def_readonly("tokens_per_joule_net", &T::tokens_per_j_net)
      .def_readonly("avg_power_watts", &T::avg_power_w)
      .def_property_readonly(
          "joules_per_token_ci95",
          [](const T& t) { return interval_tuple(j_per_output_token_ci95(t)); },
          "(low, high) 95% interval of J/token from the energy's stated uncertainty, or None")
      .def_property_readonly(
          "tokens_per_joule_ci95", [](const T& t) { return interval_tuple(tokens_per_j_ci95(t)); },
          "(low, high) 95% interval of tokens/J, or None")
      .def_readonly("reason", &T::reason, "sentences explaining the None figures")
      .def(
          "to_dict",
          [](const T& t) {
            nlohmann::ordered_json out = nlohmann::ordered_json::object();
            report::add_token_energy_fields(out, t);
            return json_loads(out.dump());
          },
          "The per-token fields of the CLI's run/bench JSON (j_per_output_token, ...).")
      .def("__repr__", [](const T& t) {
        return "TokenEnergy(output_tokens=" + optional_text(t.output_tokens) +
               ", joules_per_token=" + optional_text(t.j_per_output_token) + ")";
      });
}

void bind_result(py::module_& module) {
  py::class_<Result>(module, "Result",
                     "The measurement of a window (end_window) or of a whole run (stop()).")
      .def_property_readonly(
          "name", [](const Result& r) { return r.measurement.name; },
          "window name; \"run\" for stop()")
      .def_property_readonly(
          "start_seconds", [](const Result& r) { return r.measurement.start_s; },
          "s since the monitor started")
      .def_property_readonly("duration_seconds",
                             [](const Result& r) { return r.measurement.duration_s; })
      .def_property_readonly(
          "energy_joules", [](const Result& r) { return r.measurement.energy_j; },
          "J, summed over devices; None when no device has energy")
      .def_property_readonly(
          "energy_ci95_joules",
          [](const Result& r) {
            const auto& u = r.measurement.energy_uncertainty;
            return interval_tuple(
                u.ci95_low_j && u.ci95_high_j
                    ? std::optional<Interval>(Interval{*u.ci95_low_j, *u.ci95_high_j})
                    : std::nullopt);
          },
          "(low, high) 95% interval of energy_joules from stated sources (to_dict()"
          "['energy_uncertainty'] lists them), or None")
      .def_property_readonly("avg_power_watts",
                             [](const Result& r) { return r.measurement.avg_power_w; })
      .def_property_readonly(
          "peak_power_watts", [](const Result& r) { return r.measurement.peak_power_w; },
          "W, largest sum of simultaneous device readings")
      .def_property_readonly("method", &Result::method,
                             "\"counter\", \"integrated\", \"mixed\" or \"none\"")
      .def_property_readonly("devices", [](const Result& r) { return r.measurement.devices; })
      .def_property_readonly("warnings", [](const Result& r) { return r.measurement.warnings; })
      .def_property_readonly(
          "is_run", [](const Result& r) { return r.run_report != nullptr; },
          "True for the result of stop()")
      .def_readonly("run_id", &Result::run_id,
                    "the results store's id after stop(store=True), else None")
      .def("to_json", &Result::to_json,
           "The CLI's JSON schema: `joulebench monitor`'s document for a run, an entry of its "
           "`windows` list for a window.")
      .def(
          "to_dict", [](const Result& r) { return json_loads(r.to_json()); },
          "to_json() parsed into dicts and lists.")
      .def("token_energy", &token_energy_of, py::arg("tokens"),
           py::arg("idle_power_watts") = py::none(), py::arg("tokens_source") = "python",
           "Energy per token for this result's energy and duration (J/token, tokens/J, ...).")
      .def("__repr__", [](const Result& r) {
        const auto& m = r.measurement;
        return "Result(name='" + m.name + "', energy_joules=" + optional_text(m.energy_j) +
               ", duration_seconds=" + optional_text(m.duration_s) +
               ", avg_power_watts=" + optional_text(m.avg_power_w) + ", method='" + r.method() +
               "')";
      });
}

}  // namespace

void bind_results(py::module_& module) {
  bind_gauge(module);
  bind_device_result(module);
  bind_token_energy(module);
  bind_result(module);
}

}  // namespace joulebench::python
