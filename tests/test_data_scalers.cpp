// Tests for tsdl/data/scalers.hpp: fitting, transforming, per-machine parameters and files.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "test_support.hpp"
#include "tsdl/data/scalers.hpp"

using namespace tsdl::data;
using tsdl_test::contains;
using tsdl_test::TempDir;

namespace {

RowMatrix matrix(std::initializer_list<std::initializer_list<double>> rows) {
  RowMatrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index r = 0;
  for (const auto& row : rows) {
    Eigen::Index c = 0;
    for (double value : row) m(r, c++) = value;
    ++r;
  }
  return m;
}

TelemetrySet two_machine_set() {
  TelemetrySet set;
  set.feature_names = {"volt", "rotate"};
  MachineSeries one;
  one.machine_id = 1;
  one.times = {0, 3600, 7200};
  one.values = matrix({{1, 10}, {3, 20}, {5, 30}});
  MachineSeries two;
  two.machine_id = 2;
  two.times = {0, 3600};
  two.values = matrix({{100, 0}, {200, 0}});
  set.machines = {one, two};
  return set;
}

}  // namespace

TEST_CASE("standard scaler uses population deviation") {
  Scaler scaler(ScalerKind::kStandard);
  const RowMatrix train = matrix({{1, 7}, {3, 7}, {5, 7}});
  scaler.fit(train);
  const ScalerParameters& p = scaler.parameters();
  CHECK(p.offset[0] == 3.0);
  CHECK(p.scale[0] == doctest::Approx(std::sqrt(8.0 / 3.0)));  // sample deviation would be 2
  CHECK(p.offset[1] == 7.0);
  CHECK(p.scale[1] == 1.0);  // constant column

  RowMatrix rows = matrix({{1, 7}, {5, 8}});
  scaler.transform(rows);
  CHECK(rows(0, 0) == doctest::Approx(-2.0 / std::sqrt(8.0 / 3.0)));
  CHECK(rows(1, 0) == doctest::Approx(2.0 / std::sqrt(8.0 / 3.0)));
  CHECK(rows(0, 1) == 0.0);
  CHECK(rows(1, 1) == 1.0);

  scaler.inverse_transform(rows);
  CHECK(rows(1, 0) == doctest::Approx(5.0));
  CHECK(rows(1, 1) == doctest::Approx(8.0));
}

TEST_CASE("standard scaler constant column with rounding") {
  // The mean of three 0.1s is not exactly 0.1 in binary, but the column is still constant.
  Scaler scaler(ScalerKind::kStandard);
  scaler.fit(matrix({{0.1}, {0.1}, {0.1}}));
  CHECK(scaler.parameters().scale[0] == 1.0);
}

TEST_CASE("min-max scaler maps training range to 0..1") {
  Scaler scaler(ScalerKind::kMinMax);
  scaler.fit(matrix({{1, 7}, {3, 7}, {5, 7}}));
  CHECK(scaler.parameters().offset[0] == 1.0);
  CHECK(scaler.parameters().scale[0] == 4.0);
  CHECK(scaler.parameters().scale[1] == 1.0);  // constant column

  // Other splits may fall outside [0, 1]; the scaler does not clip.
  RowMatrix test = matrix({{3, 7}, {9, 6}});
  scaler.transform(test);
  CHECK(test(0, 0) == 0.5);
  CHECK(test(1, 0) == 2.0);
  CHECK(test(0, 1) == 0.0);
  CHECK(test(1, 1) == -1.0);
}

TEST_CASE("scaler ignores NaN when fitting") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Scaler scaler(ScalerKind::kMinMax);
  scaler.fit(matrix({{1}, {nan}, {3}}));
  CHECK(scaler.parameters().offset[0] == 1.0);
  CHECK(scaler.parameters().scale[0] == 2.0);
  RowMatrix rows = matrix({{nan}, {2}});
  scaler.transform(rows);
  CHECK(std::isnan(rows(0, 0)));
  CHECK(rows(1, 0) == 0.5);

  Scaler empty_column(ScalerKind::kStandard);
  CHECK_THROWS_WITH_AS(empty_column.fit(matrix({{1, nan}, {2, nan}}), {"volt", "rotate"}),
                       "cannot fit scaler: feature 'rotate' has no finite value", DataError);
  CHECK_THROWS_WITH_AS(empty_column.fit(matrix({{nan}})), "cannot fit scaler: column 1 has no finite value", DataError);
}

TEST_CASE("pooled scaler on telemetry") {
  TelemetrySet train = two_machine_set();
  Scaler scaler(ScalerKind::kMinMax);
  scaler.fit(train);
  CHECK(scaler.parameters().offset[0] == 1.0);    // min over both machines
  CHECK(scaler.parameters().scale[0] == 199.0);   // 200 - 1
  CHECK(scaler.parameters().scale[1] == 30.0);
  scaler.transform(train);
  CHECK(train.machines[1].values(1, 0) == 1.0);
  CHECK(train.machines[0].values(2, 1) == 1.0);
  CHECK(scaler.feature_names() == std::vector<std::string>{"volt", "rotate"});

  TelemetrySet renamed = two_machine_set();
  renamed.feature_names = {"volt", "pressure"};
  CHECK_THROWS_WITH_AS(scaler.transform(renamed), doctest::Contains("scaler was fitted on features [ volt rotate ]"),
                       DataError);
}

TEST_CASE("per-machine scaler uses each machine's statistics") {
  TelemetrySet set = two_machine_set();
  Scaler scaler(ScalerKind::kStandard, ScalerScope::kPerMachine);
  scaler.fit(set);
  CHECK(scaler.parameters(1).offset[0] == 3.0);
  CHECK(scaler.parameters(2).offset[0] == 150.0);
  CHECK(scaler.parameters(2).scale[0] == 50.0);
  CHECK(scaler.parameters(2).scale[1] == 1.0);  // constant in machine 2
  scaler.transform(set);
  CHECK(set.machines[1].values(0, 0) == -1.0);
  CHECK(set.machines[1].values(1, 0) == 1.0);
  CHECK(set.machines[0].values(1, 1) == 0.0);

  CHECK_THROWS_WITH_AS(scaler.parameters(9), doctest::Contains("per-machine scaler has no parameters for machine 9"),
                       DataError);
  RowMatrix rows = matrix({{1, 2}});
  CHECK_THROWS_AS(scaler.transform(rows, 9), DataError);
  CHECK_THROWS_AS(scaler.fit(rows), std::logic_error);
}

TEST_CASE("scaler misuse") {
  Scaler scaler;
  RowMatrix rows = matrix({{1, 2}});
  CHECK_THROWS_AS(scaler.transform(rows), std::logic_error);
  TempDir dir;
  CHECK_THROWS_AS(scaler.save(dir.path() / "s.txt"), std::logic_error);
  scaler.fit(matrix({{1, 2}, {3, 4}}));
  RowMatrix three = matrix({{1, 2, 3}});
  CHECK_THROWS_WITH_AS(scaler.transform(three), "scaler was fitted on 2 features but the data has 3 columns", DataError);
  TelemetrySet empty;
  empty.feature_names = {"a"};
  CHECK_THROWS_WITH_AS(scaler.fit(empty), "cannot fit scaler: the training data has no rows", DataError);
}

TEST_CASE("scaler save and load round trip") {
  TempDir dir;
  for (ScalerScope scope : {ScalerScope::kPooled, ScalerScope::kPerMachine}) {
    for (ScalerKind kind : {ScalerKind::kMinMax, ScalerKind::kStandard}) {
      TelemetrySet set = two_machine_set();
      set.machines[0].values(0, 0) = 0.1 + 0.2;  // needs 17 significant digits
      Scaler scaler(kind, scope);
      scaler.fit(set);
      const auto path = dir.path() / "scaler.txt";
      scaler.save(path);
      const Scaler loaded = Scaler::load(path);
      CHECK(loaded.kind() == kind);
      CHECK(loaded.scope() == scope);
      CHECK(loaded.feature_names() == set.feature_names);
      for (int machine : {1, 2}) {
        CHECK(loaded.parameters(machine).offset == scaler.parameters(machine).offset);
        CHECK(loaded.parameters(machine).scale == scaler.parameters(machine).scale);
      }
    }
  }
}

TEST_CASE("scaler file ignores a German locale") {
  tsdl_test::ScopedGermanLocale german;
  if (!german.active()) {
    MESSAGE("skipping: no German locale is installed");
    return;
  }
  TempDir dir;
  Scaler scaler(ScalerKind::kStandard);
  scaler.fit(matrix({{0.5}, {1.75}}));
  scaler.save(dir.path() / "scaler.txt");
  const Scaler loaded = Scaler::load(dir.path() / "scaler.txt");
  CHECK(loaded.parameters().offset[0] == 1.125);
  CHECK(loaded.parameters().scale[0] == 0.625);
}

TEST_CASE("scaler load rejects corrupt files") {
  TempDir dir;
  const std::string good =
      "tsdl-scaler 1\nkind standard\nscope pooled\nfeatures 2\nname volt\nname rotate\nparameters pooled\n"
      "170 15\n446 53\nend\n";
  CHECK(Scaler::load(dir.write("good.txt", good)).parameters().scale[1] == 53.0);

  const auto missing = dir.path() / "missing.txt";
  CHECK_THROWS_WITH_AS(Scaler::load(missing), contains(missing.string() + ": failed to open scaler file"), DataError);

  struct Case {
    std::string name;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"binary", std::string("\x7f" "ELF\0\0", 6), ":1: invalid scaler file: expected the header 'tsdl-scaler 1'"},
      {"version", "tsdl-scaler 2\n", ":1: invalid scaler file: expected the header 'tsdl-scaler 1'"},
      {"kind", "tsdl-scaler 1\nkind robust\n", ":2: invalid scaler file: invalid kind 'robust'"},
      {"truncated", good.substr(0, good.find("446")), ":9: invalid scaler file: file ends early (truncated)"},
      {"no end", good.substr(0, good.find("end")), ":10: invalid scaler file: file ends early (truncated)"},
      {"number", "tsdl-scaler 1\nkind standard\nscope pooled\nfeatures 1\nparameters pooled\n1,5 2\nend\n",
       ":6: invalid scaler file: invalid offset '1,5'"},
      {"zero scale", "tsdl-scaler 1\nkind min-max\nscope pooled\nfeatures 1\nparameters pooled\n1 0\nend\n",
       ":6: invalid scaler file: invalid scale '0': expected a finite number above 0"},
      {"three numbers", "tsdl-scaler 1\nkind min-max\nscope pooled\nfeatures 1\nparameters pooled\n1 2 3\nend\n",
       ":6: invalid scaler file: expected two numbers 'OFFSET SCALE', got '1 2 3'"},
      {"names", "tsdl-scaler 1\nkind min-max\nscope pooled\nfeatures 2\nname a\nparameters pooled\n",
       ":5: invalid scaler file: 1 feature names for 2 features"},
      {"features", "tsdl-scaler 1\nkind min-max\nscope pooled\nfeatures two\n",
       ":4: invalid scaler file: invalid feature count 'two'"},
      {"no block", "tsdl-scaler 1\nkind min-max\nscope per-machine\nfeatures 1\nend\n",
       ":5: invalid scaler file: per-machine scaler file has no 'parameters machine ID' block"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const auto path = dir.write(c.name + ".txt", c.text);
    CHECK_THROWS_WITH_AS(Scaler::load(path), contains(path.string() + c.message), DataError);
  }
}
