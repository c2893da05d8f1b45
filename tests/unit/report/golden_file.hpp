// Golden-file comparison for the writer tests: the expected text lives in
// tests/golden/report/NAME. Regenerate with JOULEBENCH_UPDATE_GOLDEN=1 and review the diff by
// hand (open the HTML) before committing it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace joulebench::report::testing {

inline std::string golden_path(const std::string& name) {
  return std::string(JOULEBENCH_SOURCE_DIR) + "/tests/golden/report/" + name;
}

inline void expect_matches_golden(const std::string& name, const std::string& actual) {
  if (std::getenv("JOULEBENCH_UPDATE_GOLDEN") != nullptr) std::ofstream(golden_path(name)) << actual;
  std::ifstream in(golden_path(name));
  ASSERT_TRUE(in) << "missing golden file " << golden_path(name);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << name << " differs";
}

}  // namespace joulebench::report::testing
