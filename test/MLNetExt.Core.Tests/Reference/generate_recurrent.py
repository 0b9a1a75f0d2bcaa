#!/usr/bin/python3
"""Reference tensors for the recurrent layers (test/MLNetExt.Core.Tests/Recurrent): torch.nn.LSTM/GRU/RNN and the
cells, computed in float64 from float32 inputs and weights that are stored alongside. Variable lengths go through
pack_padded_sequence(enforce_sorted=False) / pad_packed_sequence. The scalar loss is
L = Σ out⊙d_out + Σ h_n⊙d_h + Σ c_n⊙d_c, so every output's gradient path is checked.
Run with /usr/bin/python3 (Debian's python3-torch, 1.13)."""
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
import refio


def rand(*shape):
    return torch.rand(*shape, dtype=torch.float32) * 2 - 1


def sequence_case(name, kind, I, H, layers, bidirectional, B, T, lengths=None, with_state=False, batch_first=True,
                  bias=True, nonlinearity="tanh", seed=0):
    torch.manual_seed(seed)
    extra = {"nonlinearity": nonlinearity} if kind == "RNN" else {}
    module = getattr(torch.nn, kind)(I, H, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first,
                                      bias=bias, **extra)
    D = 2 if bidirectional else 1
    x32 = rand(B, T, I) if batch_first else rand(T, B, I)
    h032 = rand(layers * D, B, H) if with_state else None
    c032 = rand(layers * D, B, H) if with_state and kind == "LSTM" else None
    params32 = {n: p.detach().clone() for n, p in module.named_parameters()}
    module = module.double()
    x = x32.double().requires_grad_()
    h0 = h032.double().requires_grad_() if h032 is not None else None
    c0 = c032.double().requires_grad_() if c032 is not None else None
    state = None
    if kind == "LSTM" and with_state:
        state = (h0, c0)
    elif with_state:
        state = h0
    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out, final = module(packed, state)
        out, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=T)
    else:
        out, final = module(x, state)
    h_n, c_n = final if kind == "LSTM" else (final, None)
    d_out = rand(*out.shape).double()
    d_h = rand(*h_n.shape).double()
    loss = (out * d_out).sum() + (h_n * d_h).sum()
    tensors = {"x": x32, "d_out": d_out, "d_h": d_h, "out": out, "h_n": h_n}
    if c_n is not None:
        d_c = rand(*c_n.shape).double()
        loss = loss + (c_n * d_c).sum()
        tensors.update({"d_c": d_c, "c_n": c_n})
    loss.backward()
    tensors["grad_x"] = x.grad
    if h0 is not None:
        tensors.update({"h0": h032, "grad_h0": h0.grad})
    if c0 is not None:
        tensors.update({"c0": c032, "grad_c0": c0.grad})
    if lengths is not None:
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.float32)
    for n, p in module.named_parameters():
        tensors[n] = params32[n]
        tensors["grad_" + n] = p.grad
    refio.save(f"recurrent/{name}.json", tensors,
               meta={"input_size": I, "hidden_size": H, "num_layers": layers, "bidirectional": int(bidirectional),
                     "batch_first": int(batch_first), "bias": int(bias)})


def cell_case(name, kind, I, H, B, with_state=True, nonlinearity="tanh", seed=0):
    torch.manual_seed(seed)
    extra = {"nonlinearity": nonlinearity} if kind == "RNNCell" else {}
    module = getattr(torch.nn, kind)(I, H, **extra)
    x32 = rand(B, I)
    h32 = rand(B, H) if with_state else None
    c32 = rand(B, H) if with_state and kind == "LSTMCell" else None
    params32 = {n: p.detach().clone() for n, p in module.named_parameters()}
    module = module.double()
    x = x32.double().requires_grad_()
    h = h32.double().requires_grad_() if h32 is not None else None
    c = c32.double().requires_grad_() if c32 is not None else None
    tensors = {"x": x32}
    if kind == "LSTMCell":
        h1, c1 = module(x, (h, c) if with_state else None)
        d_h, d_c = rand(B, H).double(), rand(B, H).double()
        loss = (h1 * d_h).sum() + (c1 * d_c).sum()
        tensors.update({"h1": h1, "c1": c1, "d_h": d_h, "d_c": d_c})
    else:
        h1 = module(x, h)
        d_h = rand(B, H).double()
        loss = (h1 * d_h).sum()
        tensors.update({"h1": h1, "d_h": d_h})
    loss.backward()
    tensors["grad_x"] = x.grad
    if h is not None:
        tensors.update({"h0": h32, "grad_h0": h.grad})
    if c is not None:
        tensors.update({"c0": c32, "grad_c0": c.grad})
    for n, p in module.named_parameters():
        tensors[n] = params32[n]
        tensors["grad_" + n] = p.grad
    refio.save(f"recurrent/{name}.json", tensors, meta={"input_size": I, "hidden_size": H})


if __name__ == "__main__":
    sequence_case("lstm_1layer", "LSTM", 4, 3, 1, False, 3, 5, seed=1)
    sequence_case("lstm_1layer_state_lengths", "LSTM", 4, 3, 1, False, 3, 5, lengths=[5, 2, 4], with_state=True, seed=2)
    sequence_case("lstm_2layer_bi_lengths", "LSTM", 4, 3, 2, True, 3, 5, lengths=[3, 5, 1], with_state=True, seed=3)
    sequence_case("lstm_2layer_bi_time_major", "LSTM", 4, 3, 2, True, 2, 4, lengths=[4, 2], with_state=True, batch_first=False, seed=4)
    sequence_case("lstm_nobias", "LSTM", 4, 3, 1, True, 2, 4, bias=False, seed=5)
    sequence_case("gru_1layer_state", "GRU", 4, 3, 1, False, 3, 5, with_state=True, seed=6)
    sequence_case("gru_2layer_bi_lengths", "GRU", 4, 3, 2, True, 3, 5, lengths=[2, 5, 4], with_state=True, seed=7)
    sequence_case("gru_1layer_time_major_lengths", "GRU", 4, 3, 1, False, 3, 4, lengths=[1, 4, 3], batch_first=False, seed=8)
    sequence_case("rnn_tanh_2layer_bi_lengths", "RNN", 4, 3, 2, True, 3, 5, lengths=[5, 3, 4], with_state=True, seed=9)
    sequence_case("rnn_relu_1layer_state", "RNN", 4, 3, 1, False, 3, 5, with_state=True, nonlinearity="relu", seed=10)
    cell_case("lstm_cell", "LSTMCell", 4, 3, 3, seed=11)
    cell_case("gru_cell", "GRUCell", 4, 3, 3, seed=12)
    cell_case("rnn_cell_tanh", "RNNCell", 4, 3, 3, seed=13)
    cell_case("rnn_cell_relu", "RNNCell", 4, 3, 3, nonlinearity="relu", seed=14)
    cell_case("lstm_cell_zero_state", "LSTMCell", 4, 3, 2, with_state=False, seed=15)
