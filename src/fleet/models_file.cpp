#include "fleet/models_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace joulebench::fleet {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Drops a comment: '#' at the start or after a space, outside quotes.
std::string_view strip_comment(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

std::optional<std::string> scalar(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    return std::string(text.substr(1, text.size() - 2));
  }
  if (text.empty()) return std::nullopt;
  if (text.find_first_of("[]{}&*!|>'\"") != std::string_view::npos) return std::nullopt;
  return std::string(text);
}

std::optional<std::vector<std::string>> flow_list(std::string_view text) {
  text = trim(text);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  text = trim(text.substr(1, text.size() - 2));
  std::vector<std::string> items;
  if (text.empty()) return items;
  while (true) {
    const auto comma = text.find(',');
    auto item = scalar(text.substr(0, comma));
    if (!item) return std::nullopt;
    items.push_back(std::move(*item));
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return items;
}

std::optional<double> positive_number(const std::string& text) {
  double value = 0.0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) || value <= 0.0) return std::nullopt;
  return value;
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

}  // namespace

Expected<std::vector<ModelEntry>> parse_models_file(std::string_view text, const std::string& origin) {
  std::vector<ModelEntry> entries;
  bool in_models = false;
  std::size_t model_indent = 0;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    const auto lead = raw.substr(0, std::min(raw.size(), raw.find_first_not_of(" \t")));
    if (lead.find('\t') != std::string_view::npos && !trim(strip_comment(raw)).empty()) {
      return Error{"indent with spaces, not tabs", origin, line_number};
    }
    const auto line = strip_comment(raw);
    if (trim(line).empty() || trim(line) == "---") continue;
    const std::size_t indent = indent_of(line);
    const auto body = trim(line);
    if (body.front() == '-') return Error{"block lists are not supported; write [a, b]", origin, line_number};
    const auto colon = body.find(": ") != std::string_view::npos ? body.find(": ") : (body.back() == ':' ? body.size() - 1 : std::string_view::npos);
    if (colon == std::string_view::npos) return Error{"expected 'key: value'", origin, line_number};
    auto key = scalar(body.substr(0, colon));
    if (!key) return Error{"bad key '" + std::string(body.substr(0, colon)) + "'", origin, line_number};
    const auto value = trim(body.substr(colon + 1));
    if (indent == 0) {
      if (*key != "models" || !value.empty()) return Error{"the top level has one key, 'models:'", origin, line_number};
      in_models = true;
      model_indent = 0;
      continue;
    }
    if (!in_models) return Error{"indented line before 'models:'", origin, line_number};
    if (model_indent == 0 || indent == model_indent) {
      if (!value.empty()) return Error{"model '" + *key + "' needs its fields indented below it", origin, line_number};
      if (find_model(entries, *key) != nullptr) return Error{"model '" + *key + "' appears twice", origin, line_number};
      model_indent = indent;
      entries.push_back(ModelEntry{*key, {}, {}, std::nullopt, std::nullopt});
      continue;
    }
    if (indent < model_indent || entries.empty()) return Error{"unexpected indentation", origin, line_number};
    ModelEntry& entry = entries.back();
    if (*key == "hosts" || *key == "gpus") {
      auto items = flow_list(value);
      if (!items) {
        auto one = scalar(value);
        if (!one) return Error{*key + ": expected a name or a [a, b] list", origin, line_number};
        items = std::vector<std::string>{*one};
      }
      (*key == "hosts" ? entry.hosts : entry.gpu_indices) = std::move(*items);
    } else if (*key == "memory_gb" || *key == "gpu_memory_gb") {
      auto text_value = scalar(value);
      auto number = text_value ? positive_number(*text_value) : std::nullopt;
      if (!number) return Error{*key + ": expected a positive number of GB", origin, line_number};
      (*key == "memory_gb" ? entry.memory_gb : entry.gpu_memory_gb) = *number;
    } else {
      return Error{"unknown field '" + *key + "' (hosts, gpus, memory_gb, gpu_memory_gb)", origin, line_number};
    }
  }
  if (entries.empty()) return Error{"no models (expected 'models:' and one entry per model)", origin};
  return entries;
}

const ModelEntry* find_model(const std::vector<ModelEntry>& entries, const std::string& model) {
  auto found = std::find_if(entries.begin(), entries.end(), [&](const ModelEntry& e) { return e.model == model; });
  return found == entries.end() ? nullptr : &*found;
}

}  // namespace joulebench::fleet
