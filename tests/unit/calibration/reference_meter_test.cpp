#include "calibration/reference_meter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace joulebench::calibration {
namespace {

// One 18-byte PMD record: the tick, then four (voltage count, current count) pairs, each
// count stored in the word's upper 12 bits as the meter does.
std::string pmd_record(std::uint16_t tick, const std::vector<std::pair<int, int>>& pairs) {
  std::vector<std::uint16_t> words{tick};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto [volts, amperes] = i < pairs.size() ? pairs[i] : std::pair{0, 0};
    words.push_back(static_cast<std::uint16_t>(volts << 4));
    words.push_back(static_cast<std::uint16_t>(amperes << 4));
  }
  std::string out;
  for (auto word : words) {
    out.push_back(static_cast<char>(word & 0xff));
    out.push_back(static_cast<char>(word >> 8));
  }
  return out;
}

TEST(PmdRecords, TimesFollowTheWrappingTickAndPowerSumsTheRails) {
  // 12 V x 10 A on the slot and 12 V x 20 A on the EPS connector (pair 3).
  const int volts = 1586;                      // x 0.007568 = 12.003 V
  const int amperes10 = 205, amperes20 = 410;  // x 0.0488 = 10.004 A, 20.008 A
  std::string bytes = pmd_record(65000, {{volts, amperes10}, {0, 0}, {volts, amperes20}});
  bytes += pmd_record(500, {{volts, amperes10}});  // wrapped: 1036 ticks later
  auto recording = decode_pmd_records(bytes, 1000.0, "pmd.bin");
  ASSERT_TRUE(recording) << recording.error().what_line();
  ASSERT_EQ(recording->series.size(), 2u);
  EXPECT_DOUBLE_EQ(recording->series.time_s[0], 1000.0 - 0.050);
  EXPECT_NEAR(recording->series.time_s[1] - recording->series.time_s[0], 1036 / 2933.5 / 1000.0,
              1e-12);
  const double v = volts * 0.007568;
  EXPECT_NEAR(recording->series.power_w[0], v * amperes10 * 0.0488 + v * amperes20 * 0.0488, 1e-9);
  EXPECT_NEAR(recording->series.power_w[1], v * amperes10 * 0.0488, 1e-9);
}

TEST(PmdRecords, InvalidReadingsCountAsZeroAndAreNoted) {
  // Bit 11 of a 12-bit count marks an invalid reading.
  std::string bytes = pmd_record(0, {{0x800 | 5, 100}, {1586, 205}});
  bytes += pmd_record(10, {{1586, 205}});
  bytes += "xyz";  // a record cut short when the recording stopped
  auto recording = decode_pmd_records(bytes, 0.0, "pmd.bin");
  ASSERT_TRUE(recording);
  EXPECT_NEAR(recording->series.power_w[0], 1586 * 0.007568 * 205 * 0.0488, 1e-9);
  const std::string notes = recording->notes[1] + recording->notes[2];
  EXPECT_NE(notes.find("1 rail readings marked invalid"), std::string::npos) << notes;
  EXPECT_NE(notes.find("3 trailing bytes"), std::string::npos) << notes;
}

TEST(PmdRecords, TooShortIsAnError) {
  auto recording = decode_pmd_records(pmd_record(0, {}), 0.0, "pmd.bin");
  ASSERT_FALSE(recording);
  EXPECT_EQ(recording.error().file, "pmd.bin");
}

TEST(ReferenceCsv, SumsChannelsAndReadsBothTimeForms) {
  auto recording = parse_reference_csv(
      "timestamp,slot_w,pcie8_w\n1688840907.0,20,100\n2023-07-08T18:28:28Z,25,110\n", "m.csv", {});
  ASSERT_TRUE(recording) << recording.error().what_line();
  EXPECT_DOUBLE_EQ(recording->series.power_w[0], 120.0);
  EXPECT_DOUBLE_EQ(recording->series.power_w[1], 135.0);
  EXPECT_DOUBLE_EQ(recording->series.time_s[0], 1688840907.0);
  EXPECT_DOUBLE_EQ(recording->series.time_s[1], 1688840908.0);

  auto chosen = parse_reference_csv("time,a,b\n1688840907,1,2\n1688840908,3,4\n", "m.csv", {"b"});
  ASSERT_TRUE(chosen);
  EXPECT_DOUBLE_EQ(chosen->series.power_w[1], 4.0);
}

TEST(ReferenceCsv, ErrorsNameLineAndColumn) {
  struct Case {
    const char* text;
    std::vector<std::string> channels;
    std::size_t line;
    const char* words;
  } cases[] = {
      {"time,w\n12.5,100\n1688840908,3\n", {}, 2, "time: expected Unix seconds"},
      {"time,w\n1688840908,100\n1688840907,3\n", {}, 3, "time goes backwards"},
      {"time,w\n1688840908,-1\n1688840909,3\n", {}, 2, "w: expected watts >= 0"},
      {"time,w\n1688840908,1,2\n", {}, 2, "expected 2 fields"},
      {"time,w\n1688840908,1\n", {"x"}, 1, "--channels: no column 'x'"},
      {"time\n1688840908\n", {}, 1, "no power column"},
  };
  for (const auto& c : cases) {
    auto recording = parse_reference_csv(c.text, "m.csv", c.channels);
    ASSERT_FALSE(recording) << c.text;
    EXPECT_EQ(recording.error().line, c.line) << recording.error().message;
    EXPECT_NE(recording.error().message.find(c.words), std::string::npos)
        << recording.error().message;
  }
}

}  // namespace
}  // namespace joulebench::calibration
