// The offline history CSV: columns by name, missing cells stay missing, errors name the line.
#include <gtest/gtest.h>

#include "fleet/history.hpp"

namespace joulebench::fleet {
namespace {

TEST(HistoryCsv, ReadsColumnsByNameInAnyOrder) {
  auto history = parse_history_csv(
      "model,time,gpus,gpu_type,tokens_per_s,power_w,extra\n"
      "m,120,2,A6000,10,300,x\n"
      "m,60,2,A6000,,290,x\n"
      "n,2026-11-24T10:00:00Z,1,L4,5,,y\n",
      "h.csv");
  ASSERT_TRUE(history) << history.error().what_line();
  ASSERT_EQ(history->models.size(), 2u);
  const auto& m = history->models[0];
  EXPECT_EQ(m.model, "m");
  EXPECT_EQ(m.gpu_type, "A6000");
  EXPECT_EQ(m.gpus, 2);
  ASSERT_EQ(m.points.size(), 2u);
  EXPECT_EQ(m.points[0].time_s, 60);                   // sorted by time
  EXPECT_FALSE(m.points[0].tokens_per_s.has_value());  // an empty cell is missing, not 0
  EXPECT_DOUBLE_EQ(*m.points[1].power_w, 300.0);
  ASSERT_TRUE(m.step_s);
  EXPECT_DOUBLE_EQ(*m.step_s, 60.0);
  const auto& n = history->models[1];
  EXPECT_EQ(n.points[0].time_s, 1795514400);  // 2026-11-24T10:00:00Z
  EXPECT_FALSE(n.points[0].power_w.has_value());
  EXPECT_FALSE(n.step_s.has_value());
  EXPECT_EQ(history->points_received, 3u);
}

TEST(HistoryCsv, ErrorsNameTheLineAndTheField) {
  const std::string header = "time,model,gpu_type,gpus,power_w,tokens_per_s\n";
  struct Case {
    std::string text;
    std::size_t line;
    std::string words;
  } cases[] = {
      {"time,model\n1,m\n", 1, "no column 'gpu_type'"},
      {header + "1,m,A100,2,300,10\nyesterday,m,A100,2,300,10\n", 3, "time 'yesterday'"},
      {header + "1,m,A100,0,300,10\n", 2, "gpus '0'"},
      {header + "1,m,A100,2,-5,10\n", 2, "power_w '-5'"},
      {header + "1,m,A100,2,nan,10\n", 2, "power_w 'nan'"},
      {header + "1,m,A100,2,300,inf\n", 2, "tokens_per_s 'inf'"},
      {header + "1,m,A100,2,300\n", 2, "expected 6 fields (as in the header), found 5"},
      {header + "1,m,A100,2,300,10,extra\n", 2, "expected 6 fields (as in the header), found 7"},
      {header + "1,m,A100,2,1e308,10\n", 2, "power_w '1e308' is not plausible for 2 GPUs"},
      {header + "1,m,A100,2,300,10\n" + std::string(70000, '0') + "\n", 3,
       "line longer than 65536 bytes"},
      {header + "1,m,A100,2,300,1\n2,m,H100,2,300,1\n", 3, "changes gpu_type"},
      {header + "1,\"m,A100,2,300,1\n", 2, "unterminated"},
  };
  for (const auto& c : cases) {
    auto history = parse_history_csv(c.text, "h.csv");
    ASSERT_FALSE(history) << c.text;
    EXPECT_EQ(history.error().file, "h.csv");
    EXPECT_EQ(history.error().line, c.line) << history.error().message;
    EXPECT_NE(history.error().message.find(c.words), std::string::npos) << history.error().message;
  }
  EXPECT_FALSE(parse_history_csv(header, "h.csv"));  // no rows
  EXPECT_FALSE(parse_history_csv("", "h.csv"));
}

TEST(HistoryCsv, UtcTimes) {
  EXPECT_EQ(parse_utc_seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_utc_seconds("2000-03-01T00:00:01.5Z"), 951868801);
  EXPECT_FALSE(parse_utc_seconds("2000-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_utc_seconds("2000-01-01T00:00:00"));
}

}  // namespace
}  // namespace joulebench::fleet
