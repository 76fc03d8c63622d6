// libFuzzer target for the CSV reader and the telemetry loader.
//
// The input is written to a file and read four times, once per delimiter option, calling
// number() on every field. Then load_telemetry() reads it as both the telemetry file and the
// failures file, so a header such as "datetime,machineID,volt,rotate,pressure,vibration,failure"
// reaches the timestamp, machine-id, sorting and failure code. DataError is the documented
// rejection. Any other exception, a sanitizer report or a broken invariant is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "tsdl/data/csv.hpp"
#include "tsdl/data/telemetry.hpp"

namespace {

void read_every_field(const std::filesystem::path& path, char delimiter) {
  try {
    tsdl::data::CsvReader reader(path, tsdl::data::CsvOptions{delimiter});
    if (reader.column_count() == 0) std::abort();
    while (reader.next()) {
      for (std::size_t column = 0; column < reader.column_count(); ++column) {
        (void)reader.field(column);
        try {
          const double value = reader.number(column);
          // number() returns NaN for a missing value and a finite number otherwise.
          if (std::isinf(value)) std::abort();
        } catch (const tsdl::data::DataError&) {
        }
      }
    }
  } catch (const tsdl::data::DataError&) {
  }
}

void load_as_telemetry(const std::filesystem::path& path) {
  try {
    const tsdl::data::TelemetrySet set = tsdl::data::load_telemetry(path, path);
    // Each machine's times must be strictly increasing, as MachineSeries promises.
    for (const tsdl::data::MachineSeries& series : set.machines) {
      if (static_cast<std::size_t>(series.values.rows()) != series.times.size()) std::abort();
      for (std::size_t i = 1; i < series.times.size(); ++i) {
        if (series.times[i] <= series.times[i - 1]) std::abort();
      }
    }
    (void)set.report.summary();
  } catch (const tsdl::data::DataError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path path = tsdl_fuzz::scratch_path(".csv");
  tsdl_fuzz::write_file(path, data, size);
  for (const char delimiter : {',', ';', '\t', '\0'}) read_every_field(path, delimiter);
  load_as_telemetry(path);
  return 0;
}
