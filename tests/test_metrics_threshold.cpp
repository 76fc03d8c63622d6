// Tests of tsdl/metrics/threshold.hpp and tsdl/metrics/operating_points.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

#include "tsdl/metrics/classification.hpp"
#include "tsdl/metrics/operating_points.hpp"
#include "tsdl/metrics/threshold.hpp"

namespace metrics = tsdl::metrics;

TEST_CASE("operating_points groups tied scores") {
  // Sorted by score: 0.9 (1), 0.8 (1), 0.8 (0), 0.6 (1), 0.6 (0), 0.3 (0).
  const std::vector<double> scores = {0.6, 0.8, 0.3, 0.9, 0.8, 0.6};
  const std::vector<int> labels = {1, 0, 0, 1, 1, 0};
  const std::vector<metrics::OperatingPoint> points = metrics::operating_points(scores, labels);
  REQUIRE(points.size() == 4);  // distinct scores 0.9, 0.8, 0.6, 0.3
  // threshold 0.9: {0.9} -> TP 1, FP 0
  CHECK(points[0].threshold == 0.9);
  CHECK(points[0].true_positives == 1);
  CHECK(points[0].false_positives == 0);
  // threshold 0.8: both tied 0.8 samples enter together -> TP 2, FP 1
  CHECK(points[1].threshold == 0.8);
  CHECK(points[1].true_positives == 2);
  CHECK(points[1].false_positives == 1);
  // threshold 0.6: TP 3, FP 2
  CHECK(points[2].threshold == 0.6);
  CHECK(points[2].true_positives == 3);
  CHECK(points[2].false_positives == 2);
  // threshold 0.3: everything positive -> totals, 3 positives and 3 negatives
  CHECK(points[3].threshold == 0.3);
  CHECK(points[3].true_positives == 3);
  CHECK(points[3].false_positives == 3);
}

TEST_CASE("operating_points of empty input") {
  CHECK(metrics::operating_points(std::vector<double>{}, std::vector<int>{}).empty());
}

TEST_CASE("best_f1_threshold with tied scores") {
  // Same data as above, P = 3. F1 = 2 TP / (2 TP + FP + FN) per distinct score:
  //   t = 0.9: TP 1, FP 0, FN 2 -> 2 / 5 = 0.4
  //   t = 0.8: TP 2, FP 1, FN 1 -> 4 / 6 = 2/3
  //   t = 0.6: TP 3, FP 2, FN 0 -> 6 / 8 = 0.75   <- best
  //   t = 0.3: TP 3, FP 3, FN 0 -> 6 / 9 = 2/3
  // A sweep that split the tie at 0.8 would report TP 2, FP 0, FN 1 -> 4 / 5 = 0.8, which no
  // threshold can reach, because both samples scored 0.8 are predicted alike.
  const std::vector<double> scores = {0.6, 0.8, 0.3, 0.9, 0.8, 0.6};
  const std::vector<int> labels = {1, 0, 0, 1, 1, 0};
  const metrics::ThresholdSelection selection = metrics::best_f1_threshold(scores, labels);
  CHECK(selection.threshold == 0.6);
  CHECK(selection.f1 == doctest::Approx(0.75));
  CHECK(selection.precision == doctest::Approx(0.6));  // 3 / 5
  CHECK(selection.recall == doctest::Approx(1.0));     // 3 / 3
  CHECK(selection.confusion.true_positives == 3);
  CHECK(selection.confusion.false_positives == 2);
  CHECK(selection.confusion.false_negatives == 0);
  CHECK(selection.confusion.true_negatives == 1);
  // The reported matrix is the one the threshold produces.
  CHECK(selection.confusion == metrics::confusion_matrix(scores, labels, selection.threshold));

  // The input order of tied samples must not matter.
  const std::vector<double> reordered_scores = {0.8, 0.6, 0.9, 0.8, 0.6, 0.3};
  const std::vector<int> reordered_labels = {1, 0, 1, 0, 1, 0};
  const metrics::ThresholdSelection reordered =
      metrics::best_f1_threshold(reordered_scores, reordered_labels);
  CHECK(reordered.threshold == 0.6);
  CHECK(reordered.f1 == doctest::Approx(0.75));
}

TEST_CASE("best_f1_threshold returns highest among ties") {
  // Labels 1, 0, 0, 1 with decreasing scores, P = 2:
  //   t = 0.9: TP 1, FP 0, FN 1 -> 2 / 3
  //   t = 0.8: TP 1, FP 1, FN 1 -> 2 / 4
  //   t = 0.7: TP 1, FP 2, FN 1 -> 2 / 5
  //   t = 0.6: TP 2, FP 2, FN 0 -> 4 / 6 = 2/3
  // 0.9 and 0.6 tie at exactly 2/3, and the higher threshold 0.9 wins.
  const std::vector<double> scores = {0.9, 0.8, 0.7, 0.6};
  const std::vector<int> labels = {1, 0, 0, 1};
  const metrics::ThresholdSelection selection = metrics::best_f1_threshold(scores, labels);
  CHECK(selection.threshold == 0.9);
  CHECK(selection.f1 == doctest::Approx(2.0 / 3.0));
  CHECK(selection.confusion.true_positives == 1);
  CHECK(selection.confusion.false_positives == 0);
}

TEST_CASE("best_f1_threshold with all positive labels") {
  // P = 2: t = 0.9 -> TP 1, FN 1 -> 2 / 3; t = 0.2 -> TP 2 -> 4 / 4 = 1.
  const metrics::ThresholdSelection selection =
      metrics::best_f1_threshold(std::vector<double>{0.2, 0.9}, std::vector<int>{1, 1});
  CHECK(selection.threshold == 0.2);
  CHECK(selection.f1 == doctest::Approx(1.0));
}

TEST_CASE("best_f1_threshold with all scores tied") {
  // One candidate, 0.5: everything positive, TP 2, FP 2 -> F1 = 4 / (4 + 2) = 2/3.
  const metrics::ThresholdSelection selection = metrics::best_f1_threshold(
      std::vector<double>{0.5, 0.5, 0.5, 0.5}, std::vector<int>{1, 0, 1, 0});
  CHECK(selection.threshold == 0.5);
  CHECK(selection.f1 == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("best_f1_threshold on float scores") {
  // Float scores with float targets. t = 0.7f: TP 1, FP 0, FN 1 -> 2/3; t = 0.3f: TP 2, FP 1 ->
  // 4 / 5 = 0.8 <- best; t = 0.1f: TP 2, FP 2 -> 4 / 6.
  const std::vector<float> scores = {0.7f, 0.3f, 0.3f, 0.1f};
  const std::vector<float> labels = {1.0f, 1.0f, 0.0f, 0.0f};
  const metrics::ThresholdSelection selection = metrics::best_f1_threshold(scores, labels);
  // The threshold is the float score converted exactly to double, so reapplying it to the same
  // float scores reproduces the chosen predictions.
  CHECK(selection.threshold == static_cast<double>(0.3f));
  CHECK(selection.f1 == doctest::Approx(0.8));
  CHECK(metrics::f1_score(scores, labels, selection.threshold) == doctest::Approx(0.8));
}

TEST_CASE("best_f1_threshold rejects data without positives") {
  CHECK_THROWS_WITH_AS(
      metrics::best_f1_threshold(std::vector<double>{0.2, 0.9}, std::vector<int>{0, 0}),
      doctest::Contains("labels contain no positive (1) among 2 samples"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::best_f1_threshold(std::vector<double>{}, std::vector<int>{}),
                       doctest::Contains("no positive"), std::invalid_argument);
}

TEST_CASE("best_f1_threshold rejects bad input") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(
      metrics::best_f1_threshold(std::vector<double>{0.2, nan}, std::vector<int>{0, 1}),
      doctest::Contains("best_f1_threshold: score at index 1 is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      metrics::best_f1_threshold(std::vector<double>{0.2, 0.4}, std::vector<int>{3, 1}),
      doctest::Contains("label at index 0 is 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      metrics::operating_points(std::vector<double>{0.2}, std::vector<int>{0, 1}),
      doctest::Contains("operating_points: scores have 1 elements but labels have 2"),
      std::invalid_argument);
}
