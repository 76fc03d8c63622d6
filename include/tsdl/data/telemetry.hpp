// Telemetry data set: sensor rows grouped by machine and sorted by time, plus failure events.
//
// The default format is the Azure predictive-maintenance layout:
//   PdM_telemetry.csv  datetime,machineID,volt,rotate,pressure,vibration
//   PdM_failures.csv   datetime,machineID,failure          (failure is comp1..comp4)
// TelemetryFormat renames the columns and sets the delimiter, so other sensor logs load too. A log
// without a machine column is one machine, and a 0/1 anomaly column can replace the failures file
// (see TelemetryFormat::anomaly_column).
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tsdl/data/csv.hpp"
#include "tsdl/data/error.hpp"
#include "tsdl/data/matrix.hpp"
#include "tsdl/data/timestamp.hpp"

namespace tsdl::data {

// Sensor rows of one machine, sorted by time with no duplicate times.
struct MachineSeries {
  int machine_id = 0;
  std::vector<std::int64_t> times;  // UTC seconds since the epoch, strictly increasing
  RowMatrix values;                 // (times.size(), features); NaN marks a missing reading
};

// One failure event: a component of a machine failed at `time` (UTC seconds).
struct Failure {
  int machine_id = 0;
  std::int64_t time = 0;
  std::string component;
};

// Handling of rows of one machine that share a timestamp in load_telemetry.
enum class DuplicatePolicy {
  kKeepFirst,  // keep the row that comes first in the file, drop the others, count them in the report
  kError,      // throw DataError naming both lines
};

// Rows of a 0/1 anomaly column that become failure events.
enum class AnomalyEvents {
  kOnset,     // the first row of every run of 1s, so labels mark the hours before an anomaly starts
  kEveryRow,  // every row with 1; with a label horizon shorter than the sampling interval, the
              // labels then equal the anomaly column
};

// Column names and delimiters of the telemetry and failures files.
struct TelemetryFormat {
  char delimiter = ',';  // ',', ';', '\t', or '\0' to detect it from the header
  std::string time_column = "datetime";
  std::string machine_column = "machineID";  // empty: the whole file is machine `single_machine_id`
  int single_machine_id = 1;
  std::vector<std::string> feature_columns = {"volt", "rotate", "pressure", "vibration"};

  char failures_delimiter = ',';
  std::string failure_time_column = "datetime";
  std::string failure_machine_column = "machineID";  // empty: every failure is `single_machine_id`
  std::string failure_component_column = "failure";

  // Name of a telemetry column with 0/1 values (empty: none). Its 1s become failure events as
  // chosen by `anomaly_events`, with the column name as the component. They are added to the
  // events of the failures file, which can then be omitted (an empty path).
  std::string anomaly_column;
  AnomalyEvents anomaly_events = AnomalyEvents::kOnset;

  DuplicatePolicy duplicates = DuplicatePolicy::kKeepFirst;

  // Expected seconds between consecutive rows of a machine, for the gap count. 0 infers it as the
  // most common difference over all machines.
  std::int64_t interval_seconds = 0;
};

// Counts of what load_telemetry found and fixed, with up to kMaxExamples examples of each kind.
struct LoadReport {
  static constexpr std::size_t kMaxExamples = 5;

  std::int64_t rows_read = 0;
  std::int64_t rows_kept = 0;
  std::int64_t rows_out_of_order = 0;  // rows earlier than the previous row of their machine; sorted
  std::int64_t duplicate_rows = 0;     // dropped under DuplicatePolicy::kKeepFirst
  std::vector<std::string> duplicate_examples;

  std::int64_t interval_seconds = 0;  // expected spacing used for the gap count
  std::int64_t gaps = 0;              // consecutive rows more than one interval apart
  std::int64_t missing_rows = 0;      // whole intervals missing inside those gaps
  std::vector<std::string> gap_examples;

  std::vector<std::int64_t> nan_counts;  // empty or NaN cells per feature

  std::int64_t failures_read = 0;             // rows of the failures file
  std::int64_t unknown_machine_failures = 0;  // failures of machines without telemetry; dropped
  std::vector<std::string> unknown_machine_examples;
  std::int64_t failures_outside_series = 0;   // kept failures before the first or after the last row
  std::int64_t anomaly_failures = 0;          // failures derived from the anomaly column

  // True when nothing was dropped, sorted or missing.
  bool clean() const {
    std::int64_t nans = 0;
    for (std::int64_t count : nan_counts) nans += count;
    return rows_out_of_order == 0 && duplicate_rows == 0 && gaps == 0 && unknown_machine_failures == 0 && nans == 0;
  }

  // Returns a multi-line, human-readable summary with the examples.
  std::string summary() const {
    std::string text = "rows read " + std::to_string(rows_read) + ", kept " + std::to_string(rows_kept) +
                       ", out of order " + std::to_string(rows_out_of_order) + "\n";
    text += "duplicate rows dropped: " + std::to_string(duplicate_rows) + "\n";
    for (const std::string& example : duplicate_examples) text += "  " + example + "\n";
    text += "gaps: " + std::to_string(gaps) + " (" + std::to_string(missing_rows) + " missing rows at " +
            std::to_string(interval_seconds) + " s per row)\n";
    for (const std::string& example : gap_examples) text += "  " + example + "\n";
    text += "NaN cells per feature:";
    for (std::int64_t count : nan_counts) text += " " + std::to_string(count);
    text += "\nfailures read " + std::to_string(failures_read) + ", for unknown machines (dropped) " +
            std::to_string(unknown_machine_failures) + ", outside their machine's series " +
            std::to_string(failures_outside_series) + ", from the anomaly column " +
            std::to_string(anomaly_failures) + "\n";
    for (const std::string& example : unknown_machine_examples) text += "  " + example + "\n";
    return text;
  }
};

// A loaded fleet: every machine has the same features, in the order of feature_names.
struct TelemetrySet {
  std::vector<std::string> feature_names;
  std::vector<MachineSeries> machines;  // sorted by machine_id
  std::vector<Failure> failures;        // sorted by machine_id, time, component
  LoadReport report;

  // Returns the series of `machine_id`, or nullptr when the set has no such machine.
  const MachineSeries* find_machine(int machine_id) const {
    auto found = std::lower_bound(machines.begin(), machines.end(), machine_id,
                                  [](const MachineSeries& series, int id) { return series.machine_id < id; });
    return found != machines.end() && found->machine_id == machine_id ? &*found : nullptr;
  }

  // Total number of rows over all machines.
  std::int64_t row_count() const {
    std::int64_t rows = 0;
    for (const MachineSeries& series : machines) rows += static_cast<std::int64_t>(series.times.size());
    return rows;
  }
};

namespace detail {

inline int parse_machine_id(CsvReader& reader, std::size_t column) {
  const std::string_view text = trim_blanks(reader.field(column));
  int id = 0;
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, id);
  if (result.ec == std::errc::result_out_of_range && result.ptr == end) {
    reader.raise(column, "invalid machine id '" + std::string(reader.field(column)) +
                             "': out of range; expected an integer from " +
                             std::to_string(std::numeric_limits<int>::min()) + " to " +
                             std::to_string(std::numeric_limits<int>::max()));
  }
  if (text.empty() || result.ec != std::errc() || result.ptr != end) {
    reader.raise(column, "invalid machine id '" + std::string(reader.field(column)) + "': expected an integer");
  }
  return id;
}

inline std::int64_t parse_time_field(CsvReader& reader, std::size_t column) {
  std::int64_t seconds = 0;
  double fraction = 0.0;
  const std::string problem = try_parse_timestamp(reader.field(column), seconds, fraction);
  if (!problem.empty()) reader.raise(column, "invalid timestamp '" + std::string(reader.field(column)) + "': " + problem);
  return seconds;
}

// Rows of one machine in file order, before sorting.
struct MachineRows {
  int machine_id = 0;
  std::vector<std::int64_t> times;
  std::vector<double> values;  // row-major, features per row
  std::vector<std::int64_t> lines;
  std::vector<std::uint8_t> anomaly;
};

inline void add_example(std::vector<std::string>& examples, const std::string& text) {
  if (examples.size() < LoadReport::kMaxExamples) examples.push_back(text);
}

// Sorts one machine's rows by time (stable, so file order breaks ties), applies the duplicate
// policy and returns the finished series.
inline MachineSeries finish_machine(MachineRows& rows, std::size_t features, const TelemetryFormat& format,
                                    const std::filesystem::path& path, LoadReport& report,
                                    std::vector<std::uint8_t>& anomaly_out) {
  const std::size_t count = rows.times.size();
  for (std::size_t i = 1; i < count; ++i) report.rows_out_of_order += rows.times[i] < rows.times[i - 1];

  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (!std::is_sorted(rows.times.begin(), rows.times.end())) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rows.times[a] < rows.times[b]; });
  }

  std::vector<std::size_t> kept;
  kept.reserve(count);
  for (std::size_t index : order) {
    if (!kept.empty() && rows.times[kept.back()] == rows.times[index]) {
      const std::string where = "machine " + std::to_string(rows.machine_id) + " at " +
                                format_timestamp(rows.times[index]) + ": lines " +
                                std::to_string(rows.lines[kept.back()]) + " and " + std::to_string(rows.lines[index]);
      if (format.duplicates == DuplicatePolicy::kError) {
        throw DataError(path.string() + ":" + std::to_string(rows.lines[index]) + ": duplicate timestamp for " + where +
                        "; remove one row or load with DuplicatePolicy::kKeepFirst");
      }
      ++report.duplicate_rows;
      add_example(report.duplicate_examples, where + " (kept line " + std::to_string(rows.lines[kept.back()]) + ")");
      continue;
    }
    kept.push_back(index);
  }

  MachineSeries series;
  series.machine_id = rows.machine_id;
  series.times.resize(kept.size());
  series.values.resize(static_cast<Eigen::Index>(kept.size()), static_cast<Eigen::Index>(features));
  anomaly_out.clear();
  for (std::size_t row = 0; row < kept.size(); ++row) {
    const std::size_t source = kept[row];
    series.times[row] = rows.times[source];
    for (std::size_t feature = 0; feature < features; ++feature) {
      series.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(feature)) =
          rows.values[source * features + feature];
    }
    if (!rows.anomaly.empty()) anomaly_out.push_back(rows.anomaly[source]);
  }
  return series;
}

inline std::int64_t most_common_interval(const std::vector<MachineSeries>& machines) {
  std::map<std::int64_t, std::int64_t> counts;
  for (const MachineSeries& series : machines) {
    for (std::size_t i = 1; i < series.times.size(); ++i) ++counts[series.times[i] - series.times[i - 1]];
  }
  std::int64_t best = 0, best_count = 0;
  for (const auto& [interval, count] : counts) {
    if (count > best_count) {
      best = interval;
      best_count = count;
    }
  }
  return best;
}

inline void count_gaps(const std::vector<MachineSeries>& machines, LoadReport& report) {
  const std::int64_t interval = report.interval_seconds;
  if (interval <= 0) return;
  for (const MachineSeries& series : machines) {
    for (std::size_t i = 1; i < series.times.size(); ++i) {
      const std::int64_t step = series.times[i] - series.times[i - 1];
      if (step <= interval) continue;
      ++report.gaps;
      report.missing_rows += (step - 1) / interval;
      add_example(report.gap_examples, "machine " + std::to_string(series.machine_id) + ": " +
                                           format_timestamp(series.times[i - 1]) + " to " +
                                           format_timestamp(series.times[i]) + " (" + std::to_string(step) + " s)");
    }
  }
}

inline void add_anomaly_failures(const MachineSeries& series, const std::vector<std::uint8_t>& anomaly,
                                 const TelemetryFormat& format, std::vector<Failure>& failures, LoadReport& report) {
  for (std::size_t row = 0; row < anomaly.size(); ++row) {
    if (anomaly[row] == 0) continue;
    const bool onset = row == 0 || anomaly[row - 1] == 0;
    if (format.anomaly_events == AnomalyEvents::kOnset && !onset) continue;
    failures.push_back({series.machine_id, series.times[row], format.anomaly_column});
    ++report.anomaly_failures;
  }
}

inline void read_failures(const std::filesystem::path& path, const TelemetryFormat& format, TelemetrySet& set) {
  CsvReader reader(path, CsvOptions{format.failures_delimiter});
  const std::size_t time_column = reader.column(format.failure_time_column);
  const std::size_t component_column = reader.column(format.failure_component_column);
  std::optional<std::size_t> machine_column;
  if (!format.failure_machine_column.empty()) machine_column = reader.column(format.failure_machine_column);

  while (reader.next()) {
    ++set.report.failures_read;
    const std::int64_t time = parse_time_field(reader, time_column);
    const int machine_id = machine_column ? parse_machine_id(reader, *machine_column) : format.single_machine_id;
    const std::string component(trim_blanks(reader.field(component_column)));
    if (component.empty()) reader.raise(component_column, "component name is empty");

    const MachineSeries* series = set.find_machine(machine_id);
    if (series == nullptr) {
      ++set.report.unknown_machine_failures;
      add_example(set.report.unknown_machine_examples,
                  path.string() + ":" + std::to_string(reader.line()) + ": machine " + std::to_string(machine_id) +
                      " has no telemetry (" + component + " at " + format_timestamp(time) + ")");
      continue;
    }
    set.failures.push_back({machine_id, time, component});
  }
}

}  // namespace detail

// Loads a telemetry CSV and a failures CSV (see TelemetryFormat for the columns). Rows are grouped
// by machine and sorted by time, duplicates are handled by format.duplicates, and gaps, NaN cells
// and failures of machines without telemetry (which are dropped) are counted in the report.
// `failures_csv` may be empty when there is no failures file. Throws DataError for unreadable
// files, missing columns, malformed rows, invalid timestamps, machine ids or numbers, anomaly
// values other than 0 and 1, and a telemetry file without data rows.
inline TelemetrySet load_telemetry(const std::filesystem::path& telemetry_csv, const std::filesystem::path& failures_csv,
                                   const TelemetryFormat& format = {}) {
  CsvReader reader(telemetry_csv, CsvOptions{format.delimiter});
  const std::size_t time_column = reader.column(format.time_column);
  std::optional<std::size_t> machine_column;
  if (!format.machine_column.empty()) machine_column = reader.column(format.machine_column);
  std::vector<std::size_t> feature_columns;
  for (const std::string& name : format.feature_columns) feature_columns.push_back(reader.column(name));
  std::optional<std::size_t> anomaly_column;
  if (!format.anomaly_column.empty()) anomaly_column = reader.column(format.anomaly_column);
  const std::size_t features = feature_columns.size();

  // Read rows in file order into per-machine buffers.
  std::vector<detail::MachineRows> buffers;
  std::unordered_map<int, std::size_t> buffer_of_machine;
  int last_machine = 0;
  std::size_t last_buffer = static_cast<std::size_t>(-1);
  while (reader.next()) {
    const int machine_id = machine_column ? detail::parse_machine_id(reader, *machine_column) : format.single_machine_id;
    if (last_buffer == static_cast<std::size_t>(-1) || machine_id != last_machine) {
      auto [entry, inserted] = buffer_of_machine.try_emplace(machine_id, buffers.size());
      if (inserted) {
        buffers.emplace_back();
        buffers.back().machine_id = machine_id;
      }
      last_machine = machine_id;
      last_buffer = entry->second;
    }
    detail::MachineRows& rows = buffers[last_buffer];

    rows.times.push_back(detail::parse_time_field(reader, time_column));
    rows.lines.push_back(reader.line());
    for (std::size_t column : feature_columns) rows.values.push_back(reader.number(column));
    if (anomaly_column) {
      const double flag = reader.number(*anomaly_column);
      if (flag != 0.0 && flag != 1.0) {
        reader.raise(*anomaly_column, "invalid anomaly flag '" + std::string(reader.field(*anomaly_column)) +
                                          "': expected 0 or 1");
      }
      rows.anomaly.push_back(static_cast<std::uint8_t>(flag));
    }
  }
  if (reader.rows_read() == 0) {
    throw DataError(telemetry_csv.string() + ":2: telemetry file has a header but no data rows");
  }

  // Sort each machine, drop duplicates and derive anomaly failures.
  TelemetrySet set;
  set.feature_names = format.feature_columns;
  set.report.rows_read = reader.rows_read();
  for (std::size_t column : feature_columns) set.report.nan_counts.push_back(reader.nan_counts()[column]);
  std::sort(buffers.begin(), buffers.end(),
            [](const detail::MachineRows& a, const detail::MachineRows& b) { return a.machine_id < b.machine_id; });
  std::vector<std::uint8_t> anomaly;
  for (detail::MachineRows& rows : buffers) {
    set.machines.push_back(detail::finish_machine(rows, features, format, telemetry_csv, set.report, anomaly));
    detail::add_anomaly_failures(set.machines.back(), anomaly, format, set.failures, set.report);
    rows = detail::MachineRows();  // release the buffer early
  }
  set.report.rows_kept = set.row_count();

  set.report.interval_seconds =
      format.interval_seconds > 0 ? format.interval_seconds : detail::most_common_interval(set.machines);
  detail::count_gaps(set.machines, set.report);

  // Failures: read, drop those of unknown machines, sort.
  if (!failures_csv.empty()) detail::read_failures(failures_csv, format, set);
  std::sort(set.failures.begin(), set.failures.end(), [](const Failure& a, const Failure& b) {
    return std::tie(a.machine_id, a.time, a.component) < std::tie(b.machine_id, b.time, b.component);
  });
  for (const Failure& failure : set.failures) {
    const MachineSeries* series = set.find_machine(failure.machine_id);
    if (failure.time < series->times.front() || failure.time > series->times.back()) {
      ++set.report.failures_outside_series;
    }
  }
  return set;
}

// Loads PdM_telemetry.csv and PdM_failures.csv from `directory` (the Azure predictive-maintenance
// layout). Throws DataError like load_telemetry.
inline TelemetrySet load_azure_pdm(const std::filesystem::path& directory, const TelemetryFormat& format = {}) {
  return load_telemetry(directory / "PdM_telemetry.csv", directory / "PdM_failures.csv", format);
}

namespace detail {

inline void append_number(std::string& out, double value) {
  if (std::isnan(value)) return;  // an empty cell reads back as NaN
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

inline void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

// Appends a CSV field, quoted when it contains a comma, a quote or a line break.
inline void append_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

inline void flush_text(std::ofstream& out, std::string& text, const std::filesystem::path& path) {
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw DataError(path.string() + ": failed to write file");
  text.clear();
}

}  // namespace detail

// Writes `set` in the Azure layout: a telemetry CSV with datetime, machineID and one column per
// feature name, and a failures CSV with datetime, machineID, failure. Numbers are written in the
// shortest form that reads back to the same double, NaN as an empty cell. Rows are ordered by
// machine, then time. Throws DataError when a file cannot be written.
inline void write_telemetry_csv(const TelemetrySet& set, const std::filesystem::path& telemetry_csv,
                                const std::filesystem::path& failures_csv) {
  std::ofstream out(telemetry_csv, std::ios::binary);
  if (!out) throw DataError(telemetry_csv.string() + ": failed to open file for writing");
  std::string text = "datetime,machineID";
  for (const std::string& name : set.feature_names) {
    text += ',';
    detail::append_field(text, name);
  }
  text += "\n";
  for (const MachineSeries& series : set.machines) {
    for (std::size_t row = 0; row < series.times.size(); ++row) {
      text += format_timestamp(series.times[row]);
      text += ',';
      detail::append_int(text, series.machine_id);
      for (Eigen::Index feature = 0; feature < series.values.cols(); ++feature) {
        text += ',';
        detail::append_number(text, series.values(static_cast<Eigen::Index>(row), feature));
      }
      text += '\n';
      if (text.size() > (1u << 20)) detail::flush_text(out, text, telemetry_csv);
    }
  }
  detail::flush_text(out, text, telemetry_csv);

  std::ofstream failures_out(failures_csv, std::ios::binary);
  if (!failures_out) throw DataError(failures_csv.string() + ": failed to open file for writing");
  text = "datetime,machineID,failure\n";
  for (const Failure& failure : set.failures) {
    text += format_timestamp(failure.time) + "," + std::to_string(failure.machine_id) + ",";
    detail::append_field(text, failure.component);
    text += '\n';
  }
  detail::flush_text(failures_out, text, failures_csv);
}

}  // namespace tsdl::data
