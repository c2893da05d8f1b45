#include "sensors/remote/remote_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "platform/http_fetch.hpp"
#include "sensors/remote/clock_offset.hpp"
#include "sensors/remote/remote_readers.hpp"

namespace joulebench::remote {
namespace {

// A page is scraped at its update interval, within these bounds: faster finds each change
// sooner (the window's ends are timed by when a change is first seen), slower costs the host.
constexpr double kFastestPollS = 0.05;
constexpr double kSlowestPollS = 1.0;
// Without a power gauge, live power is the counter's rate over at least this span.
constexpr double kLivePowerSpanS = 1.0;
// Readings kept per device: older ones are dropped beyond this age (windows end long before).
constexpr double kKeepSeconds = 3600.0;

DeviceInfo remote_device(const RemoteSpec& spec, const Discovery& found, const FoundDevice& device,
                         std::size_t index) {
  DeviceInfo info;
  const std::string host = device.host.empty() ? spec.host : device.host;
  info.id =
      fmt::format("remote:{}/{}", host, device.gpu.empty() ? std::to_string(index) : device.gpu);
  info.sensor = "remote";
  info.name = device.name;
  info.uuid = device.uuid;
  info.vendor = "NVIDIA";
  info.counter_update_period_s = found.update_interval_s;
  info.power_kind = found.power_only ? PowerKind::unknown : PowerKind::derived;
  info.capabilities[Metric::energy_counter] = {true, "read from " + spec.given};
  info.capabilities[Metric::power] = {true, "read from " + spec.given};
  RemoteOrigin source;
  source.url = spec.given;
  source.format = found.format;
  source.host = host;
  source.clock_offset_s = found.clock_offset_s;
  source.clock_offset_basis = found.clock_offset_basis;
  source.update_interval_s = found.update_interval_s;
  source.update_interval_basis = found.update_interval_basis;
  info.remote = std::move(source);
  return info;
}

}  // namespace

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

RemoteSource::RemoteSource(RemoteSpec spec, std::unique_ptr<Impl> impl)
    : spec_(std::move(spec)), impl_(std::move(impl)) {}

RemoteSource::~RemoteSource() { stop(); }

Expected<std::unique_ptr<RemoteSource>> RemoteSource::open(const RemoteSpec& spec,
                                                           const SourceOptions& options) {
  auto reader = make_reader(spec, options);
  auto found = reader->discover();
  if (!found) {
    return Error{"--energy-from " + spec.given + ": " + found.error().message};
  }
  std::unique_ptr<RemoteSource> source(new RemoteSource(spec, std::move(reader)));
  source->update_interval_s_ = found->update_interval_s;
  source->poll_period_ = std::chrono::duration<double>(
      std::clamp(found->poll_period_s, kFastestPollS, kSlowestPollS * 5));
  for (std::size_t i = 0; i < found->devices.size(); ++i) {
    source->devices_.push_back(remote_device(spec, *found, found->devices[i], i));
  }
  source->series_.resize(found->devices.size());
  source->gauge_power_w_.resize(found->devices.size());
  return source;
}

std::string RemoteSource::too_short(double seconds) const {
  if (seconds >= min_window_s()) return {};
  std::string advice = fmt::format(
      "{} updates every {:g} s ({}): a window needs at least {:g} updates, {:g} s; this one is "
      "{:g} s",
      spec_.given, update_interval_s_, devices_.front().remote->update_interval_basis,
      kMinUpdatesPerWindow, min_window_s(), seconds);
  if (devices_.front().remote->format.starts_with("dcgm")) {
    advice += fmt::format(
        "; dcgm-exporter collects every {:g} s by default: start it with -c 1000 "
        "(--collect-interval, in ms) and add ?interval=1s to the URL",
        kDcgmDefaultIntervalS);
  }
  return advice;
}

void RemoteSource::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { poll_loop(); });
}

void RemoteSource::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  polled_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RemoteSource::poll_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    poll_once();
    lock.lock();
    polled_.notify_all();
    polled_.wait_for(lock, poll_period_, [this] { return stopping_; });
  }
}

void RemoteSource::poll_once() {
  auto polled = impl_->poll();
  std::lock_guard lock(mutex_);
  if (!polled) {
    last_error_ = polled.error().message;
    if (!failing_since_s_) failing_since_s_ = steady_seconds();
    return;
  }
  last_error_.clear();
  failing_since_s_.reset();
  for (const auto& points : *polled) {
    if (points.device >= series_.size()) continue;
    EnergySeries& series = series_[points.device];
    gauge_power_w_[points.device] = points.power_w;
    for (const auto& [time_s, value] : points.points) {
      if (impl_->power_only()) {
        series.add_power(time_s, value);
      } else {
        series.add_counter(time_s, value);
      }
    }
    series.forget_before(steady_seconds() - kKeepSeconds);
  }
}

LatestReading RemoteSource::latest(std::size_t device) const {
  std::lock_guard lock(mutex_);
  LatestReading out;
  out.error = last_error_;
  const EnergySeries& series = series_.at(device);
  if (!series.points().empty()) out.energy_j = series.points().back().energy_j;
  // The source's own power reading where it has one: a counter's difference between two
  // readings timed on arrival carries their arrival jitter (a steady GPU would look unsteady).
  out.power_w = gauge_power_w_.at(device) ? gauge_power_w_.at(device)
                                          : series.recent_power_w(kLivePowerSpanS);
  return out;
}

WindowEnergy RemoteSource::window(std::size_t device, double begin_s, double end_s) {
  // A reading after the end arrives within an update and a poll; a slow answer adds its timeout.
  const double wait_s = 2 * update_interval_s_ + 2 * poll_period_.count() +
                        std::chrono::duration<double>(impl_->fetch_timeout()).count();
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(std::max(0.0, end_s + wait_s - steady_seconds())));
  std::unique_lock lock(mutex_);
  const EnergySeries& series = series_.at(device);
  polled_.wait_until(lock, deadline,
                     [&] { return stopping_ || series.last_time_s().value_or(-1e300) >= end_s; });
  WindowEnergy out = window_energy(series, begin_s, end_s, impl_->power_only(),
                                   3 * std::max(update_interval_s_, poll_period_.count()));
  if (!out.energy_j && !last_error_.empty()) {
    out.reason =
        fmt::format("{} stopped answering {:+.1f} s from the window's end ({}); {}", spec_.given,
                    failing_since_s_.value_or(end_s) - end_s, last_error_, out.reason);
  } else if (!out.energy_j) {
    out.reason = spec_.given + ": " + out.reason;
  }
  return out;
}

}  // namespace joulebench::remote
