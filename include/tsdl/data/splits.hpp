// Train, validation and test splits that never share a machine (split_by_machines) or a time
// range of a machine (split_by_time).
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tsdl/data/csv.hpp"
#include "tsdl/data/error.hpp"
#include "tsdl/data/sequences.hpp"
#include "tsdl/data/telemetry.hpp"

namespace tsdl::data {

// Parts of a data set; a part may have no machines.
struct DataSplit {
  TelemetrySet train;
  TelemetrySet validation;
  TelemetrySet test;
};

// Parses a list of non-negative machine ids such as "1-11,13,15-20" (ranges are inclusive, blanks
// are ignored) and returns the ids in ascending order. Throws DataError naming the item for an
// empty list or item, a non-integer, a range whose end is below its start, and an id listed twice.
inline std::vector<int> parse_id_list(std::string_view text) {
  std::vector<int> ids;
  std::set<int> seen;
  const auto parse_id = [&](std::string_view item, std::string_view whole) {
    item = detail::trim_blanks(item);
    int value = 0;
    const char* end = item.data() + item.size();
    const auto result = std::from_chars(item.data(), end, value);
    if (item.empty() || result.ec != std::errc() || result.ptr != end || value < 0) {
      throw DataError("invalid machine id list '" + std::string(text) + "': item '" + std::string(whole) +
                      "' is not a non-negative integer or range A-B");
    }
    return value;
  };

  if (detail::trim_blanks(text).empty()) throw DataError("invalid machine id list: it is empty");
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    const std::size_t dash = item.find('-');
    const int first = parse_id(dash == std::string_view::npos ? item : item.substr(0, dash), item);
    const int last = dash == std::string_view::npos ? first : parse_id(item.substr(dash + 1), item);
    if (last < first) {
      throw DataError("invalid machine id list '" + std::string(text) + "': range '" + std::string(detail::trim_blanks(item)) +
                      "' ends before it starts");
    }
    for (int id = first; id <= last; ++id) {
      if (!seen.insert(id).second) {
        throw DataError("invalid machine id list '" + std::string(text) + "': machine " + std::to_string(id) +
                        " is listed twice");
      }
      ids.push_back(id);
    }
    start = comma + 1;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Returns the machines of `set` listed in `ids`, with their failures and the feature names. The
// report is copied unchanged (it describes the loaded file). Throws DataError for an id that has
// no machine in `set`.
inline TelemetrySet select_machines(const TelemetrySet& set, const std::vector<int>& ids) {
  TelemetrySet part;
  part.feature_names = set.feature_names;
  part.report = set.report;
  for (int id : ids) {
    if (set.find_machine(id) == nullptr) {
      throw DataError("machine " + std::to_string(id) + " is not in the data set (" +
                      std::to_string(set.machines.size()) + " machines)");
    }
  }
  const std::set<int> wanted(ids.begin(), ids.end());
  for (const MachineSeries& series : set.machines) {
    if (wanted.count(series.machine_id) != 0) part.machines.push_back(series);
  }
  for (const Failure& failure : set.failures) {
    if (wanted.count(failure.machine_id) != 0) part.failures.push_back(failure);
  }
  return part;
}

// Splits `set` by machine: each part gets the listed machines and their failures. `validation` or
// `test` may be empty. Throws DataError when a machine is listed in two parts or is missing from
// `set`. Machines in no list are left out.
inline DataSplit split_by_machines(const TelemetrySet& set, const std::vector<int>& train,
                                   const std::vector<int>& validation, const std::vector<int>& test) {
  std::set<int> seen;
  const auto claim = [&](const std::vector<int>& ids, const char* part) {
    for (int id : ids) {
      if (!seen.insert(id).second) {
        throw DataError("machine " + std::to_string(id) + " is listed in more than one split part (again in " +
                        part + "); the parts must not share machines");
      }
    }
  };
  claim(train, "train");
  claim(validation, "validation");
  claim(test, "test");
  return {select_machines(set, train), select_machines(set, validation), select_machines(set, test)};
}

struct TimeSplitOptions {
  double train_fraction = 0.7;        // leading share of each machine's rows
  double validation_fraction = 0.15;  // next share; the test part gets the rest
  // Rows dropped from the end of the train and validation parts. With gap_rows >= horizon /
  // interval, no label of an earlier part depends on a failure inside a later part.
  std::int64_t gap_rows = 0;
};

// Splits each machine's rows by time: the first floor(n * train_fraction) rows go to train, the
// rows up to floor(n * (train_fraction + validation_fraction)) to validation and the rest to test,
// minus `gap_rows` at the end of train and validation. Every part keeps all failures of its
// machines, so labels computed on a part equal those of the unsplit set. A machine with no rows in
// a part is left out of it. Use validation_fraction = 1 - train_fraction to carve a validation
// part out of a training set without a test part. Throws std::invalid_argument for fractions
// outside [0, 1], a zero train fraction, a sum above 1 or a negative gap.
inline DataSplit split_by_time(const TelemetrySet& set, const TimeSplitOptions& options = {}) {
  const double train = options.train_fraction, validation = options.validation_fraction;
  if (!(train > 0.0 && train <= 1.0) || !(validation >= 0.0 && validation <= 1.0) || train + validation > 1.0 + 1e-12) {
    throw std::invalid_argument("invalid time split fractions: train " + std::to_string(train) + ", validation " +
                                std::to_string(validation) + "; need 0 < train, 0 <= validation, train + validation <= 1");
  }
  if (options.gap_rows < 0) throw std::invalid_argument("gap_rows must be non-negative, got " + std::to_string(options.gap_rows));

  DataSplit split;
  for (TelemetrySet* part : {&split.train, &split.validation, &split.test}) {
    part->feature_names = set.feature_names;
    part->report = set.report;
  }

  const auto take_rows = [](const MachineSeries& series, std::int64_t first, std::int64_t end, TelemetrySet& part) {
    if (end <= first) return;
    MachineSeries piece;
    piece.machine_id = series.machine_id;
    piece.times.assign(series.times.begin() + first, series.times.begin() + end);
    piece.values = series.values.middleRows(first, end - first);
    part.machines.push_back(std::move(piece));
  };

  for (const MachineSeries& series : set.machines) {
    const std::int64_t rows = static_cast<std::int64_t>(series.times.size());
    const std::int64_t train_end = static_cast<std::int64_t>(std::floor(static_cast<double>(rows) * train));
    const std::int64_t validation_end =
        std::min(rows, static_cast<std::int64_t>(std::floor(static_cast<double>(rows) * (train + validation))));
    take_rows(series, 0, train_end - options.gap_rows, split.train);
    take_rows(series, train_end, validation_end - (validation_end < rows ? options.gap_rows : 0), split.validation);
    take_rows(series, validation_end, rows, split.test);
  }

  for (TelemetrySet* part : {&split.train, &split.validation, &split.test}) {
    for (const Failure& failure : set.failures) {
      if (part->find_machine(failure.machine_id) != nullptr) part->failures.push_back(failure);
    }
  }
  return split;
}

// Returns the sequences of `sequences` whose machine id is in `ids`, in their original order.
// Ids without sequences are allowed and contribute none.
inline SequenceSet select_sequences(const SequenceSet& sequences, const std::vector<int>& ids) {
  const std::set<int> wanted(ids.begin(), ids.end());
  SequenceSet part;
  part.seq_len = sequences.seq_len;
  part.features = sequences.features;
  const std::int64_t block = sequences.seq_len * sequences.features;
  for (std::int64_t i = 0; i < sequences.count; ++i) {
    if (wanted.count(sequences.machine_ids[static_cast<std::size_t>(i)]) == 0) continue;
    const float* source = sequences.sequence_data(i);
    part.values.insert(part.values.end(), source, source + block);
    part.targets.push_back(sequences.targets[static_cast<std::size_t>(i)]);
    part.machine_ids.push_back(sequences.machine_ids[static_cast<std::size_t>(i)]);
    part.end_times.push_back(sequences.end_times[static_cast<std::size_t>(i)]);
  }
  part.count = static_cast<std::int64_t>(part.targets.size());
  for (int id : sequences.short_machines) {
    if (wanted.count(id) != 0) part.short_machines.push_back(id);
  }
  return part;
}

}  // namespace tsdl::data
