"""Training speed of a GRU reading Fashion-MNIST row by row (28 steps of 28 pixels, 64 units, a
dense head of 10; Adam, batch 64, float64), gradlab beside PyTorch's nn.GRU in the same run.

gradlab: `gradlab run` of that model for 1 and for 1 + E epochs (train.evaluate_every past the
end, so each run evaluates once); the difference of the two processes' CPU time is E training
epochs. PyTorch: the same epoch in process (torch.set_num_threads(1), float64). CPU time (user +
sys), not wall time: the machine is shared, and CPU time moves less with its load. Rounds
alternate between the two, and the medians are printed with gradlab's speed-up (> 1: faster).

Run from the repository:  /usr/bin/python3 bench/gru_rows_speed.py [--gradlab build/gradlab]
    [--samples 5000] [--epochs 2] [--rounds 3]
"""
import argparse, gzip, os, resource, statistics, subprocess, sys, tempfile, time

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"
EXPERIMENT = """\
name: gru_rows_speed
seed: 1
data:
  train: {{type: fashion_mnist, split: train, limit: {samples}}}
model:
  input: [1, 28, 28]
  layers:
    - {{type: reshape, shape: [28, 28]}}
    - {{type: gru, units: 64}}
    - {{type: dense, units: 10}}
loss: cross_entropy
optimizer: {{type: adam, lr: 0.002}}
train: {{epochs: {epochs}, batch_size: 64, evaluate_every: 1000}}
"""


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def gradlab_cpu(gradlab, d, samples, epochs):
    path = os.path.join(d, f"e{epochs}.yaml")
    with open(path, "w") as f:
        f.write(EXPERIMENT.format(samples=samples, epochs=epochs))
    before = children_cpu()
    subprocess.run([gradlab, "run", path, "--out", os.path.join(d, f"out{epochs}"), "--overwrite", "--no-plots"],
                   check=True, stdout=subprocess.DEVNULL)
    return children_cpu() - before


def torch_epoch(x, y):
    torch.manual_seed(1)
    gru, head = nn.GRU(28, 64, batch_first=True).double(), nn.Linear(64, 10).double()
    opt = torch.optim.Adam(list(gru.parameters()) + list(head.parameters()), lr=0.002)
    start = time.process_time()
    for i in range(0, len(x), 64):
        opt.zero_grad()
        out, _ = gru(x[i:i + 64])
        loss = nn.functional.cross_entropy(head(out[:, -1]), y[i:i + 64])
        loss.backward()
        opt.step()
    return time.process_time() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gradlab", default="build/gradlab")
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--epochs", type=int, default=2, help="training epochs timed (beyond the first)")
    p.add_argument("--rounds", type=int, default=3)
    o = p.parse_args()
    torch.set_num_threads(1)
    with gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:o.samples]
    with gzip.open(os.path.join(DATA, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:o.samples]
    x, y = torch.from_numpy(images / 255.0), torch.from_numpy(labels.astype(np.int64))
    gradlab = os.path.abspath(o.gradlab)
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(o.rounds):
            base = gradlab_cpu(gradlab, d, o.samples, 1)
            longer = gradlab_cpu(gradlab, d, o.samples, 1 + o.epochs)
            ours.append((longer - base) / o.epochs)
            theirs.append(torch_epoch(x, y))
    g, t = statistics.median(ours), statistics.median(theirs)
    print(f"one training epoch of {o.samples} sequences [28, 28], GRU 64, batch 64, float64, CPU seconds "
          f"(median of {o.rounds}; load average {os.getloadavg()[0]:.1f}):")
    print(f"  gradlab  {g:7.3f} s  {o.samples / g:8.0f} samples/s   (rounds: {', '.join(f'{v:.3f}' for v in ours)})")
    print(f"  pytorch  {t:7.3f} s  {o.samples / t:8.0f} samples/s   (rounds: {', '.join(f'{v:.3f}' for v in theirs)})")
    print(f"  gradlab's speed-up over PyTorch: {t / g:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
