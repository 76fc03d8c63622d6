// Failure labels: a telemetry row is positive (1) when a failure of its own machine follows
// within the horizon, that is, when the row's time lies in (failure - horizon, failure].
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/data/telemetry.hpp"

namespace tsdl::data {

// The default horizon: 24 hours, in seconds.
inline constexpr std::int64_t kDefaultHorizonSeconds = 24 * 3600;

// Labels the rows of one machine: row i gets 1 when some failure f of the same machine satisfies
// f - horizon < times[i] <= f, else 0. Failures of other machines are ignored. A failure before
// the first row (or after the last) marks only the rows inside its interval, possibly none, and a
// failure between two grid times marks the rows at or before it. Returns one label per row.
// Throws std::invalid_argument when horizon_seconds is not positive.
inline std::vector<std::uint8_t> label_rows(const MachineSeries& series, const std::vector<Failure>& failures,
                                           std::int64_t horizon_seconds = kDefaultHorizonSeconds) {
  if (horizon_seconds <= 0) {
    throw std::invalid_argument("label horizon must be positive, got " + std::to_string(horizon_seconds) + " s");
  }
  std::vector<std::uint8_t> labels(series.times.size(), 0);
  for (const Failure& failure : failures) {
    if (failure.machine_id != series.machine_id) continue;
    // Rows with times in (failure - horizon, failure]: times are sorted, so that is one index range.
    const auto first = std::upper_bound(series.times.begin(), series.times.end(), failure.time - horizon_seconds);
    const auto last = std::upper_bound(series.times.begin(), series.times.end(), failure.time);
    std::fill(labels.begin() + (first - series.times.begin()), labels.begin() + (last - series.times.begin()), 1);
  }
  return labels;
}

// Labels every machine of `set` with its own failures (see the single-machine overload). Element
// i of the result belongs to set.machines[i].
inline std::vector<std::vector<std::uint8_t>> label_rows(const TelemetrySet& set,
                                                        std::int64_t horizon_seconds = kDefaultHorizonSeconds) {
  std::vector<std::vector<std::uint8_t>> labels;
  labels.reserve(set.machines.size());
  for (const MachineSeries& series : set.machines) labels.push_back(label_rows(series, set.failures, horizon_seconds));
  return labels;
}

}  // namespace tsdl::data
