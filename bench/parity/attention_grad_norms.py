"""Attention parity with PyTorch in float64: the first step's gradient norms of a small sequence
model built around multi_head_attention (embedding -> positional_encoding (learned) ->
multi_head_attention -> sequence_pool -> dense), with causal masking off and on, from gradlab's
grad_norms.csv and from PyTorch's nn.MultiheadAttention (batch_first=True) on the same weights
(checkpoints/initial.safetensors) and the same batch of token ids.

Run from the repository:  /usr/bin/python3 bench/parity/attention_grad_norms.py [--gradlab build/gradlab]
Needs numpy and torch (apt-get install -y python3-numpy python3-torch); not part of the tests
(CI has no torch). Exit 0 when every norm agrees to --rtol (default 1e-6), 1 otherwise.
"""
import argparse, sys

import numpy as np
import torch
import torch.nn as nn

from parity_support import compare_norms, gradlab_step

T, VOCAB, D, HEADS, CLASSES, BATCH = 7, 11, 8, 2, 3, 16

EXPERIMENT = """\
name: attention_parity
seed: 3
data:
  train: {{type: csv, path: tokens.csv, label: y}}
model:
  input: {t}
  layers:
    - {{type: embedding, vocab_size: {vocab}, dim: {d}}}
    - {{type: positional_encoding, kind: learned, max_length: 9}}
    - {{type: multi_head_attention, heads: {heads}, causal: {causal}}}
    - {{type: sequence_pool, mode: {pool}}}
    - {{type: dense, units: {classes}, init: xavier_uniform}}
loss: cross_entropy
optimizer: {{type: sgd, lr: 0.1}}
train: {{epochs: 1, batch_size: {batch}, shuffle: false}}
hooks: [{{type: grad_norms, every: step}}]
"""


class Model(nn.Module):
    """gradlab's layer names, in model order, and their PyTorch twins."""

    def __init__(self, causal, pool):
        super().__init__()
        self.causal, self.pool = causal, pool
        self.layers = nn.ModuleDict({
            "embedding1": nn.Embedding(VOCAB, D),
            "positional_encoding1": nn.ParameterDict({"weight": nn.Parameter(torch.zeros(9, D))}),
            "multi_head_attention1": nn.MultiheadAttention(D, HEADS, batch_first=True),
            "dense1": nn.Linear(D, CLASSES),
        })

    def forward(self, ids):
        m = self.layers
        h = m["embedding1"](ids) + m["positional_encoding1"]["weight"][:T]
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1) if self.causal else None
        h, _ = m["multi_head_attention1"](h, h, h, attn_mask=mask, need_weights=False)
        h = h[:, -1] if self.pool == "last" else h.mean(dim=1)
        return m["dense1"](h)


def torch_name(layer, param):
    """PyTorch's parameter name for gradlab's <layer>.<param>."""
    if layer == "multi_head_attention1" and param.startswith("out_proj_"):
        return "out_proj." + param[len("out_proj_"):]
    return param


def torch_step(weights, ids, y, causal, pool):
    m = Model(causal, pool).double()
    params = dict(m.layers.named_parameters())
    with torch.no_grad():
        for name, value in weights.items():
            layer, param = name.split(".", 1)
            params[layer + "." + torch_name(layer, param)].copy_(torch.from_numpy(value.copy()))
    loss = nn.functional.cross_entropy(m(torch.from_numpy(ids)), torch.from_numpy(y))
    loss.backward()
    theirs = {}
    for name, param in params.items():
        layer, pname = name.split(".", 1)
        theirs[(layer, pname.replace("out_proj.", "out_proj_"))] = param.grad.norm().item()
    return theirs, loss.item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gradlab", default="build/gradlab")
    p.add_argument("--rtol", type=float, default=1e-6)
    o = p.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(11)
    ids = rng.integers(0, VOCAB, size=(BATCH, T))
    y = rng.integers(0, CLASSES, size=BATCH)
    y[:CLASSES] = np.arange(CLASSES)  # every class present
    worst = 0.0
    for causal, pool in ((False, "mean"), (True, "last")):
        experiment = EXPERIMENT.format(t=T, vocab=VOCAB, d=D, heads=HEADS, classes=CLASSES, batch=BATCH,
                                       causal="true" if causal else "false", pool=pool)
        weights, _, ours = gradlab_step(o.gradlab, experiment, "tokens.csv", ids, y, "t", fmt=lambda v: str(int(v)))
        theirs, loss = torch_step(weights, ids, y, causal, pool)
        print(f"causal: {str(causal).lower()}, sequence_pool {pool}; loss {loss:.15e} (pytorch)")
        run_worst = compare_norms(ours, theirs, widths=(22, 16))
        if run_worst is None:
            return 1
        worst = max(worst, run_worst)
    print(f"worst relative difference {worst:.2e} (tolerance {o.rtol:g})")
    return 0 if worst <= o.rtol else 1


if __name__ == "__main__":
    sys.exit(main())
