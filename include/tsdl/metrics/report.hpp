// Plain-text evaluation reports for a terminal. The report of a split (e.g. "train", "test")
// shows the accuracy, the confusion matrix, precision, recall and F-score of the positive class,
// ROC-AUC, average precision and a per-class table. The event report summarises event_metrics.
//
// The printers format into a local buffer and leave the flags and precision of the caller's
// stream unchanged. Ratios print with 4 decimals, and NaN metrics print as "undefined" with the
// reason.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tsdl/metrics/classification.hpp"
#include "tsdl/metrics/events.hpp"
#include "tsdl/metrics/operating_points.hpp"
#include "tsdl/metrics/ranking.hpp"

namespace tsdl::metrics {

// Metrics of one data split at one threshold.
struct SplitEvaluation {
  std::string name;
  double threshold = 0.5;
  ClassificationReport report;
  double roc_auc = std::numeric_limits<double>::quiet_NaN();
  double average_precision = std::numeric_limits<double>::quiet_NaN();
};

// Computes the classification report at `threshold` (rule: score >= threshold), ROC-AUC and
// average precision of one split. ROC-AUC and average precision are NaN where ranking.hpp defines
// them so. Throws std::invalid_argument on mismatched lengths, labels other than 0/1, NaN scores
// or a NaN threshold.
template <class Scores, class Labels>
SplitEvaluation evaluate_split(std::string name, const Scores& scores, const Labels& labels,
                               double threshold = 0.5) {
  const char* function = "evaluate_split";
  SplitEvaluation split;
  split.name = std::move(name);
  split.threshold = threshold;
  split.report =
      classification_report(detail::count_confusion(scores, labels, threshold, function));

  const std::vector<OperatingPoint> points =
      detail::sweep_operating_points(scores, labels, function);
  split.roc_auc = detail::roc_auc_from_points(points);
  split.average_precision = detail::average_precision_from_points(points);
  return split;
}

namespace detail {

constexpr int report_label_width = 19;  // fits "average precision: "

inline void write_ratio(std::ostream& out, double value) {
  out << std::fixed << std::setprecision(4) << value;
}

inline void write_field(std::ostream& out, const std::string& label, double value) {
  out << std::left << std::setw(report_label_width) << label << std::right;
  write_ratio(out, value);
  out << '\n';
}

inline void write_undefined_or_field(std::ostream& out, const std::string& label, double value,
                                     const char* reason_if_undefined) {
  if (std::isnan(value)) {
    out << std::left << std::setw(report_label_width) << label << std::right << "undefined ("
        << reason_if_undefined << ")\n";
    return;
  }
  write_field(out, label, value);
}

inline void write_confusion_matrix(std::ostream& out, const ConfusionMatrix& counts) {
  const std::int64_t largest =
      std::max({counts.true_negatives, counts.false_positives, counts.false_negatives,
                counts.true_positives});
  const int width = std::max(static_cast<int>(std::to_string(largest).size()), 6) + 2;

  out << "confusion matrix (rows: true label, columns: predicted label):\n";
  out << std::setw(10) << "" << std::setw(width) << "pred 0" << std::setw(width) << "pred 1"
      << '\n';
  out << std::setw(10) << "true 0" << std::setw(width) << counts.true_negatives
      << std::setw(width) << counts.false_positives << '\n';
  out << std::setw(10) << "true 1" << std::setw(width) << counts.false_negatives
      << std::setw(width) << counts.true_positives << '\n';
}

// Writes the per-class table with the columns of scikit-learn's classification_report.
inline void write_class_table(std::ostream& out, const ClassificationReport& report) {
  const auto write_row = [&out](const std::string& label, const ClassMetrics& metrics) {
    out << std::setw(12) << label << std::setw(11);
    write_ratio(out, metrics.precision);
    out << std::setw(10);
    write_ratio(out, metrics.recall);
    out << std::setw(10);
    write_ratio(out, metrics.f1);
    out << std::setw(10) << metrics.support << '\n';
  };

  out << std::setw(12) << "" << std::setw(11) << "precision" << std::setw(10) << "recall"
      << std::setw(10) << "F-score" << std::setw(10) << "support" << '\n';
  write_row("0", report.per_class[0]);
  write_row("1", report.per_class[1]);
  write_row("macro avg", report.macro_average);
  write_row("weighted avg", report.weighted_average);
}

}  // namespace detail

// Prints the report of one split. Precision, recall and F-score in the header block are those of
// the positive class (label 1), and the table below lists both classes and their averages.
inline void print_split_report(std::ostream& out, const SplitEvaluation& split) {
  const ConfusionMatrix& counts = split.report.confusion;
  std::ostringstream text;

  text << "== " << split.name << ": " << counts.total() << " samples, "
       << counts.actual_positives() << " positive, threshold " << split.threshold << " ==\n";
  detail::write_field(text, "accuracy:", split.report.accuracy);
  detail::write_confusion_matrix(text, counts);
  detail::write_field(text, "precision:", split.report.per_class[1].precision);
  detail::write_field(text, "recall:", split.report.per_class[1].recall);
  detail::write_field(text, "F-score:", split.report.per_class[1].f1);
  detail::write_undefined_or_field(text, "ROC-AUC:", split.roc_auc, "labels contain one class");
  detail::write_undefined_or_field(text, "average precision:", split.average_precision,
                                   "labels contain no positive");
  text << '\n';
  detail::write_class_table(text, split.report);

  out << text.str();
}

// Prints the reports of several splits in order, separated by blank lines.
inline void print_report(std::ostream& out, const std::vector<SplitEvaluation>& splits) {
  for (std::size_t i = 0; i < splits.size(); ++i) {
    if (i > 0) {
      out << '\n';
    }
    print_split_report(out, splits[i]);
  }
}

// Prints the event-level metrics computed by event_metrics. The "missed" line includes the
// failures without data, broken down in brackets.
inline void print_event_report(std::ostream& out, const EventMetrics& events) {
  std::ostringstream text;
  const double lead_window_hours =
      static_cast<double>(events.lead_window_seconds) / static_cast<double>(seconds_per_hour);
  const auto write_label = [&text](const char* label) {
    text << std::left << std::setw(detail::report_label_width) << label << std::right;
  };

  text << "== events: threshold " << events.threshold << ", lead window " << lead_window_hours
       << " h ==\n";
  write_label("failures:");
  text << events.failures_total << " (duplicate rows merged: "
       << events.duplicate_failures_merged << ")\n";
  write_label("detected:");
  text << events.failures_detected;
  if (events.failures_total > 0) {
    text << " (" << std::fixed << std::setprecision(1) << 100.0 * events.detection_rate() << "%)";
  }
  text << '\n';
  write_label("missed:");
  text << events.failures_total - events.failures_detected
       << " (machine without sequences: " << events.failures_machine_without_data
       << ", no sequence in lead window: " << events.failures_no_sequence_in_window << ")\n";

  write_label("lead time (hours):");
  if (events.failures_detected > 0) {
    text << std::fixed << std::setprecision(1) << "mean " << events.mean_lead_time_hours
         << ", min " << events.min_lead_time_hours << '\n';
  } else {
    text << "undefined (no failure detected)\n";
  }

  write_label("false alarms:");
  text << events.false_alarms << " (" << events.false_alarm_sequences << " of "
       << events.alarm_sequences << " alarm sequences outside lead windows)\n";
  write_label("machine-months:");
  text << std::fixed << std::setprecision(2) << events.machine_months << " ("
       << events.machines_observed << " machines)\n";
  if (std::isnan(events.false_alarms_per_machine_month)) {
    text << "false alarms per machine-month: undefined (no observed time span)\n";
  } else {
    text << "false alarms per machine-month: " << events.false_alarms_per_machine_month << '\n';
  }

  out << text.str();
}

}  // namespace tsdl::metrics
