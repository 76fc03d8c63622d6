// Tests for tsdl/data/csv.hpp: number parsing, the CSV reader and its error messages.
#include <cmath>
#include <cstdio>
#include <string>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "test_support.hpp"
#include "tsdl/data/csv.hpp"

using tsdl::data::CsvOptions;
using tsdl::data::CsvReader;
using tsdl::data::DataError;
using tsdl::data::parse_number;
using tsdl_test::TempDir;

TEST_CASE("parse_number accepts decimal numbers") {
  CHECK(*parse_number("1.5") == 1.5);
  CHECK(*parse_number("-0.25") == -0.25);
  CHECK(*parse_number(" 2 ") == 2.0);
  CHECK(*parse_number("+3e2") == 300.0);
  CHECK(*parse_number(".5") == 0.5);
  CHECK(*parse_number("176.217853015625") == 176.217853015625);
}

TEST_CASE("parse_number maps empty and NaN to NaN") {
  CHECK(std::isnan(*parse_number("")));
  CHECK(std::isnan(*parse_number("   ")));
  CHECK(std::isnan(*parse_number("NaN")));
  CHECK(std::isnan(*parse_number("nan")));
  CHECK(std::isnan(*parse_number("NAN")));
}

TEST_CASE("parse_number rejects non-numbers") {
  for (const char* text : {"1,5", "abc", "1.5x", "inf", "-inf", "1e999", "+-1", "--1", "+", "-nan", "0x10", "1 2"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_number(text).has_value());
  }
}

TEST_CASE("csv reader handles BOM and CRLF") {
  TempDir dir;
  const auto path = dir.write("bom.csv", "\xEF\xBB\xBFtime,volt,note\r\n1,170.5,a\r\n2,171.25,b\r\n");
  CsvReader reader(path);
  REQUIRE(reader.header().size() == 3);
  CHECK(reader.header()[0] == "time");  // the byte-order mark is not part of the first name
  CHECK(reader.header()[2] == "note");  // no '\r' left on the last name
  const std::size_t volt = reader.column("volt");
  const std::size_t note = reader.column("note");
  REQUIRE(reader.next());
  CHECK(reader.line() == 2);
  CHECK(reader.number(volt) == 170.5);
  CHECK(reader.field(note) == "a");
  REQUIRE(reader.next());
  CHECK(reader.line() == 3);
  CHECK(reader.number(volt) == 171.25);
  CHECK(reader.field(note) == "b");
  CHECK_FALSE(reader.next());
  CHECK(reader.rows_read() == 2);
}

TEST_CASE("csv reader handles quoted fields") {
  TempDir dir;
  const auto path = dir.write("quoted.csv",
                              "id,\"name, with comma\",value\n"
                              "1,\"say \"\"hi\"\"\",3.5\n"
                              "2,\"two\nlines\",4\n"
                              "3,\"\",5\n"
                              "4,plain,\"6.5\"\n");
  CsvReader reader(path);
  CHECK(reader.header()[1] == "name, with comma");
  const std::size_t name = reader.column("name, with comma");
  const std::size_t value = reader.column("value");

  REQUIRE(reader.next());
  CHECK(reader.field(name) == "say \"hi\"");
  CHECK(reader.number(value) == 3.5);

  REQUIRE(reader.next());
  CHECK(reader.field(name) == "two\nlines");
  CHECK(reader.line() == 3);

  REQUIRE(reader.next());
  CHECK(reader.line() == 5);  // the quoted line break moved this row down one line
  CHECK(reader.field(name) == "");
  CHECK(reader.number(value) == 5.0);

  REQUIRE(reader.next());
  CHECK(reader.number(value) == 6.5);
  CHECK_FALSE(reader.next());
}

TEST_CASE("csv reader semicolon and tab delimiters") {
  TempDir dir;
  const auto semicolon = dir.write("semicolon.csv", "a;b\n1.5;2\n");
  const auto tab = dir.write("tab.csv", "a\tb\n3\t4.25\n");

  CsvReader semicolon_reader(semicolon, CsvOptions{';'});
  REQUIRE(semicolon_reader.next());
  CHECK(semicolon_reader.number(semicolon_reader.column("a")) == 1.5);
  CHECK(semicolon_reader.number(semicolon_reader.column("b")) == 2.0);

  CsvReader tab_reader(tab, CsvOptions{'\t'});
  REQUIRE(tab_reader.next());
  CHECK(tab_reader.number(tab_reader.column("b")) == 4.25);

  // With the wrong delimiter the header is one column and the lookup names the delimiter.
  CsvReader wrong(semicolon, CsvOptions{','});
  CHECK_THROWS_WITH_AS(wrong.column("a"), doctest::Contains("delimiter ','"), DataError);
}

TEST_CASE("csv reader detects the delimiter") {
  TempDir dir;
  CHECK(CsvReader(dir.write("s.csv", "a;b;\"x,y,z\"\n1;2;3\n"), CsvOptions{'\0'}).delimiter() == ';');
  CHECK(CsvReader(dir.write("t.csv", "a\tb\n1\t2\n"), CsvOptions{'\0'}).delimiter() == '\t');
  CHECK(CsvReader(dir.write("c.csv", "a,b\n1,2\n"), CsvOptions{'\0'}).delimiter() == ',');
  CHECK(CsvReader(dir.write("one.csv", "a\n1\n"), CsvOptions{'\0'}).delimiter() == ',');
}

TEST_CASE("csv reader counts NaN cells") {
  TempDir dir;
  const auto path = dir.write("nan.csv", "a,b\n1,\n,NaN\n3,4\n");
  CsvReader reader(path);
  double sum_a = 0.0;
  int nan_b = 0;
  while (reader.next()) {
    const double a = reader.number(0);
    const double b = reader.number(1);
    if (!std::isnan(a)) sum_a += a;
    nan_b += std::isnan(b);
  }
  CHECK(sum_a == 4.0);
  CHECK(nan_b == 2);
  CHECK(reader.nan_counts()[0] == 1);
  CHECK(reader.nan_counts()[1] == 2);
}

TEST_CASE("csv reader skips empty lines") {
  TempDir dir;
  const auto path = dir.write("blank.csv", "a,b\n\n1,2\r\n\r\n3,4\n\n");
  CsvReader reader(path);
  REQUIRE(reader.next());
  CHECK(reader.line() == 3);
  REQUIRE(reader.next());
  CHECK(reader.line() == 5);
  CHECK(reader.number(0) == 3.0);
  CHECK_FALSE(reader.next());
}

TEST_CASE("csv reader last line without newline") {
  TempDir dir;
  CsvReader reader(dir.write("end.csv", "a,b\n1,2"));
  REQUIRE(reader.next());
  CHECK(reader.number(1) == 2.0);
  CHECK_FALSE(reader.next());
}

TEST_CASE("csv short row names file, line and column") {
  TempDir dir;
  const auto path = dir.write("short.csv", "time,volt,rotate\n1,2,3\n2,170.5\n");
  CsvReader reader(path);
  REQUIRE(reader.next());
  CHECK_THROWS_WITH_AS(reader.next(), tsdl_test::contains(path.string() + ":3: column 'rotate' (3): value missing"),
                       DataError);
}

TEST_CASE("csv long row names the extra value") {
  TempDir dir;
  const auto path = dir.write("long.csv", "a,b\n1,2,99\n");
  CsvReader reader(path);
  CHECK_THROWS_WITH_AS(reader.next(), tsdl_test::contains(path.string() + ":2: row has 3 fields but the header has 2"),
                       DataError);
  CsvReader again(path);
  CHECK_THROWS_WITH_AS(again.next(), doctest::Contains("first extra value '99' in field 3"), DataError);
}

TEST_CASE("csv non-numeric value names file, line, column and value") {
  TempDir dir;
  const auto path = dir.write("bad.csv", "time,volt\n1,170\n2,abc\n");
  CsvReader reader(path);
  const std::size_t volt = reader.column("volt");
  REQUIRE(reader.next());
  CHECK(reader.number(volt) == 170.0);
  REQUIRE(reader.next());
  CHECK_THROWS_WITH_AS(reader.number(volt), tsdl_test::contains(path.string() + ":3: column 'volt' (2): invalid number 'abc'"),
                       DataError);
}

TEST_CASE("csv decimal comma gets a hint") {
  TempDir dir;
  const auto path = dir.write("comma.csv", "a;b\n1,5;2\n");
  CsvReader reader(path, CsvOptions{';'});
  REQUIRE(reader.next());
  CHECK_THROWS_WITH_AS(reader.number(0), doctest::Contains("invalid number '1,5' (the decimal separator must be '.')"),
                       DataError);
}

TEST_CASE("csv missing column lists the header") {
  TempDir dir;
  const auto path = dir.write("cols.csv", "a,b\n1,2\n");
  CsvReader reader(path);
  CHECK_THROWS_WITH_AS(reader.column("volt"),
                       tsdl_test::contains(path.string() + ":1: column 'volt' not found in the header; the columns are 'a', 'b'"),
                       DataError);
  CHECK_FALSE(reader.find_column("volt").has_value());
}

TEST_CASE("csv duplicate header name is ambiguous") {
  TempDir dir;
  CsvReader reader(dir.write("dup.csv", "a,b,a\n1,2,3\n"));
  CHECK_THROWS_WITH_AS(reader.column("a"), doctest::Contains("column name 'a' occurs twice in the header (columns 1 and 3)"),
                       DataError);
  CHECK(reader.column("b") == 1);
}

TEST_CASE("csv empty and blank files are rejected") {
  TempDir dir;
  const auto empty = dir.write("empty.csv", "");
  const auto bom_only = dir.write("bom_only.csv", "\xEF\xBB\xBF");
  const auto blank = dir.write("blank.csv", "\n\r\n\n");
  CHECK_THROWS_WITH_AS(CsvReader{empty}, tsdl_test::contains(empty.string() + ":1: file is empty; expected a header row"),
                       DataError);
  CHECK_THROWS_WITH_AS(CsvReader{bom_only}, doctest::Contains("file is empty"), DataError);
  CHECK_THROWS_WITH_AS(CsvReader{blank}, doctest::Contains("file is empty"), DataError);
}

TEST_CASE("csv binary file is rejected") {
  TempDir dir;
  const auto path = dir.write("binary.csv", std::string("a,b\n1,2\n3,\0\x01\x02", 13));
  CHECK_THROWS_WITH_AS(CsvReader{path},
                       tsdl_test::contains(path.string() + ":3: file is not a text file: NUL byte at byte offset 10"),
                       DataError);
}

TEST_CASE("csv UTF-16 file is rejected") {
  TempDir dir;
  const auto path = dir.write("utf16.csv", std::string("\xFF\xFE" "a\0,\0b\0", 8));
  CHECK_THROWS_WITH_AS(CsvReader{path}, doctest::Contains("file is UTF-16 encoded; convert it to UTF-8"), DataError);
}

TEST_CASE("csv quote errors name the line") {
  TempDir dir;
  const auto open_quote = dir.write("open.csv", "a,b\n1,2\n3,\"unterminated\n4,5\n");
  CsvReader reader(open_quote);
  REQUIRE(reader.next());
  CHECK_THROWS_WITH_AS(reader.next(), tsdl_test::contains(open_quote.string() + ":3: quoted field is not terminated"),
                       DataError);

  const auto after_quote = dir.write("after.csv", "a,b\n\"1\"x,2\n");
  CsvReader second(after_quote);
  CHECK_THROWS_WITH_AS(second.next(), tsdl_test::contains(after_quote.string() + ":2: unexpected character 'x' after a closing quote"),
                       DataError);
}

TEST_CASE("csv missing file and directory") {
  TempDir dir;
  const auto missing = dir.path() / "missing.csv";
  CHECK_THROWS_WITH_AS(CsvReader{missing}, tsdl_test::contains(missing.string() + ": failed to open CSV file"), DataError);
  CHECK_THROWS_WITH_AS(CsvReader{dir.path()}, doctest::Contains("it is a directory"), DataError);
}

TEST_CASE("csv invalid delimiter option") {
  TempDir dir;
  const auto path = dir.write("a.csv", "a|b\n1|2\n");
  CHECK_THROWS_AS(CsvReader(path, CsvOptions{'|'}), std::invalid_argument);
}

TEST_CASE("read_numeric_csv selects columns by name") {
  TempDir dir;
  const auto path = dir.write("table.csv", "time;volt;label;rotate\nx;1.5;a;10\ny;;b;20\nz;3;c;NaN\n");
  const auto table = tsdl::data::read_numeric_csv(path, {"rotate", "volt"}, CsvOptions{';'});
  REQUIRE(table.values.rows() == 3);
  REQUIRE(table.values.cols() == 2);
  CHECK(table.values(0, 0) == 10.0);
  CHECK(table.values(0, 1) == 1.5);
  CHECK(table.values(1, 0) == 20.0);
  CHECK(std::isnan(table.values(1, 1)));
  CHECK(std::isnan(table.values(2, 0)));
  CHECK(table.values(2, 1) == 3.0);
  CHECK(table.nan_counts[0] == 1);
  CHECK(table.nan_counts[1] == 1);

  // The text columns are never parsed as numbers, but a bad cell in a selected column fails.
  const auto bad = dir.write("bad.csv", "time;volt\nx;1\ny;1.2.3\n");
  CHECK_THROWS_WITH_AS(tsdl::data::read_numeric_csv(bad, {"volt"}, CsvOptions{';'}),
                       tsdl_test::contains(bad.string() + ":3: column 'volt' (2): invalid number '1.2.3'"), DataError);
}

TEST_CASE("csv numbers ignore a German locale") {
  tsdl_test::ScopedGermanLocale german;
  if (!german.active()) {
    MESSAGE("skipping: no German locale is installed (tried de_DE.UTF-8, de_DE.utf8, de_DE)");
    return;
  }
  // Under this locale strtod would read "1,5" as 1.5 and stop at the '.' of "170.25".
  double c_library = 0.0;
  CHECK(std::sscanf("1,5", "%lf", &c_library) == 1);
  CHECK(c_library == 1.5);

  TempDir dir;
  const auto path = dir.write("numbers.csv", "volt;rotate\n170.25;1,5\n");
  CsvReader reader(path, CsvOptions{';'});
  REQUIRE(reader.next());
  CHECK(reader.number(0) == 170.25);
  CHECK_THROWS_AS(reader.number(1), DataError);
  CHECK(*parse_number("1e-3") == 0.001);
}
