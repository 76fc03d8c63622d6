#!/usr/bin/python3
"""Train the three failure classifiers with PyTorch and with tsdl on identical sequences.

Runs bench/race_tsdl (built with -DTSDL_BUILD_BENCHMARKS=ON), which prepares the sequences as the
example binaries do, exports the training sequences, trains each model and reports its epoch
times. Then trains the same architectures in PyTorch on the exported sequences with the same batch
size, epochs and thread count, and prints seconds per epoch (median) for both, their ratio, and the
median time to score one sequence (batch 1).

Usage (Debian's python3 with python3-torch; bench/install-peer-deps.sh installs it):
  /usr/bin/python3 bench/race_pytorch.py --tsdl build-bench/bench/race_tsdl \
      --data-dir ../shared/data/azure-pdm --epochs 3 --threads 1 2
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

SEQ_LEN = 30
FEATURES = 4


def loaded_blas():
    """Return the BLAS and LAPACK shared objects mapped into this process."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            base = os.path.basename(path)
            if "blas" in base or "lapack" in base:
                names.add(os.path.realpath(path))
    return sorted(names)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(FEATURES, 64, 3), nn.ReLU(), nn.Dropout(0.1),
            nn.Conv1d(64, 64, 3), nn.ReLU(), nn.Dropout(0.1),
            nn.MaxPool1d(2), nn.Flatten(),
            nn.Linear(64 * 13, 128), nn.ReLU(), nn.Dropout(0.1),
            nn.Linear(128, 1))

    def forward(self, x):  # x: (batch, time, features)
        return self.body(x.transpose(1, 2))


class StackedLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstms = nn.ModuleList([nn.LSTM(FEATURES if i == 0 else 64, 64, batch_first=True) for i in range(4)])
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        for lstm in self.lstms:
            x, _ = lstm(x)
            x = self.dropout(x)
        return self.head(x[:, -1, :])


class Hybrid(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 64, 2)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)  # length 3 -> 2, as Keras's padding="same"
        self.conv2 = nn.Conv1d(64, 128, 2)
        self.dropout = nn.Dropout(0.2)
        self.lstm = nn.LSTM(128, 100, batch_first=True)
        self.head = nn.Linear(100, 1)

    def forward(self, x):  # x: (batch, time, features)
        batch = x.shape[0]
        steps = x.reshape(batch * SEQ_LEN, 1, FEATURES)
        steps = self.dropout(self.pool(torch.relu(self.conv1(steps))))
        steps = torch.relu(self.conv2(steps)).reshape(batch, SEQ_LEN, -1)
        out, _ = self.lstm(self.dropout(steps))
        return self.head(self.dropout(out[:, -1, :]))


MODELS = {"cnn": Cnn, "lstm": StackedLstm, "hybrid": Hybrid}


def train_epoch(model, optimizer, loss_fn, x, y, order):
    """Run one epoch of mini-batches of 64 in the given sample order; return the summed loss."""
    model.train()
    total = 0.0
    for begin in range(0, len(x), 64):
        index = order[begin:begin + 64]
        optimizer.zero_grad()
        loss = loss_fn(model(x[index]).squeeze(1), y[index])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(index)
    return total


def train_pytorch(name, x, y, epochs, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = MODELS[name]()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(0)
    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        train_epoch(model, optimizer, loss_fn, x, y, torch.randperm(len(x), generator=generator))
        epoch_seconds.append(time.perf_counter() - start)

    model.eval()
    one = x[:1]
    score_seconds = []
    with torch.no_grad():
        for _ in range(200):
            start = time.perf_counter()
            torch.sigmoid(model(one))
            score_seconds.append(time.perf_counter() - start)
    return epoch_seconds, statistics.median(score_seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tsdl", required=True, help="path of the race_tsdl binary")
    parser.add_argument("--data-dir", help="Azure telemetry directory; the synthetic fleet when omitted")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per model and side (default 3)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts to race")
    parser.add_argument("--models", default="cnn,lstm,hybrid", help="comma-separated models")
    args = parser.parse_args()

    print(f"torch {torch.__version__}; BLAS loaded by this process: {', '.join(loaded_blas()) or 'none found'}")
    print(f"{'model':8} {'threads':>7} {'pytorch s/epoch':>16} {'tsdl s/epoch':>13} {'ratio':>7} "
          f"{'pytorch score-1 ms':>19} {'tsdl score-1 ms':>16} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for threads in args.threads:
            export = os.path.join(folder, "train.f32")
            command = [args.tsdl, "--epochs", str(args.epochs), "--threads", str(threads),
                       "--models", args.models, "--export", export]
            if args.data_dir:
                command += ["--data-dir", args.data_dir]
            environment = dict(os.environ, OMP_NUM_THREADS=str(threads))
            result = subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
            tsdl_runs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]

            count = tsdl_runs[0]["sequences"]
            raw = np.fromfile(export, dtype="<f4")
            x = torch.from_numpy(raw[:count * SEQ_LEN * FEATURES].reshape(count, SEQ_LEN, FEATURES).copy())
            y = torch.from_numpy(raw[count * SEQ_LEN * FEATURES:].copy())
            if len(y) != count:
                sys.exit(f"exported file has {len(y)} targets for {count} sequences")

            for run in tsdl_runs:
                torch_epochs, torch_score = train_pytorch(run["model"], x, y, args.epochs, threads)
                torch_median = statistics.median(torch_epochs)
                tsdl_median = statistics.median(run["epoch_seconds"])
                print(f"{run['model']:8} {threads:>7} {torch_median:>16.3f} {tsdl_median:>13.3f} "
                      f"{torch_median / tsdl_median:>7.2f} {torch_score * 1e3:>19.3f} "
                      f"{run['score_one_seconds'] * 1e3:>16.3f} {torch_score / run['score_one_seconds']:>7.1f}",
                      flush=True)


if __name__ == "__main__":
    main()
