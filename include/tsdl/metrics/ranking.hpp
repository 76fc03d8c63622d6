// Threshold-free ranking metrics: ROC-AUC and average precision.
//
// Both are undefined for some inputs, and then return NaN instead of throwing, so that a report
// over several splits still prints when one split has a single class. Check with std::isnan before
// averaging or comparing them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "tsdl/metrics/operating_points.hpp"

namespace tsdl::metrics {

namespace detail {

// Area under the ROC curve through (0, 0) and every operating point. The trapezoid over a group of
// tied scores counts each tied (positive, negative) pair as 1/2.
inline double roc_auc_from_points(const std::vector<OperatingPoint>& points) {
  if (points.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const std::int64_t positives = points.back().true_positives;
  const std::int64_t negatives = points.back().false_positives;
  if (positives == 0 || negatives == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }

  // Twice the area in units of (1 negative) x (1 positive), kept as an exact integer sum.
  std::int64_t doubled_area = 0;
  std::int64_t previous_true_positives = 0;
  std::int64_t previous_false_positives = 0;
  for (const OperatingPoint& point : points) {
    doubled_area += (point.false_positives - previous_false_positives) *
                    (point.true_positives + previous_true_positives);
    previous_true_positives = point.true_positives;
    previous_false_positives = point.false_positives;
  }
  return static_cast<double>(doubled_area) /
         (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

// Sums (R_n - R_{n-1}) * P_n over the operating points, with R_0 = 0.
inline double average_precision_from_points(const std::vector<OperatingPoint>& points) {
  const std::int64_t positives = points.empty() ? 0 : points.back().true_positives;
  if (positives == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }

  double sum = 0.0;
  std::int64_t previous_true_positives = 0;
  for (const OperatingPoint& point : points) {
    // Every point predicts at least one sample positive, so the precision denominator is > 0.
    const double precision_at_point =
        static_cast<double>(point.true_positives) /
        static_cast<double>(point.true_positives + point.false_positives);
    const double recall_step = static_cast<double>(point.true_positives - previous_true_positives) /
                               static_cast<double>(positives);
    sum += recall_step * precision_at_point;
    previous_true_positives = point.true_positives;
  }
  return sum;
}

}  // namespace detail

// Computes the area under the ROC curve of `scores` against 0/1 `labels`. This is the probability
// that a random positive scores higher than a random negative, with tied pairs counting 1/2, which
// equals the trapezoidal area under the ROC curve that scikit-learn's roc_auc_score computes.
// Returns NaN when the labels contain only one class or the input is empty, because the false or
// true positive rate is then 0/0. Throws std::invalid_argument on mismatched lengths, labels other
// than 0/1 or NaN scores.
template <class Scores, class Labels>
double roc_auc(const Scores& scores, const Labels& labels) {
  return detail::roc_auc_from_points(detail::sweep_operating_points(scores, labels, "roc_auc"));
}

// Computes average precision as scikit-learn's average_precision_score defines it: the sum over
// distinct thresholds, from highest to lowest, of (R_n - R_{n-1}) * P_n with R_0 = 0. This is a
// step-wise area under the precision-recall curve without interpolation, and a group of tied
// scores forms one step. Returns NaN when the labels contain no positive (including an empty
// input), because recall is then 0/0. With no negative it returns 1. Throws std::invalid_argument
// on mismatched lengths, labels other than 0/1 or NaN scores.
template <class Scores, class Labels>
double average_precision(const Scores& scores, const Labels& labels) {
  return detail::average_precision_from_points(
      detail::sweep_operating_points(scores, labels, "average_precision"));
}

}  // namespace tsdl::metrics
