#include "report/csv_text.hpp"

#include <fmt/format.h>

namespace joulebench::report {
namespace {

std::string quoted(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

CsvText::CsvText(std::vector<std::string> header) : columns_(header.size()) { append_row(header); }

void CsvText::add_row(const std::vector<std::string>& cells) {
  std::vector<std::string> padded = cells;
  padded.resize(columns_);
  append_row(padded);
}

void CsvText::append_row(const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += quoted(cells[i]);
  }
  text_ += '\n';
}

std::string csv_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

}  // namespace joulebench::report
