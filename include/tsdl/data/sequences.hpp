// Sequences of consecutive windows: the model input for sequence classifiers.
//
// Sequence j of a machine covers windows [j * stride, j * stride + seq_len) of that machine only,
// so no sequence crosses machines. Its target is the label of its last window, and it keeps the
// machine id and the end time of its last window. A machine with m >= seq_len windows gives
// (m - seq_len) / stride + 1 sequences, and a machine with fewer gives none.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "tsdl/data/error.hpp"
#include "tsdl/data/labels.hpp"
#include "tsdl/data/telemetry.hpp"
#include "tsdl/data/windows.hpp"

namespace tsdl::data {

// Handling of a sequence that contains a NaN window mean in build_sequences.
enum class NanPolicy {
  kError,         // throw DataError naming the machine, time and feature
  kSkipSequence,  // leave the sequence out and count it in SequenceSet::skipped_nan
};

struct SequenceOptions {
  std::int64_t seq_len = 30;  // windows per sequence
  std::int64_t stride = 1;    // windows between the first windows of consecutive sequences
  NanPolicy nan_policy = NanPolicy::kError;
};

// Sequences in one contiguous, row-major float buffer.
struct SequenceSet {
  std::int64_t count = 0;
  std::int64_t seq_len = 0;
  std::int64_t features = 0;
  std::vector<float> values;              // (count, seq_len, features), row-major
  std::vector<float> targets;             // (count), 0 or 1
  std::vector<int> machine_ids;           // (count)
  std::vector<std::int64_t> end_times;    // (count), UTC seconds of each sequence's last window
  std::vector<int> short_machines;        // machines with fewer than seq_len windows, no sequences
  std::int64_t skipped_nan = 0;           // sequences left out under NanPolicy::kSkipSequence

  // Returns the shape of `values`: (count, seq_len, features).
  std::array<std::int64_t, 3> shape() const { return {count, seq_len, features}; }

  // Returns the rank-4 shape (count, seq_len, features, 1) of the same memory, the channels-last
  // input of a hybrid TimeDistributed(Conv1D) + LSTM model: each time step is a length-`features`
  // signal with one channel. No data is copied or reordered.
  std::array<std::int64_t, 4> shape_rank4() const { return {count, seq_len, features, 1}; }

  // Returns a pointer to the seq_len * features values of sequence i.
  const float* sequence_data(std::int64_t i) const { return values.data() + i * seq_len * features; }

  // Returns the number of sequences with target 1.
  std::int64_t positives() const {
    std::int64_t total = 0;
    for (float target : targets) total += target > 0.5f;
    return total;
  }
};

// Returns the number of sequences in a machine with `windows` windows.
inline std::int64_t sequence_count(std::int64_t windows, const SequenceOptions& options) {
  return windows >= options.seq_len ? (windows - options.seq_len) / options.stride + 1 : 0;
}

// Builds all sequences of `windows` (see the file comment), machine by machine in the order of
// windows.machines. Throws std::invalid_argument for seq_len or stride below 1, and DataError
// when seq_len exceeds every machine's window count, when no sequence is left after skipping NaN
// ones, or (under NanPolicy::kError) when a sequence contains a NaN mean.
inline SequenceSet build_sequences(const WindowSet& windows, const SequenceOptions& options = {}) {
  if (options.seq_len < 1) throw std::invalid_argument("seq_len must be at least 1, got " + std::to_string(options.seq_len));
  if (options.stride < 1) throw std::invalid_argument("sequence stride must be at least 1, got " + std::to_string(options.stride));

  SequenceSet set;
  set.seq_len = options.seq_len;
  set.features = static_cast<std::int64_t>(windows.feature_names.size());

  std::int64_t capacity = 0;
  std::int64_t longest = 0;
  int longest_machine = 0;
  for (const MachineWindows& machine : windows.machines) {
    const std::int64_t rows = machine.means.rows();
    if (machine.means.cols() != set.features) {
      throw DataError("machine " + std::to_string(machine.machine_id) + " has " + std::to_string(machine.means.cols()) +
                      " features but the window set names " + std::to_string(set.features));
    }
    capacity += sequence_count(rows, options);
    if (rows > longest) {
      longest = rows;
      longest_machine = machine.machine_id;
    }
    if (rows < options.seq_len) set.short_machines.push_back(machine.machine_id);
  }
  if (capacity == 0) {
    const std::string longest_text = windows.machines.empty() ? std::string("the set has no machines")
                                                              : "the longest has " + std::to_string(longest) +
                                                                    " windows (machine " + std::to_string(longest_machine) + ")";
    throw DataError("seq_len " + std::to_string(options.seq_len) + " is longer than every machine's window series: " +
                    longest_text + "; use a shorter seq_len or a smaller window step");
  }

  const std::int64_t block = options.seq_len * set.features;
  set.values.reserve(static_cast<std::size_t>(capacity * block));
  set.targets.reserve(static_cast<std::size_t>(capacity));
  set.machine_ids.reserve(static_cast<std::size_t>(capacity));
  set.end_times.reserve(static_cast<std::size_t>(capacity));

  for (const MachineWindows& machine : windows.machines) {
    const std::int64_t count = sequence_count(machine.means.rows(), options);
    for (std::int64_t j = 0; j < count; ++j) {
      const std::int64_t first = j * options.stride;
      const std::int64_t last = first + options.seq_len - 1;
      const double* source = machine.means.data() + first * set.features;

      bool has_nan = false;
      for (std::int64_t i = 0; i < block && !has_nan; ++i) has_nan = std::isnan(source[i]);
      if (has_nan && options.nan_policy == NanPolicy::kSkipSequence) {
        ++set.skipped_nan;
        continue;
      }
      if (has_nan) {
        std::int64_t i = 0;
        while (!std::isnan(source[i])) ++i;
        const std::int64_t window = first + i / set.features;
        throw DataError("machine " + std::to_string(machine.machine_id) + ": window ending " +
                        format_timestamp(machine.end_times[static_cast<std::size_t>(window)]) + " has a NaN mean for '" +
                        windows.feature_names[static_cast<std::size_t>(i % set.features)] +
                        "' (every row of the window was NaN); fill the gaps or use NanPolicy::kSkipSequence");
      }

      set.values.insert(set.values.end(), source, source + block);
      set.targets.push_back(static_cast<float>(machine.labels[static_cast<std::size_t>(last)]));
      set.machine_ids.push_back(machine.machine_id);
      set.end_times.push_back(machine.end_times[static_cast<std::size_t>(last)]);
    }
  }
  set.count = static_cast<std::int64_t>(set.targets.size());
  if (set.count == 0) {
    throw DataError("every one of " + std::to_string(set.skipped_nan) +
                    " sequences contains a NaN window mean, so none is left; fill the missing telemetry first");
  }
  return set;
}

// Settings of the whole path from telemetry rows to sequences.
struct PipelineOptions {
  std::int64_t horizon_seconds = kDefaultHorizonSeconds;
  WindowOptions windows;
  SequenceOptions sequences;
};

// Labels the rows of `telemetry`, averages them in windows and builds the sequences, with the
// errors of label_rows, average_windows and build_sequences.
inline SequenceSet build_sequences(const TelemetrySet& telemetry, const PipelineOptions& options = {}) {
  const std::vector<std::vector<std::uint8_t>> labels = label_rows(telemetry, options.horizon_seconds);
  const WindowSet windows = average_windows(telemetry, labels, options.windows);
  return build_sequences(windows, options.sequences);
}

}  // namespace tsdl::data
