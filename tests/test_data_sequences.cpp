// Tests for labels.hpp, windows.hpp and sequences.hpp on small hand-computed series.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "test_support.hpp"
#include "tsdl/data/labels.hpp"
#include "tsdl/data/sequences.hpp"
#include "tsdl/data/windows.hpp"

using namespace tsdl::data;

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kStart = 1420092000;  // 2015-01-01 06:00:00 UTC

// Hourly series from kStart; feature f of row r is r + 1 + 100 * f.
MachineSeries hourly_series(int machine_id, std::int64_t rows, std::int64_t features = 1) {
  MachineSeries series;
  series.machine_id = machine_id;
  series.values.resize(rows, features);
  for (std::int64_t r = 0; r < rows; ++r) {
    series.times.push_back(kStart + r * kHour);
    for (std::int64_t f = 0; f < features; ++f) series.values(r, f) = static_cast<double>(r + 1 + 100 * f);
  }
  return series;
}

std::vector<std::uint8_t> ones_at(std::size_t size, std::vector<std::size_t> positions) {
  std::vector<std::uint8_t> labels(size, 0);
  for (std::size_t p : positions) labels[p] = 1;
  return labels;
}

int count_ones(const std::vector<std::uint8_t>& labels) {
  int total = 0;
  for (std::uint8_t label : labels) total += label;
  return total;
}

}  // namespace

TEST_CASE("labels mark the 24 hours up to a failure") {
  const MachineSeries series = hourly_series(1, 48);
  const auto labels = label_rows(series, {{1, kStart + 30 * kHour, "comp1"}});
  // (30 h - 24 h, 30 h] contains rows 7..30.
  std::vector<std::size_t> expected;
  for (std::size_t r = 7; r <= 30; ++r) expected.push_back(r);
  CHECK(labels == ones_at(48, expected));
}

TEST_CASE("labels with no failures are all zero") {
  const MachineSeries series = hourly_series(1, 10);
  CHECK(count_ones(label_rows(series, {})) == 0);
  // A failure of another machine does not count.
  CHECK(count_ones(label_rows(series, {{2, kStart + 5 * kHour, "comp1"}})) == 0);
}

TEST_CASE("labels failure at the first row") {
  const MachineSeries series = hourly_series(1, 10);
  CHECK(label_rows(series, {{1, kStart, "comp1"}}) == ones_at(10, {0}));
}

TEST_CASE("labels failure before the first row") {
  const MachineSeries series = hourly_series(1, 10);
  CHECK(count_ones(label_rows(series, {{1, kStart - kHour, "comp1"}})) == 0);
  CHECK(count_ones(label_rows(series, {{1, kStart - 30 * kHour, "comp1"}})) == 0);
}

TEST_CASE("labels early failure off the daily grid") {
  // As machines 16 and 17 of the Azure data: telemetry from 06:00, failure the next day at 03:00,
  // 21 hours later, so rows 0..21 (22 rows) are labelled.
  const MachineSeries series = hourly_series(16, 48);
  const auto labels = label_rows(series, {{16, kStart + 21 * kHour, "comp1"}});
  CHECK(count_ones(labels) == 22);
  CHECK(labels[21] == 1);
  CHECK(labels[22] == 0);
}

TEST_CASE("labels failure between grid times") {
  // Failure at 10.5 hours: rows 0..10 are at or before it, all within 24 hours.
  const MachineSeries series = hourly_series(1, 48);
  const auto labels = label_rows(series, {{1, kStart + 10 * kHour + 1800, "comp1"}});
  CHECK(count_ones(labels) == 11);
  CHECK(labels[10] == 1);
  CHECK(labels[11] == 0);
  // With a 2-hour horizon, (8.5 h, 10.5 h] contains rows 9 and 10.
  CHECK(label_rows(series, {{1, kStart + 10 * kHour + 1800, "comp1"}}, 2 * kHour) == ones_at(48, {9, 10}));
}

TEST_CASE("labels failure after the last row") {
  const MachineSeries series = hourly_series(1, 48);  // last row at 47 h
  const auto labels = label_rows(series, {{1, kStart + 50 * kHour, "comp1"}});
  CHECK(count_ones(labels) == 21);  // rows 27..47
  CHECK(labels[26] == 0);
  CHECK(labels[27] == 1);
}

TEST_CASE("labels overlapping failures and set overload") {
  TelemetrySet set;
  set.feature_names = {"a"};
  set.machines = {hourly_series(1, 48), hourly_series(2, 48)};
  set.failures = {{2, kStart + 47 * kHour, "comp2"}, {1, kStart + 30 * kHour, "comp1"}, {1, kStart + 40 * kHour, "comp3"}};
  const auto labels = label_rows(set);
  REQUIRE(labels.size() == 2);
  CHECK(count_ones(labels[0]) == 34);  // rows 7..40
  CHECK(count_ones(labels[1]) == 24);  // rows 24..47
  CHECK_THROWS_AS(label_rows(set, 0), std::invalid_argument);
}

TEST_CASE("windows average, stamp and label") {
  const MachineSeries series = hourly_series(1, 7, 2);  // feature 0: 1..7, feature 1: 101..107
  const auto labels = ones_at(7, {3});

  WindowOptions options;
  options.width = 3;
  options.step = 2;
  const MachineWindows windows = average_windows(series, labels, options);
  REQUIRE(windows.means.rows() == 3);  // rows [0,3), [2,5), [4,7)
  CHECK(windows.means(0, 0) == 2.0);
  CHECK(windows.means(1, 0) == 4.0);
  CHECK(windows.means(2, 0) == 6.0);
  CHECK(windows.means(2, 1) == 106.0);
  CHECK(windows.end_times == std::vector<std::int64_t>{kStart + 2 * kHour, kStart + 4 * kHour, kStart + 6 * kHour});
  CHECK(windows.labels == std::vector<std::uint8_t>{0, 1, 0});

  options.label = WindowLabel::kLast;
  CHECK(average_windows(series, labels, options).labels == std::vector<std::uint8_t>{0, 0, 0});
  CHECK(average_windows(series, ones_at(7, {4}), options).labels == std::vector<std::uint8_t>{0, 1, 0});
}

TEST_CASE("windows drop the incomplete tail") {
  const MachineSeries series = hourly_series(1, 7);
  WindowOptions options;
  options.width = 4;
  options.step = 2;
  const MachineWindows windows = average_windows(series, std::vector<std::uint8_t>(7, 0), options);
  REQUIRE(windows.means.rows() == 2);  // rows [0,4) and [2,6); [4,8) is incomplete
  CHECK(windows.means(0, 0) == 2.5);
  CHECK(windows.means(1, 0) == 4.5);
  CHECK(window_count(7, options) == 2);
  CHECK(window_count(4, options) == 1);
  CHECK(window_count(3, options) == 0);
}

TEST_CASE("windows wider than the series") {
  const MachineSeries series = hourly_series(1, 5);
  WindowOptions options;
  options.width = 6;
  const MachineWindows windows = average_windows(series, std::vector<std::uint8_t>(5, 1), options);
  CHECK(windows.means.rows() == 0);
  CHECK(windows.labels.empty());
  CHECK(windows.end_times.empty());
}

TEST_CASE("windows skip NaN and keep all-NaN as NaN") {
  MachineSeries series = hourly_series(1, 4, 2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  series.values(1, 0) = nan;  // feature 0: 1, NaN, 3, 4
  series.values(0, 1) = nan;  // feature 1: NaN, NaN, 103, 104
  series.values(1, 1) = nan;
  WindowOptions options;
  options.width = 2;
  options.step = 2;
  TelemetrySet set;
  set.feature_names = {"a", "b"};
  set.machines = {series};
  const WindowSet windows = average_windows(set, {std::vector<std::uint8_t>(4, 0)}, options);
  const RowMatrix& means = windows.machines[0].means;
  REQUIRE(means.rows() == 2);
  CHECK(means(0, 0) == 1.0);  // mean of {1}, the NaN skipped
  CHECK(std::isnan(means(0, 1)));
  CHECK(means(1, 0) == 3.5);
  CHECK(means(1, 1) == 103.5);
  CHECK(windows.nan_cells == 1);
}

TEST_CASE("windows reject invalid arguments") {
  const MachineSeries series = hourly_series(1, 5);
  WindowOptions options;
  options.width = 0;
  CHECK_THROWS_AS(average_windows(series, std::vector<std::uint8_t>(5, 0), options), std::invalid_argument);
  options.width = 2;
  options.step = 0;
  CHECK_THROWS_AS(average_windows(series, std::vector<std::uint8_t>(5, 0), options), std::invalid_argument);
  options.step = 1;
  CHECK_THROWS_WITH_AS(average_windows(series, std::vector<std::uint8_t>(4, 0), options),
                       doctest::Contains("machine 1: 4 labels and 5 value rows for 5 times"), DataError);
}

namespace {

// Machine 1 has 5 windows and machine 2 has 3, with two features. Window k of machine m has means
// (10 * m + k, -(10 * m + k)) and end time kStart + k hours.
WindowSet two_machine_windows() {
  WindowSet set;
  set.feature_names = {"a", "b"};
  for (int m : {1, 2}) {
    MachineWindows windows;
    windows.machine_id = m;
    const int count = m == 1 ? 5 : 3;
    windows.means.resize(count, 2);
    for (int k = 0; k < count; ++k) {
      windows.means(k, 0) = 10 * m + k;
      windows.means(k, 1) = -(10 * m + k);
      windows.end_times.push_back(kStart + k * kHour);
      windows.labels.push_back(m == 1 && k == 3 ? 1 : 0);
    }
    set.machines.push_back(windows);
  }
  return set;
}

}  // namespace

TEST_CASE("sequences never cross machines") {
  SequenceOptions options;
  options.seq_len = 3;
  const SequenceSet sequences = build_sequences(two_machine_windows(), options);
  REQUIRE(sequences.count == 4);  // machine 1: starts 0, 1, 2; machine 2: start 0
  CHECK(sequences.seq_len == 3);
  CHECK(sequences.features == 2);
  CHECK(sequences.values.size() == 4 * 3 * 2);
  CHECK(sequences.machine_ids == std::vector<int>{1, 1, 1, 2});
  CHECK(sequences.targets == std::vector<float>{0, 1, 0, 0});  // label of windows 2, 3, 4 and 2
  CHECK(sequences.end_times ==
        std::vector<std::int64_t>{kStart + 2 * kHour, kStart + 3 * kHour, kStart + 4 * kHour, kStart + 2 * kHour});
  CHECK(sequences.positives() == 1);

  // Element (i, t, f) is at (i * seq_len + t) * features + f.
  CHECK(sequences.values[(1 * 3 + 2) * 2 + 0] == 13.0f);  // sequence 1, step 2 = window 3 of machine 1
  CHECK(sequences.values[(1 * 3 + 2) * 2 + 1] == -13.0f);
  CHECK(sequences.values[(3 * 3 + 0) * 2 + 0] == 20.0f);  // sequence 3 = windows 0..2 of machine 2
  CHECK(sequences.sequence_data(3)[5] == -22.0f);
  CHECK(sequences.short_machines.empty());

  CHECK(sequences.shape() == std::array<std::int64_t, 3>{4, 3, 2});
  CHECK(sequences.shape_rank4() == std::array<std::int64_t, 4>{4, 3, 2, 1});
}

TEST_CASE("sequences stride and short machines") {
  SequenceOptions options;
  options.seq_len = 3;
  options.stride = 2;
  SequenceSet sequences = build_sequences(two_machine_windows(), options);
  CHECK(sequences.count == 3);  // machine 1: starts 0, 2; machine 2: start 0
  CHECK(sequences.targets == std::vector<float>{0, 0, 0});

  options.seq_len = 4;
  options.stride = 1;
  sequences = build_sequences(two_machine_windows(), options);
  CHECK(sequences.count == 2);
  CHECK(sequences.short_machines == std::vector<int>{2});
  CHECK(sequence_count(5, options) == 2);
  CHECK(sequence_count(3, options) == 0);
}

TEST_CASE("sequences longer than every series") {
  SequenceOptions options;
  options.seq_len = 6;
  CHECK_THROWS_WITH_AS(build_sequences(two_machine_windows(), options),
                       "seq_len 6 is longer than every machine's window series: the longest has 5 windows (machine 1); "
                       "use a shorter seq_len or a smaller window step",
                       DataError);
  options.seq_len = 0;
  CHECK_THROWS_AS(build_sequences(two_machine_windows(), options), std::invalid_argument);
  options.seq_len = 2;
  options.stride = 0;
  CHECK_THROWS_AS(build_sequences(two_machine_windows(), options), std::invalid_argument);
}

TEST_CASE("sequences NaN policy") {
  WindowSet windows = two_machine_windows();
  windows.machines[0].means(4, 1) = std::numeric_limits<double>::quiet_NaN();
  SequenceOptions options;
  options.seq_len = 3;
  CHECK_THROWS_WITH_AS(build_sequences(windows, options),
                       "machine 1: window ending 2015-01-01 10:00:00 has a NaN mean for 'b' (every row of the window "
                       "was NaN); fill the gaps or use NanPolicy::kSkipSequence",
                       DataError);

  options.nan_policy = NanPolicy::kSkipSequence;
  const SequenceSet sequences = build_sequences(windows, options);
  CHECK(sequences.count == 3);
  CHECK(sequences.skipped_nan == 1);
  CHECK(sequences.machine_ids == std::vector<int>{1, 1, 2});
}

TEST_CASE("sequences pipeline from telemetry") {
  // 40 hourly rows, a failure at row 30: rows 7..30 are positive. Windows of 10 rows every 5 rows
  // end at rows 9, 14, ..., 39 (7 windows), and each contains a row of 7..30, so all are positive.
  // seq_len 3 gives 5 sequences.
  TelemetrySet telemetry;
  telemetry.feature_names = {"a"};
  telemetry.machines = {hourly_series(1, 40)};
  telemetry.failures = {{1, kStart + 30 * kHour, "comp1"}};
  PipelineOptions options;
  options.sequences.seq_len = 3;
  const SequenceSet sequences = build_sequences(telemetry, options);
  REQUIRE(sequences.count == 5);
  CHECK(sequences.targets == std::vector<float>{1, 1, 1, 1, 1});
  CHECK(sequences.values[0] == 5.5f);   // mean of rows 0..9 = values 1..10
  CHECK(sequences.values[14] == 35.5f);  // last window: rows 30..39
  CHECK(sequences.end_times.back() == kStart + 39 * kHour);

  // With a failure at row 2 only the first window (rows 0..9) is positive, so no sequence is.
  telemetry.failures = {{1, kStart + 2 * kHour, "comp1"}};
  CHECK(build_sequences(telemetry, options).positives() == 0);
}
