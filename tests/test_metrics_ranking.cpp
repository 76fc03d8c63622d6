// Tests of tsdl/metrics/ranking.hpp against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "tsdl/metrics/ranking.hpp"

namespace metrics = tsdl::metrics;

TEST_CASE("ranking metrics of perfect ranking") {
  // Every positive above every negative: 4 of 4 pairs won; AP: precision 1 at recall 1/2 and 1.
  const std::vector<double> scores = {0.1, 0.9, 0.2, 0.8};
  const std::vector<int> labels = {0, 1, 0, 1};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(1.0));
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(1.0));
}

TEST_CASE("ranking metrics of reversed ranking") {
  // Every negative above every positive: 0 of 4 pairs won.
  // AP over thresholds 0.9, 0.8, 0.2, 0.1 (TP, FP) = (0, 1), (0, 2), (1, 2), (2, 2):
  // recall steps 0, 0, 1/2, 1/2 with precision 0, 0, 1/3, 1/2 -> 1/6 + 1/4 = 5/12.
  const std::vector<double> scores = {0.9, 0.8, 0.2, 0.1};
  const std::vector<int> labels = {0, 0, 1, 1};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(0.0));
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(5.0 / 12.0));
}

TEST_CASE("ranking metrics with tied scores") {
  // Positives 0.8, 0.6, 0.2; negatives 0.6, 0.4.
  // Pairs: (0.8, 0.6) 1, (0.8, 0.4) 1, (0.6, 0.6) tie 1/2, (0.6, 0.4) 1, (0.2, 0.6) 0,
  // (0.2, 0.4) 0 -> AUC = 3.5 / 6 = 7/12.
  const std::vector<double> scores = {0.8, 0.6, 0.6, 0.4, 0.2};
  const std::vector<int> labels = {1, 1, 0, 0, 1};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(7.0 / 12.0));

  // AP over distinct thresholds (TP, FP) -> (R, P):
  //   0.8: (1, 0) -> R 1/3, P 1;   0.6: (2, 1) -> R 2/3, P 2/3
  //   0.4: (2, 2) -> R 2/3 (step 0);   0.2: (3, 2) -> R 1, P 3/5
  // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 15/45 + 10/45 + 9/45 = 34/45.
  // Splitting the 0.6 tie with the positive first would give 1/3 + 1/3 + 1/5 = 13/15 instead.
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(34.0 / 45.0));
}

TEST_CASE("ranking metrics with all scores tied") {
  // Every pair ties -> AUC 1/2. One threshold with P = 2/4 and R = 1 -> AP = 1 * 1/2.
  const std::vector<double> scores = {0.5, 0.5, 0.5, 0.5};
  const std::vector<int> labels = {1, 0, 1, 0};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(0.5));
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(0.5));
}

TEST_CASE("ranking metrics of four-sample example") {
  // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs won: (0.35, 0.1), (0.8, 0.1), (0.8, 0.4) -> 3/4.
  // AP: 0.8 -> R 1/2, P 1; 0.4 -> step 0; 0.35 -> R 1, P 2/3; -> 1/2 + 1/3 = 5/6.
  const std::vector<double> scores = {0.1, 0.4, 0.35, 0.8};
  const std::vector<int> labels = {0, 0, 1, 1};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(0.75));
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(5.0 / 6.0));
}

TEST_CASE("roc_auc ignores monotone score transforms") {
  // Logits of the probabilities in the tied example: same order, same ties, same AUC 7/12.
  std::vector<double> logits;
  for (double p : {0.8, 0.6, 0.6, 0.4, 0.2}) {
    logits.push_back(std::log(p / (1.0 - p)));
  }
  const std::vector<int> labels = {1, 1, 0, 0, 1};
  CHECK(metrics::roc_auc(logits, labels) == doctest::Approx(7.0 / 12.0));
  CHECK(metrics::average_precision(logits, labels) == doctest::Approx(34.0 / 45.0));
}

TEST_CASE("ranking metrics with a single class") {
  const std::vector<double> scores = {0.3, 0.7, 0.5};
  // No positive: the true positive rate is 0/0 and recall is 0/0, so both are NaN.
  CHECK(std::isnan(metrics::roc_auc(scores, std::vector<int>{0, 0, 0})));
  CHECK(std::isnan(metrics::average_precision(scores, std::vector<int>{0, 0, 0})));
  // No negative: the false positive rate is 0/0, so AUC is NaN, but precision is 1 at every
  // threshold, so AP = 1.
  CHECK(std::isnan(metrics::roc_auc(scores, std::vector<int>{1, 1, 1})));
  CHECK(metrics::average_precision(scores, std::vector<int>{1, 1, 1}) == doctest::Approx(1.0));
}

TEST_CASE("ranking metrics of empty input") {
  CHECK(std::isnan(metrics::roc_auc(std::vector<double>{}, std::vector<int>{})));
  CHECK(std::isnan(metrics::average_precision(std::vector<double>{}, std::vector<int>{})));
}

TEST_CASE("ranking metrics on float inputs") {
  // The tied example as float scores and float targets gives the same values.
  const std::vector<float> scores = {0.8f, 0.6f, 0.6f, 0.4f, 0.2f};
  const std::vector<float> labels = {1.0f, 1.0f, 0.0f, 0.0f, 1.0f};
  CHECK(metrics::roc_auc(scores, labels) == doctest::Approx(7.0 / 12.0));
  CHECK(metrics::average_precision(scores, labels) == doctest::Approx(34.0 / 45.0));
}

TEST_CASE("ranking metrics reject bad input") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(metrics::roc_auc(std::vector<double>{0.1, 0.2}, std::vector<int>{0}),
                       doctest::Contains("roc_auc: scores have 2 elements but labels have 1"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::roc_auc(std::vector<double>{nan, 0.2}, std::vector<int>{0, 1}),
                       doctest::Contains("score at index 0 is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      metrics::average_precision(std::vector<double>{0.1, 0.2}, std::vector<int>{0, 7}),
      doctest::Contains("average_precision: label at index 1 is 7"), std::invalid_argument);
}
