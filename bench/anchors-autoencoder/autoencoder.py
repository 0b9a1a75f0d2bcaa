#!/usr/bin/python3
"""PyTorch CPU training and scoring throughput of a dense autoencoder, the reference for MLNetExt's
`MLNetExt.Bench autoencoder` (same model, shapes and protocol).
Model: F -> 128 -> 64 -> K -> 64 -> 128 -> F, ReLU after every Linear but the last (the code included), MSE loss,
Adam (lr 1e-3), N rows of standard-normal data (fixed seed), batches of B rows.
Training epoch: a fresh permutation of the rows, then per batch gather its rows, zero_grad, forward, MSE, backward,
Adam step. W warm-up epochs (default 5, as MLNetExt's bench, whose JIT needs them), then the fastest of 3 more.
Scoring: eval mode under no_grad, forward over all rows in batches of B, each row's mean squared error;
W warm-up passes, then the best of 3. The first epoch and pass are printed beside.
usage: autoencoder.py [torch_threads] [blas_threads] [N F B K [W]]   (default 1 1 16384 64 256 16 5)
prints: autoencoder train threads=<t>/<b> rows=.. F=.. hidden=128,64 code=.. batch=.. rows_per_s=<x> ms_per_epoch=<y> first_epoch_ms=<z>
        autoencoder score threads=<t>/<b> rows=.. F=.. hidden=128,64 code=.. batch=.. rows_per_s=<x> ms_per_pass=<y> first_pass_ms=<z>"""
import os, sys, time
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[2] if len(sys.argv) > 2 else str(threads)
import torch
torch.set_num_threads(threads)
N, F, B, K = (int(x) for x in sys.argv[3:7]) if len(sys.argv) >= 7 else (16384, 64, 256, 16)
W = max(1, int(sys.argv[7])) if len(sys.argv) >= 8 else 5
hidden = (128, 64)
torch.manual_seed(0)
widths = [F, *hidden, K, *reversed(hidden), F]
layers = []
for i in range(len(widths) - 1):
    layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
    if i < len(widths) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), 1e-3)
x = torch.randn(N, F)

def epoch():
    model.train()
    perm = torch.randperm(N)
    for start in range(0, N, B):
        xb = x[perm[start:start + B]]
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(xb), xb).backward()
        opt.step()

def score():
    model.eval()
    scores = torch.empty(N)
    with torch.no_grad():
        for start in range(0, N, B):
            xb = x[start:start + B]
            scores[start:start + B] = ((model(xb) - xb) ** 2).mean(1)
    return scores

def best(fn, rounds=3):
    t = time.perf_counter(); fn(); first = time.perf_counter() - t
    for _ in range(W - 1): fn()
    b = float("inf")
    for _ in range(rounds):
        t = time.perf_counter(); fn(); b = min(b, time.perf_counter() - t)
    return b, first

shape = f"threads={threads}/{os.environ['OPENBLAS_NUM_THREADS']} rows={N} F={F} hidden={','.join(map(str, hidden))} code={K} batch={B}"
t, first = best(epoch)
print(f"autoencoder train {shape} rows_per_s={N / t:.0f} ms_per_epoch={t * 1000:.1f} first_epoch_ms={first * 1000:.1f}")
t, first = best(score)
print(f"autoencoder score {shape} rows_per_s={N / t:.0f} ms_per_pass={t * 1000:.2f} first_pass_ms={first * 1000:.2f}")
