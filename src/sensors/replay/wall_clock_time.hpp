// nvidia-smi's wall-clock timestamps ("2023/07/14 10:10:26.905", or ISO 8601
// "2023-07-14T10:10:26.905") turned into integer nanoseconds.
//
// The log has no time zone, so the result counts nanoseconds since 1970-01-01 00:00 of the
// log's own (local) clock: only differences between rows are meaningful. Because the date is
// part of the count, a log that runs past midnight (or a month or year end) keeps going up.
// A daylight-saving fall-back makes local time go backwards; the parsers report that row.
// Thread-safety: a WallClockParser caches state; use one per thread.
#pragma once

#include <optional>
#include <string_view>

#include "joulebench/units.hpp"

namespace joulebench::replay {

class WallClockParser {
 public:
  // Accepts DATE SEP TIME where DATE is YYYY/MM/DD or YYYY-MM-DD (years 1970..2199), SEP is
  // ' ' or 'T', TIME is HH:MM:SS with an optional fraction of 1..9 digits, and an optional
  // trailing 'Z'. Nullopt for anything else, including impossible dates (2023/02/30).
  std::optional<TimeNs> parse(std::string_view text);

 private:
  // Days since 1970-01-01 of the date part; the date rarely changes between rows, so the
  // last one is kept and compared bytewise instead of being parsed again.
  std::optional<long long> parse_date(std::string_view date);

  char cached_date_[10] = {};
  bool has_cached_date_ = false;
  long long cached_days_ = 0;
};

// True when `text` starts like a date ("2023/07/14" or "2023-07-14"): used to recognise a
// log recorded without its header line.
bool looks_like_date(std::string_view text);

}  // namespace joulebench::replay
