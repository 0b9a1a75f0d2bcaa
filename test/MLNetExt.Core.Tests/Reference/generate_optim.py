"""Reference data for the optimizer, clipping, schedule and safetensors tests (torch 1.13).

Run with /usr/bin/python3 (the interpreter that has torch). Writes Reference/optim/*.json through refio and the
hand-written Reference/optim/python_written.safetensors (struct + json, per the safetensors spec)."""
import bisect
import json
import os
import struct

import numpy as np
import torch

import refio

STEPS = 5
GRAD_SCALES = [1.0, 3.0, 0.2, 2.0, 0.1]


def optimizer_case(name, make, **meta):
    torch.manual_seed(sum(map(ord, name)))
    param0 = torch.randn(3, 4)
    grads = torch.stack([torch.randn(3, 4) * s for s in GRAD_SCALES])
    p = param0.clone().requires_grad_(True)
    opt = make([p])
    expected = []
    for step in range(STEPS):
        p.grad = grads[step].clone()
        opt.step()
        expected.append(p.detach().clone())
    refio.save(f"optim/{name}.json", {"param0": param0, "grads": grads, "expected": torch.stack(expected)}, meta=meta)


def optimizers():
    O = torch.optim
    optimizer_case("sgd_plain", lambda ps: O.SGD(ps, lr=0.1, foreach=False), lr=0.1)
    optimizer_case("sgd_momentum", lambda ps: O.SGD(ps, lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01, foreach=False),
                   lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01)
    optimizer_case("sgd_nesterov", lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1, foreach=False),
                   lr=0.05, momentum=0.9, weight_decay=0.1, nesterov=1)
    optimizer_case("adagrad_default", lambda ps: O.Adagrad(ps, lr=0.1, foreach=False), lr=0.1)
    optimizer_case("adagrad_options", lambda ps: O.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6, foreach=False),
                   lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-6)
    optimizer_case("rmsprop_default", lambda ps: O.RMSprop(ps, lr=0.01, foreach=False), lr=0.01)
    optimizer_case("rmsprop_momentum", lambda ps: O.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.05, foreach=False),
                   lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.05)
    optimizer_case("rmsprop_centered", lambda ps: O.RMSprop(ps, lr=0.01, centered=True, eps=1e-6, foreach=False),
                   lr=0.01, centered=1, eps=1e-6)
    optimizer_case("rmsprop_centered_momentum", lambda ps: O.RMSprop(ps, lr=0.02, alpha=0.8, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=True, foreach=False),
                   lr=0.02, alpha=0.8, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=1)
    optimizer_case("adam_default", lambda ps: O.Adam(ps, lr=0.01, foreach=False), lr=0.01)
    optimizer_case("adam_options", lambda ps: O.Adam(ps, lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, foreach=False),
                   lr=0.01, beta1=0.8, beta2=0.95, eps=1e-6, weight_decay=0.1)
    optimizer_case("adam_amsgrad", lambda ps: O.Adam(ps, lr=0.01, betas=(0.8, 0.95), weight_decay=0.1, amsgrad=True, foreach=False),
                   lr=0.01, beta1=0.8, beta2=0.95, weight_decay=0.1, amsgrad=1)
    optimizer_case("adamw_default", lambda ps: O.AdamW(ps, lr=0.01, foreach=False), lr=0.01)
    optimizer_case("adamw_amsgrad", lambda ps: O.AdamW(ps, lr=0.02, betas=(0.85, 0.99), eps=1e-7, weight_decay=0.1, amsgrad=True, foreach=False),
                   lr=0.02, beta1=0.85, beta2=0.99, eps=1e-7, weight_decay=0.1, amsgrad=1)


def clipping():
    torch.manual_seed(5)
    grads = [torch.randn(3, 4) * 2, torch.randn(5), torch.randn(2, 2) * 0.5]
    for case, max_norm, norm_type in [("norm2", 1.0, 2.0), ("norm1", 2.0, 1.0), ("norm3", 1.5, 3.0),
                                      ("norminf", 0.5, float("inf")), ("norm2_noclip", 100.0, 2.0)]:
        params = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        tensors = {f"g{i}": g for i, g in enumerate(grads)}
        tensors.update({f"e{i}": p.grad for i, p in enumerate(params)})
        tensors["total_norm"] = total.reshape(1)
        refio.save(f"optim/clip_{case}.json", tensors,
                   meta={"max_norm": max_norm, "norm_type": -1 if norm_type == float("inf") else norm_type})
    params = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.5)
    tensors = {f"g{i}": g for i, g in enumerate(grads)}
    tensors.update({f"e{i}": p.grad for i, p in enumerate(params)})
    refio.save("optim/clip_value.json", tensors, meta={"clip_value": 0.5})


def schedule_sequence(make_scheduler, steps=30, lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_scheduler(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return torch.tensor(lrs, dtype=torch.float64)


def schedules():
    S = torch.optim.lr_scheduler
    sequences = {
        "step": schedule_sequence(lambda o: S.StepLR(o, step_size=4, gamma=0.5)),
        "exponential": schedule_sequence(lambda o: S.ExponentialLR(o, gamma=0.9)),
        "cosine": schedule_sequence(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
        "linear": schedule_sequence(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=12)),
        "power": schedule_sequence(lambda o: S.LambdaLR(o, lambda t: 1 / (1 + t / 5) ** 1.5)),
        "piecewise": schedule_sequence(lambda o: S.LambdaLR(o, lambda t: [1.0, 0.5, 0.1][bisect.bisect_right([5, 12], t)])),
        "tenfold": schedule_sequence(lambda o: S.LambdaLR(o, lambda t: 0.1 ** (t / 8))),
    }
    refio.save("optim/schedules.json", sequences, meta={"initial_lr": 0.1})


def plateau(name, metrics, **options):
    # The C# side reads the metrics back as float32, so torch must see the same rounded values.
    metrics = torch.tensor(metrics, dtype=torch.float32)
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
    lrs = []
    for m in metrics.tolist():
        opt.step()
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    meta = {k: (1 if v == "max" or v == "abs" else 0) if isinstance(v, str) else v for k, v in options.items()}
    refio.save(f"optim/plateau_{name}.json", {"metrics": metrics, "lrs": torch.tensor(lrs, dtype=torch.float64)}, meta=meta)


def plateaus():
    torch.manual_seed(9)
    falling = (1.0 / torch.arange(1, 31, dtype=torch.float64)) + 0.05 * torch.rand(30, dtype=torch.float64)
    losses = [1.0, 0.9, 0.85, 0.849, 0.86, 0.85, 0.84, 0.7, 0.7, 0.71, 0.72, 0.69, 0.695, 0.7, 0.7,
              0.7, 0.6, 0.6, 0.61, 0.6, 0.6, 0.6, 0.59, 0.58, 0.58, 0.58, 0.58, 0.58, 0.58, 0.58]
    plateau("min_rel", losses, mode="min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel", cooldown=1, min_lr=0.002)
    accuracies = [0.5, 0.6, 0.62, 0.64, 0.66, 0.66, 0.67, 0.7, 0.7, 0.7, 0.72, 0.73, 0.74, 0.8, 0.8,
                  0.8, 0.81, 0.82, 0.85, 0.85, 0.85, 0.86, 0.86, 0.9, 0.9, 0.9, 0.9, 0.9, 0.91, 0.91]
    plateau("max_abs", accuracies, mode="max", factor=0.3, patience=1, threshold=0.05, threshold_mode="abs", cooldown=0, min_lr=0.0)
    plateau("max_rel", accuracies, mode="max", factor=0.5, patience=0, threshold=0.02, threshold_mode="rel", cooldown=2, min_lr=0.01)
    plateau("min_abs", falling.tolist(), mode="min", factor=0.2, patience=1, threshold=0.01, threshold_mode="abs", cooldown=0, min_lr=1e-4, eps=1e-3)
    plateau("default", losses, patience=3)


def safetensors_by_hand():
    """Writes a small safetensors file with struct + json exactly as the spec describes (no safetensors package)."""
    weight = torch.tensor([[0.5, -1.25, 3.0], [1e-3, -7.5, 2.0 ** -20]], dtype=torch.float32)
    bias = torch.tensor([0.25, -0.125], dtype=torch.float32)
    half = torch.tensor([1.5, -0.333, 65504.0], dtype=torch.float16)
    brain = torch.tensor([[1.0, -2.5], [3.140625, 1e-10]], dtype=torch.bfloat16)
    double = torch.tensor([0.1, -1e30], dtype=torch.float64)
    # Data order differs from header order to exercise offset sorting on the reader side.
    blobs = [("weight", "F32", weight, weight.numpy().astype("<f4").tobytes()),
             ("half", "F16", half, half.numpy().astype("<f2").tobytes()),
             ("bias", "F32", bias, bias.numpy().astype("<f4").tobytes()),
             ("brain", "BF16", brain, brain.view(torch.int16).numpy().astype("<i2").tobytes()),
             ("double", "F64", double, double.numpy().astype("<f8").tobytes())]
    header, offset = {}, 0
    for name, dtype, t, raw in blobs:
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    header = {"__metadata__": {"format": "pt", "note": "hand-written"}, **dict(sorted(header.items()))}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path = os.path.join(refio.HERE, "optim", "python_written.safetensors")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, _, raw in blobs:
            f.write(raw)
    refio.save("optim/python_written.json", {name: t.to(torch.float32) for name, _, t, _ in blobs})


if __name__ == "__main__":
    optimizers()
    clipping()
    schedules()
    plateaus()
    safetensors_by_hand()
