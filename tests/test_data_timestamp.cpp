// Tests for tsdl/data/timestamp.hpp: parsing, offsets, range checks and formatting.
#include <cstdint>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "test_support.hpp"
#include "tsdl/data/timestamp.hpp"

using tsdl::data::DataError;
using tsdl::data::days_from_civil;
using tsdl::data::format_timestamp;
using tsdl::data::parse_timestamp;
using tsdl::data::parse_timestamp_fractional;

// 2015-01-01 06:00:00 UTC, computed by hand: 16436 days after 1970-01-01 (45 years with 11 leap
// days: 45 * 365 + 11 = 16436), plus 6 hours.
constexpr std::int64_t kAzureStart = 16436LL * 86400 + 6 * 3600;

TEST_CASE("days_from_civil known dates") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1970, 1, 2) == 1);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);  // 30 years with 7 leap days, plus Jan and Feb 2000 (60 days)
  CHECK(days_from_civil(2015, 1, 1) == 16436);
  CHECK(days_from_civil(2016, 3, 1) - days_from_civil(2016, 2, 28) == 2);  // 2016 is a leap year
  CHECK(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28) == 1);  // 2100 is not
}

TEST_CASE("timestamp space and T layouts") {
  CHECK(parse_timestamp("1970-01-01 00:00:00") == 0);
  CHECK(parse_timestamp("2015-01-01 06:00:00") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T06:00:00") == kAzureStart);
  CHECK(parse_timestamp("  2015-01-01 06:00:00 ") == kAzureStart);
  CHECK(parse_timestamp("2015-01-02 03:00:00") == kAzureStart + 21 * 3600);
  CHECK(parse_timestamp("1969-12-31 23:59:59") == -1);
  CHECK(parse_timestamp("2016-02-29 12:00:00") == (days_from_civil(2016, 2, 29) * 86400 + 12 * 3600));
}

TEST_CASE("timestamp offsets convert to UTC") {
  CHECK(parse_timestamp("2015-01-01T06:00:00Z") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T08:00:00+02:00") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T08:00:00+0200") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T08:00:00+02") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T00:30:00-0530") == kAzureStart);
  CHECK(parse_timestamp("2015-01-01T00:30:00-05:30") == kAzureStart);
  // An offset can move the date across midnight and the year boundary.
  CHECK(parse_timestamp("2015-01-01T01:00:00+02:00") == parse_timestamp("2014-12-31 23:00:00"));
}

TEST_CASE("timestamp fractional seconds") {
  // The integer overload drops the fraction, which rounds toward the earlier second.
  CHECK(parse_timestamp("2015-01-01T06:00:00.999Z") == kAzureStart);
  CHECK(parse_timestamp("1969-12-31 23:59:59.5") == -1);
  CHECK(parse_timestamp_fractional("2015-01-01T06:00:00.25Z") == doctest::Approx(kAzureStart + 0.25).epsilon(1e-15));
  CHECK(parse_timestamp_fractional("1970-01-01T00:00:01.5+00:00") == 1.5);
  CHECK(parse_timestamp_fractional("1970-01-01 00:00:00.000001") == doctest::Approx(1e-6));
}

TEST_CASE("timestamp out-of-range fields name the value") {
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-13-01 00:00:00"),
                       "invalid timestamp '2015-13-01 00:00:00': month 13 is out of range 1-12", DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-02-30 00:00:00"),
                       "invalid timestamp '2015-02-30 00:00:00': day 30 is out of range 1-28 for 2015-02", DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-02-29 00:00:00"), doctest::Contains("day 29 is out of range 1-28"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-04-31 00:00:00"), doctest::Contains("day 31 is out of range 1-30"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-00 00:00:00"), doctest::Contains("day 0 is out of range"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-00-10 00:00:00"), doctest::Contains("month 0 is out of range"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-01 24:00:00"), doctest::Contains("hour 24 is out of range 0-23"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-01 23:60:00"), doctest::Contains("minute 60 is out of range 0-59"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-01 23:59:60"), doctest::Contains("second 60 is out of range 0-59"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-01T00:00:00+24:00"), doctest::Contains("offset hour 24"), DataError);
  CHECK_THROWS_WITH_AS(parse_timestamp("2015-01-01T00:00:00+01:60"), doctest::Contains("offset minute 60"), DataError);
}

TEST_CASE("timestamp malformed layouts") {
  for (const char* text : {"", "2015-01-01", "2015/01/01 00:00:00", "15-01-01 00:00:00", "2015-1-01 00:00:00",
                           "2015-01-01 6:00:00", "2015-01-01 06:00", "2015-01-01x06:00:00", "2015-01-01 06:00:00 UTC",
                           "2015-01-01 06:00:00.", "2015-01-01T06:00:00+2", "2015-01-01T06:00:00+02:0",
                           "2015-01-01T06:00:00Zjunk"}) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_timestamp(text), doctest::Contains("invalid timestamp '"), DataError);
  }
}

TEST_CASE("format_timestamp round trip") {
  CHECK(format_timestamp(0) == "1970-01-01 00:00:00");
  CHECK(format_timestamp(kAzureStart) == "2015-01-01 06:00:00");
  CHECK(format_timestamp(-1) == "1969-12-31 23:59:59");
  CHECK(format_timestamp(days_from_civil(2016, 2, 29) * 86400 + 45296) == "2016-02-29 12:34:56");
  CHECK(format_timestamp(days_from_civil(9999, 12, 31) * 86400 + 86399) == "9999-12-31 23:59:59");
  CHECK(format_timestamp(days_from_civil(0, 1, 1) * 86400) == "0000-01-01 00:00:00");
  CHECK_THROWS_AS(format_timestamp(days_from_civil(10000, 1, 1) * 86400), std::out_of_range);
  CHECK_THROWS_AS(format_timestamp(days_from_civil(0, 1, 1) * 86400 - 1), std::out_of_range);

  // Every hour of 2015 and 2016 (a leap year) formats back to the text it was parsed from.
  for (std::int64_t t = kAzureStart; t < kAzureStart + 2 * 366 * 86400; t += 3600) {
    const std::string text = format_timestamp(t);
    REQUIRE(parse_timestamp(text) == t);
  }
}
