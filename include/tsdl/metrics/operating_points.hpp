// Confusion counts at every threshold that changes a prediction, the common base of the F1
// threshold search, ROC-AUC and average precision.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "tsdl/metrics/validation.hpp"

namespace tsdl::metrics {

// Counts of positive predictions at one threshold, with the rule score >= threshold.
struct OperatingPoint {
  double threshold = 0.0;  // one of the distinct score values
  std::int64_t true_positives = 0;
  std::int64_t false_positives = 0;
};

namespace detail {

// Sweeps the distinct scores in decreasing order. `function` names the public metric in errors.
template <class Scores, class Labels>
std::vector<OperatingPoint> sweep_operating_points(const Scores& scores, const Labels& labels,
                                                   const char* function) {
  const std::size_t size = validate_scores_and_labels(scores, labels, function);

  std::vector<std::pair<double, bool>> scored_labels;  // (score, label == 1)
  scored_labels.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    scored_labels.emplace_back(element_as_double(scores, i), element_as_double(labels, i) == 1.0);
  }
  std::sort(scored_labels.begin(), scored_labels.end(),
            [](const auto& left, const auto& right) { return left.first > right.first; });

  // Lowering the threshold past a group of tied scores turns the whole group positive at once, so
  // one point is emitted at the end of each group.
  std::vector<OperatingPoint> points;
  std::int64_t true_positives = 0;
  std::int64_t false_positives = 0;
  for (std::size_t i = 0; i < size; ++i) {
    (scored_labels[i].second ? true_positives : false_positives) += 1;
    const bool last_of_group =
        i + 1 == size || scored_labels[i + 1].first != scored_labels[i].first;
    if (last_of_group) {
      points.push_back({scored_labels[i].first, true_positives, false_positives});
    }
  }
  return points;
}

}  // namespace detail

// Returns one operating point per distinct score, ordered by decreasing threshold. A threshold
// between two adjacent distinct scores predicts the same as the higher of the two, so these points
// cover every achievable prediction except "all negative" (a threshold above the maximum score).
// The last point predicts everything positive, so its counts are the totals of positive and
// negative labels. An empty input gives an empty vector. Throws std::invalid_argument on
// mismatched lengths, labels other than 0/1 or NaN scores.
template <class Scores, class Labels>
std::vector<OperatingPoint> operating_points(const Scores& scores, const Labels& labels) {
  return detail::sweep_operating_points(scores, labels, "operating_points");
}

}  // namespace tsdl::metrics
