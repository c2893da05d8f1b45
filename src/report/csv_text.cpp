#include "report/csv_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace joulebench::report {
namespace {

bool is_number(const std::string& cell) {
  double value = 0.0;
  const char* end = cell.data() + cell.size();
  auto [ptr, ec] = std::from_chars(cell.data(), end, value);
  return ec == std::errc() && ptr == end;
}

// A spreadsheet runs a text cell that begins with = + - @ (or a tab or CR before one) as a
// formula: a label "=HYPERLINK(...)" would run on opening the file. OWASP's rule: prefix
// such a text cell with a single quote. A number ("-0.5") is left as it is.
std::string neutralised(const std::string& cell) {
  if (cell.empty() || std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos) {
    return cell;
  }
  return is_number(cell) ? cell : "'" + cell;
}

std::string quoted(const std::string& raw) {
  const std::string cell = neutralised(raw);
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
