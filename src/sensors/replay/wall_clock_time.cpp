#include "sensors/replay/wall_clock_time.hpp"

#include <cstring>

namespace joulebench::replay {
namespace {

// The range keeps every difference of two timestamps inside a signed 64-bit nanosecond count.
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2199;
constexpr std::size_t kDateLength = 10;     // YYYY/MM/DD
constexpr std::size_t kDateTimeLength = 19;  // YYYY/MM/DD HH:MM:SS
constexpr TimeNs kNsPerSecond = 1'000'000'000;
constexpr int kMaxFractionDigits = 9;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The number written by `count` digits at `pos`; -1 when one of them is not a digit.
int digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Leap years in 1..year (Gregorian rule, extended backwards).
long long leap_years_through(long long year) { return year / 4 - year / 100 + year / 400; }

long long days_since_1970(int year, int month, int day) {
  static constexpr int kDaysBeforeMonth[12] = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
  long long days = 365LL * (year - 1970) + leap_years_through(year - 1) - leap_years_through(1969);
  days += kDaysBeforeMonth[month - 1] + (month > 2 && is_leap_year(year) ? 1 : 0);
  return days + (day - 1);
}

// Nanoseconds written by a fraction's digits ("905" -> 905'000'000); -1 when not 1..9 digits.
TimeNs fraction_ns(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxFractionDigits) return -1;
  TimeNs value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  for (std::size_t i = digits.size(); i < kMaxFractionDigits; ++i) value *= 10;
  return value;
}

}  // namespace

bool looks_like_date(std::string_view text) {
  if (text.size() < kDateLength) return false;
  const char separator = text[4];
  return (separator == '/' || separator == '-') && text[7] == separator &&
         digits_at(text, 0, 4) >= 0 && digits_at(text, 5, 2) >= 0 && digits_at(text, 8, 2) >= 0;
}

std::optional<long long> WallClockParser::parse_date(std::string_view date) {
  if (has_cached_date_ && std::memcmp(cached_date_, date.data(), kDateLength) == 0) {
    return cached_days_;
  }
  if (!looks_like_date(date)) return std::nullopt;
  const int year = digits_at(date, 0, 4);
  const int month = digits_at(date, 5, 2);
  const int day = digits_at(date, 8, 2);
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  std::memcpy(cached_date_, date.data(), kDateLength);
  has_cached_date_ = true;
  cached_days_ = days_since_1970(year, month, day);
  return cached_days_;
}

std::optional<TimeNs> WallClockParser::parse(std::string_view text) {
  if (text.size() < kDateTimeLength) return std::nullopt;
  if (text[10] != ' ' && text[10] != 'T') return std::nullopt;
  if (text[13] != ':' || text[16] != ':') return std::nullopt;
  const auto days = parse_date(text.substr(0, kDateLength));
  if (!days) return std::nullopt;
  const int hours = digits_at(text, 11, 2);
  const int minutes = digits_at(text, 14, 2);
  const int seconds = digits_at(text, 17, 2);
  // 60 is a leap second; it sorts after :59 and before the next minute's :00.
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 60) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(kDateTimeLength);
  TimeNs fraction = 0;
  if (!rest.empty() && rest.front() == '.') {
    std::size_t end = 1;
    while (end < rest.size() && is_digit(rest[end])) ++end;
    fraction = fraction_ns(rest.substr(1, end - 1));
    if (fraction < 0) return std::nullopt;
    rest.remove_prefix(end);
  }
  if (rest == "Z") rest = {};
  if (!rest.empty()) return std::nullopt;
  const TimeNs second_of_day = hours * 3600LL + minutes * 60LL + seconds;
  return (*days * 86400LL + second_of_day) * kNsPerSecond + fraction;
}

}  // namespace joulebench::replay
