#include "joulebench/monitor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "support/fake_clock.hpp"
#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

using testing::FakeClock;
using testing::power_reading;
using testing::scripted_device;
using testing::ScriptedSensor;

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kSecond = 1000 * kMs;

struct Rig {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  ScriptedSensor* sensor = nullptr;
  std::unique_ptr<Monitor> monitor;
  std::mutex mutex;
  std::vector<TimeNs> round_times;

  Rig(std::vector<DeviceInfo> devices, ScriptedSensor::Script script,
      TimeNs interval_ns = 100 * kMs) {
    auto owned = std::make_unique<ScriptedSensor>(std::move(devices), std::move(script));
    sensor = owned.get();
    std::vector<std::unique_ptr<Sensor>> sensors;
    sensors.push_back(std::move(owned));
    MonitorOptions options;
    options.interval = std::chrono::nanoseconds(interval_ns);
    options.clock = clock;
    options.on_round = [this](const Snapshot& snapshot) {
      std::lock_guard lock(mutex);
      round_times.push_back(snapshot.time_ns);
    };
    monitor = std::make_unique<Monitor>(std::move(sensors), options);
  }
};

// Advances a fake clock by half a millisecond at a time on its own thread until destroyed,
// so the sampler keeps taking rounds while other threads use the monitor.
class Ticker {
 public:
  explicit Ticker(FakeClock& clock)
      : thread_([this, &clock] {
          while (!done_.load()) clock.advance(kMs / 2);
        }) {}
  ~Ticker() {
    done_.store(true);
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TEST(Monitor, RejectsBadIntervalsAndNoDevices) {
  const auto make = [](std::chrono::nanoseconds interval, bool with_device) {
    std::vector<DeviceInfo> devices;
    if (with_device) devices.push_back(scripted_device("a", false));
    std::vector<std::unique_ptr<Sensor>> sensors;
    sensors.push_back(
        std::make_unique<ScriptedSensor>(devices, [](std::size_t, TimeNs) { return Reading{}; }));
    MonitorOptions options;
    options.interval = interval;
    Monitor monitor(std::move(sensors), options);
  };
  EXPECT_THROW(make(std::chrono::microseconds(500), true), std::invalid_argument);
  EXPECT_THROW(make(std::chrono::seconds(11), true), std::invalid_argument);
  EXPECT_THROW(make(std::chrono::milliseconds(100), false), std::invalid_argument);
}

TEST(Monitor, RoundsFollowAbsoluteDeadlinesWithoutDrift) {
  // Each read takes 30 ms of (fake) time: the schedule must not drift by it.
  std::shared_ptr<FakeClock> clock;
  Rig rig({scripted_device("a", false)}, [&clock](std::size_t, TimeNs) {
    clock->advance(30 * kMs);
    return power_reading(100.0);
  });
  clock = rig.clock;
  const TimeNs t0 = clock->now();
  rig.monitor->start();
  clock->wait_until_idle();
  clock->run_for(1 * kSecond, 10 * kMs);
  const Measurement run = rig.monitor->stop();
  std::lock_guard lock(rig.mutex);
  // Scheduled rounds are due at t0 + k * 100 ms; a round's time is when it started reading.
  std::vector<TimeNs> offsets;
  for (TimeNs t : rig.round_times) offsets.push_back(t - t0);
  ASSERT_GE(offsets.size(), 11u);
  for (std::size_t k = 1; k + 1 < offsets.size(); ++k) {
    EXPECT_EQ(offsets[k] % (100 * kMs), 0) << "round " << k << " at " << offsets[k];
  }
  EXPECT_EQ(rig.monitor->snapshot()->missed_rounds, 0u);
  EXPECT_EQ(run.devices[0].samples, rig.sensor->reads());
}

TEST(Monitor, OverrunRoundsAreSkippedAndCounted) {
  std::shared_ptr<FakeClock> clock;
  int reads = 0;
  Rig rig({scripted_device("a", false)}, [&](std::size_t, TimeNs) {
    if (++reads == 3) clock->advance(350 * kMs);  // one read stalls for 3.5 intervals
    return power_reading(100.0);
  });
  clock = rig.clock;
  rig.monitor->start();
  clock->wait_until_idle();
  clock->run_for(1 * kSecond, 50 * kMs);
  rig.monitor->stop();
  EXPECT_EQ(rig.monitor->snapshot()->missed_rounds, 3u);
}

TEST(Monitor, WindowEnergyUsesBoundaryRoundsAndOverlappingWindowsAdd) {
  // Constant 200 W with an exact counter: windows measure 200 J per second exactly, even when
  // their boundaries fall between scheduled rounds. The counter updates every 10 ms, so these
  // windows span the 20 updates that make it the method.
  std::shared_ptr<FakeClock> clock;
  const TimeNs start = FakeClock().now();
  Rig rig({scripted_device("a", true, 0.01)}, [&](std::size_t, TimeNs now) {
    return power_reading(200.0, 200.0 * ns_to_s(now - start));
  });
  clock = rig.clock;
  rig.monitor->start();
  clock->wait_until_idle();
  clock->run_for(130 * kMs, 10 * kMs);
  rig.monitor->begin_window("a");
  clock->run_for(470 * kMs, 10 * kMs);
  rig.monitor->begin_window("b");
  clock->run_for(250 * kMs, 10 * kMs);
  const Measurement a = rig.monitor->end_window("a");
  clock->run_for(330 * kMs, 10 * kMs);
  const Measurement b = rig.monitor->end_window("b");
  const Measurement run = rig.monitor->stop();
  EXPECT_NEAR(a.duration_s, 0.72, 1e-9);
  EXPECT_NEAR(*a.energy_j, 144.0, 1e-6);
  EXPECT_NEAR(b.duration_s, 0.58, 1e-9);
  EXPECT_NEAR(*b.energy_j, 116.0, 1e-6);
  EXPECT_NEAR(a.start_s, 0.13, 1e-9);
  EXPECT_EQ(a.devices[0].method, EnergyMethod::counter);
  EXPECT_NEAR(*run.energy_j, 200.0 * run.duration_s, 1e-6);
  EXPECT_NEAR(*a.devices[0].method_disagreement, 0.0, 1e-9);
}

TEST(Monitor, MisuseOfWindowsThrows) {
  Rig rig({scripted_device("a", false)}, [](std::size_t, TimeNs) { return power_reading(1.0); });
  EXPECT_THROW(rig.monitor->begin_window("x"), std::logic_error);  // not running
  rig.monitor->start();
  rig.monitor->begin_window("x");
  EXPECT_THROW(rig.monitor->begin_window("x"), std::logic_error);
  EXPECT_THROW(rig.monitor->end_window("nope"), std::logic_error);
  EXPECT_THROW(rig.monitor->end_window("run"), std::logic_error);
  EXPECT_EQ(rig.monitor->open_windows(), (std::vector<std::string>{"run", "x"}));
  rig.monitor->stop();
  ASSERT_EQ(rig.monitor->windows_closed_at_stop().size(), 1u);
  EXPECT_EQ(rig.monitor->windows_closed_at_stop()[0].name, "x");
}

TEST(Monitor, FailedAndLostReadsAreCountedAndTheRunGoesOn) {
  std::shared_ptr<FakeClock> clock;
  const TimeNs start = FakeClock().now();
  Rig rig({scripted_device("flaky", false), scripted_device("dies", false)},
          [&](std::size_t device, TimeNs now) {
            const double t = ns_to_s(now - start);
            Reading reading = power_reading(100.0);
            if (device == 0 && t > 0.25 && t < 0.45) reading.status = ReadStatus::failed;
            if (device == 1 && t >= 0.5) reading.status = ReadStatus::lost;
            return reading;
          });
  clock = rig.clock;
  rig.monitor->start();
  clock->wait_until_idle();
  clock->run_for(1 * kSecond, 50 * kMs);
  const Measurement run = rig.monitor->stop();
  EXPECT_EQ(run.devices[0].failed_reads, 2u);  // rounds at 0.3 and 0.4 s
  EXPECT_NEAR(*run.devices[0].energy_j, 100.0, 1e-9);
  EXPECT_TRUE(run.devices[1].lost);
  EXPECT_NEAR(*run.devices[1].lost_at_s, 0.5, 1e-9);
  EXPECT_NEAR(*run.devices[1].energy_j, 40.0, 1e-9);  // 100 W over 0..0.4 s, the last good read
  EXPECT_EQ(rig.monitor->snapshot()->lost[1], true);
}

TEST(Monitor, WindowsFromTwoThreadsWhileSampling) {
  Rig rig(
      {scripted_device("a", false)}, [](std::size_t, TimeNs) { return power_reading(50.0); }, kMs);
  rig.monitor->start();
  auto ticker = std::make_unique<Ticker>(*rig.clock);
  std::vector<std::thread> workers;
  std::atomic<int> measured{0};
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) {
        const std::string name = "w" + std::to_string(w) + "-" + std::to_string(i);
        rig.monitor->begin_window(name);
        const Measurement m = rig.monitor->end_window(name);
        if (m.energy_j && std::abs(*m.energy_j - 50.0 * m.duration_s) < 1e-9) ++measured;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  ticker.reset();
  rig.monitor->stop();
  EXPECT_EQ(measured.load(), 100);
}

// Several threads racing to stop (and to open windows) must neither hang nor join twice:
// exactly one stop() returns the run, the others are told the monitor is not running.
TEST(Monitor, ConcurrentStopsAndWindowsDuringStopDoNotHang) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    Rig rig(
        {scripted_device("a", false)}, [](std::size_t, TimeNs) { return power_reading(10.0); },
        kMs);
    rig.monitor->start();
    auto ticker = std::make_unique<Ticker>(*rig.clock);
    std::atomic<int> stopped{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> racers;
    for (int r = 0; r < 4; ++r) {
      racers.emplace_back([&, r] {
        try {
          if (r % 2 == 0) {
            rig.monitor->stop();
            ++stopped;
          } else {
            const std::string name = "w" + std::to_string(r);
            rig.monitor->begin_window(name);
            rig.monitor->end_window(name);
          }
        } catch (const std::logic_error&) {
          ++refused;
        }
      });
    }
    for (auto& racer : racers) racer.join();
    ticker.reset();
    EXPECT_EQ(stopped.load(), 1);
    EXPECT_GE(refused.load(), 1);  // the losing stop() at least
    EXPECT_FALSE(rig.monitor->running());
    rig.monitor->start();  // a stopped monitor can run again
    EXPECT_TRUE(rig.monitor->running());
    rig.monitor->stop();
  }
}

TEST(Monitor, SnapshotCarriesLatestSamplesAndEnergySoFar) {
  std::shared_ptr<FakeClock> clock;
  Rig rig({scripted_device("a", false)}, [](std::size_t, TimeNs) { return power_reading(100.0); });
  clock = rig.clock;
  EXPECT_EQ(rig.monitor->snapshot(), nullptr);
  rig.monitor->start();
  clock->wait_until_idle();
  clock->run_for(1 * kSecond, 100 * kMs);
  const auto snapshot = rig.monitor->snapshot();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_NEAR(snapshot->elapsed_s, 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(*snapshot->latest[0]->power_w, 100.0);
  EXPECT_NEAR(snapshot->energy_so_far_j[0], 100.0, 1e-9);
  EXPECT_EQ((*snapshot->devices)[0].id, "a");
  rig.monitor->stop();
}

}  // namespace
}  // namespace joulebench
