// Checks the data pipeline on the real Azure predictive-maintenance subset (20 machines, 2015-01
// to 2015-03) against counts computed independently in Python.
//
// Expected values come from tests/data/azure_pdm_counts.py, which uses only the Python standard
// library (csv, datetime), run as
//   python3 tests/data/azure_pdm_counts.py /path/to/azure-pdm --width 10 --step 5 --seq-len 30 40
// with a 24-hour horizon, windows labelled 1 when any row is 1, and sequence stride 1.
#include <array>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "test_support.hpp"
#include "tsdl/data.hpp"

using namespace tsdl::data;

namespace {

// Columns of the script's output per machine: machine, rows, labelled rows, windows, positive
// windows, sequences and positive sequences for seq_len 30, the same for seq_len 40.
struct MachineCounts {
  int machine;
  int rows, labelled, windows, positive_windows, seq30, pos30, seq40, pos40;
};

constexpr std::array<MachineCounts, 20> kExpected = {{
    {1, 2160, 48, 431, 14, 402, 7, 392, 7},     {2, 2160, 24, 431, 6, 402, 6, 392, 6},
    {3, 2160, 48, 431, 12, 402, 6, 392, 6},     {4, 2160, 48, 431, 12, 402, 12, 392, 12},
    {5, 2160, 48, 431, 14, 402, 14, 392, 7},    {6, 2160, 0, 431, 0, 402, 0, 392, 0},
    {7, 2160, 48, 431, 14, 402, 14, 392, 14},   {8, 2160, 48, 431, 14, 402, 14, 392, 14},
    {9, 2160, 24, 431, 6, 402, 6, 392, 6},      {10, 2160, 24, 431, 7, 402, 7, 392, 7},
    {11, 2160, 48, 431, 14, 402, 14, 392, 14},  {12, 2160, 48, 431, 12, 402, 6, 392, 6},
    {13, 2160, 0, 431, 0, 402, 0, 392, 0},      {14, 2160, 48, 431, 14, 402, 14, 392, 14},
    {15, 2160, 24, 431, 7, 402, 7, 392, 7},     {16, 2160, 70, 431, 17, 402, 12, 392, 12},
    {17, 2160, 94, 431, 26, 402, 21, 392, 21},  {18, 2160, 48, 431, 14, 402, 14, 392, 14},
    {19, 2160, 48, 431, 12, 402, 12, 392, 12},  {20, 2160, 96, 431, 28, 402, 21, 392, 21},
}};

int sum(const std::vector<std::uint8_t>& labels) {
  int total = 0;
  for (std::uint8_t label : labels) total += label;
  return total;
}

}  // namespace

TEST_CASE("azure pdm loads cleanly") {
  const auto dir = tsdl_test::azure_pdm_dir();
  if (!dir) return;
  const TelemetrySet set = load_azure_pdm(*dir);
  CHECK(set.report.rows_read == 43200);
  CHECK(set.report.clean());
  CHECK(set.report.interval_seconds == 3600);
  CHECK(set.report.failures_read == 42);
  CHECK(set.failures.size() == 42);
  CHECK(set.report.unknown_machine_failures == 0);
  REQUIRE(set.machines.size() == 20);
  CHECK(format_timestamp(set.machines[0].times.front()) == "2015-01-01 06:00:00");
  CHECK(format_timestamp(set.machines[19].times.back()) == "2015-04-01 05:00:00");
  CHECK(set.machines[0].values(0, 0) == 176.217853015625);  // first row of PdM_telemetry.csv
  CHECK(set.machines[0].values(0, 3) == 45.0876857639276);
}

TEST_CASE("azure pdm labels per machine") {
  const auto dir = tsdl_test::azure_pdm_dir();
  if (!dir) return;
  const TelemetrySet set = load_azure_pdm(*dir);
  const auto labels = label_rows(set);
  REQUIRE(labels.size() == kExpected.size());
  for (std::size_t m = 0; m < kExpected.size(); ++m) {
    CAPTURE(kExpected[m].machine);
    CHECK(set.machines[m].machine_id == kExpected[m].machine);
    CHECK(static_cast<int>(labels[m].size()) == kExpected[m].rows);
    CHECK(sum(labels[m]) == kExpected[m].labelled);
  }
  // Machine 16 fails at 2015-01-02 03:00, 21 hours after its first row: 22 rows before that
  // failure plus 24 rows each for its failures on 2015-01-17 and 2015-03-03.
  CHECK(sum(labels[15]) == 22 + 24 + 24);
}

TEST_CASE("azure pdm windows and sequences") {
  const auto dir = tsdl_test::azure_pdm_dir();
  if (!dir) return;
  const TelemetrySet set = load_azure_pdm(*dir);
  const auto labels = label_rows(set);
  WindowOptions window_options;
  window_options.width = 10;
  window_options.step = 5;
  const WindowSet windows = average_windows(set, labels, window_options);
  for (std::size_t m = 0; m < kExpected.size(); ++m) {
    CAPTURE(kExpected[m].machine);
    CHECK(windows.machines[m].means.rows() == kExpected[m].windows);
    CHECK(sum(windows.machines[m].labels) == kExpected[m].positive_windows);
  }

  for (int seq_len : {30, 40}) {
    CAPTURE(seq_len);
    SequenceOptions options;
    options.seq_len = seq_len;
    const SequenceSet sequences = build_sequences(windows, options);
    std::int64_t expected_count = 0, expected_positive = 0;
    for (const MachineCounts& counts : kExpected) {
      const int machine_count = seq_len == 30 ? counts.seq30 : counts.seq40;
      const int machine_positive = seq_len == 30 ? counts.pos30 : counts.pos40;
      expected_count += machine_count;
      expected_positive += machine_positive;

      int count = 0, positive = 0;
      for (std::int64_t i = 0; i < sequences.count; ++i) {
        if (sequences.machine_ids[static_cast<std::size_t>(i)] != counts.machine) continue;
        ++count;
        positive += sequences.targets[static_cast<std::size_t>(i)] > 0.5f;
      }
      CAPTURE(counts.machine);
      CHECK(count == machine_count);
      CHECK(positive == machine_positive);
    }
    CHECK(sequences.count == expected_count);  // 8040 for seq_len 30, 7840 for 40
    CHECK(sequences.positives() == expected_positive);  // 207 and 200
    CHECK(sequences.shape_rank4() == std::array<std::int64_t, 4>{expected_count, seq_len, 4, 1});
  }
}

TEST_CASE("azure pdm split and scale") {
  const auto dir = tsdl_test::azure_pdm_dir();
  if (!dir) return;
  const TelemetrySet set = load_azure_pdm(*dir);
  DataSplit split = split_by_machines(set, parse_id_list("1-11"), parse_id_list("12-14"), parse_id_list("15-20"));
  Scaler scaler(ScalerKind::kMinMax);
  scaler.fit(split.train);
  scaler.transform(split.train);
  scaler.transform(split.test);
  CHECK(split.train.machines[0].values.minCoeff() >= 0.0);
  CHECK(split.train.machines[0].values.maxCoeff() <= 1.0);

  PipelineOptions options;
  options.sequences.seq_len = 30;
  const SequenceSet train = build_sequences(split.train, options);
  const SequenceSet test = build_sequences(split.test, options);
  CHECK(train.count == 11 * 402);
  CHECK(test.count == 6 * 402);
  CHECK(test.positives() == 7 + 12 + 21 + 14 + 12 + 21);  // machines 15-20
}
