#include "report/text_table.hpp"

#include <gtest/gtest.h>

namespace joulebench::report {
namespace {

TEST(TextTable, PadsColumnsAndRightAlignsNumbers) {
  TextTable table({"device", "energy J"});
  table.add_row({"nvml:0", "12.5"});
  table.add_row({"rapl:package-0", "1234.0"});
  EXPECT_EQ(table.render(),
            "device          energy J\n"
            "------------------------\n"
            "nvml:0              12.5\n"
            "rapl:package-0    1234.0\n");
}

TEST(TextTable, MissingCellsAreBlankAndMissingNumbersAreDashes) {
  TextTable table({"a", "b", "c"});
  table.add_row({"x"});
  EXPECT_EQ(table.render(), "a  b  c\n-------\nx\n");
  EXPECT_EQ(format_number(std::nullopt, 2), "-");
  EXPECT_EQ(format_number(3.14159, 2), "3.14");
}

}  // namespace
}  // namespace joulebench::report
