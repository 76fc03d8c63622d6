// Tests of tsdl/metrics/report.hpp: the computed values and the exact printed text.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <ios>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/metrics.hpp"

namespace metrics = tsdl::metrics;

namespace {

// The hand example of test_metrics_classification.cpp: at 0.5, TN 2, FP 1, FN 2, TP 3.
const std::vector<double> example_scores = {0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
const std::vector<int> example_labels = {1, 0, 1, 1, 0, 0, 1, 1};

// Report of example_scores at 0.5. Values, rounded to 4 decimals:
//   accuracy 5/8, precision 3/4, recall 3/5, F-score 2/3 (see test_metrics_classification.cpp).
//   ROC-AUC: positives 0.9, 0.6, 0.5, 0.2, 0.1 against negatives 0.8, 0.4, 0.3 win
//   3 + 2 + 2 + 0 + 0 = 7 of 15 pairs -> 7/15 = 0.4667.
//   AP: thresholds 0.9, 0.6, 0.5, 0.2, 0.1 each add recall 1/5 at precision 1, 2/3, 3/4, 4/7, 5/8
//   -> (1 + 2/3 + 3/4 + 4/7 + 5/8) / 5 = 607/840 = 0.7226.
//   Weighted precision 0.65625 prints as 0.6562 because glibc's printf rounds an exact tie to
//   even. NOTE: a C library that rounds ties away from zero prints 0.6563 and fails this test.
const char* const expected_train_report =
    "== train: 8 samples, 5 positive, threshold 0.5 ==\n"
    "accuracy:          0.6250\n"
    "confusion matrix (rows: true label, columns: predicted label):\n"
    "            pred 0  pred 1\n"
    "    true 0       2       1\n"
    "    true 1       2       3\n"
    "precision:         0.7500\n"
    "recall:            0.6000\n"
    "F-score:           0.6667\n"
    "ROC-AUC:           0.4667\n"
    "average precision: 0.7226\n"
    "\n"
    "              precision    recall   F-score   support\n"
    "           0     0.5000    0.6667    0.5714         3\n"
    "           1     0.7500    0.6000    0.6667         5\n"
    "   macro avg     0.6250    0.6333    0.6190         8\n"
    "weighted avg     0.6562    0.6250    0.6310         8\n";

}  // namespace

TEST_CASE("evaluate_split values") {
  const metrics::SplitEvaluation split =
      metrics::evaluate_split("train", example_scores, example_labels);
  CHECK(split.name == "train");
  CHECK(split.threshold == 0.5);
  CHECK(split.report.accuracy == doctest::Approx(0.625));
  CHECK(split.report.per_class[1].f1 == doctest::Approx(2.0 / 3.0));
  CHECK(split.roc_auc == doctest::Approx(7.0 / 15.0));
  CHECK(split.average_precision == doctest::Approx(607.0 / 840.0));
}

TEST_CASE("print_split_report exact text") {
  std::ostringstream out;
  metrics::print_split_report(out,
                              metrics::evaluate_split("train", example_scores, example_labels));
  CHECK(out.str() == expected_train_report);
}

TEST_CASE("print_split_report keeps stream format") {
  std::ostringstream out;
  out.precision(3);
  metrics::print_split_report(out,
                              metrics::evaluate_split("train", example_scores, example_labels));
  CHECK(out.precision() == 3);
  CHECK((out.flags() & std::ios_base::floatfield) == std::ios_base::fmtflags{});
  out << 1.0 / 3.0;
  CHECK(out.str().substr(out.str().size() - 5) == "0.333");
}

TEST_CASE("print_split_report with one class") {
  // Labels all 0 at threshold 0.25: 0.2 -> TN, 0.7 -> FP. AUC and AP are NaN and print as
  // undefined.
  const metrics::SplitEvaluation split = metrics::evaluate_split(
      "test", std::vector<double>{0.2, 0.7}, std::vector<int>{0, 0}, 0.25);
  CHECK(std::isnan(split.roc_auc));
  CHECK(std::isnan(split.average_precision));
  std::ostringstream out;
  metrics::print_split_report(out, split);
  const std::string text = out.str();
  CHECK(text.find("== test: 2 samples, 0 positive, threshold 0.25 ==\n") != std::string::npos);
  CHECK(text.find("accuracy:          0.5000\n") != std::string::npos);  // 1 / 2
  CHECK(text.find("ROC-AUC:           undefined (labels contain one class)\n") !=
        std::string::npos);
  CHECK(text.find("average precision: undefined (labels contain no positive)\n") !=
        std::string::npos);
}

TEST_CASE("print_report separates splits") {
  const std::vector<metrics::SplitEvaluation> splits = {
      metrics::evaluate_split("train", example_scores, example_labels),
      metrics::evaluate_split("test", example_scores, example_labels)};
  std::ostringstream out;
  metrics::print_report(out, splits);
  std::string expected_test_report = expected_train_report;
  expected_test_report.replace(3, 5, "test");  // "== train:" -> "== test:"
  CHECK(out.str() == std::string(expected_train_report) + "\n" + expected_test_report);
}

TEST_CASE("evaluate_split rejects bad input") {
  CHECK_THROWS_WITH_AS(
      metrics::evaluate_split("train", std::vector<double>{0.1, 0.2}, std::vector<int>{0, 5}),
      doctest::Contains("evaluate_split: label at index 1 is 5"), std::invalid_argument);
}

TEST_CASE("print_event_report exact text") {
  // Machine 1: sequences every 12 h from hour 0 to 72, alarms at 12 and 60, failure at 72 (listed
  // twice). Its window (24, 72] contains the alarm at 60 -> detected with lead 12 h. The alarm at
  // 12 is outside the window -> 1 false alarm, 1 of 2 alarm sequences.
  // Machine 2: sequences at hours 0 and 648, no alarm. Machine 9 has a failure but no sequence.
  // Failure events: 2 after merging 1 duplicate row, detected 1 (50.0%), missed 1.
  // Machine-months: (72 h + 648 h) / 720 h = 1.00, so 1.00 false alarm per machine-month.
  constexpr std::int64_t hour = 3600;
  const std::vector<double> scores = {0.1, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1};
  const std::vector<int> machine_ids = {1, 1, 1, 1, 1, 1, 1, 2, 2};
  const std::vector<std::int64_t> end_times = {
      0, 12 * hour, 24 * hour, 36 * hour, 48 * hour, 60 * hour, 72 * hour,  // machine 1
      0, 648 * hour};                                                       // machine 2
  const std::vector<metrics::FailureEvent> failures = {
      {1, 72 * hour}, {1, 72 * hour}, {9, 10 * hour}};
  const metrics::EventMetrics events =
      metrics::event_metrics(scores, machine_ids, end_times, failures, 0.5);

  std::ostringstream out;
  metrics::print_event_report(out, events);
  CHECK(out.str() ==
        "== events: threshold 0.5, lead window 48 h ==\n"
        "failures:          2 (duplicate rows merged: 1)\n"
        "detected:          1 (50.0%)\n"
        "missed:            1 (machine without sequences: 1, no sequence in lead window: 0)\n"
        "lead time (hours): mean 12.0, min 12.0\n"
        "false alarms:      1 (1 of 2 alarm sequences outside lead windows)\n"
        "machine-months:    1.00 (2 machines)\n"
        "false alarms per machine-month: 1.00\n");
}

TEST_CASE("print_event_report without data") {
  const metrics::EventMetrics events = metrics::event_metrics(
      std::vector<double>{}, std::vector<int>{}, std::vector<std::int64_t>{}, {}, 0.5);
  std::ostringstream out;
  metrics::print_event_report(out, events);
  const std::string text = out.str();
  CHECK(text.find("detected:          0\n") != std::string::npos);
  CHECK(text.find("lead time (hours): undefined (no failure detected)\n") != std::string::npos);
  CHECK(text.find("false alarms per machine-month: undefined (no observed time span)\n") !=
        std::string::npos);
}
