"""What the parity scripts share: run one gradlab step in a scratch folder, read its checkpoints
and first-step gradient norms, and compare norms with PyTorch's in one table."""
import csv, json, os, struct, subprocess, tempfile

import numpy as np


def read_safetensors(path):
    """A float64 or float32 safetensors file as {name: numpy array}."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] in ("F64", "F32"), (name, t["dtype"])
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype="<f8" if t["dtype"] == "F64" else "<f4").reshape(t["shape"])
    return out


def write_csv(path, x, y, prefix, fmt=lambda v: repr(float(v))):
    """Rows of x with their label y as a csv source reads them: columns <prefix>0.., then y."""
    with open(path, "w") as f:
        f.write(",".join(f"{prefix}{i}" for i in range(x.shape[1])) + ",y\n")
        for row, label in zip(x, y):
            f.write(",".join(fmt(v) for v in row) + f",{label}\n")


def gradlab_step(gradlab, experiment, data_file, x, y, prefix, fmt=lambda v: repr(float(v))):
    """Runs `experiment` (reading `data_file`, written from x and y) in a scratch folder. Returns the
    initial weights, the weights after the run, and the first step's norms {(layer, param): norm}."""
    with tempfile.TemporaryDirectory() as d:
        write_csv(os.path.join(d, data_file), x, y, prefix, fmt)
        with open(os.path.join(d, "exp.yaml"), "w") as f:
            f.write(experiment)
        subprocess.run([os.path.abspath(gradlab), "run", "exp.yaml", "--out", "out", "--no-plots"], cwd=d,
                       check=True, stdout=subprocess.DEVNULL)
        ckpt = os.path.join(d, "out", "checkpoints")
        before = read_safetensors(os.path.join(ckpt, "initial.safetensors"))
        after = read_safetensors(os.path.join(ckpt, "last.safetensors"))
        with open(os.path.join(d, "out", "grad_norms.csv")) as f:
            norms = {(r["layer"], r["parameter"]): float(r["norm"]) for r in csv.DictReader(f)
                     if r["epoch"] == "1" and r["step"] == "1" and r["layer"] != "_global"}
    return before, after, norms


def compare_norms(ours, theirs, widths=(14, 10)):
    """Prints gradlab's norms beside PyTorch's; returns the worst relative difference, or None when
    the two name different parameters."""
    if set(ours) != set(theirs):
        print("parameters differ: gradlab", sorted(ours), "pytorch", sorted(theirs))
        return None
    lw, pw = widths
    worst = 0.0
    print(f"{'layer':{lw}} {'parameter':{pw}} {'gradlab':>22} {'pytorch':>22} {'rel diff':>9}")
    for key, t in sorted(theirs.items()):
        g = ours[key]
        rel = abs(g - t) / abs(t)
        worst = max(worst, rel)
        print(f"{key[0]:{lw}} {key[1]:{pw}} {g:22.15e} {t:22.15e} {rel:9.1e}")
    return worst
