// joulebench._native: the C++ core for Python. Everything measured or computed happens in
// C++; the pure-Python package around it only adds context managers and the HF helper.
#include <pybind11/pybind11.h>

#include <stdexcept>

#include "bindings.hpp"
#include "energy_monitor.hpp"
#include "report/run_reports.hpp"

namespace py = pybind11;

namespace joulebench::python {

py::object json_loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

namespace {

// Owned for the life of the process: the translator may run during interpreter shutdown.
PyObject* joulebench_error = nullptr;

void translate(std::exception_ptr thrown) {
  try {
    if (thrown) std::rethrow_exception(thrown);
  } catch (const RunError& error) {
    PyErr_SetString(joulebench_error, error.what());
  } catch (const std::invalid_argument& error) {
    PyErr_SetString(PyExc_ValueError, error.what());
  } catch (const std::logic_error& error) {  // misuse: unknown window, stop when not running
    PyErr_SetString(joulebench_error, error.what());
  }
}

}  // namespace
}  // namespace joulebench::python

PYBIND11_MODULE(_native, module) {
  using namespace joulebench::python;
  module.doc() =
      "joulebench's C++ core (energy monitor, windows, results). Use the "
      "`joulebench` package rather than this module directly.";
  joulebench_error = PyErr_NewExceptionWithDoc(
      "joulebench.JoulebenchError",
      "A measurement could not be made or the monitor was misused; the message is the one "
      "the joulebench CLI prints after 'error: '.",
      PyExc_RuntimeError, nullptr);
  if (joulebench_error == nullptr) throw py::error_already_set();
  module.attr("JoulebenchError") = py::handle(joulebench_error);
  py::register_exception_translator(&translate);

  module.attr("__version__") = joulebench::report::tool_version();
  bind_results(module);
  bind_monitor(module);

  module.def(
      "_stop_all_running", [] { return without_gil([] { return stop_all_running(); }); },
      "Stops every EnergyMonitor still running; the package calls it at interpreter exit. "
      "Returns how many were stopped.");
}
