#include "calibration/calibration_file.hpp"

#include <gtest/gtest.h>

#include "calibration_fixture.hpp"

namespace joulebench::calibration {
namespace {

using testing::sample_calibration;

TEST(CalibrationFile, RoundTrips) {
  DeviceCalibration written = sample_calibration();
  written.meter_accuracy_share = 0.01;
  const auto text = calibration_file_json({written}).dump();
  auto read = parse_calibration_file(text, "cal.json");
  ASSERT_TRUE(read) << read.error().what_line();
  ASSERT_EQ(read->size(), 1u);
  const auto& c = (*read)[0];
  EXPECT_EQ(c.device_uuid, "GPU-a");
  EXPECT_EQ(c.meter, "ElmorLabs PMD");
  EXPECT_EQ(c.sources.size(), 2u);
  EXPECT_DOUBLE_EQ(c.gain, 1.05);
  EXPECT_DOUBLE_EQ(c.gain_offset_covariance_w, -0.0005);
  EXPECT_EQ(c.blocks, 30u);
  EXPECT_EQ(c.meter_accuracy_share, 0.01);
}

TEST(CalibrationFile, ErrorsNameTheMember) {
  auto document = calibration_file_json({sample_calibration()});
  struct Case {
    std::function<void(nlohmann::ordered_json&)> spoil;
    const char* words;
  } cases[] = {
      {[](auto& d) { d["kind"] = "run"; }, "kind: expected \"calibration\""},
      {[](auto& d) { d["calibrations"] = nlohmann::ordered_json::array(); }, "non-empty array"},
      {[](auto& d) { d["calibrations"][0]["fit"]["gain"] = "big"; },
       "calibrations[0].fit.gain: expected a number"},
      {[](auto& d) { d["calibrations"][0]["fit"]["gain"] = -1.0; },
       "calibrations[0].fit.gain: expected a positive number"},
      {[](auto& d) {
         d["calibrations"][0]["device"] = {{"id", nullptr}};
       },
       "calibrations[0].device: expected an id, name or uuid"},
      {[](auto& d) { d["calibrations"][0]["meter_accuracy_share"] = -0.1; },
       "meter_accuracy_share: expected a share"},
  };
  for (const auto& c : cases) {
    auto spoiled = document;
    c.spoil(spoiled);
    auto read = parse_calibration_file(spoiled.dump(), "cal.json");
    ASSERT_FALSE(read) << c.words;
    EXPECT_EQ(read.error().file, "cal.json");
    EXPECT_NE(read.error().message.find(c.words), std::string::npos) << read.error().message;
  }
  EXPECT_FALSE(parse_calibration_file("{not json", "cal.json"));
}

}  // namespace
}  // namespace joulebench::calibration
