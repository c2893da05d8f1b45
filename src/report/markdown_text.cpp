#include "report/markdown_text.hpp"

namespace joulebench::report {

std::string md_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string md_cell(std::string_view text) {
  std::string out;
  for (const char c : md_text(text)) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace joulebench::report
