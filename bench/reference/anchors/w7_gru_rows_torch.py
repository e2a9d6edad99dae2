"""W7 'gru-rows', PyTorch eager float32: nn.GRU(28, 64) reading Fashion-MNIST's 28 rows of 28
pixels, its last output into Linear(64, 10), CrossEntropyLoss, Adam lr 1e-3, batch 64, one epoch
of the training images (in file order). seconds_in_process = the step loop only.
Run: /usr/bin/python3 w7_gru_rows_torch.py [--threads 1] [--limit 0]
"""
import argparse
from _common import set_threads, fashion_mnist_train, train_epoch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--limit", type=int, default=0)
a = p.parse_args()
set_threads(a.threads)
import torch
from torch import nn


class GruRows(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(28, 64, batch_first=True)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        out, _ = self.gru(x.view(-1, 28, 28))
        return self.head(out[:, -1])


torch.manual_seed(0)
x, y = fashion_mnist_train(a.limit)
train_epoch(GruRows(), x, y, batch=64, lr=1e-3, threads=a.threads, workload="gru-rows")
