#include "calibration/sensor_series.hpp"

#include <charconv>

#include "sensors/replay/wall_clock_time.hpp"

namespace joulebench::calibration {
namespace {

bool names_device(const DeviceInfo& info, std::size_t index, const std::string& wanted) {
  return wanted == std::to_string(index) || wanted == info.id || wanted == info.name ||
         (!info.uuid.empty() && wanted == info.uuid);
}

Expected<std::size_t> chosen_device(const Trace& trace, const std::string& file,
                                    const std::string& wanted) {
  if (wanted.empty()) {
    if (trace.devices.size() == 1) return std::size_t{0};
    return Error{"--device: the trace has " + std::to_string(trace.devices.size()) +
                     " devices; name the one the meter measured (index, id, name or UUID)",
                 file};
  }
  for (std::size_t i = 0; i < trace.devices.size(); ++i) {
    if (names_device(trace.devices[i], i, wanted)) return i;
  }
  return Error{"--device: no device '" + wanted + "' in the trace", file};
}

}  // namespace

std::optional<double> parse_utc_offset_s(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double sign = 1.0;
  if (text.front() == '+' || text.front() == '-') {
    sign = text.front() == '-' ? -1.0 : 1.0;
    text.remove_prefix(1);
  }
  int hours = 0, minutes = 0;
  const auto colon = text.find(':');
  const std::string_view hour_text = text.substr(0, colon);
  auto [end, error] = std::from_chars(hour_text.data(), hour_text.data() + hour_text.size(), hours);
  if (error != std::errc() || end != hour_text.data() + hour_text.size() || hours > 14)
    return std::nullopt;
  if (colon != std::string_view::npos) {
    const std::string_view minute_text = text.substr(colon + 1);
    auto [mend, merror] =
        std::from_chars(minute_text.data(), minute_text.data() + minute_text.size(), minutes);
    if (merror != std::errc() || mend != minute_text.data() + minute_text.size() ||
        minute_text.size() != 2 || minutes > 59)
      return std::nullopt;
  }
  return sign * (hours * 3600.0 + minutes * 60.0);
}

Expected<SensorSeries> sensor_series(const Trace& trace, const std::string& file,
                                     const std::string& device, double utc_offset_s) {
  auto index = chosen_device(trace, file, device);
  if (!index) return index.error();
  replay::WallClockParser wall_clock;
  const auto start_ns = wall_clock.parse(trace.summary.start_wall_clock);
  if (!start_ns) {
    return Error{"the trace has no wall-clock start time to compare with the meter's clock", file};
  }
  SensorSeries out{trace.devices[*index], {}};
  const double start_s = ns_to_s(*start_ns) - utc_offset_s;
  for (const auto& sample : trace.samples[*index]) {
    if (!sample.power_w) continue;
    const double t_s = start_s + ns_to_s(sample.time_ns);
    // Rows at one timestamp (nvidia-smi repeats a row when the driver has nothing new)
    // keep the first reading, so the series has strictly increasing times.
    if (!out.series.empty() && t_s <= out.series.last_s()) continue;
    out.series.time_s.push_back(t_s);
    out.series.power_w.push_back(*sample.power_w);
  }
  if (out.series.size() < 2)
    return Error{"the trace has fewer than two power readings for the device", file};
  return out;
}

}  // namespace joulebench::calibration
