// The Monitor: one sampler thread reads every device on absolute deadlines, feeds every open
// window, and publishes snapshots. Window boundaries are requests that the sampler serves
// with an extra round, so the sensors are only ever touched by the sampler thread and a
// window's first and last samples sit exactly on its boundaries.
#include "joulebench/monitor.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/calibration.hpp"
#include "core/energy_uncertainty.hpp"
#include "core/window.hpp"

namespace joulebench {
namespace {

constexpr const char* kRunWindow = "run";

enum class RequestKind { begin, end, stop };

struct Request {
  std::uint64_t seq = 0;
  RequestKind kind = RequestKind::begin;
  std::string name;
};

struct DeviceSlot {
  Sensor* sensor = nullptr;
  std::size_t index = 0;  // index within its sensor
};

}  // namespace

struct Monitor::Impl {
  // Set up before start(), read-only afterwards.
  std::vector<std::unique_ptr<Sensor>> sensors;
  std::vector<DeviceSlot> slots;
  std::shared_ptr<const std::vector<DeviceInfo>> devices;
  MonitorOptions options;
  std::shared_ptr<Clock> clock;

  // Shared with the API threads, under `mutex`.
  mutable std::mutex mutex;
  std::condition_variable done;
  std::deque<Request> pending;
  std::uint64_t next_seq = 1;
  std::uint64_t completed_seq = 0;
  std::map<std::uint64_t, Measurement> finished;
  std::set<std::string> open_names;
  std::vector<Measurement> closed_at_stop;
  bool running = false;
  // Set from the moment a stop is asked for until its thread is joined: a second stop(), a
  // window call or a start() in that gap would otherwise wait on a sampler that has exited.
  bool stopping = false;
  std::thread thread;

  mutable std::mutex snapshot_mutex;
  std::shared_ptr<const Snapshot> snapshot;

  // Owned by the sampler thread while it runs.
  std::map<std::string, std::unique_ptr<WindowAccumulator>> windows;
  std::vector<std::optional<Sample>> latest;
  std::vector<bool> lost;
  TimeNs origin_ns = 0;
  std::size_t rounds = 0;
  std::size_t missed_rounds = 0;

  std::uint64_t enqueue(RequestKind kind, std::string name) {
    const std::uint64_t seq = next_seq++;
    pending.push_back({seq, kind, std::move(name)});
    return seq;
  }

  // Blocks until the sampler served request `seq`; `lock` holds `mutex`.
  void wait_for(std::unique_lock<std::mutex>& lock, std::uint64_t seq) {
    clock->wake();
    done.wait(lock, [&] { return completed_seq >= seq; });
  }

  void sampler_loop();
  bool take_round(TimeNs now, const std::deque<Request>& requests);
  void read_devices(TimeNs now);
  void feed_fresh_samples(WindowAccumulator& window, TimeNs now) const;
  Measurement finish_with_accuracy(const WindowAccumulator& window, TimeNs now) const;
  bool serve(const Request& request, TimeNs now, std::map<std::uint64_t, Measurement>& results,
             std::vector<Measurement>& stopped);
  void publish(TimeNs now);

  // options.finish_window on the caller's thread, without the mutex: it may wait for a remote
  // reading after the window. origin_ns only changes in start(), which cannot overlap a window.
  void finish_outside_sampler(Measurement& measurement) const {
    if (!options.finish_window) return;
    const TimeNs begin = origin_ns + static_cast<TimeNs>(measurement.start_s * 1e9);
    options.finish_window(measurement, begin,
                          begin + static_cast<TimeNs>(measurement.duration_s * 1e9));
  }
};

void Monitor::Impl::read_devices(TimeNs now) {
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (lost[i]) continue;
    Reading reading;
    try {
      reading = slots[i].sensor->read(slots[i].index, now);
    } catch (
        const std::exception& error) {  // a sensor must not throw; if one does, the run goes on
      reading.status = ReadStatus::failed;
      reading.error = error.what();
    }
    if (reading.status == ReadStatus::ok) {
      reading.sample.time_ns = now;
      latest[i] = reading.sample;
      for (auto& [name, window] : windows) window->add(i, reading.sample);
    } else if (reading.status == ReadStatus::failed) {
      for (auto& [name, window] : windows) window->add_failed_read(i);
    } else {
      lost[i] = true;
      for (auto& [name, window] : windows) window->mark_lost(i, now);
    }
  }
  for (auto& [name, window] : windows) window->end_round();
}

void Monitor::Impl::feed_fresh_samples(WindowAccumulator& window, TimeNs now) const {
  for (std::size_t i = 0; i < latest.size(); ++i) {
    if (!lost[i] && latest[i] && latest[i]->time_ns == now) window.add(i, *latest[i]);
  }
  window.end_round();
}

Measurement Monitor::Impl::finish_with_accuracy(const WindowAccumulator& window, TimeNs now) const {
  Measurement measurement = window.finish(now);
  calibrate_measurement(measurement, options.calibrations);
  add_energy_uncertainty(measurement);
  return measurement;
}

// Serves one request after the round at `now`; returns false for stop.
bool Monitor::Impl::serve(const Request& request, TimeNs now,
                          std::map<std::uint64_t, Measurement>& results,
                          std::vector<Measurement>& stopped) {
  if (request.kind == RequestKind::begin) {
    auto window = std::make_unique<WindowAccumulator>(request.name, *devices, origin_ns, now);
    feed_fresh_samples(*window, now);
    windows[request.name] = std::move(window);
    return true;
  }
  if (request.kind == RequestKind::end) {
    auto found = windows.find(request.name);
    if (found != windows.end()) {
      results[request.seq] = finish_with_accuracy(*found->second, now);
      windows.erase(found);
    }
    return true;
  }
  for (auto& [name, window] : windows) {
    Measurement measurement = finish_with_accuracy(*window, now);
    if (name == kRunWindow) {
      results[request.seq] = std::move(measurement);
    } else {
      stopped.push_back(std::move(measurement));
    }
  }
  windows.clear();
  return false;
}

void Monitor::Impl::publish(TimeNs now) {
  auto next = std::make_shared<Snapshot>();
  next->time_ns = now;
  next->elapsed_s = ns_to_s(now - origin_ns);
  next->rounds = rounds;
  next->missed_rounds = missed_rounds;
  next->devices = devices;
  next->latest = latest;
  next->lost = lost;
  next->energy_so_far_j.assign(slots.size(), 0.0);
  if (auto run = windows.find(kRunWindow); run != windows.end()) {
    for (std::size_t i = 0; i < slots.size(); ++i)
      next->energy_so_far_j[i] = run->second->energy_so_far_j(i);
  }
  {
    std::lock_guard lock(snapshot_mutex);
    snapshot = next;
  }
  if (options.on_round) options.on_round(*next);
}

// One round: read, serve the boundary requests, publish. Returns false once stopped.
bool Monitor::Impl::take_round(TimeNs now, const std::deque<Request>& requests) {
  read_devices(now);
  ++rounds;
  std::map<std::uint64_t, Measurement> results;
  std::vector<Measurement> stopped;
  bool keep_running = true;
  for (const auto& request : requests)
    keep_running = serve(request, now, results, stopped) && keep_running;
  publish(now);
  if (!requests.empty()) {
    std::lock_guard lock(mutex);
    finished.merge(results);
    for (auto& measurement : stopped) closed_at_stop.push_back(std::move(measurement));
    completed_seq = requests.back().seq;
  }
  if (!requests.empty()) done.notify_all();
  return keep_running;
}

void Monitor::Impl::sampler_loop() {
  const TimeNs interval_ns = options.interval.count();
  TimeNs deadline = origin_ns;
  while (true) {
    clock->sleep_until(deadline);
    std::deque<Request> requests;
    {
      std::lock_guard lock(mutex);
      requests.swap(pending);
    }
    const TimeNs now = clock->now();
    const bool scheduled = now >= deadline;
    if (!scheduled && requests.empty()) continue;  // woken early with nothing to do
    if (!take_round(now, requests)) return;
    if (!scheduled) continue;
    // Absolute deadlines: the next round is due one interval after this one was due, not
    // after it finished; deadlines that already passed are skipped and counted.
    deadline += interval_ns;
    const TimeNs after = clock->now();
    if (after >= deadline) {
      const TimeNs skipped = (after - deadline) / interval_ns + 1;
      missed_rounds += static_cast<std::size_t>(skipped);
      deadline += skipped * interval_ns;
    }
  }
}

Expected<std::chrono::nanoseconds> checked_sampling_interval(std::chrono::nanoseconds interval,
                                                             const std::string& name,
                                                             const std::string& as_given) {
  if (interval >= kMinSamplingInterval && interval <= kMaxSamplingInterval) return interval;
  return Error{name + ": " + as_given + " is outside 1ms..10s"};
}

Monitor::Monitor(std::vector<std::unique_ptr<Sensor>> sensors, MonitorOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (auto checked =
          checked_sampling_interval(options.interval, "Monitor interval", "the interval");
      !checked) {
    throw std::invalid_argument(checked.error().message);
  }
  auto devices = std::make_shared<std::vector<DeviceInfo>>();
  for (auto& sensor : sensors) {
    for (std::size_t i = 0; i < sensor->devices().size(); ++i) {
      impl_->slots.push_back({sensor.get(), i});
      devices->push_back(sensor->devices()[i]);
      if (options.describe_device) options.describe_device(devices->back());
    }
  }
  if (devices->empty()) throw std::invalid_argument("Monitor: no sensor has a device");
  impl_->sensors = std::move(sensors);
  impl_->devices = std::move(devices);
  impl_->clock = options.clock ? options.clock : std::shared_ptr<Clock>(make_steady_clock());
  impl_->options = std::move(options);
  impl_->latest.assign(impl_->slots.size(), std::nullopt);
  impl_->lost.assign(impl_->slots.size(), false);
}

Monitor::~Monitor() {
  if (running()) stop();
}

void Monitor::start() {
  std::unique_lock lock(impl_->mutex);
  if (impl_->running || impl_->stopping) throw std::logic_error("Monitor::start: already running");
  impl_->running = true;
  impl_->open_names = {kRunWindow};
  impl_->closed_at_stop.clear();
  impl_->origin_ns = impl_->clock->now();
  const std::uint64_t seq = impl_->enqueue(RequestKind::begin, kRunWindow);
  impl_->thread = std::thread([impl = impl_.get()] { impl->sampler_loop(); });
  impl_->wait_for(lock, seq);
}

Measurement Monitor::stop() {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->running || impl_->stopping) throw std::logic_error("Monitor::stop: not running");
  impl_->stopping = true;
  const std::uint64_t seq = impl_->enqueue(RequestKind::stop, "");
  impl_->wait_for(lock, seq);
  Measurement run = std::move(impl_->finished[seq]);
  impl_->finished.erase(seq);
  impl_->running = false;
  impl_->open_names.clear();
  lock.unlock();
  impl_->thread.join();
  impl_->finish_outside_sampler(run);
  lock.lock();
  impl_->stopping = false;
  return run;
}

bool Monitor::running() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->running && !impl_->stopping;
}

void Monitor::begin_window(const std::string& name) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->running || impl_->stopping) {
    throw std::logic_error("begin_window(" + name + "): the monitor is not running");
  }
  if (!impl_->open_names.insert(name).second) {
    throw std::logic_error("begin_window(" + name + "): a window of that name is open");
  }
  impl_->wait_for(lock, impl_->enqueue(RequestKind::begin, name));
}

Measurement Monitor::end_window(const std::string& name) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->running || impl_->stopping || name == kRunWindow ||
      impl_->open_names.erase(name) == 0) {
    throw std::logic_error("end_window(" + name + "): no such open window");
  }
  const std::uint64_t seq = impl_->enqueue(RequestKind::end, name);
  impl_->wait_for(lock, seq);
  Measurement measurement = std::move(impl_->finished[seq]);
  impl_->finished.erase(seq);
  lock.unlock();
  impl_->finish_outside_sampler(measurement);
  return measurement;
}

std::vector<std::string> Monitor::open_windows() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->open_names.begin(), impl_->open_names.end()};
}

std::vector<Measurement> Monitor::windows_closed_at_stop() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed_at_stop;
}

std::shared_ptr<const Snapshot> Monitor::snapshot() const {
  std::lock_guard lock(impl_->snapshot_mutex);
  return impl_->snapshot;
}

const std::vector<DeviceInfo>& Monitor::devices() const { return *impl_->devices; }

std::chrono::nanoseconds Monitor::interval() const { return impl_->options.interval; }

}  // namespace joulebench
