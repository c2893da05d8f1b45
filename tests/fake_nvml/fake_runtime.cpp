#include "fake_runtime.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "number_file.hpp"

namespace joulebench::fake_nvml {
namespace {

constexpr std::uintptr_t kHandleBase = 0xfa4e000;

struct Description {
  nvml::Return code;
  const char* text;
};
constexpr Description kDescriptions[] = {
    {nvml::kSuccess, "Success"},
    {nvml::kUninitialized, "Uninitialized"},
    {nvml::kInvalidArgument, "Invalid Argument"},
    {nvml::kNotSupported, "Not Supported"},
    {nvml::kNoPermission, "Insufficient Permissions"},
    {nvml::kNotFound, "Not Found"},
    {nvml::kInsufficientSize, "Insufficient Size"},
    {nvml::kDriverNotLoaded, "Driver Not Loaded"},
    {nvml::kLibraryNotFound, "NVML Shared Library Not Found"},
    {nvml::kFunctionNotFound, "Function Not Found"},
    {nvml::kGpuIsLost, "GPU is lost"},
    {nvml::kArgumentVersionMismatch, "Argument Version Mismatch"},
    {nvml::kUnknown, "Unknown Error"},
};

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Expected<Scenario> load_scenario() {
  const auto path = env("JOULEBENCH_FAKE_NVML_SCENARIO");
  if (!path) return default_scenario();
  std::ifstream file(*path, std::ios::binary);
  if (!file) return Error{"cannot read the scenario file", *path};
  std::ostringstream text;
  text << file.rdbuf();
  auto scenario = parse_scenario(text.str());
  if (!scenario) {
    Error error = scenario.error();
    error.file = *path;
    return error;
  }
  return scenario;
}

}  // namespace

void FakeClock::start(std::optional<std::string> time_file) {
  start_ = std::chrono::steady_clock::now();
  time_file_ = std::move(time_file);
  last_file_time_s_ = 0.0;
}

double FakeClock::now_s() {
  if (!time_file_) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  if (auto t_s = read_number_file(*time_file_)) last_file_time_s_ = *t_s;
  return last_file_time_s_;
}

Runtime& Runtime::instance() {
  static Runtime runtime;
  return runtime;
}

nvml::Return Runtime::init() {
  try {
    std::lock_guard lock(mutex_);
    if (init_count_ > 0) {
      ++init_count_;
      return nvml::kSuccess;
    }
    auto scenario = load_scenario();
    if (!scenario) {
      scenario_error_ = "Unknown Error: fake NVML: " + scenario.error().what_line();
      return nvml::kUnknown;
    }
    scenario_error_.clear();
    if (scenario->init_error) return *scenario->init_error;
    clock_.start(env("JOULEBENCH_FAKE_NVML_TIME_FILE"));
    driver_version_ = scenario->driver_version;
    devices_.clear();
    for (auto& device : scenario->devices) {
      devices_.emplace_back(std::move(device), clock_.epoch_monotonic_s());
    }
    state_file_ = env("JOULEBENCH_FAKE_NVML_STATE_FILE");
    load_state(clock_.now_s());
    init_count_ = 1;
    return nvml::kSuccess;
  } catch (...) {
    return nvml::kUnknown;
  }
}

nvml::Return Runtime::shutdown() {
  std::lock_guard lock(mutex_);
  if (init_count_ == 0) return nvml::kUninitialized;
  if (--init_count_ == 0) devices_.clear();
  return nvml::kSuccess;
}

nvml::Return Runtime::device_count(unsigned* count) {
  std::lock_guard lock(mutex_);
  if (init_count_ == 0) return nvml::kUninitialized;
  if (count == nullptr) return nvml::kInvalidArgument;
  *count = static_cast<unsigned>(devices_.size());
  return nvml::kSuccess;
}

nvml::Return Runtime::handle_by_index(unsigned index, nvml::Device* device) {
  nvml::Device handle = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (init_count_ == 0) return nvml::kUninitialized;
    if (device == nullptr || index >= devices_.size()) return nvml::kInvalidArgument;
    handle = reinterpret_cast<nvml::Device>(kHandleBase + index);
  }
  // Through with_device, so that a lost GPU or a scenario failure applies here too.
  return with_device(handle, nvml::symbol::kDeviceGetHandleByIndex, [&](FakeDevice&, double) {
    *device = handle;
    return nvml::kSuccess;
  });
}

nvml::Return Runtime::driver_version(char* buffer, unsigned length) {
  std::lock_guard lock(mutex_);
  if (init_count_ == 0) return nvml::kUninitialized;
  return copy_string(driver_version_, buffer, length);
}

const char* Runtime::error_string(nvml::Return code) {
  std::lock_guard lock(mutex_);
  if (code == nvml::kUnknown && !scenario_error_.empty()) return scenario_error_.c_str();
  for (const auto& description : kDescriptions) {
    if (description.code == code) return description.text;
  }
  return "Unknown Error";
}

void Runtime::load_state(double t_s) {
  if (!state_file_) return;
  const SettingsByUuid saved = load_settings(*state_file_);
  for (auto& device : devices_) {
    auto found = saved.find(device.scenario().uuid);
    if (found != saved.end()) device.apply(found->second, t_s);
  }
}

void Runtime::save_state() const {
  if (!state_file_) return;
  SettingsByUuid settings = load_settings(*state_file_);
  for (const auto& device : devices_) settings[device.scenario().uuid] = device.settings();
  save_settings(*state_file_, settings);
}

FakeDevice* Runtime::find(nvml::Device handle) {
  const auto value = reinterpret_cast<std::uintptr_t>(handle);
  if (value < kHandleBase || value - kHandleBase >= devices_.size()) return nullptr;
  return &devices_[value - kHandleBase];
}

nvml::Return copy_string(const std::string& text, char* buffer, unsigned length) {
  if (buffer == nullptr) return nvml::kInvalidArgument;
  if (text.size() + 1 > length) return nvml::kInsufficientSize;
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  return nvml::kSuccess;
}

unsigned to_milli(double value) {
  return value <= 0.0 ? 0U : static_cast<unsigned>(std::llround(value * 1e3));
}

}  // namespace joulebench::fake_nvml
