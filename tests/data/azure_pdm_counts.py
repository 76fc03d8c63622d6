#!/usr/bin/env python3
"""Independent label and sequence counts for the Azure predictive-maintenance CSVs.

Uses only the standard library (csv, datetime), so it shares no code with the C++ pipeline.
Rules it applies:
  * a telemetry row is labelled 1 when a failure of the same machine lies in
    (row time, row time + horizon], i.e. the row is in (failure - horizon, failure];
  * windows of `width` rows start every `step` rows, the incomplete tail is dropped, and a window
    is labelled 1 when any of its rows is 1;
  * sequences of seq_len consecutive windows start at every window (stride 1) within one machine,
    and a sequence is positive when its last window is.

Usage: python3 azure_pdm_counts.py DIR [--horizon-hours 24] [--width 10] [--step 5] [--seq-len 30 40]
The output is the table that tests/test_data_azure_pdm.cpp compares against.
"""
import argparse
import csv
import datetime
import os
from collections import defaultdict


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--horizon-hours", type=int, default=24)
    parser.add_argument("--width", type=int, default=10)
    parser.add_argument("--step", type=int, default=5)
    parser.add_argument("--seq-len", type=int, nargs="+", default=[30, 40])
    args = parser.parse_args()

    times = defaultdict(list)
    with open(os.path.join(args.directory, "PdM_telemetry.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            times[int(row["machineID"])].append(parse_time(row["datetime"]))
    failures = defaultdict(list)
    with open(os.path.join(args.directory, "PdM_failures.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            failures[int(row["machineID"])].append(parse_time(row["datetime"]))

    horizon = datetime.timedelta(hours=args.horizon_hours)
    totals = defaultdict(int)
    print("machine rows labelled windows positive_windows " +
          " ".join(f"seq{n} pos{n}" for n in args.seq_len))
    for machine in sorted(times):
        row_times = sorted(times[machine])
        labels = [int(any(f - horizon < t <= f for f in failures[machine])) for t in row_times]
        window_labels = []
        start = 0
        while start + args.width <= len(row_times):
            window_labels.append(int(any(labels[start:start + args.width])))
            start += args.step
        columns = [machine, len(row_times), sum(labels), len(window_labels), sum(window_labels)]
        for seq_len in args.seq_len:
            ends = range(seq_len - 1, len(window_labels))
            columns += [len(ends), sum(window_labels[e] for e in ends)]
        for name, value in zip(["rows", "labelled", "windows", "positive_windows"] +
                               [f"{k}{n}" for n in args.seq_len for k in ("seq", "pos")], columns[1:]):
            totals[name] += value
        print(" ".join(str(c) for c in columns))
    print("total " + " ".join(str(totals[k]) for k in totals))


if __name__ == "__main__":
    main()
