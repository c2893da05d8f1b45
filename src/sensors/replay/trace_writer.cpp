#include "sensors/replay/trace_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ostream>
#include <stdexcept>

#include "platform/time_format.hpp"
#include "sensors/replay/trace_devices.hpp"
#include "sensors/replay/trace_format.hpp"

#ifndef JOULEBENCH_VERSION
#define JOULEBENCH_VERSION "0.0.0-unknown"
#endif

namespace joulebench {
namespace {

using replay::append_double;
using replay::append_time_s;
using replay::append_token;

// A round of a few GPUs is a few hundred bytes; flush() is expected every round, and this
// bound only matters for a caller that never flushes.
constexpr std::size_t kFlushThreshold = 1 << 20;

std::string sanitized_key(std::string_view key) {
  std::string out(key.empty() ? std::string_view("_") : key);
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

void append_metadata(std::string& out, std::string_view key, std::string_view value) {
  out += "# ";
  out += sanitized_key(key);
  out += '=';
  append_token(out, value);
  out += '\n';
}

void append_optional(std::string& out, const std::optional<double>& value) {
  out += ',';
  if (value && std::isfinite(*value)) append_double(out, *value);
}

void append_unsigned(std::string& out, std::uint64_t value, int base) {
  std::array<char, 24> digits{};
  auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value, base);
  out.append(digits.data(), result.ptr);
}

std::string preamble(const std::vector<DeviceInfo>& devices, const TraceMetadata& metadata) {
  std::string out;
  out += replay::kTraceMagic;
  out += ' ';
  out += replay::kTraceVersion;
  out += '\n';
  append_metadata(out, "tool", std::string("joulebench ") + JOULEBENCH_VERSION);
  append_metadata(out, "start_time",
                  metadata.start_time.empty()
                      ? platform::iso8601_utc(std::chrono::system_clock::now())
                      : metadata.start_time);
  if (metadata.interval_s && std::isfinite(*metadata.interval_s)) {
    out += "# interval_s=";
    append_double(out, *metadata.interval_s);
    out += '\n';
  }
  for (const auto& [key, value] : metadata.extra) append_metadata(out, key, value);
  for (std::size_t i = 0; i < devices.size(); ++i) replay::append_device_line(out, i, devices[i]);
  out += replay::kTraceHeader;
  out += '\n';
  return out;
}

}  // namespace

TraceWriter::TraceWriter(std::vector<DeviceInfo> devices, TraceMetadata metadata)
    : device_count_(devices.size()), buffer_(preamble(devices, metadata)) {
  buffer_.reserve(buffer_.size() + 64 * 1024);
}

TraceWriter::TraceWriter(std::ostream& out, std::vector<DeviceInfo> devices, TraceMetadata metadata)
    : TraceWriter(std::move(devices), std::move(metadata)) {
  stream_ = &out;
}

TraceWriter::TraceWriter(std::FILE* out, std::vector<DeviceInfo> devices, TraceMetadata metadata)
    : TraceWriter(std::move(devices), std::move(metadata)) {
  file_ = out;
}

Expected<std::unique_ptr<TraceWriter>> TraceWriter::open(const std::string& path,
                                                         std::vector<DeviceInfo> devices,
                                                         TraceMetadata metadata) {
  const bool to_stdout = path == "-";
  std::FILE* file = to_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Error{std::string("cannot write: ") + std::strerror(errno), path};
  // The writer buffers whole rounds itself; without a stdio buffer under it, nothing is left
  // to be written half at fclose() after a failed write.
  if (!to_stdout) std::setvbuf(file, nullptr, _IONBF, 0);
  std::unique_ptr<TraceWriter> writer(
      new TraceWriter(file, std::move(devices), std::move(metadata)));
  writer->owns_file_ = !to_stdout;
  writer->path_ = path;
  return writer;
}

TraceWriter::~TraceWriter() { close(); }

void TraceWriter::check_device(std::size_t device) const {
  if (device >= device_count_) {
    throw std::out_of_range("TraceWriter: device " + std::to_string(device) + " of " +
                            std::to_string(device_count_));
  }
}

TimeNs TraceWriter::relative(TimeNs time_ns) {
  if (!origin_ns_) origin_ns_ = time_ns;
  return time_ns - *origin_ns_;
}

void TraceWriter::write(std::size_t device, const Sample& sample) {
  check_device(device);
  if (closed_ || error_) return;
  append_time_s(buffer_, relative(sample.time_ns));
  buffer_ += ',';
  append_unsigned(buffer_, device, 10);
  append_optional(buffer_, sample.power_w);
  append_optional(buffer_, sample.energy_counter_j);
  append_optional(buffer_, sample.temperature_c);
  append_optional(buffer_, sample.gpu_utilization_pct);
  append_optional(buffer_, sample.sm_clock_mhz);
  buffer_ += ',';
  if (sample.memory_used_bytes) append_unsigned(buffer_, *sample.memory_used_bytes, 10);
  buffer_ += ',';
  if (sample.throttle_mask) {
    buffer_ += "0x";
    append_unsigned(buffer_, *sample.throttle_mask, 16);
  }
  buffer_ += '\n';
  ++rows_;
  if (buffer_.size() >= kFlushThreshold) flush();
}

void TraceWriter::mark_lost(std::size_t device, TimeNs time_ns) {
  check_device(device);
  if (closed_ || error_) return;
  buffer_ += "# ";
  buffer_ += replay::kLostDirective;
  buffer_ += " device=";
  append_unsigned(buffer_, device, 10);
  buffer_ += " time_s=";
  append_time_s(buffer_, relative(time_ns));
  buffer_ += '\n';
}

bool TraceWriter::push(std::string_view bytes) {
  if (file_ != nullptr) {
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file_) == bytes.size() &&
                         std::fflush(file_) == 0;
    if (written) complete_bytes_ += bytes.size();
    return written;
  }
  stream_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  stream_->flush();
  return static_cast<bool>(*stream_);
}

Expected<bool> TraceWriter::flush() {
  if (error_) return *error_;
  if (buffer_.empty() || closed_) return true;
  errno = 0;
  if (!push(buffer_)) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "stream error";
    error_ = Error{"cannot write the trace: " + reason, path_};
    cut_to_complete_rows();
  }
  buffer_.clear();
  if (error_) return *error_;
  return true;
}

void TraceWriter::cut_to_complete_rows() {
  // Only a regular file that open() created: a device or pipe cannot be cut, and a caller's
  // FILE* may hold more than this writer wrote.
  if (!owns_file_ || file_ == nullptr) return;
  const int fd = ::fileno(file_);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return;
  if (::ftruncate(fd, static_cast<off_t>(complete_bytes_)) == 0) {
    std::fseek(file_, static_cast<long>(complete_bytes_), SEEK_SET);
  }
}

Expected<bool> TraceWriter::close() {
  if (closed_) return error_ ? Expected<bool>(*error_) : Expected<bool>(true);
  auto flushed = flush();
  closed_ = true;
  if (owns_file_ && std::fclose(file_) != 0 && !error_) {
    error_ = Error{std::string("cannot close the trace: ") + std::strerror(errno), path_};
  }
  file_ = nullptr;
  stream_ = nullptr;
  if (error_) return *error_;
  return flushed;
}

}  // namespace joulebench
