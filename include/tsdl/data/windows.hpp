// Sliding-window averages of telemetry rows, per machine.
//
// Window k of a machine covers rows [k * step, k * step + width). It is stamped with the time of
// its last row, its features are the column means over those rows, and a tail shorter than
// `width` is dropped, so a series with n >= width rows gives (n - width) / step + 1 windows and a
// shorter series gives none. Windows count rows, not time. NOTE: a window over a time gap in the
// telemetry therefore spans more than width intervals; LoadReport::gaps counts such gaps.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/data/error.hpp"
#include "tsdl/data/matrix.hpp"
#include "tsdl/data/telemetry.hpp"

namespace tsdl::data {

// Rule that turns the labels of a window's rows into the window's label.
enum class WindowLabel {
  kAny,   // 1 when any row in the window is 1
  kLast,  // the label of the window's last row
};

struct WindowOptions {
  std::int64_t width = 10;  // rows per window
  std::int64_t step = 5;    // rows between the first rows of consecutive windows
  WindowLabel label = WindowLabel::kAny;
};

// Window averages of one machine.
struct MachineWindows {
  int machine_id = 0;
  std::vector<std::int64_t> end_times;  // time of each window's last row, UTC seconds
  RowMatrix means;                      // (windows, features)
  std::vector<std::uint8_t> labels;     // one 0/1 label per window
};

// Window averages of a fleet; machines[i] comes from TelemetrySet::machines[i].
struct WindowSet {
  std::vector<std::string> feature_names;
  std::vector<MachineWindows> machines;
  std::int64_t nan_cells = 0;  // window means left NaN because every row of that column was NaN
};

// Returns the number of complete windows in a series of `rows` rows.
inline std::int64_t window_count(std::int64_t rows, const WindowOptions& options) {
  return rows >= options.width ? (rows - options.width) / options.step + 1 : 0;
}

namespace detail {

inline void check_window_options(const WindowOptions& options) {
  if (options.width < 1) throw std::invalid_argument("window width must be at least 1, got " + std::to_string(options.width));
  if (options.step < 1) throw std::invalid_argument("window step must be at least 1, got " + std::to_string(options.step));
}

}  // namespace detail

// Averages the rows of one machine in sliding windows (see the file comment). A window's mean
// skips NaN cells, and a column with no finite value in a window stays NaN. `labels` contains one
// 0/1 label per row (see label_rows). Throws std::invalid_argument for width or step below 1 and
// DataError when labels.size() differs from the row count.
inline MachineWindows average_windows(const MachineSeries& series, const std::vector<std::uint8_t>& labels,
                                      const WindowOptions& options = {}) {
  detail::check_window_options(options);
  const std::int64_t rows = static_cast<std::int64_t>(series.times.size());
  if (static_cast<std::int64_t>(labels.size()) != rows || series.values.rows() != rows) {
    throw DataError("machine " + std::to_string(series.machine_id) + ": " + std::to_string(labels.size()) +
                    " labels and " + std::to_string(series.values.rows()) + " value rows for " + std::to_string(rows) +
                    " times; expected one label and one value row per time");
  }

  const std::int64_t count = window_count(rows, options);
  const Eigen::Index features = series.values.cols();
  MachineWindows windows;
  windows.machine_id = series.machine_id;
  windows.end_times.resize(static_cast<std::size_t>(count));
  windows.means.resize(count, features);
  windows.labels.resize(static_cast<std::size_t>(count));

  std::vector<double> sums(static_cast<std::size_t>(features));
  std::vector<std::int64_t> finite(static_cast<std::size_t>(features));
  for (std::int64_t k = 0; k < count; ++k) {
    const std::int64_t first = k * options.step;
    const std::int64_t last = first + options.width - 1;

    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(finite.begin(), finite.end(), 0);
    std::uint8_t any = 0;
    for (std::int64_t row = first; row <= last; ++row) {
      const double* values = series.values.data() + row * features;
      for (Eigen::Index feature = 0; feature < features; ++feature) {
        if (std::isnan(values[feature])) continue;
        sums[static_cast<std::size_t>(feature)] += values[feature];
        ++finite[static_cast<std::size_t>(feature)];
      }
      any |= labels[static_cast<std::size_t>(row)];
    }

    for (Eigen::Index feature = 0; feature < features; ++feature) {
      const std::int64_t n = finite[static_cast<std::size_t>(feature)];
      windows.means(k, feature) = n > 0 ? sums[static_cast<std::size_t>(feature)] / static_cast<double>(n)
                                        : std::numeric_limits<double>::quiet_NaN();
    }
    windows.end_times[static_cast<std::size_t>(k)] = series.times[static_cast<std::size_t>(last)];
    windows.labels[static_cast<std::size_t>(k)] =
        options.label == WindowLabel::kAny ? any : labels[static_cast<std::size_t>(last)];
  }
  return windows;
}

// Averages every machine of `set` in sliding windows. labels[i] belongs to set.machines[i]. A
// machine with fewer than `width` rows gets no windows. Throws like the single-machine overload,
// and DataError when labels.size() differs from the machine count.
inline WindowSet average_windows(const TelemetrySet& set, const std::vector<std::vector<std::uint8_t>>& labels,
                                 const WindowOptions& options = {}) {
  if (labels.size() != set.machines.size()) {
    throw DataError("got label vectors for " + std::to_string(labels.size()) + " machines but the set has " +
                    std::to_string(set.machines.size()) + " machines");
  }
  WindowSet windows;
  windows.feature_names = set.feature_names;
  windows.machines.reserve(set.machines.size());
  for (std::size_t i = 0; i < set.machines.size(); ++i) {
    windows.machines.push_back(average_windows(set.machines[i], labels[i], options));
    windows.nan_cells += windows.machines.back().means.array().isNaN().count();
  }
  return windows;
}

}  // namespace tsdl::data
