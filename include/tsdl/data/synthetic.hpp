// Seeded synthetic fleet in the Azure predictive-maintenance layout, for examples, tests and
// benchmarks of any size.
//
// Each machine has hourly rows of volt, rotate, pressure and vibration: a per-machine level plus
// Gaussian noise. Failures of comp1..comp4 happen at the start time of day (06:00 by default, as
// in the Azure data). In the `shift_hours` before a failure one sensor is shifted by a constant:
// comp1 raises volt, comp2 lowers rotate, comp3 raises pressure and comp4 raises vibration.
//
// The levels, noise and shifts were measured on the 20-machine subset of the Azure data (2015-01
// to 2015-03): overall means 171, 446, 101, 40.3 and population standard deviations 15.6, 53.3,
// 10.7, 5.3; mean of the failing component's sensor in the 48 hours before its failures 190, 368,
// 126, 50.5, and no change between 72 and 48 hours before.
//
// Determinism: the generator uses tsdl::Random's xoshiro256** stream (seeded by splitmix64) and an
// Irwin-Hall normal sampler (the sum of 12 uniforms minus 6, so samples lie within +-6 standard
// deviations), never std:: distributions or libm functions other than std::fma. Every product
// that meets an addition is either exact (scaling by a power of two) or written as std::fma, so
// floating-point contraction by the compiler cannot change a result, and the output is expected to
// be bit-identical on IEEE-754 platforms (not under -ffast-math). Machine k's data depends only on
// the seed and k, not on the fleet size or the OpenMP thread count.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/data/telemetry.hpp"
#include "tsdl/data/timestamp.hpp"
#include "tsdl/random.hpp"

namespace tsdl::data {

// Random draws of the generator: tsdl::Random's xoshiro256** stream, which gives the same values
// on every platform, with the normal and Bernoulli draws the fleet needs.
class FleetRandom {
 public:
  explicit FleetRandom(std::uint64_t seed) : random_(seed) {}

  std::uint64_t next() { return random_.next_u64(); }

  // Returns a uniform double in [0, 1) with 53 random bits.
  double uniform() { return random_.uniform(); }

  // Returns an approximately standard normal value: the sum of 12 uniforms minus 6 has mean 0,
  // variance 1 and range [-6, 6].
  double normal() {
    double sum = 0.0;
    for (int i = 0; i < 12; ++i) sum += uniform();
    return sum - 6.0;
  }

  // Returns true with probability `p` (clamped to [0, 1]), decided on integers.
  bool bernoulli(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    const std::uint64_t threshold = static_cast<std::uint64_t>(p * 0x1.0p64);
    return next() < threshold;
  }

 private:
  Random random_;
};

struct SyntheticOptions {
  int machines = 100;                 // machine ids 1..machines
  int days = 365;                     // rows per machine = days * 24 unless `hours` is set
  std::int64_t hours = 0;             // rows per machine when positive (8761 matches the full Azure set)
  std::int64_t start_time = days_from_civil(2015, 1, 1) * 86400 + 6 * 3600;  // 2015-01-01 06:00:00 UTC
  double failures_per_machine_year = 7.6;  // the full Azure set has 761 failures for 100 machines in 2015
  std::uint64_t seed = 1;
  std::int64_t shift_hours = 48;      // rows before a failure with the shifted sensor
};

// Generates a synthetic fleet (see the file comment). A failure is drawn once per day at the start
// time of day, with probability failures_per_machine_year / 365. Only days with `shift_hours` rows
// before the failure time and at least 3 days after the machine's previous failure qualify, so
// shifts never overlap. The realised rate is therefore somewhat below the option (about 7.3 per
// machine-year for the default 7.6). Throws std::invalid_argument for non-positive machines or
// rows, a negative failure rate or a negative shift_hours.
inline TelemetrySet generate_fleet(const SyntheticOptions& options = {}) {
  const std::int64_t rows = options.hours > 0 ? options.hours : static_cast<std::int64_t>(options.days) * 24;
  if (options.machines < 1) throw std::invalid_argument("synthetic fleet needs at least 1 machine, got " + std::to_string(options.machines));
  if (rows < 1) throw std::invalid_argument("synthetic fleet needs at least 1 row per machine, got " + std::to_string(rows));
  if (!(options.failures_per_machine_year >= 0.0)) {
    throw std::invalid_argument("failures_per_machine_year must be non-negative, got " +
                                std::to_string(options.failures_per_machine_year));
  }
  if (options.shift_hours < 0) throw std::invalid_argument("shift_hours must be non-negative, got " + std::to_string(options.shift_hours));

  constexpr int kFeatures = 4;
  constexpr double kLevel[kFeatures] = {171.0, 446.0, 101.0, 40.3};
  constexpr double kNoise[kFeatures] = {15.0, 50.0, 10.0, 5.0};  // below the measured spread, which includes the shifts
  constexpr double kShift[kFeatures] = {19.0, -78.0, 25.0, 10.2};
  constexpr std::int64_t kHour = 3600;
  constexpr std::int64_t kMinDaysBetweenFailures = 3;
  const double failure_probability = options.failures_per_machine_year / 365.0;

  TelemetrySet set;
  set.feature_names = {"volt", "rotate", "pressure", "vibration"};
  set.machines.resize(static_cast<std::size_t>(options.machines));
  std::vector<std::vector<Failure>> failures(static_cast<std::size_t>(options.machines));

#pragma omp parallel for schedule(dynamic)
  for (int index = 0; index < options.machines; ++index) {
    const int machine_id = index + 1;
    FleetRandom random(options.seed ^ (static_cast<std::uint64_t>(machine_id) * 0xD1B54A32D192ED03ULL));

    double level[kFeatures];
    for (int f = 0; f < kFeatures; ++f) level[f] = std::fma(0.1 * kNoise[f], random.normal(), kLevel[f]);

    // Failure times first, as row indices, so the shift can be applied while generating rows.
    std::vector<std::int64_t> failure_rows;
    std::vector<int> components;
    std::int64_t last_failure_day = -kMinDaysBetweenFailures;
    for (std::int64_t day = 1; day * 24 < rows; ++day) {
      const bool allowed = day * 24 >= options.shift_hours && day - last_failure_day >= kMinDaysBetweenFailures;
      if (!allowed || !random.bernoulli(failure_probability)) continue;
      failure_rows.push_back(day * 24);
      components.push_back(static_cast<int>(random.next() >> 62));
      last_failure_day = day;
    }

    MachineSeries& series = set.machines[static_cast<std::size_t>(index)];
    series.machine_id = machine_id;
    series.times.resize(static_cast<std::size_t>(rows));
    series.values.resize(rows, kFeatures);
    std::size_t next_failure = 0;
    for (std::int64_t row = 0; row < rows; ++row) {
      while (next_failure < failure_rows.size() && failure_rows[next_failure] < row) ++next_failure;
      // Rows in (failure - shift_hours, failure] carry the shift of the failing component.
      int shifted = -1;
      if (next_failure < failure_rows.size() && failure_rows[next_failure] - row < options.shift_hours) {
        shifted = components[next_failure];
      }
      series.times[static_cast<std::size_t>(row)] = options.start_time + row * kHour;
      for (int f = 0; f < kFeatures; ++f) {
        const double value = std::fma(kNoise[f], random.normal(), level[f]);
        series.values(row, f) = f == shifted ? value + kShift[f] : value;
      }
    }

    for (std::size_t i = 0; i < failure_rows.size(); ++i) {
      failures[static_cast<std::size_t>(index)].push_back(
          {machine_id, options.start_time + failure_rows[i] * kHour, "comp" + std::to_string(components[i] + 1)});
    }
  }

  for (const std::vector<Failure>& machine_failures : failures) {
    set.failures.insert(set.failures.end(), machine_failures.begin(), machine_failures.end());
  }
  set.report.rows_read = set.row_count();
  set.report.rows_kept = set.report.rows_read;
  set.report.interval_seconds = kHour;
  set.report.nan_counts.assign(kFeatures, 0);
  set.report.failures_read = static_cast<std::int64_t>(set.failures.size());
  return set;
}

}  // namespace tsdl::data
