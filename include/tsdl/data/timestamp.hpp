// Timestamps as UTC seconds since the Unix epoch (1970-01-01 00:00:00), stored in std::int64_t.
//
// Accepted text: "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", optionally followed by a
// fraction of a second (".5", ".123456") and then by an offset from UTC ("Z", "+02:00", "-0530",
// "+02"). Text without an offset is taken as UTC. Blanks around the text are ignored. Years are
// 0000-9999 in the proleptic Gregorian calendar, and leap seconds (second 60) are rejected.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tsdl/data/error.hpp"

namespace tsdl::data {

// Returns the number of days from 1970-01-01 to year-month-day in the proleptic Gregorian
// calendar (negative before 1970). The arguments are not validated.
constexpr std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  // Count years from March so that the leap day is the last day of a counted year.
  const std::int64_t shifted_year = month <= 2 ? year - 1 : year;
  const std::int64_t era = (shifted_year >= 0 ? shifted_year : shifted_year - 399) / 400;
  const std::int64_t year_of_era = shifted_year - era * 400;                       // 0..399
  const int month_from_march = month > 2 ? month - 3 : month + 9;                  // 0..11
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;     // 0..365
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 days from 0000-03-01 to 1970-01-01
}

constexpr bool is_leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

constexpr int days_in_month(std::int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

namespace detail {

inline bool read_digits(std::string_view text, std::size_t& position, std::size_t count, int& value) {
  if (position + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[position + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  position += count;
  return true;
}

inline bool read_char(std::string_view text, std::size_t& position, char expected) {
  if (position >= text.size() || text[position] != expected) return false;
  ++position;
  return true;
}

inline std::string range_problem(const char* field, int value, int low, int high) {
  return std::string(field) + " " + std::to_string(value) + " is out of range " + std::to_string(low) + "-" +
         std::to_string(high);
}

// Parses `text` into whole UTC seconds and the fraction of the next second, [0, 1). Returns an
// empty string on success and the reason otherwise. Does not throw for invalid text.
inline std::string try_parse_timestamp(std::string_view text, std::int64_t& seconds, double& fraction) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);

  static const char* const kFormat =
      "expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS with optional fraction and offset (Z, +HH:MM, -HHMM)";
  std::size_t position = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const bool layout_ok = read_digits(text, position, 4, year) && read_char(text, position, '-') &&
                         read_digits(text, position, 2, month) && read_char(text, position, '-') &&
                         read_digits(text, position, 2, day) &&
                         (read_char(text, position, ' ') || read_char(text, position, 'T')) &&
                         read_digits(text, position, 2, hour) && read_char(text, position, ':') &&
                         read_digits(text, position, 2, minute) && read_char(text, position, ':') &&
                         read_digits(text, position, 2, second);
  if (!layout_ok) return kFormat;

  fraction = 0.0;
  if (position < text.size() && (text[position] == '.' || text[position] == ',')) {
    ++position;
    double scale = 0.1;
    const std::size_t first_digit = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      fraction += (text[position] - '0') * scale;
      scale /= 10.0;
      ++position;
    }
    if (position == first_digit) return "missing digits after the decimal point; " + std::string(kFormat);
    if (fraction >= 1.0) fraction = 0.999999999;  // rounding of many 9s must not reach the next second
  }

  int offset_minutes = 0;
  if (position < text.size()) {
    const char sign = text[position];
    if ((sign == 'Z' || sign == 'z') && position + 1 == text.size()) {
      ++position;
    } else if (sign == '+' || sign == '-') {
      ++position;
      int offset_hour = 0, offset_minute = 0;
      if (!read_digits(text, position, 2, offset_hour)) return "invalid UTC offset; " + std::string(kFormat);
      if (position < text.size()) {
        read_char(text, position, ':');
        if (!read_digits(text, position, 2, offset_minute) || position != text.size()) {
          return "invalid UTC offset; " + std::string(kFormat);
        }
      }
      if (offset_hour > 23) return range_problem("offset hour", offset_hour, 0, 23);
      if (offset_minute > 59) return range_problem("offset minute", offset_minute, 0, 59);
      offset_minutes = (sign == '-' ? -1 : 1) * (offset_hour * 60 + offset_minute);
    } else {
      return "unexpected text after the seconds; " + std::string(kFormat);
    }
  }

  if (month < 1 || month > 12) return range_problem("month", month, 1, 12);
  const int month_days = days_in_month(year, month);
  if (day < 1 || day > month_days) {
    const std::string month_text = (month < 10 ? "-0" : "-") + std::to_string(month);
    return range_problem("day", day, 1, month_days) + " for " + std::string(text.substr(0, 4)) + month_text;
  }
  if (hour > 23) return range_problem("hour", hour, 0, 23);
  if (minute > 59) return range_problem("minute", minute, 0, 59);
  if (second > 59) return range_problem("second", second, 0, 59);

  seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
            static_cast<std::int64_t>(offset_minutes) * 60;
  return std::string();
}

}  // namespace detail

// Parses a timestamp (see the file comment) into UTC seconds since the epoch. A fraction of a
// second is dropped, which rounds toward the earlier second. Throws DataError naming the text and
// the invalid field, for example "month 13 is out of range 1-12".
inline std::int64_t parse_timestamp(std::string_view text) {
  std::int64_t seconds = 0;
  double fraction = 0.0;
  const std::string problem = detail::try_parse_timestamp(text, seconds, fraction);
  if (!problem.empty()) throw DataError("invalid timestamp '" + std::string(text) + "': " + problem);
  return seconds;
}

// Parses a timestamp like parse_timestamp but keeps the fraction of a second. The result is
// UTC seconds since the epoch as a double, which resolves about 0.5 microseconds for current dates.
inline double parse_timestamp_fractional(std::string_view text) {
  std::int64_t seconds = 0;
  double fraction = 0.0;
  const std::string problem = detail::try_parse_timestamp(text, seconds, fraction);
  if (!problem.empty()) throw DataError("invalid timestamp '" + std::string(text) + "': " + problem);
  return static_cast<double>(seconds) + fraction;
}

// Formats UTC seconds since the epoch as "YYYY-MM-DD HH:MM:SS" (UTC, no offset). Throws
// std::out_of_range for a time outside the years 0000-9999.
inline std::string format_timestamp(std::int64_t utc_seconds) {
  constexpr std::int64_t kFirst = days_from_civil(0, 1, 1) * 86400;
  constexpr std::int64_t kEnd = days_from_civil(10000, 1, 1) * 86400;
  if (utc_seconds < kFirst || utc_seconds >= kEnd) {
    throw std::out_of_range("timestamp " + std::to_string(utc_seconds) + " s is outside the years 0000-9999");
  }

  // Floor division, so times before 1970 get a non-negative second of the day.
  std::int64_t days = utc_seconds / 86400;
  std::int64_t second_of_day = utc_seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }

  // Inverse of days_from_civil: split the day count into 400-year eras counted from 0000-03-01.
  const std::int64_t day_number = days + 719468;
  const std::int64_t era = (day_number >= 0 ? day_number : day_number - 146096) / 146097;
  const std::int64_t day_of_era = day_number - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  std::string text = "0000-00-00 00:00:00";
  const auto put = [&text](std::size_t end, std::int64_t value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10) text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(4, year, 4);
  put(7, month, 2);
  put(10, day, 2);
  put(13, second_of_day / 3600, 2);
  put(16, second_of_day / 60 % 60, 2);
  put(19, second_of_day % 60, 2);
  return text;
}

}  // namespace tsdl::data
