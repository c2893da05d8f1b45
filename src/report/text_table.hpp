// A plain-text table for terminals: columns padded to their widest cell, numbers
// right-aligned. Pure: rows in, string out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace joulebench::report {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);

  void add_row(std::vector<std::string> cells);
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "123.4" with `decimals` digits, or "-" when the value is missing.
std::string format_number(const std::optional<double>& value, int decimals);

// A figure for people, never in exponent notation: 4 significant digits below 1000, whole
// numbers with thousands separators above ("51,020", "0.0134", "3.142").
std::string human_number(double value);

}  // namespace joulebench::report
