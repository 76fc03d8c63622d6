// Delimited-text (CSV) reader with a header row, quoted fields and locale-independent numbers.
//
// Accepted input: UTF-8 or ASCII text, an optional UTF-8 byte-order mark, "\n" or "\r\n" line
// ends, a header row naming the columns, and ',', ';' or tab as the delimiter. A field may be
// quoted with '"', and a quoted field may contain the delimiter, line breaks and doubled quotes
// (""), which stand for one quote. Empty lines are skipped, so a one-column file cannot contain an
// empty cell. Every error is a DataError whose message starts with "FILE:LINE:".
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tsdl/data/error.hpp"
#include "tsdl/data/matrix.hpp"

namespace tsdl::data {

struct CsvOptions {
  // Field delimiter: ',', ';' or '\t'. The value '\0' picks whichever of the three occurs most
  // often (outside quotes) in the header row, and ',' when none occurs.
  char delimiter = ',';
};

namespace detail {

inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

inline bool is_nan_word(std::string_view text) {
  return text.size() == 3 && (text[0] == 'n' || text[0] == 'N') && (text[1] == 'a' || text[1] == 'A') &&
         (text[2] == 'n' || text[2] == 'N');
}

inline std::string delimiter_name(char delimiter) {
  if (delimiter == '\t') return "tab";
  return std::string("'") + delimiter + "'";
}

}  // namespace detail

// Parses one numeric cell without consulting the C or C++ locale, so '.' is always the decimal
// separator. Blanks around the number and a leading '+' are accepted. Returns NaN for an empty cell
// and for "NaN" in any letter case (a missing value). Returns nullopt for anything else that is not
// a finite decimal number, including "inf", "1,5", "12abc" and values that overflow a double.
inline std::optional<double> parse_number(std::string_view text) {
  text = detail::trim_blanks(text);
  if (text.empty() || detail::is_nan_word(text)) return std::numeric_limits<double>::quiet_NaN();

  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  }
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Streaming reader over a whole CSV file held in memory. Usage:
//   CsvReader reader(path);
//   const std::size_t volt = reader.column("volt");
//   while (reader.next()) { double v = reader.number(volt); ... }
class CsvReader {
 public:
  // Reads `path` and its header row. Throws DataError when the file cannot be opened, is empty,
  // is UTF-16 or binary (contains a NUL byte), or has a malformed header. Throws
  // std::invalid_argument for a delimiter other than ',', ';', tab or '\0'.
  explicit CsvReader(const std::filesystem::path& path, const CsvOptions& options = {}) : path_(path) {
    if (options.delimiter != ',' && options.delimiter != ';' && options.delimiter != '\t' &&
        options.delimiter != '\0') {
      throw std::invalid_argument("invalid CSV delimiter " + detail::delimiter_name(options.delimiter) +
                                  ": use ',', ';', '\\t' or '\\0' to detect it");
    }
    load_file();
    check_text();
    delimiter_ = options.delimiter != '\0' ? options.delimiter : detect_delimiter();
    read_header();
  }

  const std::filesystem::path& path() const { return path_; }
  char delimiter() const { return delimiter_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t column_count() const { return header_.size(); }

  // Returns the index of the column named `name`, or nullopt when the header has no such column.
  // Throws DataError when the name occurs more than once in the header.
  std::optional<std::size_t> find_column(std::string_view name) const {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] != name) continue;
      if (found) {
        throw DataError(location(1) + "column name '" + std::string(name) + "' occurs twice in the header (columns " +
                        std::to_string(*found + 1) + " and " + std::to_string(i + 1) + ")");
      }
      found = i;
    }
    return found;
  }

  // Returns the index of the column named `name`. Throws DataError listing the header when the
  // column is missing.
  std::size_t column(std::string_view name) const {
    const std::optional<std::size_t> index = find_column(name);
    if (index) return *index;
    std::string available;
    for (const std::string& column_name : header_) {
      available += available.empty() ? "'" : ", '";
      available += column_name + "'";
    }
    throw DataError(location(1) + "column '" + std::string(name) + "' not found in the header; the columns are " +
                    available + " (delimiter " + detail::delimiter_name(delimiter_) + ")");
  }

  // Advances to the next data row and returns false at the end of the file. Throws DataError for
  // a row with fewer or more fields than the header, an unterminated quote, or text after a
  // closing quote.
  bool next() {
    skip_empty_lines();
    if (position_ >= text_.size()) return false;
    row_line_ = line_;

    const std::size_t expected = header_.size();
    std::size_t count = 0;
    std::string first_extra;
    for (;;) {
      if (count < expected) {
        fields_[count] = scan_field(scratch_[count]);
      } else {
        std::string_view extra = scan_field(scratch_[expected]);
        if (count == expected) first_extra.assign(extra);
      }
      ++count;
      if (position_ < text_.size() && text_[position_] == delimiter_) {
        ++position_;
        continue;
      }
      consume_line_end();
      break;
    }

    if (count < expected) {
      throw DataError(location(row_line_) + "column '" + header_[count] + "' (" + std::to_string(count + 1) +
                      "): value missing, because the row has " + std::to_string(count) +
                      " fields and the header has " + std::to_string(expected));
    }
    if (count > expected) {
      throw DataError(location(row_line_) + "row has " + std::to_string(count) + " fields but the header has " +
                      std::to_string(expected) + "; first extra value '" + first_extra + "' in field " +
                      std::to_string(expected + 1));
    }
    ++rows_read_;
    return true;
  }

  // Returns the text of field `column` in the current row, without quotes. The view is valid
  // until the next call to next().
  std::string_view field(std::size_t column) const { return fields_.at(column); }

  // Parses field `column` of the current row as a number (see parse_number). Returns NaN for an
  // empty or "NaN" cell and counts it in nan_counts(). Throws DataError naming the file, line,
  // column and value for any other non-numeric text.
  double number(std::size_t column) {
    const std::string_view text = field(column);
    const std::optional<double> value = parse_number(text);
    if (!value) {
      std::string problem = "invalid number '" + std::string(text) + "'";
      if (text.find(',') != std::string_view::npos) problem += " (the decimal separator must be '.')";
      raise(column, problem);
    }
    if (std::isnan(*value)) ++nan_counts_[column];
    return *value;
  }

  // Number of NaN cells that number() returned so far, per column.
  const std::vector<std::int64_t>& nan_counts() const { return nan_counts_; }

  // 1-based line number on which the current row starts (the header is on line 1).
  std::int64_t line() const { return row_line_; }

  // Number of data rows returned by next() so far.
  std::int64_t rows_read() const { return rows_read_; }

  // Throws DataError "FILE:LINE: column 'NAME' (N): PROBLEM" for the current row.
  [[noreturn]] void raise(std::size_t column, const std::string& problem) const {
    throw DataError(location(row_line_) + "column '" + header_.at(column) + "' (" + std::to_string(column + 1) +
                    "): " + problem);
  }

  // Returns the "FILE:LINE: " prefix that every message of this reader starts with.
  std::string location(std::int64_t line) const { return path_.string() + ":" + std::to_string(line) + ": "; }

 private:
  void load_file() {
    std::error_code error;
    if (std::filesystem::is_directory(path_, error)) {
      throw DataError(path_.string() + ": failed to open CSV file: it is a directory");
    }
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw DataError(path_.string() + ": failed to open CSV file: file not found or not readable");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    text_.resize(static_cast<std::size_t>(std::max<std::streamoff>(size, 0)));
    if (!text_.empty() && !in.read(text_.data(), static_cast<std::streamsize>(text_.size()))) {
      throw DataError(path_.string() + ": failed to read CSV file");
    }
  }

  void check_text() {
    if (text_.size() >= 2 && ((text_[0] == '\xFF' && text_[1] == '\xFE') || (text_[0] == '\xFE' && text_[1] == '\xFF'))) {
      throw DataError(path_.string() + ":1: file is UTF-16 encoded; convert it to UTF-8");
    }
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) position_ = 3;

    const void* nul = std::memchr(text_.data(), '\0', text_.size());
    if (nul != nullptr) {
      const std::size_t offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text_.data());
      const auto line = 1 + std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
      throw DataError(location(line) + "file is not a text file: NUL byte at byte offset " + std::to_string(offset));
    }

    skip_empty_lines();
    if (position_ >= text_.size()) throw DataError(path_.string() + ":1: file is empty; expected a header row");
  }

  // Counts ',', ';' and tabs outside quotes on the header line.
  char detect_delimiter() const {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (std::size_t i = position_; i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '\n') break;
      commas += c == ',';
      semicolons += c == ';';
      tabs += c == '\t';
    }
    if (semicolons > commas && semicolons >= tabs) return ';';
    if (tabs > commas && tabs > semicolons) return '\t';
    return ',';
  }

  void read_header() {
    row_line_ = line_;
    std::string scratch;
    for (;;) {
      header_.emplace_back(detail::trim_blanks(scan_field(scratch)));
      if (position_ < text_.size() && text_[position_] == delimiter_) {
        ++position_;
        continue;
      }
      consume_line_end();
      break;
    }
    fields_.assign(header_.size(), std::string_view());
    scratch_.assign(header_.size() + 1, std::string());
    nan_counts_.assign(header_.size(), 0);
  }

  void skip_empty_lines() {
    while (position_ < text_.size()) {
      if (text_[position_] == '\n') {
        ++position_;
      } else if (text_[position_] == '\r' && position_ + 1 < text_.size() && text_[position_ + 1] == '\n') {
        position_ += 2;
      } else {
        break;
      }
      ++line_;
    }
  }

  void consume_line_end() {
    if (position_ >= text_.size()) return;
    if (text_[position_] == '\r') ++position_;
    ++position_;  // the '\n'
    ++line_;
  }

  bool at_field_end(std::size_t i) const {
    if (i >= text_.size()) return true;
    const char c = text_[i];
    return c == delimiter_ || c == '\n' || (c == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n');
  }

  // Scans one field starting at position_ and leaves position_ on the delimiter, the line end or
  // the end of the text. A quoted field that contains doubled quotes is unescaped into `scratch`,
  // and the returned view then points into `scratch`.
  std::string_view scan_field(std::string& scratch) {
    const std::size_t size = text_.size();
    if (position_ >= size || text_[position_] != '"') {
      const std::size_t begin = position_;
      while (!at_field_end(position_)) ++position_;
      return std::string_view(text_.data() + begin, position_ - begin);
    }

    const std::int64_t open_line = line_;
    const std::size_t begin = ++position_;
    bool has_doubled_quote = false;
    std::size_t end = 0;
    for (;;) {
      const std::size_t quote = text_.find('"', position_);
      if (quote == std::string::npos) {
        throw DataError(location(open_line) + "quoted field is not terminated: no closing '\"' before the end of the file");
      }
      line_ += std::count(text_.begin() + static_cast<std::ptrdiff_t>(position_),
                          text_.begin() + static_cast<std::ptrdiff_t>(quote), '\n');
      if (quote + 1 < size && text_[quote + 1] == '"') {
        has_doubled_quote = true;
        position_ = quote + 2;
        continue;
      }
      end = quote;
      position_ = quote + 1;
      break;
    }
    if (!at_field_end(position_)) {
      throw DataError(location(line_) + "unexpected character '" + std::string(1, text_[position_]) +
                      "' after a closing quote; a quoted field must end at a delimiter or line end");
    }

    const std::string_view raw(text_.data() + begin, end - begin);
    if (!has_doubled_quote) return raw;
    scratch.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      scratch.push_back(raw[i]);
      if (raw[i] == '"') ++i;  // skip the second quote of a doubled pair
    }
    return scratch;
  }

  std::filesystem::path path_;
  std::string text_;
  std::size_t position_ = 0;
  std::int64_t line_ = 1;
  std::int64_t row_line_ = 1;
  std::int64_t rows_read_ = 0;
  char delimiter_ = ',';
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> scratch_;
  std::vector<std::int64_t> nan_counts_;
};

// Numeric columns of a CSV file.
struct NumericTable {
  std::vector<std::string> columns;
  RowMatrix values;                     // (rows, columns.size())
  std::vector<std::int64_t> nan_counts;  // empty or "NaN" cells per column
};

// Reads the named columns of a CSV file as numbers, in the order given. Throws DataError when a
// column is missing, a row is short or long, or a selected cell is not a number. Cells of other
// columns are not parsed.
inline NumericTable read_numeric_csv(const std::filesystem::path& path, const std::vector<std::string>& columns,
                                     const CsvOptions& options = {}) {
  CsvReader reader(path, options);
  std::vector<std::size_t> indices;
  for (const std::string& name : columns) indices.push_back(reader.column(name));

  std::vector<double> flat;
  while (reader.next()) {
    for (std::size_t index : indices) flat.push_back(reader.number(index));
  }

  NumericTable table;
  table.columns = columns;
  const Eigen::Index width = static_cast<Eigen::Index>(columns.size());
  const Eigen::Index rows = width == 0 ? reader.rows_read() : static_cast<Eigen::Index>(flat.size()) / width;
  table.values = Eigen::Map<const RowMatrix>(flat.data(), rows, width);
  for (std::size_t index : indices) table.nan_counts.push_back(reader.nan_counts()[index]);
  return table;
}

}  // namespace tsdl::data
