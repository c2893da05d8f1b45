// The pieces of the joulebench._native module, one function per group of classes.
#pragma once

#include <pybind11/pybind11.h>

namespace joulebench::python {

void bind_results(pybind11::module_& module);  // Result, DeviceResult, Gauge, TokenEnergy
void bind_monitor(pybind11::module_& module);  // EnergyMonitor

// json.loads(text): to_dict() parses what the C++ JSON writers produce, so the dict and the
// JSON text cannot drift apart.
pybind11::object json_loads(const std::string& text);

}  // namespace joulebench::python
