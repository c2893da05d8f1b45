// CSV output (RFC 4180 quoting) for machine-readable results. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace joulebench::report {

class CsvText {
 public:
  explicit CsvText(std::vector<std::string> header);
  void add_row(const std::vector<std::string>& cells);
  const std::string& text() const { return text_; }

 private:
  void append_row(const std::vector<std::string>& cells);
  std::size_t columns_;
  std::string text_;
};

// Full precision (round-trips a double); empty for a missing value.
std::string csv_number(const std::optional<double>& value);

}  // namespace joulebench::report
