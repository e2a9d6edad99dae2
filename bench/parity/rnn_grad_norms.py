"""Recurrent parity with PyTorch in float64: the first step's gradient norms of a stack of every
recurrent layer (lstm -> gru -> rnn, return_sequences true, true, false, then a dense head),
from gradlab's grad_norms.csv and from PyTorch's nn.LSTM / nn.GRU / nn.RNN on the same weights
(checkpoints/initial.safetensors, loaded as weight_ih_l0 etc.) and the same batch; then the
weights after that SGD step (checkpoints/last.safetensors).

Run from the repository:  /usr/bin/python3 bench/parity/rnn_grad_norms.py [--gradlab build/gradlab]
Needs numpy and torch; not part of the tests (CI has no torch). Exit 0 when every norm agrees to
--rtol (default 1e-6), 1 otherwise.
"""
import argparse, sys

import numpy as np
import torch
import torch.nn as nn

from parity_support import compare_norms, gradlab_step

T, F = 7, 3
EXPERIMENT = f"""\
name: rnn_parity
seed: 5
data:
  train: {{type: csv, path: sequences.csv, label: y}}
model:
  input: {T * F}
  layers:
    - {{type: reshape, shape: [{T}, {F}]}}
    - {{type: lstm, units: 5, return_sequences: true}}
    - {{type: gru, units: 4, return_sequences: true}}
    - {{type: rnn, units: 6}}
    - {{type: dense, units: 3}}
loss: cross_entropy
optimizer: {{type: sgd, lr: 0.1}}
train: {{epochs: 1, batch_size: 16, shuffle: false}}
hooks: [{{type: grad_norms, every: step}}]
"""

# gradlab's layer names, in model order, and their PyTorch twins.
def torch_model():
    return nn.ModuleDict({
        "lstm1": nn.LSTM(F, 5, batch_first=True),
        "gru1": nn.GRU(5, 4, batch_first=True),
        "rnn1": nn.RNN(4, 6, batch_first=True),
        "dense1": nn.Linear(6, 3),
    }).double()


def forward(m, x):
    h = x.reshape(-1, T, F)
    h, _ = m["lstm1"](h)
    h, _ = m["gru1"](h)
    h, _ = m["rnn1"](h)
    return m["dense1"](h[:, -1])


def torch_name(layer, param):
    return param if layer.startswith("dense") else param + "_l0"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gradlab", default="build/gradlab")
    p.add_argument("--rtol", type=float, default=1e-6)
    o = p.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(11)
    x = rng.normal(size=(16, T * F))
    y = rng.integers(0, 3, size=16)
    y[:3] = [0, 1, 2]  # every class present
    weights, after, ours = gradlab_step(o.gradlab, EXPERIMENT, "sequences.csv", x, y, "v")  # after: one step on

    m = torch_model()
    with torch.no_grad():
        for name, value in weights.items():
            layer, param = name.split(".", 1)
            getattr(m[layer], torch_name(layer, param)).copy_(torch.from_numpy(value.copy()))
    loss = nn.functional.cross_entropy(forward(m, torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()

    theirs = {}
    for layer, module in m.items():
        for pname, param in module.named_parameters():
            theirs[(layer, pname.removesuffix("_l0"))] = param.grad.norm().item()
    worst = compare_norms(ours, theirs, widths=(8, 10))
    if worst is None:
        return 1
    # The weights after that one SGD step, w - 0.1 dL/dw, element by element.
    with torch.no_grad():
        for layer, module in m.items():
            for pname, param in module.named_parameters():
                g = after[f"{layer}.{pname.removesuffix('_l0')}"]
                t = (param - 0.1 * param.grad).numpy()
                rel = float(np.max(np.abs(g - t)) / np.max(np.abs(t)))
                worst = max(worst, rel)
    print(f"loss {loss.item():.15e} (pytorch); worst relative difference {worst:.2e} "
          f"(norms and updated weights; tolerance {o.rtol:g})")
    return 0 if worst <= o.rtol else 1


if __name__ == "__main__":
    sys.exit(main())
