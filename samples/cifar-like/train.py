#!/usr/bin/python3
"""Train the cifar-like sample: a compute-heavy CNN on 32x32 colour images.

The images are synthetic, drawn here (nothing is downloaded): four classes of
coloured shapes - disc, square, ring and stripes - at a random place, size,
colour and orientation, on a noisy background, with one in twenty labels
flipped, as in a hand-labelled set. The network is far bigger than the task
needs on purpose: about 340 million multiply-adds per image, several
milliseconds of CPU per row, so the serving benchmarks and tests have a
model whose inference costs real time.

Writes, relative to this file:
  data/{train,validation,reference,current}.csv, model.onnx, model.yaml

The CSVs hold the 3072 raw pixels (integers 0-255, channel-major: r_0_0 to
r_31_31, then g_*, then b_*) and the label column `target`. The manifest's
minmax and reshape steps build the [3, 32, 32] tensor in [0, 1].

  /usr/bin/python3 samples/cifar-like/train.py
"""

import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of samples/
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from sklearn import metrics  # noqa: E402
from torch import nn  # noqa: E402

import common  # noqa: E402

CLASS_LABELS = ["disc", "square", "ring", "stripes"]
VERSION = "1.0.0"
SIZE = 32
ROWS = 400  # 240 train, 80 validation, 80 current: the CSVs stay a few MB
LABEL_NOISE = 0.05


def draw(rng, cls):
    """One image, [3, 32, 32] uint8."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    cy, cx = rng.uniform(9, 23, size=2)
    r = rng.uniform(5, 10)
    if cls == 0:
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    elif cls == 1:
        mask = (np.abs(yy - cy) <= r * 0.8) & (np.abs(xx - cx) <= r * 0.8)
    elif cls == 2:
        d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        mask = (d <= r) & (d >= r * 0.55)
    else:
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(5, 9)
        phase = (np.cos(angle) * xx + np.sin(angle) * yy) / period
        mask = (phase % 1.0) < 0.5
        mask &= (np.abs(yy - cy) <= r * 1.2) & (np.abs(xx - cx) <= r * 1.2)
    background = rng.uniform(20, 120, size=3)
    colour = rng.uniform(90, 255, size=3)
    img = np.empty((3, SIZE, SIZE), dtype=np.float32)
    for c in range(3):
        img[c] = np.where(mask, colour[c], background[c])
    img += rng.normal(0, 22, size=img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_frame(rng):
    labels = np.arange(ROWS) % len(CLASS_LABELS)
    rng.shuffle(labels)
    images = np.stack([draw(rng, int(k)) for k in labels]).reshape(ROWS, -1)
    flip = rng.random(ROWS) < LABEL_NOISE
    labels = np.where(flip, rng.integers(0, len(CLASS_LABELS), size=ROWS), labels)
    columns = [f"{c}_{y}_{x}" for c in "rgb" for y in range(SIZE) for x in range(SIZE)]
    df = pd.DataFrame(images.astype(np.int64), columns=columns)
    df["target"] = labels.astype(np.int64)
    return df, columns


def block(cin, cout):
    # batch norm lets a network this wide train in a few epochs; the export folds it into the convolution
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            *block(3, 64),
            *block(64, 128),
            nn.MaxPool2d(2),  # 32 -> 16
            *block(128, 256),
            *block(256, 256),
            nn.MaxPool2d(2),  # 16 -> 8
            *block(256, 256),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(256, len(CLASS_LABELS)),
        )

    def logits(self, x):
        return self.body(x)

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


def to_image(df, pixels):
    """What the manifest's preprocessing does: minmax to [0, 1], reshape."""
    x = df[pixels].to_numpy(dtype=np.float32) / 255
    return torch.tensor(x.reshape(-1, 3, SIZE, SIZE))


def train(x, y):
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(common.SEED)
    for _ in range(18):
        for idx in torch.randperm(len(x), generator=gen).split(32):
            opt.zero_grad()
            loss_fn(model.logits(x[idx]), y[idx]).backward()
            opt.step()
    return model.eval()


def evaluate(model, df, pixels):
    with torch.no_grad():
        proba = model(to_image(df, pixels)).numpy().astype(np.float64)
    y = df["target"].to_numpy()
    pred = proba.argmax(axis=1)
    return {
        "accuracy": metrics.accuracy_score(y, pred),
        "f1_macro": metrics.f1_score(y, pred, average="macro"),
        "log_loss": metrics.log_loss(y, proba, labels=list(range(len(CLASS_LABELS)))),
    }


def manifest(trained_at, window, pixels, freqs, gates, rows):
    """Hand-written YAML so key order and comments follow the example manifest."""
    g = gates
    pixel_list = common.flow_list(pixels, 16, width=120)
    freq_list = ", ".join(f"{k}: {common.num(v)}" for k, v in freqs.items())
    return f"""\
# Generated by samples/cifar-like/train.py - rerun it instead of editing.
apiVersion: modelgate/v1
kind: Model
metadata:
  name: cifar-like
  version: {VERSION}
  description: Compute-heavy CNN (about 340 M multiply-adds per image) classifying synthetic 32x32 colour shapes.
  owner: data-science@example.com
  tags: [image, cnn, benchmark]
  type: lean
model:
  framework: onnx
  frameworkVersion: "{common.ONNX_FAMILY}"    # ONNX release that introduced opset {common.OPSET}, used for the export
  artifact: model.onnx
  task: classification
  classLabels: [{", ".join(CLASS_LABELS)}]
  sourceFramework: pytorch
  trainedAt: {trained_at}
signature:
  inputs:
    - name: image
      dtype: float32
      shape: [batch, 3, 32, 32]
      # channel-major: every red pixel row by row, then green, then blue
      features: {pixel_list}
  outputs:
    - name: probabilities      # softmax is already applied inside the model
      dtype: float32
      shape: [batch, {len(CLASS_LABELS)}]
preprocessing:
  # CSV rows hold 3072 raw intensities 0-255; the model wants [3, 32, 32] in [0, 1].
  - op: minmax
    input: image
    min: 0
    max: 255
  - op: reshape
    input: image
    shape: [3, 32, 32]
postprocessing:
  - op: argmax
    output: probabilities
data:
  labelColumn: target
  training:
    - path: data/train.csv
      window: {{start: {window[0]}, end: {window[1]}}}
      rows: {rows}
  labelFrequencies: {{{freq_list}}}
  validation:
    - path: data/validation.csv
  reference: data/reference.csv
  current: data/current.csv
gates:
  # A little below the measured validation metrics (80 images): pass with margin.
  metrics:
    - metric: accuracy
      min: {common.num(g["accuracy"])}
    - metric: f1
      average: macro
      min: {common.num(g["f1_macro"])}
    - metric: log_loss
      max: {common.num(g["log_loss"])}
  skewTolerance: 0.0001
serving:
  # A row costs milliseconds: `auto` gives it one worker thread per core, and
  # small batches keep a lone request's wait short.
  workers: auto
  batching:
    enabled: true
    maxBatchSize: 8
  threads: 1
  hardware: cpu
slo:
  # Sized for a 2-core laptop: this model is slow on purpose.
  p99Ms: 250
  rps: 100
  errorRate: 0.001
  concurrency: [1, 4, 16]
  duration: 3s
staleness:
  maxModelAge: 365d
  maxDataAge: 365d
  drift:
    method: ks
    threshold: 0.01            # KS p-value below which a feature counts as drifted
    maxDriftedShare: 0.2
    inputs:
      image: {{perFeature: false}}   # single pixels mean little: test each image's mean, spread and distance to the average image
    prediction:
      threshold: 0.2             # 80 held-out images: class shares move by 1/80 per image
cost:
  perHour: 0.10
"""


def main():
    common.seed_everything()
    rng = np.random.default_rng(common.SEED)
    df, pixels = make_frame(rng)
    parts = common.split(df, "target", stratify=True, reference_rows=80)
    for name, part in parts.items():
        common.write_csv(part, os.path.join(HERE, "data", f"{name}.csv"))
    train_df = parts["train"]

    x = to_image(train_df, pixels)
    y = torch.tensor(train_df["target"].to_numpy(), dtype=torch.long)
    model = train(x, y)

    m = evaluate(model, parts["validation"], pixels)
    print("validation:", {k: round(v, 4) for k, v in m.items()})
    assert m["accuracy"] >= 0.7, m

    common.export_onnx(model, x[:1], os.path.join(HERE, "model.onnx"), "image", "probabilities")

    freqs = common.label_frequencies(train_df["target"], CLASS_LABELS)
    gates = {
        "accuracy": common.floor_to(m["accuracy"] - 0.06, 0.01),
        "f1_macro": common.floor_to(m["f1_macro"] - 0.06, 0.01),
        "log_loss": common.ceil_to(m["log_loss"] + 0.15, 0.01),
    }
    trained_at, start, end = common.training_times()
    with open(os.path.join(HERE, "model.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(manifest(trained_at, (start, end), pixels, freqs, gates, len(train_df)))
    print("trainedAt:", trained_at, "window:", (start, end))


if __name__ == "__main__":
    main()
