"""Helpers shared by the sample training scripts.

Every sample is rebuilt from a bundled sklearn dataset, so the scripts must be
deterministic: rerunning one should reproduce the same CSVs, the same ONNX
weights and the same manifest (apart from the timestamps, which record when
training ran).
"""

import math
import os
import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import torch
from scipy import stats
from sklearn.model_selection import train_test_split

SEED = 42
OPSET = 13
# Opset 13 was introduced by ONNX 1.8; the manifest records that family.
ONNX_FAMILY = "1.8"


def seed_everything(seed=SEED):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # Multi-threaded reductions can change the summation order between runs
    # and machines, which is enough to flip the last bits of the weights.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def split(df, label, stratify, reference_rows, seed=SEED):
    """Split 60 % train / 20 % validation / 20 % current.

    `current` stands in for production traffic: held-out rows from the same
    distribution, so a drift check against `reference` (a sample of the
    training rows) should find nothing.
    """
    strat = df[label] if stratify else None
    train, rest = train_test_split(df, train_size=0.6, stratify=strat, random_state=seed)
    strat = rest[label] if stratify else None
    validation, current = train_test_split(rest, train_size=0.5, stratify=strat, random_state=seed)
    reference = train.sample(n=reference_rows, random_state=seed)
    return {"train": train, "validation": validation, "reference": reference, "current": current}


def write_csv(df, path):
    """Write a CSV whose numbers read back bit-for-bit.

    '%.10g' drops the noisy '.0' of integral values but keeps every digit the
    sklearn datasets actually have; the round-trip assertion guards that.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    df.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
    back = pd.read_csv(path, float_precision="round_trip")
    assert list(back.columns) == list(df.columns), path
    assert np.array_equal(back.to_numpy(dtype=np.float64), df.to_numpy(dtype=np.float64)), path


def export_onnx(model, example, path, input_name, output_name):
    model.eval()
    torch.onnx.export(
        model,
        example,
        path,
        input_names=[input_name],
        output_names=[output_name],
        dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )


def sig(values, digits=6):
    """Round to significant digits.

    The manifest's preprocessing parameters are rounded for readability; the
    model is trained on data standardised with these same rounded numbers so
    that the manifest is exact rather than approximately right.
    """
    out = []
    for v in np.atleast_1d(values):
        v = float(v)
        out.append(0.0 if v == 0 else float(f"{v:.{digits}g}"))
    return out


def label_frequencies(labels, class_names, decimals=3):
    """Class frequencies rounded to `decimals`, still summing to exactly 1.

    Plain rounding can sum to 0.999 or 1.001; the largest-remainder method
    hands the leftover units to the classes that lost the most by rounding.
    """
    counts = np.bincount(np.asarray(labels), minlength=len(class_names))
    unit = 10**decimals
    exact = counts / counts.sum() * unit
    floors = np.floor(exact).astype(int)
    leftover = unit - floors.sum()
    for i in np.argsort(-(exact - floors), kind="stable")[:leftover]:
        floors[i] += 1
    return {name: round(int(n) / unit, decimals) for name, n in zip(class_names, floors)}


def training_times(age_days=0):
    """trainedAt and the training-data window, as manifest strings.

    The sklearn datasets carry no collection dates, so the window is
    pretended to be the year ending a week before training. Tying it to the
    run time keeps a freshly retrained sample inside 365-day staleness gates
    for about a year; `age_days` shifts everything into the past for the stale
    sample. SOURCE_DATE_EPOCH pins the clock for byte-identical reruns.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    trained = now.replace(microsecond=0) - timedelta(days=age_days)
    end = trained.date() - timedelta(days=7)
    start = end - timedelta(days=364)
    return trained.strftime("%Y-%m-%dT%H:%M:%SZ"), start.isoformat(), end.isoformat()


def floor_to(x, step):
    """Gate thresholds: round a measured metric down/up to a tidy number."""
    return round(math.floor(x / step) * step, 6)


def ceil_to(x, step):
    return round(math.ceil(x / step) * step, 6)


def flow_list(items, column, width=100):
    """Format a YAML flow sequence wrapped to `width` columns.

    `column` is where the opening '[' sits; continuation lines line up with
    the first item, which is valid YAML and far easier to read than a
    700-character line.
    """
    pad = "\n" + " " * (column + 1)
    lines, line = [], ""
    for i, item in enumerate(items):
        piece = str(item) + ("]" if i == len(items) - 1 else ",")
        if line and column + 1 + len(line) + len(piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece + " "
    lines.append(line.rstrip())
    return "[" + pad.join(lines)


def num(x):
    """Shortest decimal that reads back as the same float (no 1e-05 noise)."""
    s = repr(float(x))
    if "e" in s:
        s = np.format_float_positional(float(x), trim="-")
    return s[:-2] if s.endswith(".0") else s


# --- drift sanity checks --------------------------------------------------
# Not a reimplementation of ModelGate's drift gates: just enough to make sure
# the "no drift" samples are clean and the drifted one is unmistakably not.

def ks_pvalues(reference, current, columns):
    return {c: float(stats.ks_2samp(reference[c], current[c]).pvalue) for c in columns}


def psi(reference, current, bins=10):
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.clip(np.histogram(reference, edges)[0] / len(reference), 1e-4, None)
    cur = np.clip(np.histogram(current, edges)[0] / len(current), 1e-4, None)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def js_distance(a, b, n_classes):
    """Jensen-Shannon distance (base 2) between two predicted-class samples."""
    return _js(np.bincount(a, minlength=n_classes) / len(a),
               np.bincount(b, minlength=n_classes) / len(b))


def js_to_frequencies(pred, frequencies):
    """Same, between predicted classes and the manifest's labelFrequencies."""
    return _js(np.bincount(pred, minlength=len(frequencies)) / len(pred), np.asarray(frequencies))


def _js(p, q):
    m = (p + q) / 2

    def kl(x, y):
        mask = x > 0
        return np.sum(x[mask] * np.log2(x[mask] / y[mask]))

    return float(math.sqrt(max(0.0, (kl(p, m) + kl(q, m)) / 2)))
