// Selection of the decision threshold that maximises F1 on a validation set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/metrics/classification.hpp"
#include "tsdl/metrics/operating_points.hpp"
#include "tsdl/metrics/validation.hpp"

namespace tsdl::metrics {

// The chosen threshold with the metrics it reaches on the data it was chosen on.
struct ThresholdSelection {
  double threshold = 0.0;
  ConfusionMatrix confusion;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

// Finds the threshold t that maximises F1 of the positive class under the rule score >= t.
//
// Candidates are the distinct score values, because a threshold can only separate distinct scores:
// tied samples are always predicted alike, and any t between two adjacent scores predicts the same
// as the higher one. Among candidates with equal F1 the highest threshold is returned, because it
// raises the fewest alarms. F1 values are compared exactly, as integer fractions.
//
// Throws std::invalid_argument when `labels` contain no positive (including an empty input),
// because F1 is then 0 at every threshold and no choice is meaningful. With at least one positive
// the lowest candidate reaches recall 1, so the returned F1 is always > 0. Also throws on
// mismatched lengths, labels other than 0/1 or NaN scores.
template <class Scores, class Labels>
ThresholdSelection best_f1_threshold(const Scores& scores, const Labels& labels) {
  const std::vector<OperatingPoint> points =
      detail::sweep_operating_points(scores, labels, "best_f1_threshold");

  const std::int64_t positives = points.empty() ? 0 : points.back().true_positives;
  const std::int64_t negatives = points.empty() ? 0 : points.back().false_positives;
  if (positives == 0) {
    throw std::invalid_argument(
        "tsdl::metrics::best_f1_threshold: labels contain no positive (1) among " +
        std::to_string(detail::container_size(labels)) +
        " samples, so F1 is 0 at every threshold; choose the threshold on data with failures");
  }

  // F1 = 2 TP / (2 TP + FP + FN). Points are visited from the highest threshold down and only a
  // strictly larger F1 replaces the best one, which keeps the highest threshold among ties.
  // NOTE: the cross products are exact while 4 n^2 fits in int64, i.e. for n below about 1.5e9.
  std::size_t best = 0;
  std::int64_t best_numerator = 0;
  std::int64_t best_denominator = 1;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const std::int64_t numerator = 2 * points[k].true_positives;
    const std::int64_t denominator =
        numerator + points[k].false_positives + (positives - points[k].true_positives);
    if (numerator * best_denominator > best_numerator * denominator) {
      best = k;
      best_numerator = numerator;
      best_denominator = denominator;
    }
  }

  ThresholdSelection selection;
  selection.threshold = points[best].threshold;
  selection.confusion.true_positives = points[best].true_positives;
  selection.confusion.false_positives = points[best].false_positives;
  selection.confusion.false_negatives = positives - points[best].true_positives;
  selection.confusion.true_negatives = negatives - points[best].false_positives;
  selection.precision = precision(selection.confusion);
  selection.recall = recall(selection.confusion);
  selection.f1 = f1_score(selection.confusion);
  return selection;
}

}  // namespace tsdl::metrics
