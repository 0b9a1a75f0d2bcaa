#!/usr/bin/python3
"""PyTorch CPU training and inference throughput of a transformer encoder text classifier, the attention anchor:
Embedding(V, d)·sqrt(d) + sinusoidal positions -> TransformerEncoder(N layers of d, H heads, feed-forward F, ReLU,
dropout 0.1, post-norm, batch_first) with a key padding mask -> mean over the valid tokens -> Linear(d, C).
One training step = forward, cross-entropy, backward, Adam update (lr 1e-3); 3 warm-up steps, then the best of 3
timings of 10 steps; inference is the forward pass alone in eval mode under no_grad (PyTorch's fast path).
Lengths are drawn once, uniformly in [T/2, T].
usage: transformer.py [torch_threads] [blas_threads] [B T V d H N F C]
prints: transformer train threads=<t>/<b> B=.. T=.. d=.. H=.. N=.. F=.. seq_per_s=<x> ms_per_step=<y> / transformer infer ... seq_per_s=<z>"""
import math, os, sys, time
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[2] if len(sys.argv) > 2 else "2"
import torch
torch.set_num_threads(threads)
B, T, V, d, H, N, F, C = (int(x) for x in sys.argv[3:11]) if len(sys.argv) >= 11 else (32, 128, 10000, 128, 4, 2, 512, 2)
torch.manual_seed(0)


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(V, d, padding_idx=0)
        position = torch.arange(T, dtype=torch.float64).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
        pe = torch.zeros(T, d, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe.float())
        layer = torch.nn.TransformerEncoderLayer(d, H, F, dropout=0.1, batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, N, enable_nested_tensor=False)
        self.head = torch.nn.Linear(d, C)

    def forward(self, ids, padding):
        x = self.embedding(ids) * math.sqrt(d) + self.pe[: ids.shape[1]]
        x = self.encoder(x, src_key_padding_mask=padding)
        valid = (~padding).unsqueeze(2).float()
        return self.head((x * valid).sum(1) / valid.sum(1))


model = Classifier()
opt = torch.optim.Adam(model.parameters(), 1e-3)
lengths = torch.randint(T // 2, T + 1, (B,))
padding = torch.arange(T)[None, :] >= lengths[:, None]
x = torch.randint(1, V, (B, T)).masked_fill(padding, 0)
y = torch.randint(0, C, (B,))


def step():
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x, padding), y).backward()
    opt.step()


def best_of(fn, n=10):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best


model.train()
for _ in range(3):
    step()
train = best_of(step)
tag = f"threads={threads}/{os.environ['OPENBLAS_NUM_THREADS']} B={B} T={T} d={d} H={H} N={N} F={F}"
print(f"transformer train {tag} seq_per_s={B / train:.0f} ms_per_step={train * 1000:.1f}")
model.eval()
with torch.no_grad():
    model(x, padding)
    infer = best_of(lambda: model(x, padding))
print(f"transformer infer {tag} seq_per_s={B / infer:.0f}")
