// Bad-input catalogue: input mistakes that the other test files do not cover yet, each checked for
// the error type and for a message that names what failed, where, the value and what to do.
// docs/reliability.md lists these cases next to the ones in test_data_*.cpp, test_training.cpp,
// test_layer_cases.cpp and test_model_file_errors.cpp.
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "tsdl/data/sequences.hpp"
#include "tsdl/data/telemetry.hpp"
#include "tsdl/tsdl.hpp"

using tsdl::data::DataError;
using tsdl::data::load_telemetry;
using tsdl_test::contains;
using tsdl_test::TempDir;

namespace {

const std::string kHeader = "datetime,machineID,volt,rotate,pressure,vibration\n";
const std::string kGoodRow = "2015-01-01 06:00:00,1,170.5,450,100,40\n";

}  // namespace

// ---- Telemetry files ----

TEST_CASE("telemetry accepts BOM, CRLF and quotes") {
  TempDir dir;
  const auto path = dir.write("telemetry.csv",
                              "\xEF\xBB\xBF"
                              "datetime,\"machineID\",volt,rotate,pressure,vibration\r\n"
                              "2015-01-01 06:00:00,1,\"170.5\",450,100,40\r\n"
                              "\"2015-01-01 07:00:00\",1,171.5,451,101,\r\n");
  const tsdl::data::TelemetrySet set = load_telemetry(path, "");
  REQUIRE(set.machines.size() == 1);
  CHECK(set.machines[0].times.size() == 2);
  CHECK(set.machines[0].values(0, 0) == 170.5);
  CHECK(set.machines[0].values(1, 0) == 171.5);
  CHECK(std::isnan(set.machines[0].values(1, 3)));
  CHECK(set.report.nan_counts == std::vector<std::int64_t>{0, 0, 0, 1});
}

TEST_CASE("telemetry BOM-only file is empty") {
  TempDir dir;
  const auto path = dir.write("bom.csv", "\xEF\xBB\xBF\r\n\n");
  CHECK_THROWS_WITH_AS(load_telemetry(path, ""), contains(path.string() + ":1: file is empty; expected a header row"),
                       DataError);
}

TEST_CASE("telemetry model file is not text") {
  // The first bytes of a tsdl model file: the magic, then the u32 version 1, whose second byte is
  // the first NUL.
  TempDir dir;
  const auto path = dir.write("model.tsdl", std::string("TSDLMODL\x01\x00\x00\x00", 12));
  CHECK_THROWS_WITH_AS(load_telemetry(path, ""),
                       contains(path.string() + ":1: file is not a text file: NUL byte at byte offset 9"), DataError);
}

TEST_CASE("telemetry rejects infinite and overflowing numbers") {
  TempDir dir;
  const auto overflow = dir.write("overflow.csv", kHeader + kGoodRow + "2015-01-01 07:00:00,1,1e999,450,100,40\n");
  CHECK_THROWS_WITH_AS(load_telemetry(overflow, ""),
                       contains(overflow.string() + ":3: column 'volt' (3): invalid number '1e999'"), DataError);

  const auto infinite = dir.write("inf.csv", kHeader + kGoodRow + "2015-01-01 07:00:00,1,170,-inf,100,40\n");
  CHECK_THROWS_WITH_AS(load_telemetry(infinite, ""),
                       contains(infinite.string() + ":3: column 'rotate' (4): invalid number '-inf'"), DataError);
}

TEST_CASE("telemetry machine id out of range") {
  TempDir dir;
  const auto path = dir.write("machine.csv", kHeader + kGoodRow + "2015-01-01 07:00:00,99999999999,170,450,100,40\n");
  CHECK_THROWS_WITH_AS(load_telemetry(path, ""),
                       contains(path.string() + ":3: column 'machineID' (2): invalid machine id '99999999999': out of "
                                                "range; expected an integer from -2147483648 to 2147483647"),
                       DataError);
}

TEST_CASE("telemetry long row names the extra value") {
  TempDir dir;
  const auto path = dir.write("long.csv", kHeader + kGoodRow + "2015-01-01 07:00:00,1,170,450,100,40,7\n");
  CHECK_THROWS_WITH_AS(load_telemetry(path, ""),
                       contains(path.string() + ":3: row has 7 fields but the header has 6; first extra value '7' in "
                                                "field 7"),
                       DataError);
}

TEST_CASE("failures file empty or short") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kHeader + kGoodRow);

  const auto empty = dir.write("empty_failures.csv", "");
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, empty),
                       contains(empty.string() + ":1: file is empty; expected a header row"), DataError);

  const auto short_row = dir.write("short_failures.csv", "datetime,machineID,failure\n2015-01-01 06:00:00,1\n");
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, short_row),
                       contains(short_row.string() + ":2: column 'failure' (3): value missing"), DataError);

  const auto no_column = dir.write("renamed_failures.csv", "datetime,machineID,component\n");
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, no_column),
                       contains(no_column.string() + ":1: column 'failure' not found in the header"), DataError);
}

TEST_CASE("failures of unknown machines dropped") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kHeader + kGoodRow);
  const auto failures = dir.write("failures.csv",
                                  "datetime,machineID,failure\n"
                                  "2015-01-01 06:00:00,1,comp1\n"
                                  "2015-01-01 06:00:00,42,comp2\n");
  const tsdl::data::TelemetrySet set = load_telemetry(telemetry, failures);
  CHECK(set.failures.size() == 1);
  CHECK(set.report.unknown_machine_failures == 1);
  REQUIRE(set.report.unknown_machine_examples.size() == 1);
  CHECK(set.report.unknown_machine_examples[0] ==
        failures.string() + ":3: machine 42 has no telemetry (comp2 at 2015-01-01 06:00:00)");
  CHECK_FALSE(set.report.clean());
}

TEST_CASE("sequence options name the value") {
  tsdl::data::WindowSet windows;
  tsdl::data::SequenceOptions options;
  options.seq_len = 0;
  CHECK_THROWS_WITH_AS(tsdl::data::build_sequences(windows, options), "seq_len must be at least 1, got 0",
                       std::invalid_argument);
  options.seq_len = 3;
  options.stride = -2;
  CHECK_THROWS_WITH_AS(tsdl::data::build_sequences(windows, options), "sequence stride must be at least 1, got -2",
                       std::invalid_argument);
}

// ---- Model hyperparameters ----

TEST_CASE("layer hyperparameters name the value") {
  using tsdl::Conv1D;
  CHECK_THROWS_WITH_AS(Conv1D<float>(0, 3), "Conv1D: filters must be positive, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(Conv1D<float>(4, 0), "Conv1D: kernel_size must be positive, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(Conv1D<float>(4, 3, -1), "Conv1D: strides must be positive, got -1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(tsdl::MaxPool1D<float>(2, -1), "MaxPool1D: strides must be positive, got -1",
                       std::invalid_argument);
}

TEST_CASE("optimizer hyperparameters name the value") {
  using tsdl::Adam;
  using tsdl::SGD;
  CHECK_THROWS_WITH_AS(Adam<float>(-0.001), doctest::Contains("learning_rate must be positive and finite, got -0.001"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<float>(0.0), doctest::Contains("learning_rate must be positive and finite, got 0"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<float>(std::numeric_limits<double>::quiet_NaN()),
                       doctest::Contains("learning_rate must be positive and finite, got nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<float>(std::numeric_limits<double>::infinity()),
                       doctest::Contains("learning_rate must be positive and finite, got inf"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<float>(0.1, 1.0), doctest::Contains("SGD: momentum must be in [0, 1), got 1"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<float>(0.001, 1.0), doctest::Contains("Adam: beta1 must be in [0, 1), got 1"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<float>(0.001, 0.9, 0.999, 0.0), doctest::Contains("Adam: epsilon must be positive, got 0"),
                       std::invalid_argument);
  Adam<float> adam;
  CHECK_THROWS_WITH_AS(adam.set_clipnorm(-1.0), doctest::Contains("clipnorm must be >= 0, got -1"),
                       std::invalid_argument);
}

TEST_CASE("kernel longer than the sequence") {
  // A CNN whose convolutions need more time steps than seq_len provides fails at build().
  tsdl::Sequential<float> model;
  model.add(tsdl::Conv1D<float>(4, 5));
  model.add(tsdl::Flatten<float>());
  model.add(tsdl::Dense<float>(1, "sigmoid"));
  CHECK_THROWS_WITH_AS(model.build({3, 4}), doctest::Contains("kernel_size 5 is longer than the input's 3 steps"),
                       std::invalid_argument);
}

TEST_CASE("fit options name the value") {
  tsdl::Sequential<float> model;
  model.add(tsdl::Dense<float>(1, "sigmoid"));
  model.build({2});
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::Adam<float>>());
  tsdl::Tensor<float> x({4, 2});
  x.fill(0.5f);
  tsdl::Tensor<float> y({4});
  y.fill(0.0f);

  tsdl::FitOptions negative_epochs;
  negative_epochs.epochs = -1;
  CHECK_THROWS_WITH_AS(model.fit(x, y, negative_epochs), "Sequential::fit: epochs must be >= 0, got -1",
                       std::invalid_argument);

  tsdl::FitOptions whole_split;
  whole_split.validation_split = 1.0;
  CHECK_THROWS_WITH_AS(model.fit(x, y, whole_split), doctest::Contains("validation_split must be in [0, 1), got 1"),
                       std::invalid_argument);

  tsdl::Sequential<float> uncompiled;
  uncompiled.add(tsdl::Dense<float>(1, "sigmoid"));
  uncompiled.build({2});
  CHECK_THROWS_WITH_AS(uncompiled.fit(x, y), "Sequential::fit: call compile() first", std::logic_error);
}

// ---- Training and prediction data ----

namespace {

tsdl::Sequential<float> make_small_classifier() {
  tsdl::Sequential<float> model;
  model.add(tsdl::Flatten<float>());
  model.add(tsdl::Dense<float>(1, "sigmoid"));
  model.build({4, 2});
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::Adam<float>>());
  return model;
}

}  // namespace

TEST_CASE("fit rejects infinite input") {
  tsdl::Sequential<float> model = make_small_classifier();
  tsdl::Tensor<float> x({3, 4, 2});
  x.fill(0.5f);
  tsdl::Tensor<float> y({3});
  y.fill(1.0f);

  x.at(1, 3, 1) = std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("training x contains inf in sample 1 (flat index 15)"),
                       std::invalid_argument);
  x.at(1, 3, 1) = -std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("training x contains -inf in sample 1"),
                       std::invalid_argument);
}

TEST_CASE("fit rejects NaN targets and validation data") {
  tsdl::Sequential<float> model = make_small_classifier();
  tsdl::Tensor<float> x({3, 4, 2});
  x.fill(0.5f);
  tsdl::Tensor<float> y({3});
  y.fill(1.0f);

  tsdl::Tensor<float> nan_y = y;
  nan_y[2] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(model.fit(x, nan_y), doctest::Contains("training y[2] = nan is not a 0/1 target"),
                       std::invalid_argument);

  tsdl::Tensor<float> x_val = x;
  x_val.at(0, 0, 0) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(model.fit(x, y, tsdl::FitOptions(), &x_val, &y),
                       doctest::Contains("validation x contains nan in sample 0"), std::invalid_argument);
}

TEST_CASE("predict rejects wrong input shape") {
  tsdl::Sequential<float> model = make_small_classifier();

  tsdl::Tensor<float> wrong_features({3, 4, 3});
  wrong_features.set_zero();
  CHECK_THROWS_WITH_AS(model.predict(wrong_features),
                       "Sequential: expected prediction x of shape (samples, 4, 2), got (3, 4, 3)",
                       std::invalid_argument);

  tsdl::Tensor<float> wrong_rank({3, 8});
  wrong_rank.set_zero();
  CHECK_THROWS_WITH_AS(model.predict(wrong_rank), "Sequential: expected prediction x of shape (samples, 4, 2), got (3, 8)",
                       std::invalid_argument);

  tsdl::Tensor<float> one_sample({4, 2});
  one_sample.set_zero();
  CHECK_THROWS_WITH_AS(model.predict(one_sample),
                       "Sequential: expected prediction x of shape (samples, 4, 2), got (4, 2)", std::invalid_argument);

  tsdl::Tensor<float> good({3, 4, 2});
  good.set_zero();
  CHECK_THROWS_WITH_AS(model.predict(good, 0), "Sequential::predict: batch_size must be positive",
                       std::invalid_argument);
}

TEST_CASE("predict before build") {
  tsdl::Sequential<float> model;
  model.add(tsdl::Dense<float>(1, "sigmoid"));
  tsdl::Tensor<float> x({2, 3});
  x.set_zero();
  CHECK_THROWS_WITH_AS(model.predict(x), "Sequential::predict: call build() first", std::logic_error);
}

TEST_CASE("predict rejects non-finite input") {
  tsdl::Sequential<float> model = make_small_classifier();
  tsdl::Tensor<float> x({2, 4, 2});
  x.set_zero();
  x.at(1, 0, 0) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(model.predict(x), doctest::Contains("prediction x contains nan in sample 1 (flat index 8)"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(model.predict(x), doctest::Contains("before passing it to the model"), std::invalid_argument);
}
