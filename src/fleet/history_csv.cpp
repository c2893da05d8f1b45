#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/plausibility.hpp"
#include "fleet/history.hpp"
#include "sensors/replay/csv_text.hpp"

namespace joulebench::fleet {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// Fields of one line; a field may be double-quoted ("" inside is a quote). nullopt: an
// unterminated quote.
std::optional<std::vector<std::string>> split_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : std::string(trim(field)));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  if (quoted) return std::nullopt;
  fields.push_back(was_quoted ? field : std::string(trim(field)));
  return fields;
}

std::optional<double> to_double(std::string_view text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_time(std::string_view text) {
  if (auto iso = parse_utc_seconds(text)) return iso;
  auto seconds = to_double(text);
  if (!seconds || *seconds < 0.0 || *seconds > 1e11) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(*seconds));
}

constexpr const char* kColumns[] = {"time", "model", "gpu_type", "gpus", "power_w", "tokens_per_s"};

}  // namespace

std::optional<std::int64_t> parse_utc_seconds(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text.back() != 'Z' || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t width) -> std::optional<int> {
    const auto part = text.substr(at, width);
    if (!all_digits(part)) return std::nullopt;
    int value = 0;
    std::from_chars(part.data(), part.data() + part.size(), value);
    return value;
  };
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 ||
      *second > 60)
    return std::nullopt;
  const auto rest = text.substr(19, text.size() - 20);
  if (!rest.empty() && (rest.front() != '.' || !all_digits(rest.substr(1)))) return std::nullopt;
  return days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) *
             86400 +
         *hour * 3600 + *minute * 60 + *second;
}

Expected<FleetHistory> parse_history_csv(std::string_view text, const std::string& origin) {
  std::map<std::string, ModelHistory> by_model;
  std::vector<int> column(std::size(kColumns), -1);
  bool have_header = false;
  std::size_t header_fields = 0;
  std::size_t line_number = 0;
  std::size_t rows = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const auto line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    // Before any copy: a file without newlines must not be copied field by field.
    if (line.size() > replay::kMaxLineBytes)
      return Error{replay::line_too_long_message(), origin, line_number};
    if (line.empty() || line.front() == '#') continue;
    auto fields = split_fields(line);
    if (!fields) return Error{"unterminated quoted field", origin, line_number};
    if (!have_header) {
      header_fields = fields->size();
      for (std::size_t c = 0; c < std::size(kColumns); ++c) {
        auto found = std::find(fields->begin(), fields->end(), kColumns[c]);
        if (found == fields->end()) {
          return Error{std::string("header has no column '") + kColumns[c] +
                           "' (need time, model, gpu_type, gpus, power_w, tokens_per_s)",
                       origin, line_number};
        }
        column[c] = static_cast<int>(found - fields->begin());
      }
      have_header = true;
      continue;
    }
    // A row longer than the header is as broken as a shorter one: its cells no longer sit
    // under the column names.
    if (fields->size() != header_fields) {
      return Error{"expected " + std::to_string(header_fields) +
                       " fields (as in the header), found " + std::to_string(fields->size()),
                   origin, line_number};
    }
    auto cell = [&](int c) -> const std::string& {
      return (*fields)[static_cast<std::size_t>(column[c])];
    };
    auto time = parse_time(cell(0));
    if (!time)
      return Error{"time '" + cell(0) + "' is neither Unix seconds nor YYYY-MM-DDTHH:MM:SSZ",
                   origin, line_number};
    if (cell(1).empty()) return Error{"empty model", origin, line_number};
    if (cell(2).empty()) return Error{"empty gpu_type", origin, line_number};
    auto gpus = to_double(cell(3));
    if (!gpus || *gpus < 1.0 || *gpus > 100000.0 || *gpus != std::floor(*gpus)) {
      return Error{"gpus '" + cell(3) + "' is not a positive whole number", origin, line_number};
    }
    HistoryPoint point{*time, std::nullopt, std::nullopt};
    for (int c : {4, 5}) {
      if (cell(c).empty()) continue;  // missing, not zero
      auto value = to_double(cell(c));
      if (!value || *value < 0.0) {
        return Error{std::string(kColumns[c]) + " '" + cell(c) + "' is not a finite number >= 0",
                     origin, line_number};
      }
      if (c == 4 && *value > *gpus * kMaxPlausibleDevicePowerW) {
        return Error{
            fmt::format("power_w '{}' is not plausible for {:g} GPUs (at most {:g} W each)",
                        cell(c), *gpus, kMaxPlausibleDevicePowerW),
            origin, line_number};
      }
      (c == 4 ? point.power_w : point.tokens_per_s) = *value;
    }
    ModelHistory& model = by_model[cell(1)];
    if (model.model.empty()) {
      model.model = cell(1);
      model.gpu_type = cell(2);
    } else if (model.gpu_type != cell(2)) {
      return Error{"model '" + cell(1) + "' changes gpu_type from '" + model.gpu_type + "' to '" +
                       cell(2) + "' (give one allocation per model)",
                   origin, line_number};
    }
    model.gpus = std::max(model.gpus, static_cast<int>(*gpus));
    model.points.push_back(point);
    ++rows;
  }
  if (!have_header)
    return Error{"no header line (time, model, gpu_type, gpus, power_w, tokens_per_s)", origin};
  if (rows == 0) return Error{"no data rows", origin};
  FleetHistory history;
  history.source = "--csv " + origin;
  for (auto& [name, model] : by_model) {
    std::stable_sort(
        model.points.begin(), model.points.end(),
        [](const HistoryPoint& a, const HistoryPoint& b) { return a.time_s < b.time_s; });
    // The step is the smallest spacing between rows; with one row there is none.
    for (std::size_t i = 1; i < model.points.size(); ++i) {
      const auto gap = model.points[i].time_s - model.points[i - 1].time_s;
      if (gap > 0 && (!model.step_s || static_cast<double>(gap) < *model.step_s))
        model.step_s = static_cast<double>(gap);
    }
    history.points_received += model.points.size();
    history.models.push_back(std::move(model));
  }
  history.series_received = history.models.size();
  return history;
}

}  // namespace joulebench::fleet
