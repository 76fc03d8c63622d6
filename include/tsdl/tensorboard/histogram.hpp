// Histogram: the summary statistics and buckets of TensorFlow's HistogramProto.
//
// make_histogram() uses equal-width buckets between the minimum and the maximum value. Bucket i
// covers [bucket_limit[i - 1], bucket_limit[i]), with bucket 0 starting at min, and the last bucket
// also includes max, so bucket_limit.back() == max. TensorBoard (data_compat.py, which converts
// HistogramProto for its histogram plugin) reads the same edges: bucket_limit[i - 1] as the left
// edge of bucket i, min as the left edge of the first bucket and max as the right edge of the last.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace tsdl::tensorboard {

struct Histogram {
  double min = 0.0;
  double max = 0.0;
  double num = 0.0;  // count of values, a double in HistogramProto
  double sum = 0.0;
  double sum_squares = 0.0;
  std::vector<double> bucket_limit;  // right edge of each bucket
  std::vector<double> bucket;        // count of values in each bucket
};

// Returns the histogram of `count` values at `values` in `bucket_count` equal-width buckets. When
// all values are equal, it has one bucket with limit == min == max. Throws std::invalid_argument
// when bucket_count < 1.
// NOTE: NaN and infinite values are left out of every field, num included, because they have no
// bucket between min and max.
template <typename Scalar>
Histogram make_histogram(const Scalar* values, std::size_t count, int bucket_count = 30) {
  if (bucket_count < 1) {
    throw std::invalid_argument("make_histogram: bucket_count must be >= 1, got " + std::to_string(bucket_count));
  }
  Histogram histogram;
  bool first = true;
  for (std::size_t i = 0; i < count; ++i) {
    const double value = static_cast<double>(values[i]);
    if (!std::isfinite(value)) continue;
    histogram.min = first ? value : std::min(histogram.min, value);
    histogram.max = first ? value : std::max(histogram.max, value);
    histogram.num += 1.0;
    histogram.sum += value;
    histogram.sum_squares += value * value;
    first = false;
  }
  if (histogram.num == 0.0) return histogram;

  if (histogram.min == histogram.max) {
    histogram.bucket_limit = {histogram.max};
    histogram.bucket = {histogram.num};
    return histogram;
  }

  const double width = (histogram.max - histogram.min) / bucket_count;
  histogram.bucket_limit.resize(static_cast<std::size_t>(bucket_count));
  for (int i = 0; i < bucket_count; ++i) histogram.bucket_limit[static_cast<std::size_t>(i)] = histogram.min + (i + 1) * width;
  histogram.bucket_limit.back() = histogram.max;

  histogram.bucket.assign(static_cast<std::size_t>(bucket_count), 0.0);
  for (std::size_t i = 0; i < count; ++i) {
    const double value = static_cast<double>(values[i]);
    if (!std::isfinite(value)) continue;
    // The maximum lands on index bucket_count and rounding can push a value one bucket either
    // way, so the index is clamped and then moved to the bucket whose edges contain the value.
    auto index = static_cast<std::ptrdiff_t>((value - histogram.min) / width);
    index = std::clamp<std::ptrdiff_t>(index, 0, bucket_count - 1);
    while (index > 0 && value < histogram.bucket_limit[static_cast<std::size_t>(index - 1)]) --index;
    while (index < bucket_count - 1 && value >= histogram.bucket_limit[static_cast<std::size_t>(index)]) ++index;
    histogram.bucket[static_cast<std::size_t>(index)] += 1.0;
  }
  return histogram;
}

}  // namespace tsdl::tensorboard
