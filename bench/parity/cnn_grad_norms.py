"""CNN parity with PyTorch in float64 (or float32, --dtype float32): the first step's gradient
norms of a small CNN that uses every image layer (reshape, conv2d with padding 1 / same with an even kernel / stride 2,
batchnorm2d, maxpool2d, avgpool2d, global_avgpool2d), from gradlab's grad_norms.csv and from
PyTorch on the same weights (checkpoints/initial.safetensors) and the same batch; then
batchnorm2d's running statistics after that step (checkpoints/last.safetensors).

Run from the repository:  /usr/bin/python3 bench/parity/cnn_grad_norms.py [--gradlab build/gradlab]
    [--dtype float64|float32]
Needs numpy and torch (apt-get install -y python3-numpy python3-torch); not part of the tests
(CI has no torch). Exit 0 when every norm agrees to --rtol (default 1e-6; 1e-5 in float32), 1
otherwise. In float32 both sides start from gradlab's float32 initial weights and the batch
rounded to float32 once.
"""
import argparse, sys, warnings

import numpy as np
import torch
import torch.nn as nn

from parity_support import compare_norms, gradlab_step

EXPERIMENT = """\
name: cnn_parity
seed: 5
data:
  train: {type: csv, path: images.csv, label: y}
model:
  input: 144
  layers:
    - {type: reshape, shape: [1, 12, 12]}
    - {type: conv2d, filters: 6, kernel_size: 3, padding: 1, use_bias: false}
    - {type: batchnorm2d}
    - {type: relu}
    - {type: maxpool2d, pool_size: 2}
    - {type: conv2d, filters: 8, kernel_size: 2, padding: same, bias_init: {type: normal, std: 0.1}}
    - {type: relu}
    - {type: avgpool2d, pool_size: 2}
    - {type: conv2d, filters: 5, kernel_size: 3, stride: 2, padding: 1, bias_init: {type: normal, std: 0.1}}
    - {type: global_avgpool2d}
    - {type: dense, units: 3}
loss: cross_entropy
optimizer: {type: sgd, lr: 0.1}
train: {epochs: 1, batch_size: 32, shuffle: false}
hooks: [{type: grad_norms, every: step}]
"""

# gradlab's layer names, in model order, and their PyTorch twins.
def torch_model(dtype):
    return nn.ModuleDict({
        "conv2d1": nn.Conv2d(1, 6, 3, padding=1, bias=False),  # batchnorm2d cancels a bias
        "batchnorm2d1": nn.BatchNorm2d(6),
        "conv2d2": nn.Conv2d(6, 8, 2, padding="same"),
        "conv2d3": nn.Conv2d(8, 5, 3, stride=2, padding=1),
        "dense1": nn.Linear(5, 3),
    }).to(dtype)


def forward(m, x):
    h = x.reshape(-1, 1, 12, 12)
    h = torch.relu(m["batchnorm2d1"](m["conv2d1"](h)))
    h = nn.functional.max_pool2d(h, 2)
    h = torch.relu(m["conv2d2"](h))
    h = nn.functional.avg_pool2d(h, 2)
    h = m["conv2d3"](h).mean(dim=(2, 3))
    return m["dense1"](h)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gradlab", default="build/gradlab")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--rtol", type=float, default=None)
    o = p.parse_args()
    f32 = o.dtype == "float32"
    rtol = o.rtol if o.rtol is not None else (1e-5 if f32 else 1e-6)
    dt = torch.float32 if f32 else torch.float64
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(32, 144))
    y = rng.integers(0, 3, size=32)
    y[:3] = [0, 1, 2]  # every class present
    experiment = EXPERIMENT.replace("seed: 5\n", f"seed: 5\ndtype: {o.dtype}\n") if f32 else EXPERIMENT
    weights, after, ours = gradlab_step(o.gradlab, experiment, "images.csv", x, y, "p")  # after: one step on
    m = torch_model(dt)
    with torch.no_grad():
        for name, value in weights.items():
            layer, param = name.split(".", 1)
            getattr(m[layer], param).copy_(torch.from_numpy(value.copy()))
    m.train()
    loss = nn.functional.cross_entropy(forward(m, torch.from_numpy(x).to(dt)), torch.from_numpy(y))
    loss.backward()

    theirs = {}
    for layer, module in m.items():
        for pname, param in module.named_parameters():
            theirs[(layer, pname)] = param.grad.norm().item()
    worst = compare_norms(ours, theirs)
    if worst is None:
        return 1
    # The running statistics after that one training batch (momentum 0.1, unbiased variance).
    bn = m["batchnorm2d1"]
    for buf in ("running_mean", "running_var"):
        g, t = after["batchnorm2d1." + buf].astype(np.float64), getattr(bn, buf).double().numpy()
        rel = float(np.max(np.abs(g - t)) / np.max(np.abs(t)))
        worst = max(worst, rel)
        print(f"{'batchnorm2d1':14} {buf:12} max |diff| / max |value| {rel:9.1e}")
    print(f"{o.dtype}: loss {loss.item():.15e} (pytorch); worst relative difference {worst:.2e} "
          f"(tolerance {rtol:g})")
    return 0 if worst <= rtol else 1


if __name__ == "__main__":
    sys.exit(main())
