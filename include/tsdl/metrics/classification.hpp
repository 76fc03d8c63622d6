// Binary classification metrics at a fixed decision threshold.
//
// Decision rule, used by every function in tsdl::metrics: a sample is predicted positive when its
// score p satisfies p >= threshold. Scores are converted to double before the comparison, so a
// float score 0.7f (0.699999988...) is negative at threshold 0.7. Thresholds returned by
// best_f1_threshold are exact score values and reproduce their predictions.
//
// Zero-division rule: every ratio whose denominator is 0 is defined as 0. This covers precision
// with no positive predictions, recall with no positive labels, F1 when TP = FP = FN = 0, and
// accuracy of an empty input. scikit-learn gives the same values with zero_division=0.
//
// Labels must be exactly 0 or 1 and scores must not be NaN, otherwise std::invalid_argument.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "tsdl/metrics/validation.hpp"

namespace tsdl::metrics {

// Counts of a binary confusion matrix. Rows are the true label and columns the predicted label, so
// to_array() returns [[TN, FP], [FN, TP]] as scikit-learn's confusion_matrix does.
struct ConfusionMatrix {
  std::int64_t true_negatives = 0;
  std::int64_t false_positives = 0;
  std::int64_t false_negatives = 0;
  std::int64_t true_positives = 0;

  std::array<std::array<std::int64_t, 2>, 2> to_array() const {
    return {{{true_negatives, false_positives}, {false_negatives, true_positives}}};
  }
  std::int64_t total() const {
    return true_negatives + false_positives + false_negatives + true_positives;
  }
  std::int64_t actual_positives() const { return false_negatives + true_positives; }
  std::int64_t actual_negatives() const { return true_negatives + false_positives; }
  std::int64_t predicted_positives() const { return false_positives + true_positives; }
  std::int64_t predicted_negatives() const { return true_negatives + false_negatives; }

  bool operator==(const ConfusionMatrix& other) const {
    return true_negatives == other.true_negatives && false_positives == other.false_positives &&
           false_negatives == other.false_negatives && true_positives == other.true_positives;
  }
  bool operator!=(const ConfusionMatrix& other) const { return !(*this == other); }
};

// Precision, recall and F1 of one class, with its support (number of samples whose true label is
// that class). In an average, support is the total number of samples.
struct ClassMetrics {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  std::int64_t support = 0;
};

// The content of scikit-learn's classification_report for labels {0, 1}. Both classes are always
// listed, even when one of them has no support.
struct ClassificationReport {
  ConfusionMatrix confusion;
  double accuracy = 0.0;
  std::array<ClassMetrics, 2> per_class;  // index = label
  ClassMetrics macro_average;             // unweighted mean of per_class
  ClassMetrics weighted_average;          // mean of per_class weighted by support
};

namespace detail {

// Counts the confusion matrix. `function` names the public metric in error messages.
template <class Scores, class Labels>
ConfusionMatrix count_confusion(const Scores& scores, const Labels& labels, double threshold,
                                const char* function) {
  const std::size_t size = validate_scores_and_labels(scores, labels, function);
  check_threshold(threshold, function);

  ConfusionMatrix counts;
  for (std::size_t i = 0; i < size; ++i) {
    const bool predicted_positive = element_as_double(scores, i) >= threshold;
    const bool actual_positive = element_as_double(labels, i) == 1.0;
    if (actual_positive) {
      (predicted_positive ? counts.true_positives : counts.false_negatives) += 1;
    } else {
      (predicted_positive ? counts.false_positives : counts.true_negatives) += 1;
    }
  }
  return counts;
}

}  // namespace detail

// Counts TN, FP, FN and TP of `scores` against 0/1 `labels` with the rule score >= threshold.
// An empty input gives an all-zero matrix. Throws std::invalid_argument on mismatched lengths,
// labels other than 0/1, NaN scores or a NaN threshold.
template <class Scores, class Labels>
ConfusionMatrix confusion_matrix(const Scores& scores, const Labels& labels,
                                 double threshold = 0.5) {
  return detail::count_confusion(scores, labels, threshold, "confusion_matrix");
}

// (TP + TN) / total, or 0 for an empty matrix.
inline double accuracy(const ConfusionMatrix& counts) {
  return detail::divide_or_zero(
      static_cast<double>(counts.true_positives + counts.true_negatives),
      static_cast<double>(counts.total()));
}

// TP / (TP + FP) of the positive class, or 0 when nothing is predicted positive.
inline double precision(const ConfusionMatrix& counts) {
  return detail::divide_or_zero(static_cast<double>(counts.true_positives),
                                static_cast<double>(counts.predicted_positives()));
}

// TP / (TP + FN) of the positive class, or 0 when no label is positive.
inline double recall(const ConfusionMatrix& counts) {
  return detail::divide_or_zero(static_cast<double>(counts.true_positives),
                                static_cast<double>(counts.actual_positives()));
}

// F1 of the positive class, computed as 2 TP / (2 TP + FP + FN). This equals the harmonic mean
// 2 P R / (P + R) whenever P + R > 0, and is 0 when TP = 0.
inline double f1_score(const ConfusionMatrix& counts) {
  const auto doubled_true_positives = 2 * counts.true_positives;
  return detail::divide_or_zero(
      static_cast<double>(doubled_true_positives),
      static_cast<double>(doubled_true_positives + counts.false_positives +
                          counts.false_negatives));
}

// Accuracy of `scores` against `labels` with the rule score >= threshold. See confusion_matrix for
// the input checks.
template <class Scores, class Labels>
double accuracy(const Scores& scores, const Labels& labels, double threshold = 0.5) {
  return accuracy(detail::count_confusion(scores, labels, threshold, "accuracy"));
}

// Precision of the positive class (label 1) at `threshold`, 0 when nothing is predicted positive.
template <class Scores, class Labels>
double precision(const Scores& scores, const Labels& labels, double threshold = 0.5) {
  return precision(detail::count_confusion(scores, labels, threshold, "precision"));
}

// Recall of the positive class (label 1) at `threshold`, 0 when no label is positive.
template <class Scores, class Labels>
double recall(const Scores& scores, const Labels& labels, double threshold = 0.5) {
  return recall(detail::count_confusion(scores, labels, threshold, "recall"));
}

// F1 of the positive class (label 1) at `threshold`, 0 when there is no true positive.
template <class Scores, class Labels>
double f1_score(const Scores& scores, const Labels& labels, double threshold = 0.5) {
  return f1_score(detail::count_confusion(scores, labels, threshold, "f1_score"));
}

// Builds the per-class, macro-average and weighted-average metrics from a confusion matrix.
// Class 0 is scored by swapping the roles of the classes: its precision is TN / (TN + FN) and its
// recall TN / (TN + FP). The macro F1 is the mean of the two per-class F1 values, not the F1 of the
// mean precision and recall, as in scikit-learn. Weighted averages of an empty matrix are 0.
inline ClassificationReport classification_report(const ConfusionMatrix& counts) {
  ClassificationReport report;
  report.confusion = counts;
  report.accuracy = accuracy(counts);

  ConfusionMatrix swapped;
  swapped.true_positives = counts.true_negatives;
  swapped.true_negatives = counts.true_positives;
  swapped.false_positives = counts.false_negatives;
  swapped.false_negatives = counts.false_positives;
  report.per_class[0] = {precision(swapped), recall(swapped), f1_score(swapped),
                         counts.actual_negatives()};
  report.per_class[1] = {precision(counts), recall(counts), f1_score(counts),
                         counts.actual_positives()};

  const ClassMetrics& negative = report.per_class[0];
  const ClassMetrics& positive = report.per_class[1];
  const std::int64_t total = counts.total();
  report.macro_average = {(negative.precision + positive.precision) / 2.0,
                          (negative.recall + positive.recall) / 2.0,
                          (negative.f1 + positive.f1) / 2.0, total};

  const auto weighted_mean = [&](double negative_value, double positive_value) {
    return detail::divide_or_zero(static_cast<double>(negative.support) * negative_value +
                                      static_cast<double>(positive.support) * positive_value,
                                  static_cast<double>(total));
  };
  report.weighted_average = {weighted_mean(negative.precision, positive.precision),
                             weighted_mean(negative.recall, positive.recall),
                             weighted_mean(negative.f1, positive.f1), total};
  return report;
}

// Builds the classification report of `scores` against `labels` at `threshold`. See
// confusion_matrix for the input checks.
template <class Scores, class Labels>
ClassificationReport classification_report(const Scores& scores, const Labels& labels,
                                           double threshold = 0.5) {
  return classification_report(
      detail::count_confusion(scores, labels, threshold, "classification_report"));
}

}  // namespace tsdl::metrics
