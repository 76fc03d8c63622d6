// Tests for tsdl/data/telemetry.hpp: loading, grouping, the load report, other layouts and writing.
#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "test_support.hpp"
#include "tsdl/data/telemetry.hpp"

using tsdl::data::AnomalyEvents;
using tsdl::data::DataError;
using tsdl::data::DuplicatePolicy;
using tsdl::data::format_timestamp;
using tsdl::data::load_telemetry;
using tsdl::data::parse_timestamp;
using tsdl::data::TelemetryFormat;
using tsdl::data::TelemetrySet;
using tsdl_test::contains;
using tsdl_test::TempDir;

namespace {

// Two machines, interleaved and partly out of order. Machine 2 has a duplicate timestamp (line 7
// repeats line 4), a 3-hour gap (two missing rows) and an empty vibration cell.
const char* const kTelemetry =
    "datetime,machineID,volt,rotate,pressure,vibration\n"
    "2015-01-01 06:00:00,2,160,400,90,30\n"            // line 2
    "2015-01-01 07:00:00,1,171,451,101,41\n"           // line 3
    "2015-01-01 07:00:00,2,161,401,91,\n"              // line 4
    "2015-01-01 06:00:00,1,170,450,100,40\n"           // line 5, earlier than line 3
    "2015-01-01 10:00:00,2,164,404,94,34\n"            // line 6, 3 hours after 07:00
    "2015-01-01 07:00:00,2,999,999,999,999\n"          // line 7, duplicate of line 4
    "2015-01-01 08:00:00,1,172,452,102,42\n";          // line 8

const char* const kFailures =
    "datetime,machineID,failure\n"
    "2015-01-01 08:00:00,1,comp2\n"
    "2015-01-01 09:00:00,7,comp1\n"   // machine 7 has no telemetry
    "2014-12-31 06:00:00,2,comp4\n"   // before machine 2's first row
    "2015-01-01 08:00:00,1,comp1\n";

}  // namespace

TEST_CASE("telemetry groups, sorts and reports") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kTelemetry);
  const auto failures = dir.write("failures.csv", kFailures);
  const TelemetrySet set = load_telemetry(telemetry, failures);

  REQUIRE(set.machines.size() == 2);
  CHECK(set.feature_names == std::vector<std::string>{"volt", "rotate", "pressure", "vibration"});

  const auto& one = set.machines[0];
  CHECK(one.machine_id == 1);
  REQUIRE(one.times.size() == 3);
  CHECK(format_timestamp(one.times[0]) == "2015-01-01 06:00:00");
  CHECK(format_timestamp(one.times[2]) == "2015-01-01 08:00:00");
  CHECK(one.values(0, 0) == 170.0);  // line 5 sorted before line 3
  CHECK(one.values(1, 0) == 171.0);
  CHECK(one.values(2, 3) == 42.0);

  const auto& two = set.machines[1];
  CHECK(two.machine_id == 2);
  REQUIRE(two.times.size() == 3);
  CHECK(two.values(1, 0) == 161.0);  // the first of the duplicate rows is kept
  CHECK(std::isnan(two.values(1, 3)));
  CHECK(format_timestamp(two.times[2]) == "2015-01-01 10:00:00");

  const auto& report = set.report;
  CHECK(report.rows_read == 7);
  CHECK(report.rows_kept == 6);
  CHECK(report.rows_out_of_order == 2);  // line 5 after line 3, line 7 after line 6
  CHECK(report.duplicate_rows == 1);
  REQUIRE(report.duplicate_examples.size() == 1);
  CHECK(report.duplicate_examples[0] == "machine 2 at 2015-01-01 07:00:00: lines 4 and 7 (kept line 4)");
  CHECK(report.interval_seconds == 3600);
  CHECK(report.gaps == 1);
  CHECK(report.missing_rows == 2);
  REQUIRE(report.gap_examples.size() == 1);
  CHECK(report.gap_examples[0] == "machine 2: 2015-01-01 07:00:00 to 2015-01-01 10:00:00 (10800 s)");
  CHECK(report.nan_counts == std::vector<std::int64_t>{0, 0, 0, 1});
  CHECK(report.failures_read == 4);
  CHECK(report.unknown_machine_failures == 1);
  REQUIRE(report.unknown_machine_examples.size() == 1);
  CHECK(report.unknown_machine_examples[0].find("machine 7 has no telemetry (comp1 at 2015-01-01 09:00:00)") !=
        std::string::npos);
  CHECK(report.failures_outside_series == 1);
  CHECK_FALSE(report.clean());
  CHECK(report.summary().find("duplicate rows dropped: 1") != std::string::npos);

  // Failures of known machines, sorted by machine, time and component.
  REQUIRE(set.failures.size() == 3);
  CHECK(set.failures[0].machine_id == 1);
  CHECK(set.failures[0].component == "comp1");
  CHECK(set.failures[1].component == "comp2");
  CHECK(set.failures[1].time == parse_timestamp("2015-01-01 08:00:00"));
  CHECK(set.failures[2].machine_id == 2);
  CHECK(set.failures[2].component == "comp4");

  CHECK(set.find_machine(2) == &set.machines[1]);
  CHECK(set.find_machine(3) == nullptr);
}

TEST_CASE("telemetry duplicate policy error") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kTelemetry);
  TelemetryFormat format;
  format.duplicates = DuplicatePolicy::kError;
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, "", format),
                       contains(telemetry.string() + ":7: duplicate timestamp for machine 2 at 2015-01-01 07:00:00: lines 4 and 7"),
                       DataError);
}

TEST_CASE("telemetry explicit interval") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kTelemetry);
  TelemetryFormat format;
  format.interval_seconds = 1800;
  const TelemetrySet set = load_telemetry(telemetry, "", format);
  CHECK(set.report.interval_seconds == 1800);
  CHECK(set.report.gaps == 4);          // every 1-hour step of machine 1 and 2 counts now
  CHECK(set.report.missing_rows == 8);  // 1 + 1 for machine 1; 1 + 5 for machine 2
  CHECK(set.failures.empty());
}

TEST_CASE("telemetry clean file") {
  TempDir dir;
  const auto telemetry = dir.write("t.csv",
                                   "datetime,machineID,volt,rotate,pressure,vibration\n"
                                   "2015-01-01 06:00:00,1,1,2,3,4\n"
                                   "2015-01-01 07:00:00,1,1,2,3,4\n");
  const auto failures = dir.write("f.csv", "datetime,machineID,failure\n");
  const TelemetrySet set = load_telemetry(telemetry, failures);
  CHECK(set.report.clean());
  CHECK(set.report.failures_read == 0);
  CHECK(set.row_count() == 2);
}

TEST_CASE("telemetry bad rows name file, line, column and value") {
  TempDir dir;
  const std::string header = "datetime,machineID,volt,rotate,pressure,vibration\n";
  const std::string good = "2015-01-01 06:00:00,1,1,2,3,4\n";

  const auto bad_time = dir.write("time.csv", header + good + "2015-02-30 06:00:00,1,1,2,3,4\n");
  CHECK_THROWS_WITH_AS(load_telemetry(bad_time, ""),
                       contains(bad_time.string() + ":3: column 'datetime' (1): invalid timestamp '2015-02-30 06:00:00': day 30 is out of range 1-28"),
                       DataError);

  const auto bad_machine = dir.write("machine.csv", header + good + "2015-01-01 07:00:00,M1,1,2,3,4\n");
  CHECK_THROWS_WITH_AS(load_telemetry(bad_machine, ""),
                       contains(bad_machine.string() + ":3: column 'machineID' (2): invalid machine id 'M1'"), DataError);

  const auto bad_number = dir.write("number.csv", header + good + "2015-01-01 07:00:00,1,1,2,x3,4\n");
  CHECK_THROWS_WITH_AS(load_telemetry(bad_number, ""),
                       contains(bad_number.string() + ":3: column 'pressure' (5): invalid number 'x3'"), DataError);

  const auto short_row = dir.write("short.csv", header + good + "2015-01-01 07:00:00,1,1,2,3\n");
  CHECK_THROWS_WITH_AS(load_telemetry(short_row, ""),
                       contains(short_row.string() + ":3: column 'vibration' (6): value missing"), DataError);

  const auto header_only = dir.write("header.csv", header);
  CHECK_THROWS_WITH_AS(load_telemetry(header_only, ""), contains(header_only.string() + ":2: telemetry file has a header but no data rows"),
                       DataError);

  const auto no_volt = dir.write("novolt.csv", "datetime,machineID,rotate,pressure,vibration\n");
  CHECK_THROWS_WITH_AS(load_telemetry(no_volt, ""), contains(no_volt.string() + ":1: column 'volt' not found"), DataError);

  const auto telemetry = dir.write("ok.csv", header + good);
  const auto bad_failure = dir.write("failures.csv", "datetime,machineID,failure\n2015-01-01 06:00:00,1,\n");
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, bad_failure),
                       contains(bad_failure.string() + ":2: column 'failure' (3): component name is empty"), DataError);
  const auto failure_time = dir.write("failures2.csv", "datetime,machineID,failure\n2015-01-01 25:00:00,1,comp1\n");
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, failure_time),
                       contains(failure_time.string() + ":2: column 'datetime' (1): invalid timestamp '2015-01-01 25:00:00': hour 25"),
                       DataError);
  CHECK_THROWS_WITH_AS(load_telemetry(telemetry, dir.path() / "missing.csv"), contains("missing.csv: failed to open CSV file"),
                       DataError);
}

namespace {

// A semicolon-separated log of one machine with eight sensors and a 0/1 anomaly column, with ISO
// timestamps with offsets and a one-second interval.
const char* const kSensorLog =
    "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly\n"
    "2020-03-09T12:14:36+02:00;0.027;0.040;0.77;0.38;71.2;24.3;229.0;32.0;0\n"
    "2020-03-09T12:14:37+02:00;0.028;0.040;0.78;0.38;71.2;24.3;229.1;32.0;1\n"
    "2020-03-09T12:14:38+02:00;0.029;0.041;0.79;0.38;71.3;24.3;229.2;32.0;1\n"
    "2020-03-09T12:14:39+02:00;0.027;0.040;0.77;0.38;71.2;24.3;229.0;32.0;0\n"
    "2020-03-09T12:14:40+02:00;0.027;0.040;0.77;0.38;71.2;24.3;229.0;32.0;1.0\n";

TelemetryFormat sensor_log_format() {
  TelemetryFormat format;
  format.delimiter = ';';
  format.machine_column = "";
  format.single_machine_id = 5;
  format.feature_columns = {"Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure",
                            "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"};
  format.anomaly_column = "anomaly";
  return format;
}

}  // namespace

TEST_CASE("telemetry semicolon log with anomaly onsets") {
  TempDir dir;
  const auto log = dir.write("log.csv", kSensorLog);
  const TelemetrySet set = load_telemetry(log, "", sensor_log_format());

  REQUIRE(set.machines.size() == 1);
  const auto& series = set.machines[0];
  CHECK(series.machine_id == 5);
  REQUIRE(series.values.rows() == 5);
  REQUIRE(series.values.cols() == 8);
  CHECK(series.values(2, 0) == 0.029);
  CHECK(series.values(1, 7) == 32.0);
  CHECK(format_timestamp(series.times[0]) == "2020-03-09 10:14:36");  // +02:00 converted to UTC
  CHECK(set.report.interval_seconds == 1);

  // Runs of 1s start at rows 1 and 4.
  REQUIRE(set.failures.size() == 2);
  CHECK(set.failures[0].time == series.times[1]);
  CHECK(set.failures[1].time == series.times[4]);
  CHECK(set.failures[0].component == "anomaly");
  CHECK(set.failures[0].machine_id == 5);
  CHECK(set.report.anomaly_failures == 2);
}

TEST_CASE("telemetry anomaly every row") {
  TempDir dir;
  const auto log = dir.write("log.csv", kSensorLog);
  TelemetryFormat format = sensor_log_format();
  format.anomaly_events = AnomalyEvents::kEveryRow;
  const TelemetrySet set = load_telemetry(log, "", format);
  REQUIRE(set.failures.size() == 3);
  CHECK(set.failures[0].time == set.machines[0].times[1]);
  CHECK(set.failures[1].time == set.machines[0].times[2]);
  CHECK(set.failures[2].time == set.machines[0].times[4]);
}

TEST_CASE("telemetry anomaly flag must be 0 or 1") {
  TempDir dir;
  const auto log = dir.write("log.csv", std::string(kSensorLog) +
                                            "2020-03-09T12:14:41+02:00;0.027;0.040;0.77;0.38;71.2;24.3;229.0;32.0;2\n");
  CHECK_THROWS_WITH_AS(load_telemetry(log, "", sensor_log_format()),
                       contains(log.string() + ":7: column 'anomaly' (10): invalid anomaly flag '2': expected 0 or 1"),
                       DataError);
}

TEST_CASE("telemetry tab-separated log with detected delimiter") {
  TempDir dir;
  const auto log = dir.write("log.tsv",
                             "machine\ttime\ttemp\r\n"
                             "3\t2015-01-01 00:00:00\t20.5\r\n"
                             "3\t2015-01-01 00:10:00\t21\r\n");
  TelemetryFormat format;
  format.delimiter = '\0';
  format.machine_column = "machine";
  format.time_column = "time";
  format.feature_columns = {"temp"};
  const TelemetrySet set = load_telemetry(log, "", format);
  REQUIRE(set.machines.size() == 1);
  CHECK(set.machines[0].machine_id == 3);
  CHECK(set.machines[0].values(1, 0) == 21.0);
  CHECK(set.report.interval_seconds == 600);
}

TEST_CASE("write_telemetry_csv round trip") {
  TempDir dir;
  const auto telemetry = dir.write("telemetry.csv", kTelemetry);
  const auto failures = dir.write("failures.csv", kFailures);
  TelemetrySet set = load_telemetry(telemetry, failures);
  set.machines[0].values(1, 2) = 0.1 + 0.2;  // needs 17 significant digits
  set.failures[0].component = "comp \"1\", left";

  const auto telemetry_copy = dir.path() / "copy_telemetry.csv";
  const auto failures_copy = dir.path() / "copy_failures.csv";
  tsdl::data::write_telemetry_csv(set, telemetry_copy, failures_copy);
  const TelemetrySet copy = load_telemetry(telemetry_copy, failures_copy);

  REQUIRE(copy.machines.size() == set.machines.size());
  for (std::size_t m = 0; m < set.machines.size(); ++m) {
    CHECK(copy.machines[m].times == set.machines[m].times);
    const auto& a = set.machines[m].values;
    const auto& b = copy.machines[m].values;
    REQUIRE(a.rows() == b.rows());
    for (Eigen::Index r = 0; r < a.rows(); ++r) {
      for (Eigen::Index c = 0; c < a.cols(); ++c) {
        CHECK(((std::isnan(a(r, c)) && std::isnan(b(r, c))) || a(r, c) == b(r, c)));
      }
    }
  }
  CHECK(copy.machines[0].values(1, 2) == 0.1 + 0.2);
  REQUIRE(copy.failures.size() == set.failures.size());
  CHECK(copy.failures[0].component == "comp \"1\", left");
  CHECK(copy.report.nan_counts[3] == 1);
}
