// Tests for tsdl/data/splits.hpp: id lists, machine splits, time splits and sequence selection.
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "test_support.hpp"
#include "tsdl/data/splits.hpp"

using namespace tsdl::data;

namespace {

// Machines 1..count with `rows` hourly rows each (value = row index) and one failure per machine.
TelemetrySet fleet(int count, std::int64_t rows) {
  TelemetrySet set;
  set.feature_names = {"a"};
  for (int id = 1; id <= count; ++id) {
    MachineSeries series;
    series.machine_id = id;
    series.values.resize(rows, 1);
    for (std::int64_t r = 0; r < rows; ++r) {
      series.times.push_back(r * 3600);
      series.values(r, 0) = static_cast<double>(r);
    }
    set.machines.push_back(series);
    set.failures.push_back({id, 5 * 3600, "comp1"});
  }
  return set;
}

std::vector<int> ids_of(const TelemetrySet& set) {
  std::vector<int> ids;
  for (const MachineSeries& series : set.machines) ids.push_back(series.machine_id);
  return ids;
}

}  // namespace

TEST_CASE("parse_id_list ranges and single ids") {
  CHECK(parse_id_list("1-11,13,15-20") ==
        std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18, 19, 20});
  CHECK(parse_id_list(" 12 - 14 ") == std::vector<int>{12, 13, 14});
  CHECK(parse_id_list("7") == std::vector<int>{7});
  CHECK(parse_id_list("9,3,0") == std::vector<int>{0, 3, 9});
}

TEST_CASE("parse_id_list rejects malformed lists") {
  CHECK_THROWS_WITH_AS(parse_id_list(""), "invalid machine id list: it is empty", DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("1,,3"), doctest::Contains("item '' is not a non-negative integer or range A-B"), DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("1-3,"), doctest::Contains("item ''"), DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("1-x"), doctest::Contains("item '1-x'"), DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("-3"), doctest::Contains("item '-3'"), DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("1.5"), doctest::Contains("item '1.5'"), DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("11-1"), "invalid machine id list '11-1': range '11-1' ends before it starts", DataError);
  CHECK_THROWS_WITH_AS(parse_id_list("1-5,3"), "invalid machine id list '1-5,3': machine 3 is listed twice", DataError);
}

TEST_CASE("split by machines") {
  const TelemetrySet set = fleet(20, 10);
  const DataSplit split =
      split_by_machines(set, parse_id_list("1-11"), parse_id_list("12-14"), parse_id_list("15-20"));
  CHECK(ids_of(split.train) == parse_id_list("1-11"));
  CHECK(ids_of(split.validation) == std::vector<int>{12, 13, 14});
  CHECK(ids_of(split.test) == parse_id_list("15-20"));
  CHECK(split.train.failures.size() == 11);
  CHECK(split.validation.failures.size() == 3);
  CHECK(split.validation.failures[0].machine_id == 12);
  CHECK(split.test.feature_names == set.feature_names);

  CHECK_THROWS_WITH_AS(split_by_machines(set, {1, 2}, {2}, {}),
                       "machine 2 is listed in more than one split part (again in validation); the parts must not share machines",
                       DataError);
  CHECK_THROWS_WITH_AS(split_by_machines(set, {1, 21}, {}, {}), "machine 21 is not in the data set (20 machines)", DataError);
  CHECK(split_by_machines(set, {1}, {}, {}).validation.machines.empty());
}

TEST_CASE("split by time within each machine") {
  const TelemetrySet set = fleet(2, 20);
  TimeSplitOptions options;
  options.train_fraction = 0.6;
  options.validation_fraction = 0.2;
  DataSplit split = split_by_time(set, options);
  REQUIRE(split.train.machines.size() == 2);
  REQUIRE(split.validation.machines.size() == 2);
  REQUIRE(split.test.machines.size() == 2);
  const MachineSeries& train = split.train.machines[1];
  const MachineSeries& validation = split.validation.machines[1];
  const MachineSeries& test = split.test.machines[1];
  CHECK(train.times.size() == 12);  // rows 0..11
  CHECK(validation.times.size() == 4);  // rows 12..15
  CHECK(test.times.size() == 4);  // rows 16..19
  CHECK(train.values(11, 0) == 11.0);
  CHECK(validation.values(0, 0) == 12.0);
  CHECK(test.values(0, 0) == 16.0);
  CHECK(train.times.back() < validation.times.front());
  CHECK(validation.times.back() < test.times.front());
  // Every part keeps its machines' failures, so labels equal those of the unsplit set.
  CHECK(split.test.failures.size() == 2);

  options.gap_rows = 3;
  split = split_by_time(set, options);
  CHECK(split.train.machines[0].times.size() == 9);  // rows 0..8; rows 9..11 dropped
  CHECK(split.validation.machines[0].times.size() == 1);  // row 12; rows 13..15 dropped
  CHECK(split.validation.machines[0].values(0, 0) == 12.0);
  CHECK(split.test.machines[0].times.size() == 4);
}

TEST_CASE("split by time carves validation from training") {
  const TelemetrySet set = fleet(1, 10);
  TimeSplitOptions options;
  options.train_fraction = 0.8;
  options.validation_fraction = 0.2;
  const DataSplit split = split_by_time(set, options);
  CHECK(split.train.machines[0].times.size() == 8);
  CHECK(split.validation.machines[0].times.size() == 2);
  CHECK(split.test.machines.empty());
}

TEST_CASE("split by time rejects invalid fractions") {
  const TelemetrySet set = fleet(1, 10);
  for (auto [train, validation] : {std::pair{0.0, 0.2}, {0.9, 0.2}, {-0.1, 0.5}, {0.5, -0.1}, {1.5, 0.0}}) {
    TimeSplitOptions options;
    options.train_fraction = train;
    options.validation_fraction = validation;
    CAPTURE(train);
    CAPTURE(validation);
    CHECK_THROWS_AS(split_by_time(set, options), std::invalid_argument);
  }
  TimeSplitOptions negative_gap;
  negative_gap.gap_rows = -1;
  CHECK_THROWS_AS(split_by_time(set, negative_gap), std::invalid_argument);
}

TEST_CASE("select_sequences by machine") {
  SequenceSet sequences;
  sequences.count = 3;
  sequences.seq_len = 2;
  sequences.features = 1;
  sequences.values = {1, 2, 3, 4, 5, 6};
  sequences.targets = {0, 1, 1};
  sequences.machine_ids = {4, 7, 4};
  sequences.end_times = {10, 20, 30};
  sequences.short_machines = {9};
  const SequenceSet part = select_sequences(sequences, {4, 9});
  CHECK(part.count == 2);
  CHECK(part.values == std::vector<float>{1, 2, 5, 6});
  CHECK(part.targets == std::vector<float>{0, 1});
  CHECK(part.end_times == std::vector<std::int64_t>{10, 30});
  CHECK(part.short_machines == std::vector<int>{9});
  CHECK(select_sequences(sequences, {5}).count == 0);
}
