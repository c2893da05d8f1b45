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

namespace joulebench::report {
namespace {

// `cost` printed "5.102e+04M tokens": figures for people never use exponent notation.
TEST(HumanNumber, NoExponentsFourSignificantDigitsThenThousandsSeparators) {
  EXPECT_EQ(human_number(51020.4), "51,020");
  EXPECT_EQ(human_number(1234567.0), "1,234,567");
  EXPECT_EQ(human_number(0.013421), "0.01342");
  EXPECT_EQ(human_number(3.14159), "3.142");
  EXPECT_EQ(human_number(512.34), "512.3");
  EXPECT_EQ(human_number(-2500.0), "-2,500");
  EXPECT_EQ(human_number(0.0), "0.000");
}

}  // namespace
}  // namespace joulebench::report
