// Tests of tsdl/metrics/classification.hpp against hand-computed values.
#include <doctest/doctest.h>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "tsdl/metrics/classification.hpp"

namespace metrics = tsdl::metrics;

namespace {

// Positives are 0.9, 0.6, 0.5, 0.2, 0.1 and negatives 0.8, 0.4, 0.3. At threshold 0.5 the score
// 0.5 is predicted positive, so TP = {0.9, 0.6, 0.5} = 3, FP = {0.8} = 1, FN = {0.2, 0.1} = 2 and
// TN = {0.4, 0.3} = 2.
const std::vector<double> example_scores = {0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
const std::vector<int> example_labels = {1, 0, 1, 1, 0, 0, 1, 1};

}  // namespace

TEST_CASE("confusion_matrix counts hand example") {
  const metrics::ConfusionMatrix counts = metrics::confusion_matrix(example_scores, example_labels);
  CHECK(counts.true_negatives == 2);
  CHECK(counts.false_positives == 1);
  CHECK(counts.false_negatives == 2);
  CHECK(counts.true_positives == 3);
  CHECK(counts.total() == 8);
  CHECK(counts.actual_positives() == 5);
  CHECK(counts.actual_negatives() == 3);
  CHECK(counts.predicted_positives() == 4);
  CHECK(counts.predicted_negatives() == 4);
}

TEST_CASE("confusion_matrix array layout") {
  const metrics::ConfusionMatrix counts = metrics::confusion_matrix(example_scores, example_labels);
  const std::array<std::array<std::int64_t, 2>, 2> layout = counts.to_array();
  // [[TN, FP], [FN, TP]] = [[2, 1], [2, 3]]
  CHECK(layout[0][0] == 2);
  CHECK(layout[0][1] == 1);
  CHECK(layout[1][0] == 2);
  CHECK(layout[1][1] == 3);
}

TEST_CASE("threshold is inclusive") {
  // A score equal to the threshold is positive: with threshold 0.5 the sample scored 0.5 is a TP.
  CHECK(metrics::confusion_matrix(example_scores, example_labels, 0.5).true_positives == 3);
  // Just above 0.5 it turns into a FN: TP = {0.9, 0.6} = 2.
  CHECK(metrics::confusion_matrix(example_scores, example_labels, 0.5000001).true_positives == 2);
}

TEST_CASE("scalar metrics hand example") {
  // accuracy = (TP + TN) / 8 = (3 + 2) / 8 = 0.625
  CHECK(metrics::accuracy(example_scores, example_labels) == doctest::Approx(0.625));
  // precision = TP / (TP + FP) = 3 / 4 = 0.75
  CHECK(metrics::precision(example_scores, example_labels) == doctest::Approx(0.75));
  // recall = TP / (TP + FN) = 3 / 5 = 0.6
  CHECK(metrics::recall(example_scores, example_labels) == doctest::Approx(0.6));
  // F1 = 2 TP / (2 TP + FP + FN) = 6 / (6 + 1 + 2) = 2/3; also 2 * 0.75 * 0.6 / 1.35 = 2/3
  CHECK(metrics::f1_score(example_scores, example_labels) == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("scalar metrics at other threshold") {
  // At 0.35: predicted positive = {0.9, 0.8, 0.6, 0.5, 0.4}, so TP = 3, FP = 2 (0.8, 0.4),
  // FN = 2 (0.2, 0.1), TN = 1 (0.3).
  // accuracy = 4 / 8, precision = 3 / 5, recall = 3 / 5, F1 = 6 / (6 + 2 + 2) = 0.6
  CHECK(metrics::accuracy(example_scores, example_labels, 0.35) == doctest::Approx(0.5));
  CHECK(metrics::precision(example_scores, example_labels, 0.35) == doctest::Approx(0.6));
  CHECK(metrics::recall(example_scores, example_labels, 0.35) == doctest::Approx(0.6));
  CHECK(metrics::f1_score(example_scores, example_labels, 0.35) == doctest::Approx(0.6));
}

TEST_CASE("classification_report hand example") {
  const metrics::ClassificationReport report =
      metrics::classification_report(example_scores, example_labels);
  CHECK(report.confusion == metrics::confusion_matrix(example_scores, example_labels));
  CHECK(report.accuracy == doctest::Approx(0.625));

  // Class 0 treats label 0 as the positive class:
  // precision = TN / (TN + FN) = 2 / 4 = 0.5, recall = TN / (TN + FP) = 2 / 3,
  // F1 = 2 TN / (2 TN + FN + FP) = 4 / (4 + 2 + 1) = 4/7, support = TN + FP = 3.
  CHECK(report.per_class[0].precision == doctest::Approx(0.5));
  CHECK(report.per_class[0].recall == doctest::Approx(2.0 / 3.0));
  CHECK(report.per_class[0].f1 == doctest::Approx(4.0 / 7.0));
  CHECK(report.per_class[0].support == 3);

  // Class 1: precision 3/4, recall 3/5, F1 2/3, support = TP + FN = 5.
  CHECK(report.per_class[1].precision == doctest::Approx(0.75));
  CHECK(report.per_class[1].recall == doctest::Approx(0.6));
  CHECK(report.per_class[1].f1 == doctest::Approx(2.0 / 3.0));
  CHECK(report.per_class[1].support == 5);

  // macro: precision (0.5 + 0.75) / 2 = 0.625, recall (2/3 + 3/5) / 2 = 19/30,
  // F1 (4/7 + 2/3) / 2 = (12/21 + 14/21) / 2 = 13/21 (not the F1 of the macro precision and recall)
  CHECK(report.macro_average.precision == doctest::Approx(0.625));
  CHECK(report.macro_average.recall == doctest::Approx(19.0 / 30.0));
  CHECK(report.macro_average.f1 == doctest::Approx(13.0 / 21.0));
  CHECK(report.macro_average.support == 8);

  // weighted by support 3 and 5: precision (3 * 0.5 + 5 * 0.75) / 8 = 5.25 / 8 = 0.65625,
  // recall (3 * 2/3 + 5 * 3/5) / 8 = 5 / 8 (always equals accuracy),
  // F1 (3 * 4/7 + 5 * 2/3) / 8 = (36/21 + 70/21) / 8 = 106/168 = 53/84
  CHECK(report.weighted_average.precision == doctest::Approx(0.65625));
  CHECK(report.weighted_average.recall == doctest::Approx(0.625));
  CHECK(report.weighted_average.f1 == doctest::Approx(53.0 / 84.0));
  CHECK(report.weighted_average.support == 8);
}

TEST_CASE("metrics with no positive labels") {
  // Scores 0.7, 0.2, 0.4 with labels all 0 at 0.5: TN = 2, FP = 1, FN = 0, TP = 0.
  const std::vector<double> scores = {0.7, 0.2, 0.4};
  const std::vector<int> labels = {0, 0, 0};
  CHECK(metrics::accuracy(scores, labels) == doctest::Approx(2.0 / 3.0));  // 2 / 3
  CHECK(metrics::precision(scores, labels) == 0.0);                        // 0 / 1
  CHECK(metrics::recall(scores, labels) == 0.0);                           // 0 / 0 -> 0
  CHECK(metrics::f1_score(scores, labels) == 0.0);                         // 0 / (0 + 1 + 0)

  const metrics::ClassificationReport report = metrics::classification_report(scores, labels);
  // Class 0: precision 2 / (2 + 0) = 1, recall 2 / (2 + 1) = 2/3, F1 4 / (4 + 0 + 1) = 0.8.
  CHECK(report.per_class[0].precision == doctest::Approx(1.0));
  CHECK(report.per_class[0].recall == doctest::Approx(2.0 / 3.0));
  CHECK(report.per_class[0].f1 == doctest::Approx(0.8));
  CHECK(report.per_class[1].support == 0);
  // Weighted: class 1 has support 0, so the averages equal class 0: (3 * 0.8 + 0 * 0) / 3 = 0.8.
  CHECK(report.weighted_average.f1 == doctest::Approx(0.8));
  // Macro: (0.8 + 0) / 2 = 0.4.
  CHECK(report.macro_average.f1 == doctest::Approx(0.4));
}

TEST_CASE("metrics with all positive labels") {
  // Labels all 1, both predicted positive: TP = 2 and every other count 0.
  const std::vector<double> scores = {0.9, 0.6};
  const std::vector<int> labels = {1, 1};
  CHECK(metrics::accuracy(scores, labels) == doctest::Approx(1.0));   // 2 / 2
  CHECK(metrics::precision(scores, labels) == doctest::Approx(1.0));  // 2 / 2
  CHECK(metrics::recall(scores, labels) == doctest::Approx(1.0));     // 2 / 2
  CHECK(metrics::f1_score(scores, labels) == doctest::Approx(1.0));   // 4 / 4

  const metrics::ClassificationReport report = metrics::classification_report(scores, labels);
  // Class 0 has TN = FP = FN = 0 (from its point of view), so every ratio is 0/0 -> 0.
  CHECK(report.per_class[0].precision == 0.0);
  CHECK(report.per_class[0].recall == 0.0);
  CHECK(report.per_class[0].f1 == 0.0);
  CHECK(report.per_class[0].support == 0);
  // Macro precision (0 + 1) / 2 = 0.5; weighted precision (0 * 0 + 2 * 1) / 2 = 1.
  CHECK(report.macro_average.precision == doctest::Approx(0.5));
  CHECK(report.weighted_average.precision == doctest::Approx(1.0));
}

TEST_CASE("metrics with all predictions negative") {
  // All scores below 0.5 with labels 1, 0, 1: TN = 1, FN = 2, TP = FP = 0.
  const std::vector<double> scores = {0.1, 0.2, 0.3};
  const std::vector<int> labels = {1, 0, 1};
  const metrics::ConfusionMatrix counts = metrics::confusion_matrix(scores, labels);
  CHECK(counts.true_negatives == 1);
  CHECK(counts.false_negatives == 2);
  CHECK(counts.predicted_positives() == 0);
  CHECK(metrics::accuracy(scores, labels) == doctest::Approx(1.0 / 3.0));  // 1 / 3
  CHECK(metrics::precision(scores, labels) == 0.0);                        // 0 / 0 -> 0
  CHECK(metrics::recall(scores, labels) == 0.0);                           // 0 / 2
  CHECK(metrics::f1_score(scores, labels) == 0.0);                         // 0 / (0 + 0 + 2)
}

TEST_CASE("metrics of empty input") {
  const std::vector<double> scores;
  const std::vector<int> labels;
  const metrics::ConfusionMatrix counts = metrics::confusion_matrix(scores, labels);
  CHECK(counts.total() == 0);
  // Every ratio is 0/0 -> 0.
  CHECK(metrics::accuracy(counts) == 0.0);
  CHECK(metrics::precision(counts) == 0.0);
  CHECK(metrics::recall(counts) == 0.0);
  CHECK(metrics::f1_score(counts) == 0.0);
  const metrics::ClassificationReport report = metrics::classification_report(counts);
  CHECK(report.weighted_average.f1 == 0.0);
  CHECK(report.macro_average.support == 0);
}

TEST_CASE("container types without copying") {
  // Float scores with float 0/1 targets, as the data pipeline stores them.
  const std::vector<float> float_scores = {0.9f, 0.8f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
  const std::vector<float> float_labels = {1.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f, 1.0f, 1.0f};
  const metrics::ConfusionMatrix expected =
      metrics::confusion_matrix(example_scores, example_labels);
  CHECK(metrics::confusion_matrix(float_scores, float_labels) == expected);

  const std::vector<double> double_labels = {1, 0, 1, 1, 0, 0, 1, 1};
  CHECK(metrics::confusion_matrix(example_scores, double_labels) == expected);

  const std::vector<bool> bool_labels = {true, false, true, true, false, false, true, true};
  CHECK(metrics::confusion_matrix(example_scores, bool_labels) == expected);

  Eigen::VectorXd eigen_scores(8);
  eigen_scores << 0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1;
  CHECK(metrics::confusion_matrix(eigen_scores, example_labels) == expected);
}

TEST_CASE("float scores compare as double") {
  // 0.7f is 0.699999988079071 as a double, so it is below the double threshold 0.7 but reaches the
  // threshold static_cast<double>(0.7f).
  const std::vector<float> scores = {0.7f};
  const std::vector<float> labels = {1.0f};
  CHECK(metrics::confusion_matrix(scores, labels, 0.7).true_positives == 0);
  CHECK(metrics::confusion_matrix(scores, labels, static_cast<double>(0.7f)).true_positives == 1);
}

TEST_CASE("classification rejects mismatched lengths") {
  const std::vector<double> scores = {0.1, 0.2, 0.3};
  const std::vector<int> labels = {0, 1};
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(scores, labels),
                       doctest::Contains("scores have 3 elements but labels have 2"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::accuracy(scores, labels),
                       doctest::Contains("tsdl::metrics::accuracy:"), std::invalid_argument);
}

TEST_CASE("classification rejects non-binary labels") {
  const std::vector<double> scores = {0.1, 0.2, 0.3};
  CHECK_THROWS_WITH_AS(metrics::precision(scores, std::vector<int>{0, 2, 1}),
                       doctest::Contains("label at index 1 is 2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::recall(scores, std::vector<float>{0.0f, 1.0f, 0.5f}),
                       doctest::Contains("label at index 2 is 0.5"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::f1_score(scores, std::vector<int>{-1, 0, 1}),
                       doctest::Contains("label at index 0 is -1"), std::invalid_argument);
  // 0.99999994f is the float just below 1 and must not print as "1".
  CHECK_THROWS_WITH_AS(metrics::accuracy(scores, std::vector<float>{0.99999994f, 0.0f, 1.0f}),
                       doctest::Contains("label at index 0 is 0.99999994"), std::invalid_argument);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(metrics::classification_report(scores, std::vector<double>{0, 1, nan}),
                       doctest::Contains("label at index 2 is nan"), std::invalid_argument);
}

TEST_CASE("classification rejects NaN scores") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<int> labels = {0, 1, 1};
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<double>{0.1, nan, 0.3}, labels),
                       doctest::Contains("score at index 1 is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      metrics::confusion_matrix(std::vector<float>{0.1f, 0.2f, std::nanf("")}, labels),
      doctest::Contains("score at index 2 is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<double>{0.1, 0.2, 0.3}, labels, nan),
                       doctest::Contains("threshold is nan"), std::invalid_argument);
}

TEST_CASE("infinite scores are accepted") {
  const double infinity = std::numeric_limits<double>::infinity();
  const std::vector<double> scores = {infinity, -infinity};
  const std::vector<int> labels = {1, 0};
  const metrics::ConfusionMatrix counts = metrics::confusion_matrix(scores, labels);
  CHECK(counts.true_positives == 1);
  CHECK(counts.true_negatives == 1);
}
