#!/usr/bin/python3
"""The Python side of bench/anomaly-quality.sh (issue 14's quality measurement).

  anomaly_reference.py splits ODDS_DIR OUT_DIR   writes the shared splits and data into OUT_DIR:
      odds-<set>.json    {"features": d, "splits": [{"seed": s, "train": [...], "test": [...]}, ...]} (seeds 0..9)
      digits.csv         sklearn's 8x8 digits: label, then the 64 pixels (0..16), one image a line
      digits-split.json  {"train": [...], "test": [...]}: a fixed 60/40 split within each class (seed 0)
  anomaly_reference.py references ODDS_DIR OUT_DIR  prints "<detector> <set> <seed> <auc>" per ODDS split for
      iforest (scikit-learn's IsolationForest) and torch-ae (PyOD 2's AutoEncoder rebuilt in PyTorch, see below)

The ODDS splits follow PyOD's benchmark (benchmark.py): train_test_split(X, y, test_size=0.4, random_state=seed),
unsupervised (the training part keeps its outliers). Every detector of the C# side and scikit-learn's
IsolationForest here read the same index files. IsolationForest (PyOD's IForest wraps it with the same defaults:
100 trees, max_samples = min(256, n)) sees the features standardized with the training part's mean and standard
deviation, as in PyOD's benchmark; its score is the negated score_samples (higher = more anomalous).

torch-ae rebuilds PyOD 2's (PyTorch) AutoEncoder with its defaults, since PyOD itself is not installed: hidden
[64, 32], each hidden layer Linear -> BatchNorm1d -> ReLU -> Dropout(0.2), the decoder mirroring all but the
32-unit code, a last Linear to the features; Adam (lr 1e-3, weight decay 1e-5), MSE, 10 epochs of shuffled batches of
32; score = Euclidean distance between a row and its reconstruction. It gives PyOD's autoencoder on the very same
splits, next to the published figures (measured on other random splits with an older PyOD).
"""
import json
import os
import sys

import numpy as np

SETS = ["arrhythmia", "cardio", "ionosphere", "letter", "pima"]
SEEDS = range(10)


def load(odds_dir, name):
    data = np.loadtxt(os.path.join(odds_dir, name + ".csv"), delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def splits(odds_dir, out_dir):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    os.makedirs(out_dir, exist_ok=True)
    for name in SETS:
        x, y = load(odds_dir, name)
        index = np.arange(len(y))
        entries = []
        for seed in SEEDS:
            train, test = train_test_split(index, test_size=0.4, random_state=seed)
            entries.append({"seed": seed, "train": train.tolist(), "test": test.tolist()})
        with open(os.path.join(out_dir, "odds-%s.json" % name), "w") as f:
            json.dump({"features": x.shape[1], "splits": entries}, f)

    digits = load_digits()
    with open(os.path.join(out_dir, "digits.csv"), "w") as f:
        for label, image in zip(digits.target, digits.data):
            f.write(",".join([str(int(label))] + [str(int(v)) for v in image]) + "\n")
    train, test = train_test_split(np.arange(len(digits.target)), test_size=0.4, random_state=0, stratify=digits.target)
    with open(os.path.join(out_dir, "digits-split.json"), "w") as f:
        json.dump({"train": sorted(train.tolist()), "test": sorted(test.tolist())}, f)


def torch_ae(x_train, x_test, seed):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    features = x_train.shape[1]

    def block(n_in, n_out):
        return [nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out), nn.ReLU(), nn.Dropout(0.2)]

    model = nn.Sequential(*block(features, 64), *block(64, 32), *block(32, 64), nn.Linear(64, features))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    data = torch.tensor(x_train, dtype=torch.float32)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(10):
        for batch in torch.randperm(len(data), generator=generator).split(32):
            if len(batch) < 2:  # BatchNorm1d needs two rows
                continue
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(data[batch]), data[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        test = torch.tensor(x_test, dtype=torch.float32)
        return (model(test) - test).norm(dim=1).numpy()


def references(odds_dir, out_dir):
    from sklearn.ensemble import IsolationForest
    from sklearn.metrics import roc_auc_score

    for name in SETS:
        x, y = load(odds_dir, name)
        with open(os.path.join(out_dir, "odds-%s.json" % name)) as f:
            entries = json.load(f)["splits"]
        for entry in entries:
            train, test = np.array(entry["train"]), np.array(entry["test"])
            mean, std = x[train].mean(axis=0), x[train].std(axis=0)
            std[std == 0] = 1
            x_train, x_test = (x[train] - mean) / std, (x[test] - mean) / std
            model = IsolationForest(n_estimators=100, random_state=entry["seed"]).fit(x_train)
            auc = roc_auc_score(y[test], -model.score_samples(x_test))
            print("iforest %s %d %.6f" % (name, entry["seed"], auc), flush=True)
            auc = roc_auc_score(y[test], torch_ae(x_train, x_test, entry["seed"]))
            print("torch-ae %s %d %.6f" % (name, entry["seed"], auc), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("splits", "references"):
        sys.exit(__doc__)
    {"splits": splits, "references": references}[sys.argv[1]](sys.argv[2], sys.argv[3])
