// EnergyMonitor for Python. Argument conversion happens with the GIL held; every call that
// can block (opening sensors, start, stop, window boundaries) releases it, so other Python
// threads keep running while the sampler serves a boundary round.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>

#include "bindings.hpp"
#include "energy_monitor.hpp"
#include "report/json_values.hpp"
#include "result_store.hpp"

namespace py = pybind11;

namespace joulebench::python {
namespace {

// One id or a sequence of them; ints are NVML indices, strings indices or UUIDs.
std::optional<std::vector<std::string>> gpu_ids_from(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  const auto one = [](const py::handle& item) -> std::string {
    if (py::isinstance<py::str>(item)) return item.cast<std::string>();
    if (py::isinstance<py::int_>(item) && !py::isinstance<py::bool_>(item)) {
      return std::to_string(item.cast<long long>());
    }
    throw py::type_error("gpu_ids: expected None, an int, a str or a list of them, got " +
                         std::string(py::str(py::type::of(item).attr("__name__"))));
  };
  if (py::isinstance<py::str>(value) || py::isinstance<py::int_>(value))
    return std::vector{one(value)};
  std::vector<std::string> ids;
  for (const auto& item : py::iter(value)) ids.push_back(one(item));
  return ids;
}

std::vector<std::string> sensor_specs_from(const py::object& value) {
  if (py::isinstance<py::str>(value)) return {value.cast<std::string>()};
  std::vector<std::string> specs;
  for (const auto& item : py::iter(value)) {
    if (!py::isinstance<py::str>(item))
      throw py::type_error("sensors: expected a str or a list of str");
    specs.push_back(item.cast<std::string>());
  }
  return specs;
}

// Seconds as a number, or a datetime.timedelta.
std::chrono::duration<double> interval_from(const py::object& value) {
  if (py::hasattr(value, "total_seconds")) {
    return std::chrono::duration<double>(value.attr("total_seconds")().cast<double>());
  }
  if (!py::isinstance<py::float_>(value) && !py::isinstance<py::int_>(value)) {
    throw py::type_error("interval: expected seconds (a number) or a datetime.timedelta");
  }
  return std::chrono::duration<double>(value.cast<double>());
}

std::shared_ptr<EnergyMonitor> make_monitor(const py::object& gpu_ids, const py::object& sensors,
                                            const py::object& interval,
                                            const std::optional<std::string>& calibration) {
  MonitorConfig config;
  config.calibration_file = calibration.value_or("");
  config.gpu_ids = gpu_ids_from(gpu_ids);
  config.sensor_specs = sensor_specs_from(sensors);
  config.interval = interval_from(interval);
  // NVML init and device probing can take a while.
  auto monitor = without_gil([&] { return std::make_shared<EnergyMonitor>(config); });
  track_monitor(monitor);
  return monitor;
}

// Per device id, `field` of its latest good reading (None until one exists).
template <class Field>
py::dict latest_by_device(const EnergyMonitor& monitor, Field field) {
  py::dict out;
  const auto snapshot = monitor.snapshot();
  const auto& devices = monitor.devices();
  for (std::size_t i = 0; i < devices.size(); ++i) {
    py::object value = py::none();
    if (snapshot && snapshot->latest[i] && !snapshot->lost[i]) {
      if (auto reading = field(*snapshot->latest[i])) value = py::cast(*reading);
    }
    out[py::str(devices[i].id)] = value;
  }
  return out;
}

// Sum of the latest power of every device still present; None while any lacks a reading
// (a partial sum would understate the draw).
std::optional<double> total_power_w(const EnergyMonitor& monitor) {
  const auto snapshot = monitor.snapshot();
  if (!snapshot) return std::nullopt;
  double total_w = 0.0;
  bool any = false;
  for (std::size_t i = 0; i < snapshot->latest.size(); ++i) {
    if (snapshot->lost[i]) continue;
    if (!snapshot->latest[i] || !snapshot->latest[i]->power_w) return std::nullopt;
    total_w += *snapshot->latest[i]->power_w;
    any = true;
  }
  if (!any) return std::nullopt;
  return total_w;
}

// Labels as the CLI's --label takes them: a non-empty key without '=' or ',' (label filters
// split on them), any text as the value.
std::map<std::string, std::string> checked_labels(const std::optional<py::dict>& labels) {
  std::map<std::string, std::string> out;
  if (!labels) return out;
  for (const auto& [key, value] : *labels) {
    if (!py::isinstance<py::str>(key) || !py::isinstance<py::str>(value)) {
      throw std::invalid_argument("labels: keys and values must be str, got " +
                                  std::string(py::repr(key)) + ": " + std::string(py::repr(value)));
    }
    const auto text = key.cast<std::string>();
    if (text.empty() || text.find_first_of("=,") != std::string::npos) {
      throw std::invalid_argument("labels: '" + text + "' is not a label name (no '=' or ',')");
    }
    out[text] = value.cast<std::string>();
  }
  return out;
}

Result stop_and_store(EnergyMonitor& self, bool store, const std::optional<py::dict>& labels,
                      const std::optional<std::string>& db) {
  auto checked = checked_labels(labels);
  Result result = without_gil([&] { return self.stop(std::move(checked)); });
  if (store) {
    const std::string document = result.to_json();
    result.run_id = without_gil([&] { return store_run(document, db); });
  }
  return result;
}

}  // namespace

void bind_monitor(py::module_& module) {
  using M = EnergyMonitor;
  py::class_<M, std::shared_ptr<M>>(module, "EnergyMonitor",
                                    "Samples GPUs (NVML) and CPUs (RAPL) on a C++ thread and "
                                    "measures the energy of a run and of named windows.",
                                    py::dynamic_attr())  // last_result, set by `with`
      .def(py::init(&make_monitor), py::arg("gpu_ids") = py::none(), py::arg("sensors") = "auto",
           py::arg("interval") = 0.1, py::arg("calibration") = py::none(),
           "Opens the sensors. interval is in seconds (1 ms .. 10 s); calibration: the file of "
           "`joulebench calibrate` to apply (raw energy kept as raw_energy_joules).")
      .def(
          "start",
          [](M& self) {
            auto command = py::module_::import("sys").attr("argv").cast<std::vector<std::string>>();
            without_gil([&] { self.start(std::move(command)); });
          },
          "Starts sampling and the whole-run window.")
      .def("stop", &stop_and_store, py::kw_only(), py::arg("store") = false,
           py::arg("labels") = py::none(), py::arg("db") = py::none(),
           "Stops sampling; returns the whole run's Result (open windows end here too). "
           "labels={'precision': 'fp16'} describe the configuration; store=True keeps the run "
           "in the results store (db=path, default the one the CLI uses) so that `joulebench "
           "runs`, `compare` and `report` see it; its id is then Result.run_id.")
      .def_property_readonly("running", &M::running)
      .def(
          "begin_window",
          [](M& self, const std::string& name) { without_gil([&] { self.begin_window(name); }); },
          py::arg("name"), "Begins a named window; windows may overlap and nest.")
      .def(
          "end_window",
          [](M& self, const std::string& name) {
            return without_gil([&] { return self.end_window(name); });
          },
          py::arg("name"), "Ends a named window and returns its Result.")
      .def("open_windows", &M::open_windows)
      .def_property_readonly("interval", &M::interval_s, "sampling interval in seconds")
      .def_property_readonly(
          "devices",
          [](const M& self) {
            py::list out;
            for (const auto& device : self.devices()) {
              out.append(json_loads(report::to_json(device).dump()));
            }
            return out;
          },
          "The measured devices, as in `joulebench devices --json`.")
      .def_property_readonly("sensors_unavailable",
                             [](const M& self) {
                               py::list out;
                               for (const auto& entry : self.sensors_unavailable()) {
                                 out.append(py::dict(py::arg("sensor") = entry.sensor,
                                                     py::arg("reason") = entry.reason));
                               }
                               return out;
                             })
      .def(
          "get_current_power",
          [](const M& self, bool per_device) -> py::object {
            if (!per_device) return py::cast(total_power_w(self));
            return latest_by_device(self, [](const Sample& s) { return s.power_w; });
          },
          py::arg("per_device") = false,
          "Latest power in W: the sum over devices, or {device id: W} with per_device=True.")
      .def(
          "get_temperature",
          [](const M& self) {
            return latest_by_device(self, [](const Sample& s) { return s.temperature_c; });
          },
          "Latest temperature per device id, in degrees Celsius.")
      .def(
          "get_memory_info",
          [](const M& self) {
            return latest_by_device(self, [](const Sample& s) { return s.memory_used_bytes; });
          },
          "Latest device memory in use per device id, in bytes.");
}

}  // namespace joulebench::python
