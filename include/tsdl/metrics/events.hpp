// Event-level metrics for failure prediction: how many failures raised an alarm in time, how early,
// and how many alarms were false, per machine-month of observed data.
//
// Inputs are one score per sequence together with the sequence's machine id and end time, and a
// list of failures. All times are std::int64_t seconds since the Unix epoch, UTC. An alarm is a
// sequence whose score is >= threshold, the same rule as everywhere in tsdl::metrics.
//
// Definitions:
// - Lead window of a failure at time f: the half-open interval (f - lead_window, f]. A sequence
//   ending exactly at f is inside it, a sequence ending exactly lead_window seconds earlier is not.
// - A failure is detected when its machine has an alarm ending inside its lead window. Its lead
//   time is f minus the end time of the earliest such alarm. Each failure is evaluated on its own,
//   so one alarm can detect two failures whose windows overlap.
// - Failures with the same machine and the same time (several components failing at once) are one
//   failure event, because a binary alarm cannot tell them apart and the machine stops once.
//   EventMetrics::duplicate_failures_merged counts the rows dropped this way.
// - A false-alarm sequence is an alarm that lies outside every lead window of its machine. This
//   includes alarms after a failure. Consecutive false-alarm sequences are successive sequences of
//   one machine, ordered by end time, that are all false-alarm sequences. Each maximal run of them
//   is one false alarm. An alarm run that crosses the boundary of a lead window is split there,
//   and each part outside the window counts as one false alarm.
//   NOTE: runs are formed on sequence order alone, so a gap in the data between two false-alarm
//   sequences does not split a run. Pass every sequence of the evaluated period, not a sample.
// - Machine-months: the sum over machines with at least one sequence of (last end time - first end
//   time), divided by 30 days. No sequence length or stride is added, so a machine with a single
//   sequence adds 0. The stride is not an input, and sequences may overlap.
// - Every failure passed in counts in failures_total. A failure whose machine has no sequence at
//   all, or no sequence ending inside its lead window, counts as missed and is also reported in
//   its own counter. Pass only the failures of the evaluated period, e.g. of the test split.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "tsdl/metrics/validation.hpp"

namespace tsdl::metrics {

constexpr std::int64_t seconds_per_hour = 3600;
constexpr std::int64_t default_lead_window_seconds = 48 * seconds_per_hour;
constexpr std::int64_t seconds_per_machine_month = 30 * 24 * seconds_per_hour;

// A failure of one machine, at `time` seconds since the Unix epoch (UTC).
struct FailureEvent {
  int machine_id = 0;
  std::int64_t time = 0;
};

// Outcome of one failure event.
enum class FailureOutcome {
  detected,               // an alarm ends inside the lead window
  missed,                 // sequences end inside the lead window, but none is an alarm
  no_sequence_in_window,  // the machine has sequences, but none ends inside the lead window
  machine_without_data,   // the machine has no sequence at all
};

// Outcome and lead time of one failure event.
struct FailureDetection {
  FailureEvent failure;
  FailureOutcome outcome = FailureOutcome::missed;
  // End time of the earliest alarm in the lead window, and failure.time minus it. Both are 0
  // unless outcome is detected.
  std::int64_t first_alarm_time = 0;
  std::int64_t lead_time_seconds = 0;
};

// Result of event_metrics. Lead-time statistics are NaN when no failure is detected, and the false
// alarm rate is NaN when machine_months is 0.
struct EventMetrics {
  double threshold = 0.0;
  std::int64_t lead_window_seconds = 0;

  std::vector<FailureDetection> failures;  // one per failure event, by machine id, then time
  std::size_t failures_total = 0;          // failure events after merging duplicates
  std::size_t failures_detected = 0;
  std::size_t failures_machine_without_data = 0;
  std::size_t failures_no_sequence_in_window = 0;
  std::size_t duplicate_failures_merged = 0;

  double mean_lead_time_hours = std::numeric_limits<double>::quiet_NaN();
  double min_lead_time_hours = std::numeric_limits<double>::quiet_NaN();

  std::size_t machines_observed = 0;  // machines with at least one sequence
  std::size_t alarm_sequences = 0;
  std::size_t false_alarm_sequences = 0;
  std::size_t false_alarms = 0;  // runs of consecutive false-alarm sequences
  double machine_months = 0.0;
  double false_alarms_per_machine_month = std::numeric_limits<double>::quiet_NaN();

  // Detected failure events / all failure events, or 0 when there is no failure.
  double detection_rate() const {
    return detail::divide_or_zero(static_cast<double>(failures_detected),
                                  static_cast<double>(failures_total));
  }
};

namespace detail {

struct TimedScore {
  std::int64_t end_time = 0;
  double score = 0.0;
};

// Returns whether a sequence ending at `end_time` lies in the lead window (f - lead, f] of any
// failure time f in `sorted_failure_times`. Only the first failure at or after end_time can
// contain it.
inline bool inside_any_lead_window(std::int64_t end_time,
                                   const std::vector<std::int64_t>& sorted_failure_times,
                                   std::int64_t lead_window_seconds) {
  const auto next_failure =
      std::lower_bound(sorted_failure_times.begin(), sorted_failure_times.end(), end_time);
  return next_failure != sorted_failure_times.end() &&
         *next_failure - lead_window_seconds < end_time;
}

// Classifies one failure against its machine's sequences, which are sorted by end time.
inline FailureDetection detect_failure(const FailureEvent& failure,
                                       const std::vector<TimedScore>* machine_sequences,
                                       double threshold, std::int64_t lead_window_seconds) {
  FailureDetection detection;
  detection.failure = failure;
  if (machine_sequences == nullptr) {
    detection.outcome = FailureOutcome::machine_without_data;
    return detection;
  }

  const std::int64_t window_start = failure.time - lead_window_seconds;  // excluded
  const auto first_in_window = std::upper_bound(
      machine_sequences->begin(), machine_sequences->end(), window_start,
      [](std::int64_t time, const TimedScore& sequence) { return time < sequence.end_time; });
  const auto past_window = std::upper_bound(
      machine_sequences->begin(), machine_sequences->end(), failure.time,
      [](std::int64_t time, const TimedScore& sequence) { return time < sequence.end_time; });
  if (first_in_window == past_window) {
    detection.outcome = FailureOutcome::no_sequence_in_window;
    return detection;
  }

  // Sequences are in time order, so the first alarm found is the earliest.
  const auto first_alarm =
      std::find_if(first_in_window, past_window,
                   [&](const TimedScore& sequence) { return sequence.score >= threshold; });
  if (first_alarm == past_window) {
    detection.outcome = FailureOutcome::missed;
    return detection;
  }
  detection.outcome = FailureOutcome::detected;
  detection.first_alarm_time = first_alarm->end_time;
  detection.lead_time_seconds = failure.time - first_alarm->end_time;
  return detection;
}

using SequencesByMachine = std::map<int, std::vector<TimedScore>>;

// Groups the sequences by machine and sorts each machine's sequences by end time. The stable sort
// keeps the input order of sequences with equal end times.
template <class Scores, class MachineIds, class EndTimes>
SequencesByMachine group_sequences_by_machine(const Scores& scores, const MachineIds& machine_ids,
                                              const EndTimes& end_times) {
  SequencesByMachine sequences_by_machine;
  const std::size_t sequence_count = container_size(scores);
  for (std::size_t i = 0; i < sequence_count; ++i) {
    const int machine_id = static_cast<int>(element(machine_ids, i));
    const auto end_time = static_cast<std::int64_t>(element(end_times, i));
    sequences_by_machine[machine_id].push_back({end_time, element_as_double(scores, i)});
  }
  for (auto& [machine_id, sequences] : sequences_by_machine) {
    std::stable_sort(sequences.begin(), sequences.end(),
                     [](const TimedScore& left, const TimedScore& right) {
                       return left.end_time < right.end_time;
                     });
  }
  return sequences_by_machine;
}

// Sorts the failures by machine id, then time, and merges those with the same machine and time.
// Returns the merged events and stores the number of dropped rows in `duplicates_merged`.
template <class Failures>
std::vector<FailureEvent> merge_duplicate_failures(const Failures& failures,
                                                   std::size_t& duplicates_merged) {
  std::vector<FailureEvent> events;
  events.reserve(container_size(failures));
  for (const auto& failure : failures) {
    events.push_back(
        {static_cast<int>(failure.machine_id), static_cast<std::int64_t>(failure.time)});
  }

  std::sort(events.begin(), events.end(), [](const FailureEvent& left, const FailureEvent& right) {
    return std::tie(left.machine_id, left.time) < std::tie(right.machine_id, right.time);
  });
  const auto unique_end = std::unique(
      events.begin(), events.end(), [](const FailureEvent& left, const FailureEvent& right) {
        return left.machine_id == right.machine_id && left.time == right.time;
      });
  duplicates_merged = static_cast<std::size_t>(events.end() - unique_end);
  events.erase(unique_end, events.end());
  return events;
}

// Classifies every failure event and fills the failure counters and lead-time statistics.
inline void evaluate_failures(const std::vector<FailureEvent>& events,
                              const SequencesByMachine& sequences_by_machine,
                              EventMetrics& metrics) {
  double lead_time_sum_hours = 0.0;
  for (const FailureEvent& event : events) {
    const auto machine = sequences_by_machine.find(event.machine_id);
    const std::vector<TimedScore>* machine_sequences =
        machine == sequences_by_machine.end() ? nullptr : &machine->second;
    const FailureDetection detection = detect_failure(event, machine_sequences, metrics.threshold,
                                                      metrics.lead_window_seconds);

    if (detection.outcome == FailureOutcome::detected) {
      const double lead_time_hours =
          static_cast<double>(detection.lead_time_seconds) / static_cast<double>(seconds_per_hour);
      lead_time_sum_hours += lead_time_hours;
      metrics.min_lead_time_hours = metrics.failures_detected == 0
                                        ? lead_time_hours
                                        : std::min(metrics.min_lead_time_hours, lead_time_hours);
      metrics.failures_detected += 1;
    } else if (detection.outcome == FailureOutcome::machine_without_data) {
      metrics.failures_machine_without_data += 1;
    } else if (detection.outcome == FailureOutcome::no_sequence_in_window) {
      metrics.failures_no_sequence_in_window += 1;
    }
    metrics.failures.push_back(detection);
  }

  metrics.failures_total = events.size();
  if (metrics.failures_detected > 0) {
    metrics.mean_lead_time_hours =
        lead_time_sum_hours / static_cast<double>(metrics.failures_detected);
  }
}

// Counts alarms, false-alarm sequences and false alarms (runs of successive false-alarm sequences
// of one machine), and the machine-months of observed data.
inline void count_false_alarms(const std::vector<FailureEvent>& events,
                               const SequencesByMachine& sequences_by_machine,
                               EventMetrics& metrics) {
  std::map<int, std::vector<std::int64_t>> failure_times_by_machine;
  for (const FailureEvent& event : events) {
    failure_times_by_machine[event.machine_id].push_back(event.time);  // sorted, as events are
  }

  const std::vector<std::int64_t> no_failures;
  std::int64_t observed_seconds = 0;
  for (const auto& [machine_id, sequences] : sequences_by_machine) {
    const auto machine_failures = failure_times_by_machine.find(machine_id);
    const std::vector<std::int64_t>& failure_times =
        machine_failures == failure_times_by_machine.end() ? no_failures : machine_failures->second;

    bool previous_was_false_alarm = false;
    for (const TimedScore& sequence : sequences) {
      const bool alarm = sequence.score >= metrics.threshold;
      const bool false_alarm =
          alarm && !inside_any_lead_window(sequence.end_time, failure_times,
                                           metrics.lead_window_seconds);
      metrics.alarm_sequences += alarm ? 1 : 0;
      metrics.false_alarm_sequences += false_alarm ? 1 : 0;
      if (false_alarm && !previous_was_false_alarm) {
        metrics.false_alarms += 1;
      }
      previous_was_false_alarm = false_alarm;
    }
    observed_seconds += sequences.back().end_time - sequences.front().end_time;
  }

  metrics.machines_observed = sequences_by_machine.size();
  metrics.machine_months =
      static_cast<double>(observed_seconds) / static_cast<double>(seconds_per_machine_month);
  if (metrics.machine_months > 0.0) {
    metrics.false_alarms_per_machine_month =
        static_cast<double>(metrics.false_alarms) / metrics.machine_months;
  }
}

}  // namespace detail

// Computes failure detection, lead times and false alarms per machine-month, as defined at the top
// of this header. `scores`, `machine_ids` and `end_times` hold one value per sequence, in any
// order, e.g. the model's scores with the machine_ids and end_times of a tsdl::data::SequenceSet.
// `failures` is any container of elements with `machine_id` and `time` members, such as
// std::vector<FailureEvent> or the failure list of tsdl::data. Throws std::invalid_argument when
// the three sequence inputs differ in length, a score is NaN, the threshold is NaN, or
// lead_window_seconds is not positive. Empty sequences or failures are valid input.
template <class Scores, class MachineIds, class EndTimes, class Failures>
EventMetrics event_metrics(const Scores& scores, const MachineIds& machine_ids,
                           const EndTimes& end_times, const Failures& failures, double threshold,
                           std::int64_t lead_window_seconds = default_lead_window_seconds) {
  const char* function = "event_metrics";
  detail::check_same_length(scores, machine_ids, "scores", "machine_ids", function);
  detail::check_same_length(scores, end_times, "scores", "end_times", function);
  detail::check_scores_not_nan(scores, function);
  detail::check_threshold(threshold, function);
  if (lead_window_seconds <= 0) {
    throw std::invalid_argument(detail::message_prefix(function) + "lead_window_seconds is " +
                                std::to_string(lead_window_seconds) +
                                ", but it must be positive, e.g. 48 * 3600 for 48 hours");
  }

  EventMetrics metrics;
  metrics.threshold = threshold;
  metrics.lead_window_seconds = lead_window_seconds;

  const detail::SequencesByMachine sequences_by_machine =
      detail::group_sequences_by_machine(scores, machine_ids, end_times);
  const std::vector<FailureEvent> events =
      detail::merge_duplicate_failures(failures, metrics.duplicate_failures_merged);

  detail::evaluate_failures(events, sequences_by_machine, metrics);
  detail::count_false_alarms(events, sequences_by_machine, metrics);
  return metrics;
}

// Overload for a braced list of failures, e.g. event_metrics(scores, ids, times, {{7, t}}, 0.5).
template <class Scores, class MachineIds, class EndTimes>
EventMetrics event_metrics(const Scores& scores, const MachineIds& machine_ids,
                           const EndTimes& end_times, const std::vector<FailureEvent>& failures,
                           double threshold,
                           std::int64_t lead_window_seconds = default_lead_window_seconds) {
  return event_metrics<Scores, MachineIds, EndTimes, std::vector<FailureEvent>>(
      scores, machine_ids, end_times, failures, threshold, lead_window_seconds);
}

}  // namespace tsdl::metrics
