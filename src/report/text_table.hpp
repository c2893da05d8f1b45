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

}  // namespace joulebench::report
