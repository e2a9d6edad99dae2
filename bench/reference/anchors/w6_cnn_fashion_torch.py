"""W6 'cnn-fashion', PyTorch eager float32: conv3x3(1->16, pad 1) relu maxpool2 conv3x3(16->32,
pad 1) relu maxpool2 dense(1568->10), CrossEntropyLoss, Adam lr 1e-3, batch 64, one epoch of
Fashion-MNIST's training images (in file order). seconds_in_process = the step loop only.
Run: /usr/bin/python3 w6_cnn_fashion_torch.py [--threads 1] [--limit 0]
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

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
x, y = fashion_mnist_train(a.limit)
train_epoch(model, x, y, batch=64, lr=1e-3, threads=a.threads, workload="cnn-fashion")
