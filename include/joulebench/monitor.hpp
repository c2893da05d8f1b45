// Monitor: samples a set of sensors on a dedicated thread and measures named windows.
//
//   Monitor monitor(std::move(sensors), {.interval = 100ms});
//   monitor.start();
//   monitor.begin_window("decode");
//   ...                                   // the workload
//   Measurement m = monitor.end_window("decode");
//   Measurement whole = monitor.stop();  // the window "run", from start() to stop()
//
// Windows may overlap and nest; each boundary takes a fresh sample of every device so that
// a window's energy is not rounded to the sampling interval. Thread-safety: every public
// method may be called from any thread; begin/end_window block for one read of each device.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"
#include "joulebench/result.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

// The time source of the sampler. The real one is steady_clock; tests inject a fake.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeNs now() const = 0;
  // Blocks until now() >= deadline or wake() is called; returns early on wake().
  virtual void sleep_until(TimeNs deadline) = 0;
  virtual void wake() = 0;
};

std::unique_ptr<Clock> make_steady_clock();

// The latest reading of every device, published after each sampling round.
// Immutable once published; shared between the sampler and readers.
struct Snapshot {
  TimeNs time_ns = 0;             // clock time of the round
  double elapsed_s = 0.0;         // since start()
  std::size_t rounds = 0;         // sampling rounds so far (boundary rounds included)
  std::size_t missed_rounds = 0;  // scheduled rounds skipped because a round overran
  std::shared_ptr<const std::vector<DeviceInfo>> devices;  // shared: static for a run
  // Per device: the latest good reading (its time_ns equals time_ns when it was taken in this
  // round); nullopt until the first good read.
  std::vector<std::optional<Sample>> latest;
  std::vector<double> energy_so_far_j;  // per device since start(), by its method
  std::vector<bool> lost;
};

// The one range rule for a sampling interval, 1 ms .. 10 s: below 1 ms a round costs more than
// the interval on most hosts, above 10 s a window sees too few samples to integrate. Every
// command and the Python module call it with the name the user typed (`--interval`, or the
// Python argument `interval`), so the error names what to fix. `as_given` is the user's text.
inline constexpr std::chrono::milliseconds kMinSamplingInterval{1};
inline constexpr std::chrono::seconds kMaxSamplingInterval{10};
Expected<std::chrono::nanoseconds> checked_sampling_interval(std::chrono::nanoseconds interval,
                                                             const std::string& name,
                                                             const std::string& as_given);

struct MonitorOptions {
  std::chrono::nanoseconds interval = std::chrono::milliseconds(100);  // 1 ms .. 10 s
  std::shared_ptr<Clock> clock;                                        // null: steady clock
  // Called on the sampler thread after each round (keep it cheap: progress, trace writing).
  std::function<void(const Snapshot&)> on_round;
  // Reference-meter calibrations applied to every finished window (raw figures kept); the
  // caller has checked that each belongs to a measured device (core/calibration.hpp).
  std::vector<DeviceCalibration> calibrations;
  // Called once per device at construction to add what the sensor cannot know about itself
  // (the application sets DeviceInfo::part_time_cycle_s from its GPU catalog).
  std::function<void(DeviceInfo&)> describe_device;
  // Called on the thread that ends a window (end_window, and stop for the window "run"), after
  // the sampler finished it, with the window's bounds on the clock: replaces the figures of
  // devices that only a later reading can settle (a remote source read after the window closed).
  std::function<void(Measurement&, TimeNs begin_ns, TimeNs end_ns)> finish_window;
};

class Monitor {
 public:
  // Takes ownership of the sensors. Throws std::invalid_argument for an interval that
  // checked_sampling_interval refuses or when no sensor has a device (callers check first).
  Monitor(std::vector<std::unique_ptr<Sensor>> sensors, MonitorOptions options = {});
  ~Monitor();  // stops the sampler if still running
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void start();        // starts the sampler thread and the window "run"
  Measurement stop();  // ends all open windows and returns the window "run"
  bool running() const;

  // Begins a window. Throws std::logic_error if a window of that name is open or the
  // monitor is not running.
  void begin_window(const std::string& name);
  // Ends a window and returns its measurement. Throws std::logic_error if not open.
  Measurement end_window(const std::string& name);
  // Names of the windows open now.
  std::vector<std::string> open_windows() const;

  // Measurements of windows that ended implicitly at stop() (other than "run").
  std::vector<Measurement> windows_closed_at_stop() const;

  std::shared_ptr<const Snapshot> snapshot() const;  // null before the first round
  const std::vector<DeviceInfo>& devices() const;
  std::chrono::nanoseconds interval() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace joulebench
