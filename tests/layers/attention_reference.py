"""The reference numbers of tests/layers/attention_test.cpp, from PyTorch's nn.MultiheadAttention
(float64) on weights and inputs given by formulas the test repeats. Printed as C++ initializers;
run once and pasted: /usr/bin/python3 tests/layers/attention_reference.py
"""
import torch
import torch.nn as nn

T, D, H = 3, 4, 2


def weights():
    w_in = torch.tensor([[((i * D + j) % 7 - 3) * 0.3 for j in range(D)] for i in range(3 * D)])
    b_in = torch.tensor([(i % 5 - 2) * 0.05 for i in range(3 * D)])
    w_out = torch.tensor([[((i + 2 * j) % 5 - 2) * 0.2 for j in range(D)] for i in range(D)])
    b_out = torch.tensor([0.1 * i - 0.1 for i in range(D)])
    return w_in, b_in, w_out, b_out


def inputs():
    return torch.tensor([[[((t * D + d) % 5 - 2) * 1.5 + 0.5 * t for d in range(D)] for t in range(T)]])


def row(values):
    return "{" + ", ".join(f"{v:.17g}" for v in values) + "}"


def main():
    torch.set_default_dtype(torch.float64)
    m = nn.MultiheadAttention(D, H, batch_first=True)
    w_in, b_in, w_out, b_out = weights()
    with torch.no_grad():
        m.in_proj_weight.copy_(w_in)
        m.in_proj_bias.copy_(b_in)
        m.out_proj.weight.copy_(w_out)
        m.out_proj.bias.copy_(b_out)
    x = inputs()
    for causal in (False, True):
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1) if causal else None
        y, a = m(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=False)
        print(f"// causal: {causal}")
        print("y", row(y.flatten().tolist()))
        print("attention", row(a.flatten().tolist()))


if __name__ == "__main__":
    main()
