// Tests of tsdl/metrics/events.hpp on small hand-made timelines.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/metrics/events.hpp"

namespace metrics = tsdl::metrics;

namespace {

constexpr std::int64_t hour = 3600;
constexpr std::int64_t start_time = 1420070400;  // 2015-01-01 00:00:00 UTC

std::int64_t at_hour(std::int64_t hours) { return start_time + hours * hour; }

// Sequences of several machines, each a 12-hour grid of end times, stored as the parallel arrays
// event_metrics takes.
struct Timeline {
  std::vector<float> scores;
  std::vector<int> machine_ids;
  std::vector<std::int64_t> end_times;

  // Adds sequences ending at hours 0, 12, ..., last_hour. The ones in alarm_hours score 0.9, the
  // others 0.1.
  void add_machine(int machine_id, std::int64_t last_hour,
                   const std::set<std::int64_t>& alarm_hours) {
    for (std::int64_t h = 0; h <= last_hour; h += 12) {
      scores.push_back(alarm_hours.count(h) > 0 ? 0.9f : 0.1f);
      machine_ids.push_back(machine_id);
      end_times.push_back(at_hour(h));
    }
  }

  // Reverses the sequence order, so the tests do not rely on sorted input.
  void reverse() {
    std::reverse(scores.begin(), scores.end());
    std::reverse(machine_ids.begin(), machine_ids.end());
    std::reverse(end_times.begin(), end_times.end());
  }
};

// Two machines observed on a 12-hour grid, threshold 0.5, lead window 48 h. Hours are relative to
// start_time.
//
// Machine 1: sequences at hours 0..720 (61 sequences, span 720 h = 1 machine-month).
//   Failure A at 300, window (252, 300] = sequences 264, 276, 288, 300.
//   Failure B at 600, window (552, 600] = sequences 564, 576, 588, 600.
//   Alarms: 240, 252, 264, 276 (an early run crossing into A's window), 420, 444 (isolated, 432 is
//   not an alarm), 600 (at B's time), 612 (after B).
// Machine 2: sequences at hours 0..360 (31 sequences, span 360 h = 0.5 machine-month).
//   Failure C at 200 (off the grid), window (152, 200] = sequences 156, 168, 180, 192. It appears
//   twice in the failure list, like two components failing at once.
//   Failure E at 480, after the machine's last sequence at 360.
//   Alarms: 144 (before C's window), 204 (after C), 300, 312, 324 (one run).
// Machine 3 has no sequence. Failure D at 100.
Timeline example_timeline() {
  Timeline timeline;
  timeline.add_machine(1, 720, {240, 252, 264, 276, 420, 444, 600, 612});
  timeline.add_machine(2, 360, {144, 204, 300, 312, 324});
  timeline.reverse();
  return timeline;
}

std::vector<metrics::FailureEvent> example_failures() {
  return {
      {2, at_hour(480)},  // E
      {1, at_hour(600)},  // B
      {2, at_hour(200)},  // C
      {3, at_hour(100)},  // D
      {1, at_hour(300)},  // A
      {2, at_hour(200)},  // C again, a second component
  };
}

}  // namespace

TEST_CASE("event_metrics on example timeline") {
  const Timeline timeline = example_timeline();
  const metrics::EventMetrics result = metrics::event_metrics(
      timeline.scores, timeline.machine_ids, timeline.end_times, example_failures(), 0.5);

  // 6 failure rows, the two rows of C merge -> 5 failure events: A, B, C, D, E.
  CHECK(result.duplicate_failures_merged == 1);
  CHECK(result.failures_total == 5);

  // A: alarms 264 and 276 lie in (252, 300], and 252 is excluded -> detected, lead 300 - 264 = 36
  // h. B: the alarm at 600 equals the failure time and is included -> detected, lead 0 h. C:
  // sequences 156..192 lie in its window but none is an alarm -> missed. D: machine 3 has no
  // sequence -> machine_without_data. E: machine 2's last sequence ends at 360, before the window
  // (432, 480] -> no_sequence_in_window.
  CHECK(result.failures_detected == 2);
  CHECK(result.failures_machine_without_data == 1);
  CHECK(result.failures_no_sequence_in_window == 1);
  CHECK(result.detection_rate() == doctest::Approx(0.4));  // 2 / 5

  // Failures are listed by machine id, then time: A, B, C, E, D.
  REQUIRE(result.failures.size() == 5);
  const metrics::FailureDetection& a = result.failures[0];
  CHECK(a.failure.machine_id == 1);
  CHECK(a.failure.time == at_hour(300));
  CHECK(a.outcome == metrics::FailureOutcome::detected);
  CHECK(a.first_alarm_time == at_hour(264));
  CHECK(a.lead_time_seconds == 36 * hour);

  const metrics::FailureDetection& b = result.failures[1];
  CHECK(b.failure.time == at_hour(600));
  CHECK(b.outcome == metrics::FailureOutcome::detected);
  CHECK(b.first_alarm_time == at_hour(600));
  CHECK(b.lead_time_seconds == 0);

  const metrics::FailureDetection& c = result.failures[2];
  CHECK(c.failure.machine_id == 2);
  CHECK(c.failure.time == at_hour(200));
  CHECK(c.outcome == metrics::FailureOutcome::missed);
  CHECK(c.lead_time_seconds == 0);

  const metrics::FailureDetection& e = result.failures[3];
  CHECK(e.failure.time == at_hour(480));
  CHECK(e.outcome == metrics::FailureOutcome::no_sequence_in_window);

  const metrics::FailureDetection& d = result.failures[4];
  CHECK(d.failure.machine_id == 3);
  CHECK(d.outcome == metrics::FailureOutcome::machine_without_data);

  // Lead times 36 h and 0 h: mean (36 + 0) / 2 = 18 h, minimum 0 h.
  CHECK(result.mean_lead_time_hours == doctest::Approx(18.0));
  CHECK(result.min_lead_time_hours == doctest::Approx(0.0));

  // Alarm sequences: 8 on machine 1 and 5 on machine 2 = 13.
  // False-alarm sequences, i.e. alarms outside every lead window of their machine:
  //   machine 1: 240, 252, 420, 444, 612 = 5 (264 and 276 are in A's window, 600 in B's)
  //   machine 2: 144, 204, 300, 312, 324 = 5
  // False alarms, i.e. runs of successive false-alarm sequences:
  //   machine 1: {240, 252}, {420}, {444}, {612} = 4 (612 follows the in-window alarm 600, so it
  //   starts a new run)
  //   machine 2: {144}, {204}, {300, 312, 324} = 3
  CHECK(result.alarm_sequences == 13);
  CHECK(result.false_alarm_sequences == 10);
  CHECK(result.false_alarms == 7);

  // Machine-months: (720 h + 360 h) / 720 h = 1.5 over 2 observed machines.
  // Rate: 7 / 1.5 = 4.666...
  CHECK(result.machines_observed == 2);
  CHECK(result.machine_months == doctest::Approx(1.5));
  CHECK(result.false_alarms_per_machine_month == doctest::Approx(7.0 / 1.5));
}

TEST_CASE("event_metrics with shorter lead window") {
  // Same timeline with a 24 h window.
  // A: window (276, 300] = 288, 300, no alarm -> missed. B: 600 is still in (576, 600] -> lead 0 h.
  // C: window (176, 200] = 180, 192, no alarm -> missed.
  // False-alarm sequences: machine 1 adds 264 and 276 -> 240, 252, 264, 276, 420, 444, 612 = 7;
  // machine 2 unchanged at 5; total 12.
  // False alarms: machine 1 {240..276}, {420}, {444}, {612} = 4; machine 2 = 3; total 7.
  const Timeline timeline = example_timeline();
  const metrics::EventMetrics result =
      metrics::event_metrics(timeline.scores, timeline.machine_ids, timeline.end_times,
                             example_failures(), 0.5, 24 * hour);
  CHECK(result.lead_window_seconds == 24 * hour);
  CHECK(result.failures_detected == 1);
  CHECK(result.failures[0].outcome == metrics::FailureOutcome::missed);
  CHECK(result.mean_lead_time_hours == doctest::Approx(0.0));
  CHECK(result.min_lead_time_hours == doctest::Approx(0.0));
  CHECK(result.false_alarm_sequences == 12);
  CHECK(result.false_alarms == 7);
}

TEST_CASE("event_metrics with no alarms") {
  // Threshold 0.95 is above every score (0.9 and 0.1), so nothing alarms.
  // C, A and B have sequences in their windows -> missed; D and E lack data as before.
  const Timeline timeline = example_timeline();
  const metrics::EventMetrics result = metrics::event_metrics(
      timeline.scores, timeline.machine_ids, timeline.end_times, example_failures(), 0.95);
  CHECK(result.failures_total == 5);
  CHECK(result.failures_detected == 0);
  CHECK(result.failures_machine_without_data == 1);
  CHECK(result.failures_no_sequence_in_window == 1);
  CHECK(result.failures[0].outcome == metrics::FailureOutcome::missed);
  CHECK(result.detection_rate() == 0.0);
  CHECK(std::isnan(result.mean_lead_time_hours));
  CHECK(std::isnan(result.min_lead_time_hours));
  CHECK(result.alarm_sequences == 0);
  CHECK(result.false_alarms == 0);
  // 0 false alarms over 1.5 machine-months.
  CHECK(result.false_alarms_per_machine_month == 0.0);
}

TEST_CASE("event_metrics lead window boundaries") {
  // One machine with sequences at failure - 48 h, failure - 48 h + 1 s and failure + 1 h.
  // The first is exactly at the excluded window start, the second just inside.
  const std::int64_t failure_time = at_hour(100);
  const std::vector<double> scores = {0.9, 0.9, 0.1};
  const std::vector<int> machine_ids = {7, 7, 7};
  const std::vector<std::int64_t> end_times = {failure_time - 48 * hour,
                                               failure_time - 48 * hour + 1, failure_time + hour};
  const metrics::EventMetrics result =
      metrics::event_metrics(scores, machine_ids, end_times, {{7, failure_time}}, 0.5);
  REQUIRE(result.failures.size() == 1);
  CHECK(result.failures[0].outcome == metrics::FailureOutcome::detected);
  CHECK(result.failures[0].first_alarm_time == failure_time - 48 * hour + 1);
  // Lead 48 h - 1 s = 172799 s = 47.99972... h.
  CHECK(result.failures[0].lead_time_seconds == 48 * hour - 1);
  CHECK(result.min_lead_time_hours == doctest::Approx(47.0 + 3599.0 / 3600.0));
  // The alarm at failure - 48 h is outside the window, so it is a false alarm. The next alarm is
  // inside the window and ends that run.
  CHECK(result.false_alarm_sequences == 1);
  CHECK(result.false_alarms == 1);
  // Span (failure + 1 h) - (failure - 48 h) = 49 h = 49 / 720 machine-months.
  CHECK(result.machine_months == doctest::Approx(49.0 / 720.0));
  CHECK(result.false_alarms_per_machine_month == doctest::Approx(720.0 / 49.0));
}

TEST_CASE("event_metrics overlapping lead windows") {
  // Failures at hours 100 and 120 of one machine, one alarm at 96: it lies in (52, 100] and in
  // (72, 120], so it detects both, with leads 100 - 96 = 4 h and 120 - 96 = 24 h.
  const std::vector<double> scores = {0.1, 0.9, 0.1};
  const std::vector<int> machine_ids = {5, 5, 5};
  const std::vector<std::int64_t> end_times = {at_hour(84), at_hour(96), at_hour(108)};
  const metrics::EventMetrics result = metrics::event_metrics(
      scores, machine_ids, end_times, {{5, at_hour(100)}, {5, at_hour(120)}}, 0.5);
  CHECK(result.failures_detected == 2);
  CHECK(result.failures[0].lead_time_seconds == 4 * hour);
  CHECK(result.failures[1].lead_time_seconds == 24 * hour);
  CHECK(result.mean_lead_time_hours == doctest::Approx(14.0));  // (4 + 24) / 2
  CHECK(result.min_lead_time_hours == doctest::Approx(4.0));
  CHECK(result.false_alarms == 0);
}

TEST_CASE("event_metrics failures at same time on two machines") {
  // Same timestamp but different machines: two events, nothing merged.
  const std::vector<double> scores = {0.9, 0.1};
  const std::vector<int> machine_ids = {1, 2};
  const std::vector<std::int64_t> end_times = {at_hour(10), at_hour(10)};
  const metrics::EventMetrics result = metrics::event_metrics(
      scores, machine_ids, end_times, {{1, at_hour(10)}, {2, at_hour(10)}}, 0.5);
  CHECK(result.duplicate_failures_merged == 0);
  CHECK(result.failures_total == 2);
  CHECK(result.failures_detected == 1);  // machine 1 alarms at the failure time, machine 2 not
  CHECK(result.failures[1].outcome == metrics::FailureOutcome::missed);
}

TEST_CASE("event_metrics without sequences") {
  // No data at all: both failures lack data, and with 0 machine-months the rate is undefined.
  const metrics::EventMetrics result =
      metrics::event_metrics(std::vector<double>{}, std::vector<int>{}, std::vector<std::int64_t>{},
                             {{1, at_hour(10)}, {4, at_hour(20)}}, 0.5);
  CHECK(result.failures_total == 2);
  CHECK(result.failures_machine_without_data == 2);
  CHECK(result.failures_detected == 0);
  CHECK(result.machines_observed == 0);
  CHECK(result.machine_months == 0.0);
  CHECK(std::isnan(result.false_alarms_per_machine_month));
}

TEST_CASE("event_metrics without failures") {
  // One machine, alarms at hours 0 and 12 (one run) and 36: 2 false alarms over 48 h = 1/15 month.
  const std::vector<double> scores = {0.9, 0.9, 0.1, 0.9, 0.1};
  const std::vector<int> machine_ids = {1, 1, 1, 1, 1};
  const std::vector<std::int64_t> end_times = {at_hour(0), at_hour(12), at_hour(24), at_hour(36),
                                               at_hour(48)};
  const metrics::EventMetrics result =
      metrics::event_metrics(scores, machine_ids, end_times, {}, 0.5);
  CHECK(result.failures_total == 0);
  CHECK(result.detection_rate() == 0.0);
  CHECK(result.false_alarms == 2);
  CHECK(result.false_alarm_sequences == 3);
  CHECK(result.machine_months == doctest::Approx(48.0 / 720.0));
  CHECK(result.false_alarms_per_machine_month == doctest::Approx(30.0));  // 2 / (1/15)
}

TEST_CASE("event_metrics single sequence machine") {
  // A single sequence spans 0 seconds, so machine_months is 0 and the rate is NaN.
  const metrics::EventMetrics result =
      metrics::event_metrics(std::vector<double>{0.9}, std::vector<int>{1},
                             std::vector<std::int64_t>{at_hour(5)}, {}, 0.5);
  CHECK(result.false_alarms == 1);
  CHECK(result.machine_months == 0.0);
  CHECK(std::isnan(result.false_alarms_per_machine_month));
}

TEST_CASE("event_metrics accepts other failure types") {
  // Any element with machine_id and time members works, e.g. a failure record with a component,
  // like the one the data loader produces. Same example as above: 5 events, 2 detected.
  struct ComponentFailure {
    int machine_id;
    std::int64_t time;
    std::string component;
  };
  std::vector<ComponentFailure> failures;
  for (const metrics::FailureEvent& failure : example_failures()) {
    failures.push_back({failure.machine_id, failure.time, "comp1"});
  }
  const Timeline timeline = example_timeline();
  const metrics::EventMetrics result = metrics::event_metrics(
      timeline.scores, timeline.machine_ids, timeline.end_times, failures, 0.5);
  CHECK(result.failures_total == 5);
  CHECK(result.duplicate_failures_merged == 1);
  CHECK(result.failures_detected == 2);
  CHECK(result.false_alarms == 7);
}

TEST_CASE("event_metrics rejects bad input") {
  const std::vector<double> scores = {0.1, 0.2};
  const std::vector<int> machine_ids = {1, 1};
  const std::vector<std::int64_t> end_times = {at_hour(0), at_hour(1)};
  CHECK_THROWS_WITH_AS(
      metrics::event_metrics(scores, std::vector<int>{1}, end_times, {}, 0.5),
      doctest::Contains("event_metrics: scores have 2 elements but machine_ids have 1"),
      std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      metrics::event_metrics(scores, machine_ids, std::vector<std::int64_t>{0, 1, 2}, {}, 0.5),
      doctest::Contains("scores have 2 elements but end_times have 3"), std::invalid_argument);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(
      metrics::event_metrics(std::vector<double>{0.1, nan}, machine_ids, end_times, {}, 0.5),
      doctest::Contains("score at index 1 is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::event_metrics(scores, machine_ids, end_times, {}, nan),
                       doctest::Contains("threshold is nan"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::event_metrics(scores, machine_ids, end_times, {}, 0.5, 0),
                       doctest::Contains("lead_window_seconds is 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(metrics::event_metrics(scores, machine_ids, end_times, {}, 0.5, -3600),
                       doctest::Contains("lead_window_seconds is -3600"), std::invalid_argument);
}
