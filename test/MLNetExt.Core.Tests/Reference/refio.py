"""Writes reference tensors for the C# parity tests (read by Infrastructure/ReferenceData.cs).

Format: one JSON object per file, {"name": {"shape": [...], "data": [...]}, ..., "meta": {...}}, floats
printed with 9 significant digits so float32 values round-trip exactly."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def _tensor(t):
    import torch
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def save(relative_path, tensors, meta=None):
    """tensors: name -> torch tensor (or array-like); meta: name -> scalar setting."""
    path = os.path.join(HERE, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {name: _tensor(t) for name, t in tensors.items()}
    if meta:
        doc["meta"] = meta
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    os.replace(path + ".tmp", path)
