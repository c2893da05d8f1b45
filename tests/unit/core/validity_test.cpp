#include "core/validity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "joulebench/sample.hpp"

namespace joulebench {
namespace {

using Status = ValidityCheck::Status;

GaugeSummary gauge(double mean, std::optional<double> stddev, std::size_t count = 1200) {
  GaugeSummary g;
  g.count = count;
  g.mean = mean;
  g.min = mean;
  g.max = mean;
  g.stddev = stddev;
  return g;
}

DeviceMeasurement gpu(const std::string& id) {
  DeviceMeasurement d;
  d.device.id = id;
  d.device.sensor = "nvml";
  d.device.capabilities[Metric::throttle_mask] = Capability{true, ""};
  d.method = EnergyMethod::counter;
  d.energy_j = 36000.0;
  d.counter_energy_j = 36000.0;
  d.integrated_energy_j = 35640.0;
  d.method_disagreement = 0.01;
  d.samples = 1200;
  d.power_w = gauge(300.0, 6.0);
  d.steady_power_cv = 0.02;
  d.gpu_utilization_pct = gauge(95.0, 2.0);
  return d;
}

DeviceMeasurement rapl_package() {
  DeviceMeasurement d;
  d.device.id = "rapl:package-0";
  d.device.sensor = "rapl";
  d.method = EnergyMethod::counter;
  d.counter_energy_j = 9000.0;
  d.samples = 1200;
  return d;
}

ValidityInput good_input() {
  ValidityInput input;
  input.measurement.name = "run";
  input.measurement.duration_s = 120.0;
  input.measurement.devices.push_back(gpu("nvml:0"));
  return input;
}

ValidityVerdict assess(const ValidityInput& input, const ValidityThresholds& limits = {}) {
  auto verdict = assess_validity(input, limits);
  EXPECT_TRUE(verdict) << (verdict ? "" : verdict.error().message);
  return verdict ? *verdict : ValidityVerdict{};
}

ValidityCheck check_named(const ValidityVerdict& verdict, const std::string& name) {
  for (const auto& check : verdict.checks) {
    if (check.name == name) return check;
  }
  ADD_FAILURE() << "no check named " << name;
  return {};
}

ValidityCheck run_check(const ValidityInput& input, const std::string& name,
                        const ValidityThresholds& limits = {}) {
  return check_named(assess(input, limits), name);
}

TEST(Validity, GoodMeasurementIsValid) {
  auto input = good_input();
  input.iterations = 120;
  const auto verdict = assess(input);
  EXPECT_TRUE(verdict.valid);
  const char* names[] = {"duration",   "iterations",         "gpu_utilization",    "power_cv",
                         "throttling", "samples_per_window", "method_disagreement"};
  ASSERT_EQ(verdict.checks.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(verdict.checks[i].name, names[i]);
    EXPECT_EQ(verdict.checks[i].status, Status::pass) << verdict.checks[i].message;
  }
}

TEST(Validity, NotAvailableDoesNotFailTheVerdict) {
  ValidityInput input;
  input.measurement.duration_s = 90.0;
  input.measurement.devices.push_back(rapl_package());
  const auto verdict = assess(input);
  EXPECT_TRUE(verdict.valid);
  EXPECT_EQ(check_named(verdict, "duration").status, Status::pass);
  EXPECT_EQ(check_named(verdict, "samples_per_window").status, Status::pass);
  for (const char* name :
       {"iterations", "gpu_utilization", "power_cv", "throttling", "method_disagreement"}) {
    const auto check = check_named(verdict, name);
    EXPECT_EQ(check.status, Status::not_available) << name;
    EXPECT_FALSE(check.value) << name;
    EXPECT_FALSE(check.message.empty()) << name;
  }
}

TEST(Validity, OneFailureMakesItInvalid) {
  auto input = good_input();
  input.measurement.duration_s = 42.0;
  const auto verdict = assess(input);
  EXPECT_FALSE(verdict.valid);
}

TEST(Validity, DurationBoundaryPasses) {
  auto input = good_input();
  input.measurement.duration_s = 60.0;
  auto at = run_check(input, "duration");
  EXPECT_EQ(at.status, Status::pass);
  EXPECT_EQ(at.message, "duration 60.0 s >= 60 s minimum");
  input.measurement.duration_s = 42.0;
  auto below = run_check(input, "duration");
  EXPECT_EQ(below.status, Status::fail);
  EXPECT_EQ(*below.value, 42.0);
  EXPECT_EQ(*below.threshold, 60.0);
  EXPECT_EQ(below.unit, "s");
  EXPECT_EQ(below.message, "duration 42.0 s < 60 s minimum");
  input.measurement.duration_s = 59.99;
  EXPECT_EQ(run_check(input, "duration").status, Status::fail);
}

TEST(Validity, Iterations) {
  auto input = good_input();
  auto absent = run_check(input, "iterations");
  EXPECT_EQ(absent.status, Status::not_available);
  EXPECT_EQ(absent.message, "iterations are counted in run mode only");
  input.iterations = 50;
  EXPECT_EQ(run_check(input, "iterations").status, Status::pass);
  input.iterations = 49;
  auto below = run_check(input, "iterations");
  EXPECT_EQ(below.status, Status::fail);
  EXPECT_EQ(below.message, "49 iterations < 50 minimum");
  input.iterations = 1;
  EXPECT_EQ(run_check(input, "iterations").message, "1 iteration < 50 minimum");
}

TEST(Validity, GpuUtilizationMustExceedTheMinimum) {
  auto input = good_input();
  auto& device = input.measurement.devices[0];
  device.gpu_utilization_pct = gauge(70.0, 1.0);
  auto at = run_check(input, "gpu_utilization");
  EXPECT_EQ(at.status, Status::fail);  // strictly greater than 70 %
  EXPECT_EQ(at.message, "mean GPU utilization 70.0% on nvml:0 <= 70% minimum");
  device.gpu_utilization_pct = gauge(70.5, 1.0);
  auto above = run_check(input, "gpu_utilization");
  EXPECT_EQ(above.status, Status::pass);
  EXPECT_EQ(above.message, "mean GPU utilization 70.5% on nvml:0 > 70% minimum");
  EXPECT_EQ(above.unit, "%");
}

TEST(Validity, GpuUtilizationReportsTheWorstDevice) {
  auto input = good_input();
  input.measurement.devices.push_back(gpu("nvml:1"));
  input.measurement.devices[1].gpu_utilization_pct = gauge(45.0, 3.0);
  input.measurement.devices.push_back(rapl_package());  // no utilization: ignored
  auto check = run_check(input, "gpu_utilization");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(*check.value, 45.0);
  EXPECT_EQ(check.message,
            "mean GPU utilization 45.0% on nvml:1 (worst of 2 devices) <= 70% minimum");
}

TEST(Validity, GpuUtilizationNotAvailable) {
  auto input = good_input();
  input.measurement.devices[0].gpu_utilization_pct = GaugeSummary{};
  auto check = run_check(input, "gpu_utilization");
  EXPECT_EQ(check.status, Status::not_available);
  EXPECT_EQ(check.message, "no device reports GPU utilization");
}

TEST(Validity, PowerCvFromTheSteadyStateBlocks) {
  auto input = good_input();
  auto& device = input.measurement.devices[0];
  device.steady_power_cv = 0.05;  // exactly 0.05: must be below the maximum
  auto at = run_check(input, "power_cv");
  EXPECT_EQ(at.status, Status::fail);
  EXPECT_DOUBLE_EQ(*at.value, 0.05);
  EXPECT_EQ(at.unit, "ratio");
  EXPECT_EQ(at.message, "power CV 5.00% on nvml:0 >= 5% maximum");
  device.steady_power_cv = 0.049;
  auto below = run_check(input, "power_cv");
  EXPECT_EQ(below.status, Status::pass);
  EXPECT_EQ(below.message, "power CV 4.90% on nvml:0 < 5% maximum");
}

// The bundled demo flipped between valid and invalid on the ripple of single samples: a
// serving load's sample CV is not the criterion, the steady-state one is.
TEST(Validity, SampleRippleDoesNotJudgeTheLoad) {
  auto input = good_input();
  auto& device = input.measurement.devices[0];
  device.power_w = gauge(300.0, 60.0);  // 20% sample-to-sample
  device.steady_power_cv = 0.01;        // steady over 1 s blocks
  EXPECT_EQ(run_check(input, "power_cv").status, Status::pass);
}

TEST(Validity, PowerCvFromSeriesOverridesTheGauge) {
  auto input = good_input();
  // Mean 100, squared deviations 0 + 100 + 100 + 0 = 200, s = sqrt(200 / 3) = 8.165: CV 8.16 %.
  input.power_series.push_back({"nvml:0", {100, 110, 90, 100}});
  auto check = run_check(input, "power_cv");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_NEAR(*check.value, std::sqrt(200.0 / 3.0) / 100.0, 1e-12);
  EXPECT_EQ(check.message, "power CV 8.16% on nvml:0 >= 5% maximum");
}

TEST(Validity, PowerCvNotAvailable) {
  auto input = good_input();
  input.measurement.devices[0].steady_power_cv.reset();  // under 3 complete 1 s blocks
  auto check = run_check(input, "power_cv");
  EXPECT_EQ(check.status, Status::not_available);
  EXPECT_NE(check.message.find("3 or more complete 1 s blocks"), std::string::npos);
}

TEST(Validity, BadPowerSeriesIsAnError) {
  auto input = good_input();
  input.power_series.push_back({"nvml:7", {1, 2}});
  auto unknown = assess_validity(input);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "power series for device 'nvml:7', which is not in the measurement");
  input.power_series = {{"nvml:0", {1, std::numeric_limits<double>::quiet_NaN()}}};
  auto nan = assess_validity(input);
  ASSERT_FALSE(nan);
  EXPECT_EQ(nan.error().message, "power series of nvml:0: value 1 is NaN; samples must be finite");
}

ThrottleEvent event(std::uint64_t bit, const std::string& reason, double first_s,
                    std::size_t samples) {
  ThrottleEvent e;
  e.reason_bit = bit;
  e.reason = reason;
  e.first_seen_s = first_s;
  e.samples = samples;
  return e;
}

TEST(Validity, ThermalThrottlingFails) {
  auto input = good_input();
  input.measurement.devices[0].throttle_events.push_back(
      event(throttle::kHwThermal, "hw_thermal", 12.34, 40));
  auto check = run_check(input, "throttling");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(*check.value, 1.0);
  EXPECT_EQ(*check.threshold, 0.0);
  EXPECT_EQ(check.message, "throttled by hw_thermal on nvml:0 from 12.3 s (40 samples)");
}

TEST(Validity, EveryInvalidatingReasonFails) {
  for (std::uint64_t bit : {throttle::kHwSlowdown, throttle::kSwThermal, throttle::kHwThermal,
                            throttle::kHwPowerBrake}) {
    auto input = good_input();
    input.measurement.devices[0].throttle_events.push_back(event(bit, "", 1.0, 1));
    EXPECT_EQ(run_check(input, "throttling").status, Status::fail) << bit;
  }
}

TEST(Validity, PowerCapDoesNotInvalidate) {
  auto input = good_input();
  input.measurement.devices[0].throttle_events.push_back(
      event(throttle::kSwPowerCap, "sw_power_cap", 0.5, 12));
  auto check = run_check(input, "throttling");
  EXPECT_EQ(check.status, Status::pass);
  EXPECT_EQ(*check.value, 0.0);
  EXPECT_EQ(check.message,
            "no thermal or power-brake throttling; not invalidating: sw_power_cap on nvml:0 "
            "from 0.5 s (12 samples)");
}

TEST(Validity, ThrottlingAllowedWhenNotForbidden) {
  auto input = good_input();
  input.measurement.devices[0].throttle_events.push_back(event(0x40, "", 3.0, 1));
  ValidityThresholds limits;
  limits.forbid_throttling = false;
  auto check = run_check(input, "throttling", limits);
  EXPECT_EQ(check.status, Status::pass);
  EXPECT_FALSE(check.threshold);
  EXPECT_EQ(check.message,
            "throttled by reason 0x40 on nvml:0 from 3.0 s (1 sample) (allowed: "
            "forbid_throttling is off)");
}

TEST(Validity, ThrottlingNotAvailableWithoutTheMetric) {
  auto input = good_input();
  input.measurement.devices[0].device.capabilities.clear();
  auto check = run_check(input, "throttling");
  EXPECT_EQ(check.status, Status::not_available);
  EXPECT_EQ(check.message, "no device reports throttle reasons");
  auto clean = good_input();
  auto reported = run_check(clean, "throttling");
  EXPECT_EQ(reported.status, Status::pass);
  EXPECT_EQ(reported.message, "no thermal or power-brake throttling");
}

TEST(Validity, SamplesPerWindow) {
  auto input = good_input();
  input.measurement.devices[0].samples = 2;
  auto at = run_check(input, "samples_per_window");
  EXPECT_EQ(at.status, Status::pass);
  EXPECT_EQ(at.message, "2 samples on nvml:0 >= 2 minimum per window");
  input.measurement.devices[0].samples = 1;
  auto below = run_check(input, "samples_per_window");
  EXPECT_EQ(below.status, Status::fail);
  EXPECT_EQ(below.message, "1 sample on nvml:0 < 2 minimum per window");
  ValidityInput empty;
  empty.measurement.duration_s = 100;
  auto none = run_check(empty, "samples_per_window");
  EXPECT_EQ(none.status, Status::not_available);
  EXPECT_EQ(none.message, "the window has no devices");
}

TEST(Validity, MethodDisagreementBoundaryPasses) {
  auto input = good_input();
  auto& device = input.measurement.devices[0];
  device.method_disagreement = 0.05;
  auto at = run_check(input, "method_disagreement");
  EXPECT_EQ(at.status, Status::pass);
  EXPECT_EQ(at.message, "counter and integrated energy differ by 5.00% on nvml:0 <= 5% maximum");
  device.method_disagreement = 0.0731;
  auto above = run_check(input, "method_disagreement");
  EXPECT_EQ(above.status, Status::fail);
  EXPECT_EQ(above.message, "counter and integrated energy differ by 7.31% on nvml:0 > 5% maximum");
  device.method_disagreement.reset();
  auto none = run_check(input, "method_disagreement");
  EXPECT_EQ(none.status, Status::not_available);
  EXPECT_EQ(none.message, "no device has both counter and integrated energy to compare");
}

TEST(Validity, CustomThresholds) {
  auto input = good_input();
  input.measurement.duration_s = 15.0;
  input.iterations = 5;
  ValidityThresholds limits;
  limits.min_duration_s = 10;
  limits.min_iterations = 5;
  limits.min_gpu_utilization_pct = 96;
  limits.max_power_cv = 0.01;
  limits.max_method_disagreement = 0.001;
  limits.min_samples_per_window = 5000;
  const auto verdict = assess(input, limits);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(check_named(verdict, "duration").status, Status::pass);
  EXPECT_EQ(check_named(verdict, "iterations").status, Status::pass);
  EXPECT_EQ(check_named(verdict, "gpu_utilization").status, Status::fail);
  EXPECT_EQ(check_named(verdict, "power_cv").status, Status::fail);
  EXPECT_EQ(check_named(verdict, "samples_per_window").status, Status::fail);
  EXPECT_EQ(check_named(verdict, "method_disagreement").status, Status::fail);
  EXPECT_EQ(check_named(verdict, "duration").message, "duration 15.0 s >= 10 s minimum");
}

TEST(Validity, InvalidThresholdsAreErrors) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ValidityThresholds negative;
  negative.min_duration_s = -1;
  auto error = assess_validity(good_input(), negative);
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message, "min_duration_s must be a finite number >= 0 (got -1)");
  ValidityThresholds percent;
  percent.min_gpu_utilization_pct = 120;
  auto over = check_thresholds(percent);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "min_gpu_utilization_pct must be between 0 and 100 (got 120)");
  ValidityThresholds cv;
  cv.max_power_cv = nan;
  EXPECT_FALSE(check_thresholds(cv));
  ValidityThresholds disagreement;
  disagreement.max_method_disagreement = -0.01;
  EXPECT_FALSE(check_thresholds(disagreement));
  EXPECT_TRUE(check_thresholds(ValidityThresholds{}));
}

TEST(Validity, NonFiniteDurationIsAnError) {
  auto input = good_input();
  input.measurement.duration_s = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(assess_validity(input));
}

TEST(Validity, StatusNames) {
  EXPECT_STREQ(to_string(Status::pass), "pass");
  EXPECT_STREQ(to_string(Status::fail), "fail");
  EXPECT_STREQ(to_string(Status::not_available), "not_available");
}

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

TEST(Validity, FailedRequestsBeyondTheShareFailTheLevelAndQuoteTheServer) {
  auto input = good_input();
  input.requests = RequestOutcomes{0, 734, {"HTTP 404: The model `m` does not exist"}};
  const auto verdict = assess(input);
  EXPECT_FALSE(verdict.valid);
  const auto none = check_named(verdict, "failed_requests");
  EXPECT_EQ(none.status, Status::fail);
  EXPECT_EQ(none.message,
            "no request completed in the window (734 failures): \"HTTP 404: The model `m` does "
            "not exist\"");

  input.requests = RequestOutcomes{98, 2, {"HTTP 500: boom", "connect: refused"}};
  const auto some = check_named(assess(input), "failed_requests");
  EXPECT_EQ(some.status, Status::fail);
  EXPECT_DOUBLE_EQ(*some.value, 0.02);
  EXPECT_EQ(
      some.message,
      "2 failed requests of 100 (2.00%) > 1% maximum: \"HTTP 500: boom\"; \"connect: refused\"");

  input.requests = RequestOutcomes{99, 1, {"HTTP 500: boom"}};
  const auto at_limit = check_named(assess(input), "failed_requests");
  EXPECT_EQ(at_limit.status, Status::pass);
  EXPECT_EQ(at_limit.message, "1 failed request of 100 (1.00%) <= 1% maximum");
}

TEST(Validity, FailedRequestsIsCheckedOnlyForServingLevels) {
  auto input = good_input();
  for (const auto& check : assess(input).checks) EXPECT_NE(check.name, "failed_requests");
}

}  // namespace
}  // namespace joulebench

namespace joulebench {
namespace {

DeviceMeasurement remote_gpu(std::optional<double> energy_j, double update_interval_s) {
  DeviceMeasurement d = gpu("remote:n1/0");
  d.device.remote =
      RemoteOrigin{"http://n1:9400/metrics", "joulebench", "n1", 0.0, "", update_interval_s, ""};
  d.energy_j = energy_j;
  if (!energy_j) d.energy_reason = "http://n1:9400/metrics stopped answering";
  return d;
}

TEST(ValidityRemote, OnlyWindowsWithRemoteDevicesGetTheCheck) {
  for (const auto& check : assess(good_input()).checks) EXPECT_NE(check.name, "remote_sources");
  auto input = good_input();
  input.measurement.devices.push_back(remote_gpu(500.0, 1.0));
  const auto verdict = assess(input);
  const auto check = check_named(verdict, "remote_sources");
  EXPECT_EQ(check.status, Status::pass) << check.message;
  EXPECT_TRUE(verdict.valid);
}

TEST(ValidityRemote, AHostThatStoppedAnsweringFailsTheWindowWithTheReason) {
  auto input = good_input();
  input.measurement.devices.push_back(remote_gpu(std::nullopt, 1.0));
  const auto verdict = assess(input);
  EXPECT_FALSE(verdict.valid);
  const auto check = check_named(verdict, "remote_sources");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_NE(check.message.find("stopped answering"), std::string::npos) << check.message;
}

TEST(ValidityRemote, AWindowOfTooFewSourceUpdatesFails) {
  auto input = good_input();
  input.measurement.devices.push_back(remote_gpu(500.0, 30.0));  // dcgm-exporter's default
  const auto check = run_check(input, "remote_sources");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_NE(check.message.find("shorter than 10 updates"), std::string::npos) << check.message;
}

}  // namespace
}  // namespace joulebench
