// Cross-checks of ROC-AUC, average precision, the classification report and the F1 threshold
// against independent brute-force implementations.
//
// The expected values are the output of `python3 tests/data/metrics_reference.py` (standard
// library only, exact fractions): ROC-AUC from all (positive, negative) pairs, average precision
// as sum (R_n - R_{n-1}) P_n by recounting at each distinct threshold, and the best F1 threshold by
// trying every distinct score, every midpoint and thresholds outside the score range. The cases
// here must stay identical to CASES in that script, and the exact fraction is noted next to each
// value.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tsdl/metrics/classification.hpp"
#include "tsdl/metrics/ranking.hpp"
#include "tsdl/metrics/threshold.hpp"

namespace metrics = tsdl::metrics;

namespace {

struct ReferenceClass {
  double precision;
  double recall;
  double f1;
  std::int64_t support;
};

struct ReferenceCase {
  std::string name;
  std::vector<double> scores;
  std::vector<int> labels;
  double roc_auc;
  double average_precision;
  // Classification report at threshold 0.5.
  std::int64_t true_negatives;
  std::int64_t false_positives;
  std::int64_t false_negatives;
  std::int64_t true_positives;
  double accuracy;
  ReferenceClass negative_class;
  ReferenceClass positive_class;
  ReferenceClass macro_average;
  ReferenceClass weighted_average;
  // Best F1 threshold, the highest among equal F1.
  double best_threshold;
  double best_f1;
};

std::vector<ReferenceCase> reference_cases() {
  return {
      {"ties_ten",
       {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.1},
       {1, 1, 0, 1, 0, 1, 0, 0, 1, 0},
       0.69999999999999996 /* 7/10 */,
       0.70873015873015877 /* 893/1260 */,
       2, 3, 1, 4,
       0.59999999999999998 /* 3/5 */,
       {0.66666666666666663 /* 2/3 */, 0.40000000000000002 /* 2/5 */, 0.5 /* 1/2 */, 5},
       {0.5714285714285714 /* 4/7 */, 0.80000000000000004 /* 4/5 */,
        0.66666666666666663 /* 2/3 */, 5},
       {0.61904761904761907 /* 13/21 */, 0.59999999999999998 /* 3/5 */,
        0.58333333333333337 /* 7/12 */, 10},
       {0.61904761904761907 /* 13/21 */, 0.59999999999999998 /* 3/5 */,
        0.58333333333333337 /* 7/12 */, 10},
       0.3,
       0.7142857142857143 /* 5/7 */},
      {"tied_blocks",
       {0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9, 0.1},
       {1, 0, 0, 1, 0, 1, 0, 0},
       0.59999999999999998 /* 3/5 */,
       0.44285714285714284 /* 31/70 */,
       2, 3, 1, 2,
       0.5 /* 1/2 */,
       {0.66666666666666663 /* 2/3 */, 0.40000000000000002 /* 2/5 */, 0.5 /* 1/2 */, 5},
       {0.40000000000000002 /* 2/5 */, 0.66666666666666663 /* 2/3 */, 0.5 /* 1/2 */, 3},
       {0.53333333333333333 /* 8/15 */, 0.53333333333333333 /* 8/15 */, 0.5 /* 1/2 */, 8},
       {0.56666666666666665 /* 17/30 */, 0.5 /* 1/2 */, 0.5 /* 1/2 */, 8},
       0.2,
       0.59999999999999998 /* 3/5 */},
      {"mixed_twenty",
       {0.05, 0.95, 0.35, 0.35, 0.75, 0.5, 0.15, 0.85, 0.5, 0.65,
        0.25, 0.95, 0.45, 0.55, 0.5, 0.1, 0.7, 0.35, 0.6, 0.2},
       {0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1},
       0.70202020202020199 /* 139/198 */,
       0.61479996038819573 /* 24833/40392 */,
       6, 5, 3, 6,
       0.59999999999999998 /* 3/5 */,
       {0.66666666666666663 /* 2/3 */, 0.54545454545454541 /* 6/11 */,
        0.59999999999999998 /* 3/5 */, 11},
       {0.54545454545454541 /* 6/11 */, 0.66666666666666663 /* 2/3 */,
        0.59999999999999998 /* 3/5 */, 9},
       {0.60606060606060608 /* 20/33 */, 0.60606060606060608 /* 20/33 */,
        0.59999999999999998 /* 3/5 */, 20},
       {0.61212121212121207 /* 101/165 */, 0.59999999999999998 /* 3/5 */,
        0.59999999999999998 /* 3/5 */, 20},
       0.2,
       0.69230769230769229 /* 9/13 */},
  };
}

// Tight tolerance: the C++ and Python values differ only by floating-point rounding.
doctest::Approx near(double value) { return doctest::Approx(value).epsilon(1e-12); }

void check_class(const metrics::ClassMetrics& actual, const ReferenceClass& expected) {
  CHECK(actual.precision == near(expected.precision));
  CHECK(actual.recall == near(expected.recall));
  CHECK(actual.f1 == near(expected.f1));
  CHECK(actual.support == expected.support);
}

}  // namespace

TEST_CASE("ranking metrics match reference script") {
  for (const ReferenceCase& reference : reference_cases()) {
    CAPTURE(reference.name);
    CHECK(metrics::roc_auc(reference.scores, reference.labels) == near(reference.roc_auc));
    CHECK(metrics::average_precision(reference.scores, reference.labels) ==
          near(reference.average_precision));
  }
}

TEST_CASE("classification report matches reference script") {
  for (const ReferenceCase& reference : reference_cases()) {
    CAPTURE(reference.name);
    const metrics::ClassificationReport report =
        metrics::classification_report(reference.scores, reference.labels, 0.5);
    CHECK(report.confusion.true_negatives == reference.true_negatives);
    CHECK(report.confusion.false_positives == reference.false_positives);
    CHECK(report.confusion.false_negatives == reference.false_negatives);
    CHECK(report.confusion.true_positives == reference.true_positives);
    CHECK(report.accuracy == near(reference.accuracy));
    check_class(report.per_class[0], reference.negative_class);
    check_class(report.per_class[1], reference.positive_class);
    check_class(report.macro_average, reference.macro_average);
    check_class(report.weighted_average, reference.weighted_average);
  }
}

TEST_CASE("best F1 threshold matches reference script") {
  for (const ReferenceCase& reference : reference_cases()) {
    CAPTURE(reference.name);
    const metrics::ThresholdSelection selection =
        metrics::best_f1_threshold(reference.scores, reference.labels);
    CHECK(selection.threshold == reference.best_threshold);
    CHECK(selection.f1 == near(reference.best_f1));
  }
}

TEST_CASE("reference cases agree on float inputs") {
  // The same cases as float scores and float targets, as the data pipeline stores them. Converting
  // the scores to float keeps their order and ties, so the ranking metrics are unchanged.
  for (const ReferenceCase& reference : reference_cases()) {
    CAPTURE(reference.name);
    const std::vector<float> scores(reference.scores.begin(), reference.scores.end());
    const std::vector<float> labels(reference.labels.begin(), reference.labels.end());
    CHECK(metrics::roc_auc(scores, labels) == near(reference.roc_auc));
    CHECK(metrics::average_precision(scores, labels) == near(reference.average_precision));
    CHECK(metrics::best_f1_threshold(scores, labels).f1 == near(reference.best_f1));
  }
}
