// The pieces of the joulebench._native module, one function per group of classes.
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>

#include "joulebench/token_energy.hpp"

namespace joulebench::python {

void bind_results(pybind11::module_& module);  // Result, DeviceResult, Gauge, TokenEnergy
void bind_monitor(pybind11::module_& module);  // EnergyMonitor
// TokenEnergy.cost() and .co2(), on the class bind_results made.
void bind_token_costs(pybind11::class_<TokenEnergy>& token_energy);

// Runs `call` with the GIL released and returns its result. Not py::gil_scoped_release:
// when the interpreter is finalizing, re-taking the GIL ends a daemon thread with
// pthread_exit, whose forced unwinding must not start in a destructor (noexcept:
// terminate) nor inside a try that catches everything; so the GIL is re-taken here, after
// the call's outcome was stored, outside every handler. `call` must not touch Python.
template <class Call>
auto without_gil(Call&& call) -> decltype(call()) {
  using Value = decltype(call());
  std::exception_ptr failure;
  std::conditional_t<std::is_void_v<Value>, bool, std::optional<Value>> value{};
  PyThreadState* state = PyEval_SaveThread();
  try {
    if constexpr (std::is_void_v<Value>) {
      call();
    } else {
      value.emplace(call());
    }
  } catch (...) {
    failure = std::current_exception();
  }
  PyEval_RestoreThread(state);
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<Value>) return std::move(*value);
}

// json.loads(text): to_dict() parses what the C++ JSON writers produce, so the dict and the
// JSON text cannot drift apart.
pybind11::object json_loads(const std::string& text);

}  // namespace joulebench::python
