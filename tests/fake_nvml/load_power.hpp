// Power driven by a load file (e.g. a test LLM server's active streams): between two calls
// the fake holds the power it saw at the earlier call, and its energy counter integrates
// that piecewise-constant power. A change of load is therefore seen at the next call: the
// counter is off by at most |delta power| x (time from the change to the next call).
// Thread-safety: not thread-safe (the fake runtime serialises calls).
#pragma once

#include "scenario.hpp"

namespace joulebench::fake_nvml {

class LoadPowerIntegrator {
 public:
  // Reads the load once at fake time 0.
  LoadPowerIntegrator(LoadDrivenPower config, double counter_update_period_s);

  // Integrates the held power up to `t_s`, then reads the load file again. Calls with a
  // time earlier than the last one count as that last time (fake time never goes back).
  void observe(double t_s);

  double power_w() const { return power_w_; }
  // The integral up to the last counter update tick at or before the last observation.
  double counter_energy_j() const { return counter_energy_j_; }

 private:
  double read_power_w();

  LoadDrivenPower config_;
  double counter_update_period_s_;
  double load_ = 0.0;  // kept when the file is missing or unreadable
  double last_t_s_ = 0.0;
  double power_w_ = 0.0;
  double energy_j_ = 0.0;  // up to last_t_s_
  double counter_energy_j_ = 0.0;
};

// The last counter update tick at or before t_s; tolerant of t_s = k * period rounding.
double last_tick_s(double t_s, double period_s);

}  // namespace joulebench::fake_nvml
