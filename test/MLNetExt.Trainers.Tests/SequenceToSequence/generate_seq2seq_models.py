#!/usr/bin/python3
"""Reference data for SequenceToSequenceParityTests: the encoder-decoder of src/Trainers/SequenceToSequence rebuilt
as a PyTorch module with the same parameter names (source_embedding, target_embedding, encoder, bridge, decoder,
attention.W/U/v, combine, output), one teacher-forced batch's cross-entropy loss (time-major over every target
token and <eos>, padding ignored, optional label smoothing) and its gradient for every parameter, and the attention
weights of the first decoder step. PyTorch 1.13; run with /usr/bin/python3:

    /usr/bin/python3 test/MLNetExt.Trainers.Tests/SequenceToSequence/generate_seq2seq_models.py

Writes Reference/<case>.json: {"name": {"shape": [...], "data": [...]}, ..., "meta": {...}} with floats to 9
significant digits. Weights are drawn in float32 and stored; the passes run in float64 from those values.
Stored per case: param.<name>, grad.<name>, loss, first_weights [B, T_s]; meta: the settings, sources and targets
(id lists, each ending in <eos> = 3; <bos> = 2, padding = 0).
"""
import json
import os

import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
PAD, BOS, EOS = 0, 2, 3


def tensor(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


class Attention(nn.Module):
    def __init__(self, kind, h, a):
        super().__init__()
        self.kind = kind
        if kind == "Additive":
            self.W = nn.Linear(h, a)
            self.U = nn.Linear(h, a, bias=False)
            self.v = nn.Linear(a, 1, bias=False)
        elif kind == "General":
            self.W = nn.Linear(h, h, bias=False)

    def forward(self, outputs, mask, query):
        if self.kind == "Additive":
            scores = self.v(torch.tanh(self.W(outputs) + self.U(query)[:, None, :])).squeeze(-1)
        elif self.kind == "Dot":
            scores = torch.bmm(outputs, query[:, :, None]).squeeze(-1)
        else:
            scores = torch.bmm(outputs, (query @ self.W.weight)[:, :, None]).squeeze(-1)
        weights = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
        return torch.bmm(weights[:, None, :], outputs).squeeze(1), weights


class Seq2Seq(nn.Module):
    def __init__(self, vs, vt, e, h, cell, bidirectional, attention, input_feeding, a):
        super().__init__()
        self.cell, self.attention_kind = cell, attention
        self.feeding = attention != "Additive" and input_feeding
        self.source_embedding = nn.Embedding(vs, e, padding_idx=PAD)
        self.target_embedding = nn.Embedding(vt, e, padding_idx=PAD)
        rnn = nn.LSTM if cell == "Lstm" else nn.GRU
        self.encoder = rnn(e, h // 2 if bidirectional else h, batch_first=True, bidirectional=bidirectional)
        self.bridge = nn.Linear(h, h)
        decoder_input = e + (h if attention == "Additive" or input_feeding else 0)
        self.decoder = nn.LSTMCell(decoder_input, h) if cell == "Lstm" else nn.GRUCell(decoder_input, h)
        self.attention = Attention(attention, h, a)
        self.combine = nn.Linear(2 * h, h)
        self.output = nn.Linear(h, vt)

    def loss(self, sources, targets, smoothing):
        batch, ts, tt = len(sources), max(map(len, sources)), max(map(len, targets))
        src = torch.tensor([s + [PAD] * (ts - len(s)) for s in sources])
        lengths = torch.tensor([len(s) for s in sources])
        mask = torch.arange(ts)[None, :] >= lengths[:, None]
        packed = nn.utils.rnn.pack_padded_sequence(self.source_embedding(src), lengths, batch_first=True, enforce_sorted=False)
        outputs, _ = self.encoder(packed)
        outputs, _ = nn.utils.rnn.pad_packed_sequence(outputs, batch_first=True, total_length=ts)
        s = torch.tanh(self.bridge(outputs.sum(1) / lengths[:, None].to(outputs.dtype)))
        c = torch.zeros_like(s)
        feed = torch.zeros_like(s)
        previous = torch.full((batch,), BOS)
        attentional, expected, first_weights = [], [], None
        for t in range(tt):
            e = self.target_embedding(previous)
            if self.attention_kind == "Additive":
                context, weights = self.attention(outputs, mask, s)
                x = torch.cat([e, context], -1)
            else:
                x = torch.cat([e, feed], -1) if self.feeding else e
            if self.cell == "Lstm":
                s, c = self.decoder(x, (s, c))
            else:
                s = self.decoder(x, s)
            if self.attention_kind != "Additive":
                context, weights = self.attention(outputs, mask, s)
            h_tilde = torch.tanh(self.combine(torch.cat([context, s], -1)))
            feed = h_tilde
            if first_weights is None:
                first_weights = weights
            attentional.append(h_tilde)
            expected += [tg[t] if t < len(tg) else PAD for tg in targets]
            previous = torch.tensor([PAD if t >= len(tg) else tg[t] for tg in targets])
        logits = self.output(torch.cat(attentional, 0))
        return F.cross_entropy(logits, torch.tensor(expected), ignore_index=PAD, label_smoothing=smoothing), first_weights


CASES = {
    "lstm_additive_bidirectional": dict(cell="Lstm", bidirectional=True, attention="Additive", input_feeding=True, smoothing=0.1),
    "gru_general_feeding": dict(cell="Gru", bidirectional=False, attention="General", input_feeding=True, smoothing=0.0),
    "lstm_dot_no_feeding": dict(cell="Lstm", bidirectional=True, attention="Dot", input_feeding=False, smoothing=0.2),
}


def main():
    os.makedirs(os.path.join(HERE, "Reference"), exist_ok=True)
    for index, (name, settings) in enumerate(CASES.items()):
        torch.manual_seed(100 + index)
        vs, vt, e, h, a = 11, 9, 5, 6, 4
        model = Seq2Seq(vs, vt, e, h, settings["cell"], settings["bidirectional"], settings["attention"], settings["input_feeding"], a)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(torch.empty_like(p).uniform_(-0.5, 0.5))
            model.source_embedding.weight[PAD] = 0
            model.target_embedding.weight[PAD] = 0
        generator = torch.Generator().manual_seed(7 + index)
        def ids(vocabulary, low, high):
            n = int(torch.randint(low, high + 1, (1,), generator=generator))
            return [int(v) for v in torch.randint(4, vocabulary, (n,), generator=generator)] + [EOS]
        sources = [ids(vs, 0, 6) for _ in range(4)]
        targets = [ids(vt, 0, 5) for _ in range(4)]
        model = model.double()
        loss, first_weights = model.loss(sources, targets, settings["smoothing"])
        loss.backward()
        data = {f"param.{n}": tensor(p) for n, p in model.named_parameters()}
        data.update({f"grad.{n}": tensor(p.grad) for n, p in model.named_parameters()})
        data["loss"] = tensor(loss.reshape(1))
        data["first_weights"] = tensor(first_weights)
        data["meta"] = dict(settings, source_vocabulary=vs, target_vocabulary=vt, embedding=e, hidden=h, attention_size=a,
                            sources=sources, targets=targets)
        with open(os.path.join(HERE, "Reference", f"{name}.json"), "w") as f:
            json.dump(data, f)
            f.write("\n")


if __name__ == "__main__":
    main()
