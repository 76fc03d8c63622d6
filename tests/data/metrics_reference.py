#!/usr/bin/env python3
"""Compute reference values for tests/test_metrics_reference.cpp with the standard library only.

Every metric is computed by brute force from its definition, independently of the C++ code.
ROC-AUC comes from all (positive, negative) pairs. Average precision and the classification report
come from recounting at each threshold. The best F1 threshold comes from trying every distinct
score, every midpoint between scores and thresholds outside the score range. Fractions keep the
values exact until they are printed.

Run: python3 tests/data/metrics_reference.py
"""

from fractions import Fraction

CASES = {
    "ties_ten": (
        [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.1],
        [1, 1, 0, 1, 0, 1, 0, 0, 1, 0],
    ),
    "tied_blocks": (
        [0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9, 0.1],
        [1, 0, 0, 1, 0, 1, 0, 0],
    ),
    "mixed_twenty": (
        [0.05, 0.95, 0.35, 0.35, 0.75, 0.5, 0.15, 0.85, 0.5, 0.65,
         0.25, 0.95, 0.45, 0.55, 0.5, 0.1, 0.7, 0.35, 0.6, 0.2],
        [0, 1, 0, 1, 1, 0, 0, 1, 1, 0,
         0, 0, 1, 1, 0, 0, 1, 0, 0, 1],
    ),
}

REPORT_THRESHOLD = 0.5


def ratio(numerator, denominator):
    """Return numerator / denominator as a Fraction, or 0 when the denominator is 0."""
    return Fraction(0) if denominator == 0 else Fraction(numerator, denominator)


def roc_auc_pairwise(scores, labels):
    positives = [s for s, y in zip(scores, labels) if y == 1]
    negatives = [s for s, y in zip(scores, labels) if y == 0]
    wins = Fraction(0)
    for p in positives:
        for n in negatives:
            if p > n:
                wins += 1
            elif p == n:
                wins += Fraction(1, 2)
    return wins / (len(positives) * len(negatives))


def confusion(scores, labels, threshold):
    tn = fp = fn = tp = 0
    for s, y in zip(scores, labels):
        predicted = 1 if s >= threshold else 0
        if y == 1 and predicted == 1:
            tp += 1
        elif y == 1:
            fn += 1
        elif predicted == 1:
            fp += 1
        else:
            tn += 1
    return tn, fp, fn, tp


def average_precision(scores, labels):
    """Sum over distinct thresholds, highest first, of (R_n - R_{n-1}) * P_n with R_0 = 0."""
    total_positives = sum(labels)
    previous_recall = Fraction(0)
    ap = Fraction(0)
    for threshold in sorted(set(scores), reverse=True):
        _, fp, _, tp = confusion(scores, labels, threshold)
        recall = Fraction(tp, total_positives)
        precision = Fraction(tp, tp + fp)
        ap += (recall - previous_recall) * precision
        previous_recall = recall
    return ap


def f1(tn, fp, fn, tp):
    return ratio(2 * tp, 2 * tp + fp + fn)


def class_report(scores, labels, threshold):
    tn, fp, fn, tp = confusion(scores, labels, threshold)
    total = tn + fp + fn + tp
    rows = {
        0: (ratio(tn, tn + fn), ratio(tn, tn + fp), f1(tp, fn, fp, tn), tn + fp),
        1: (ratio(tp, tp + fp), ratio(tp, tp + fn), f1(tn, fp, fn, tp), tp + fn),
    }
    macro = tuple((rows[0][k] + rows[1][k]) / 2 for k in range(3))
    weighted = tuple((rows[0][k] * rows[0][3] + rows[1][k] * rows[1][3]) / total for k in range(3))
    return (tn, fp, fn, tp), Fraction(tn + tp, total), rows, macro, weighted


def best_f1_threshold(scores, labels):
    """Try every distinct score, every midpoint and a threshold above the maximum.

    Returns the highest threshold among those with the maximal F1, restricted to distinct score
    values, and checks that no midpoint or out-of-range threshold does strictly better.
    """
    distinct = sorted(set(scores))
    candidates = list(distinct)
    candidates += [(a + b) / 2 for a, b in zip(distinct, distinct[1:])]
    candidates += [distinct[-1] + 1, distinct[0] - 1]
    best_any = max(f1(*confusion(scores, labels, t)) for t in candidates)
    best_on_scores = max(f1(*confusion(scores, labels, t)) for t in distinct)
    assert best_on_scores == best_any, "a threshold between scores beat every score value"
    chosen = max(t for t in distinct if f1(*confusion(scores, labels, t)) == best_on_scores)
    return chosen, best_on_scores, confusion(scores, labels, chosen)


def show(fraction):
    return f"{float(fraction):.17g}  /* {fraction} */"


def main():
    for name, (scores, labels) in CASES.items():
        assert len(scores) == len(labels)
        print(f"== {name}")
        print(f"roc_auc = {show(roc_auc_pairwise(scores, labels))}")
        print(f"average_precision = {show(average_precision(scores, labels))}")
        counts, accuracy, rows, macro, weighted = class_report(scores, labels, REPORT_THRESHOLD)
        print(f"confusion at {REPORT_THRESHOLD} (TN, FP, FN, TP) = {counts}")
        print(f"accuracy = {show(accuracy)}")
        for label in (0, 1):
            p, r, f, support = rows[label]
            print(f"class {label}: precision = {show(p)}, recall = {show(r)}, f1 = {show(f)}, "
                  f"support = {support}")
        print("macro avg: precision = {}, recall = {}, f1 = {}".format(*map(show, macro)))
        print("weighted avg: precision = {}, recall = {}, f1 = {}".format(*map(show, weighted)))
        threshold, best_f1, best_counts = best_f1_threshold(scores, labels)
        print(f"best F1 threshold = {threshold!r}, f1 = {show(best_f1)}, "
              f"(TN, FP, FN, TP) = {best_counts}")


if __name__ == "__main__":
    main()
