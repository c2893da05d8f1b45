// libFuzzer target: the reference meters' recordings and calibration files of `joulebench
// calibrate`, the same bytes through each parser. A successful recording has at least two
// rows, times that never go backwards and finite, non-negative power; a successful
// calibration file has a named device, a positive gain and block length.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calibration/calibration_file.hpp"
#include "calibration/reference_meter.hpp"
#include "fuzz_checks.hpp"

namespace {

using joulebench::fuzz::require;

void check_recording(const joulebench::Expected<joulebench::calibration::ReferenceRecording>& r) {
  if (!r) {
    require(!r.error().message.empty(), "an error without a message");
    return;
  }
  const auto& series = r->series;
  require(series.size() >= 2 && series.power_w.size() == series.size(), "a short recording");
  for (std::size_t i = 0; i < series.size(); ++i) {
    require(std::isfinite(series.power_w[i]) && series.power_w[i] >= 0.0, "a bad power value");
    require(std::isfinite(series.time_s[i]), "a bad time");
    require(i == 0 || series.time_s[i - 1] <= series.time_s[i], "time goes backwards");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_recording(joulebench::calibration::parse_reference_csv(bytes, "fuzz.csv", {}));
  check_recording(joulebench::calibration::decode_pmd_records(bytes, 1.7e9, "fuzz.bin"));
  auto calibrations = joulebench::calibration::parse_calibration_file(bytes, "fuzz.json");
  if (!calibrations) {
    require(calibrations.error().file == "fuzz.json", "an error without its file");
    return 0;
  }
  require(!calibrations->empty(), "success without calibrations");
  for (const auto& c : *calibrations) {
    require(!c.device_id.empty() || !c.device_name.empty() || !c.device_uuid.empty(),
            "a calibration without a device");
    require(c.gain > 0.0 && c.block_s > 0.0 && c.blocks >= 3, "a bad fit accepted");
  }
  return 0;
}
