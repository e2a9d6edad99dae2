#!/usr/bin/python3
"""float32 against float64 on the course's experiments and a digits CSV experiment: every run's
end-of-training accuracy and loss in both dtypes, side by side, as a markdown table.

Each file runs twice through the CLI (`gradlab run`, or `gradlab sweep` for a file with a sweep:),
once as written (float64) and once with `--set dtype=float32`; the float32 run starts from the
float64 initial weights rounded once. The digits experiment is a dense net on scikit-learn's 8x8
handwritten digits (1,797 images, 10 classes) written to CSV files first (needs python3-sklearn).

Run from the repository:  /usr/bin/python3 bench/float32_accuracy.py [--gradlab build/gradlab]
    [--fashion] (adds the Fashion-MNIST files, minutes each) [--out FILE]
"""
import argparse, glob, json, os, subprocess, sys, tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION = {"cnn_fashion", "gru_fashion_rows", "attention_fashion_rows", "mlp_vs_cnn"}

DIGITS = """\
name: digits_dense
seed: 3
data:
  train: {type: csv, path: digits_train.csv, label: digit, normalize: standardize}
  val:   {type: csv, path: digits_val.csv, label: digit}
model:
  input: 64
  layers:
    - {type: dense, units: 64}
    - {type: relu}
    - {type: dense, units: 10}
loss: cross_entropy
optimizer: {type: adam, lr: 0.002}
train: {epochs: 40, batch_size: 32}
"""


def write_digits(d):
    """scikit-learn's digits as two CSV files (1,400 train, 397 val); the experiment's path."""
    from sklearn.datasets import load_digits
    x, y = load_digits(return_X_y=True)
    for name, rows in (("digits_train.csv", range(0, 1400)), ("digits_val.csv", range(1400, len(y)))):
        with open(os.path.join(d, name), "w") as f:
            f.write(",".join(f"p{i}" for i in range(64)) + ",digit\n")
            for r in rows:
                f.write(",".join(str(int(v)) for v in x[r]) + f",{y[r]}\n")
    path = os.path.join(d, "digits_dense.yaml")
    with open(path, "w") as f:
        f.write(DIGITS)
    return path


def finals(gradlab, path, out, dtype):
    """{run name: summary's end_of_training} of one file run in `dtype`."""
    sweep = "sweep:" in open(path).read()
    cmd = [gradlab, "sweep" if sweep else "run", path, "--out", out, "--no-plots"]
    if dtype == "float32":
        cmd += ["--set", "dtype=float32"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.path.dirname(path))
    runs = {}
    for s in sorted(glob.glob(os.path.join(out, "**", "summary.json"), recursive=True)):
        with open(s) as f:
            j = json.load(f)
        rel = os.path.relpath(os.path.dirname(s), out)
        runs[j["name"] if rel == "." else rel] = j.get("end_of_training") or j.get("final") or {}  # {}: diverged
    return runs


def cell(m, key):
    v = m.get(key)
    return "-" if v is None else f"{v:.4f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gradlab", default=os.path.join(REPO, "build", "gradlab"))
    p.add_argument("--fashion", action="store_true")
    p.add_argument("--out", default=None)
    o = p.parse_args()
    gradlab = os.path.abspath(o.gradlab)
    lines = ["| file | run | val_acc f64 | val_acc f32 | val_loss f64 | val_loss f32 | rel. loss diff |",
             "|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as d:
        files = sorted(glob.glob(os.path.join(REPO, "experiments", "course", "*.yaml")))
        files = [f for f in files if o.fashion or os.path.basename(f)[:-5] not in FASHION]
        try:
            files.append(write_digits(d))
        except ImportError:
            print("no scikit-learn (apt-get install -y python3-sklearn): digits skipped", file=sys.stderr)
        for path in files:
            name = os.path.basename(path)[:-5]
            r64 = finals(gradlab, path, os.path.join(d, name + "-f64"), "float64")
            r32 = finals(gradlab, path, os.path.join(d, name + "-f32"), "float32")
            for run in sorted(r64):
                a, b = r64[run], r32.get(run, {})
                la, lb = a.get("val_loss", a.get("train_loss")), b.get("val_loss", b.get("train_loss"))
                rel = f"{abs(la - lb) / abs(la):.1e}" if la is not None and lb is not None and la != 0 else "-"
                lines.append(f"| {name} | {run} | {cell(a, 'val_acc')} | {cell(b, 'val_acc')} | "
                             f"{cell(a, 'val_loss')} | {cell(b, 'val_loss')} | {rel} |")
                print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(table)
    if o.out:
        with open(o.out, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
