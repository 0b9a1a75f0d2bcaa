#!/usr/bin/python3
"""Reference data for SequencePoolingParityTests: embedding -> LSTM/GRU over padded sequences (pack_padded_sequence)
-> pooling over each sequence's valid steps -> linear head, with the gradients of sum(logits * w). PyTorch 1.13.
Run with /usr/bin/python3 (which has torch); writes Reference/<case>.json, floats to 9 significant digits."""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def pool(out, lengths, pooling, hidden, bidirectional):
    rows = []
    for b, length in enumerate(lengths):
        valid = out[b, :length]
        if pooling == "Last":
            row = valid[length - 1, :hidden]
            if bidirectional:
                row = torch.cat([row, valid[0, hidden:]])
        elif pooling == "Mean":
            row = valid.mean(0)
        else:
            row = valid.max(0).values
        rows.append(row)
    return torch.stack(rows)


def case(name, cell, pooling, layers, bidirectional, seed):
    torch.manual_seed(seed)
    vocabulary, embedding_dim, hidden, classes, steps = 7, 3, 4, 3, 5
    lengths = [5, 2, 4]
    ids = torch.randint(1, vocabulary, (len(lengths), steps))
    for b, length in enumerate(lengths):
        ids[b, length:] = 0
    embedding = nn.Embedding(vocabulary, embedding_dim, padding_idx=0)
    rnn_type = nn.LSTM if cell == "Lstm" else nn.GRU
    rnn = rnn_type(embedding_dim, hidden, num_layers=layers, batch_first=True, bidirectional=bidirectional)
    head = nn.Linear(hidden * (2 if bidirectional else 1), classes)
    weights = torch.randn(len(lengths), classes)
    packed = pack_padded_sequence(embedding(ids), torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, _ = pad_packed_sequence(rnn(packed)[0], batch_first=True, total_length=steps)
    logits = head(pool(out, lengths, pooling, hidden, bidirectional))
    (logits * weights).sum().backward()
    doc = {"ids": tensor(ids), "lengths": tensor(torch.tensor(lengths)), "w": tensor(weights), "logits": tensor(logits)}
    for prefix, module in (("embedding", embedding), ("rnn", rnn), ("head", head)):
        for key, parameter in module.named_parameters():
            doc[f"{prefix}.{key}"] = tensor(parameter)
            doc[f"grad.{prefix}.{key}"] = tensor(parameter.grad)
    doc["meta"] = {"cell": cell, "pooling": pooling, "layers": layers, "bidirectional": bidirectional,
                   "vocabulary": vocabulary, "embedding_dim": embedding_dim, "hidden": hidden, "classes": classes}
    path = os.path.join(HERE, "Reference", name + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


case("lstm_bidirectional_last", "Lstm", "Last", 2, True, 1)
case("lstm_mean", "Lstm", "Mean", 1, False, 2)
case("gru_bidirectional_max", "Gru", "Max", 1, True, 3)
case("gru_last", "Gru", "Last", 2, False, 4)
