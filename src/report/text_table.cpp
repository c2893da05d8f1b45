#include "report/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace joulebench::report {
namespace {

bool looks_numeric(const std::string& cell) {
  if (cell.empty() || cell == "-") return true;
  const char first = cell.front();
  return std::isdigit(static_cast<unsigned char>(first)) != 0 || first == '-' || first == '+';
}

}  // namespace

TextTable::TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  auto emit_row = [&](const std::vector<std::string>& row, bool header) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += "  ";
      const bool right = !header && c > 0 && looks_numeric(row[c]);
      out += right ? fmt::format("{:>{}}", row[c], widths[c])
                   : fmt::format("{:<{}}", row[c], widths[c]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  emit_row(headers_, true);
  std::size_t total = 0;
  for (auto width : widths) total += width + 2;
  out += std::string(total > 2 ? total - 2 : total, '-') + '\n';
  for (const auto& row : rows_) emit_row(row, false);
  return out;
}

std::string format_number(const std::optional<double>& value, int decimals) {
  if (!value) return "-";
  return fmt::format("{:.{}f}", *value, decimals);
}

std::string human_number(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  const double magnitude = std::fabs(value);
  if (magnitude < 1000.0) {
    // Four significant digits as fixed decimals: 0.01342, 3.142, 512.3.
    const int digits = magnitude == 0.0 ? 0 : static_cast<int>(std::floor(std::log10(magnitude)));
    return fmt::format("{:.{}f}", value, std::max(0, 3 - digits));
  }
  std::string whole = fmt::format("{:.0f}", magnitude);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3)
    whole.insert(static_cast<std::size_t>(at), ",");
  return (value < 0 ? "-" : "") + whole;
}

}  // namespace joulebench::report
