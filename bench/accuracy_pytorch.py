#!/usr/bin/python3
"""Train one of the three classifiers with PyTorch over several seeds and report test ROC-AUC.

The peer check for accuracy: bench/race_tsdl exports the training and test sequences, prepared
exactly as the example binaries prepare them, and this script trains the PyTorch model from
bench/race_pytorch.py on them (Adam 1e-3, batch 64, binary cross-entropy) once per seed. It
prints the test ROC-AUC after every few epochs and the mean over the seeds after the last epoch,
so tsdl's numbers in docs/results.md can be set beside PyTorch's on the same data.

Usage (Debian's python3 with python3-torch; bench/install-peer-deps.sh installs it):
  /usr/bin/python3 bench/accuracy_pytorch.py --tsdl build-bench/bench/race_tsdl \
      --data-dir ../shared/data/azure-pdm --model lstm --seeds 0 1 2 --epochs 30
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from race_pytorch import FEATURES, MODELS, SEQ_LEN, train_epoch  # noqa: E402


def load_sequences(path):
    """Read an exported file: x of shape (count, SEQ_LEN, FEATURES), then y of shape (count)."""
    raw = np.fromfile(path, dtype="<f4")
    count, remainder = divmod(raw.size, SEQ_LEN * FEATURES + 1)
    if remainder:
        sys.exit(f"{path}: {raw.size} floats is not a whole number of ({SEQ_LEN}, {FEATURES}) sequences")
    x = torch.from_numpy(raw[:count * SEQ_LEN * FEATURES].reshape(count, SEQ_LEN, FEATURES).copy())
    y = torch.from_numpy(raw[count * SEQ_LEN * FEATURES:].copy())
    return x, y


def roc_auc(scores, labels):
    """Return the area under the ROC curve by the rank-sum formula, giving tied scores their mean rank."""
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores))
    first = 0
    while first < len(scores):
        last = first
        while last + 1 < len(scores) and sorted_scores[last + 1] == sorted_scores[first]:
            last += 1
        ranks[order[first:last + 1]] = (first + last) / 2.0 + 1.0
        first = last + 1
    positive = labels == 1
    positives = int(positive.sum())
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        sys.exit(f"ROC-AUC needs both classes; the test split has {positives} positive and {negatives} negative sequences")
    return (ranks[positive].sum() - positives * (positives + 1) / 2.0) / (positives * negatives)


def test_auc(model, x_test, y_test):
    model.eval()
    with torch.no_grad():
        scores = model(x_test).squeeze(1).numpy()
    return roc_auc(scores, y_test.numpy())


def train(name, seed, epochs, x, y, x_test, y_test, report_every):
    torch.manual_seed(seed)
    model = MODELS[name]()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    for epoch in range(1, epochs + 1):
        total = train_epoch(model, optimizer, loss_fn, x, y, torch.randperm(len(x)))
        if epoch % report_every == 0 or epoch == epochs:
            print(f"seed {seed} epoch {epoch:3d} loss {total / len(x):.4f} "
                  f"test ROC-AUC {test_auc(model, x_test, y_test):.4f}", flush=True)
    return test_auc(model, x_test, y_test)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tsdl", required=True, help="path of the race_tsdl binary")
    parser.add_argument("--data-dir", help="Azure telemetry directory; the synthetic fleet when omitted")
    parser.add_argument("--model", choices=sorted(MODELS), default="lstm")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--report-every", type=int, default=5, help="epochs between progress lines")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as folder:
        train_path = os.path.join(folder, "train.f32")
        test_path = os.path.join(folder, "test.f32")
        command = [args.tsdl, "--epochs", "1", "--models", "cnn", "--export", train_path, "--export-test", test_path]
        if args.data_dir:
            command += ["--data-dir", args.data_dir]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed with status {result.returncode}:\n{result.stderr}")
        x, y = load_sequences(train_path)
        x_test, y_test = load_sequences(test_path)

    print(f"torch {torch.__version__}; {len(x)} training and {len(x_test)} test sequences "
          f"({int(y_test.sum())} positive); model {args.model}, {args.epochs} epochs")
    results = [train(args.model, seed, args.epochs, x, y, x_test, y_test, args.report_every) for seed in args.seeds]
    print(f"test ROC-AUC by seed: {', '.join(f'{auc:.4f}' for auc in results)}; mean {np.mean(results):.4f}")


if __name__ == "__main__":
    main()
