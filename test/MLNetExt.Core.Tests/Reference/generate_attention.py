#!/usr/bin/python3
"""Reference tensors for the attention layers (test/MLNetExt.Core.Tests/Attention): torch.nn.MultiheadAttention,
TransformerEncoderLayer and TransformerEncoder (batch_first=True, dropout 0, train mode so that no fast path runs),
and attention pooling (additive, dot and multiplicative scores) written from its formulas as a torch module with the
same parameter names as MLNetExt's AttentionPooling. Everything runs in float64 from float32 inputs and parameters,
which are stored alongside ("p.<state_dict name>"); the gradients are "grad.<name>". Every parameter is redrawn at
random (layer norms and biases included, and every layer of an encoder differently) so that each gradient is tested.
Padding: key_padding_mask is true at steps t >= length.
Run with /usr/bin/python3 (Debian's python3-torch, 1.13)."""
import math

import torch

import refio


def rand(*shape):
    return torch.rand(*shape, dtype=torch.float32) * 2 - 1


def padding_mask(lengths, steps):
    return torch.arange(steps)[None, :] >= torch.tensor(lengths)[:, None]


def randomize(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(rand(*p.shape))
    return {n: p.detach().clone() for n, p in module.named_parameters()}


def finish(name, module, params32, tensors, loss, inputs, meta):
    loss.backward()
    for key, x in inputs.items():
        tensors["grad." + key] = x.grad
    for n, p in module.named_parameters():
        tensors["p." + n] = params32[n]
        tensors["grad." + n] = p.grad
    refio.save(f"attention/{name}.json", tensors, meta=meta)


def mha_case(name, E, H, B, L, S, lengths=None, causal=False, float_mask=False, kind="self", average=True, seed=0):
    torch.manual_seed(seed)
    module = torch.nn.MultiheadAttention(E, H, batch_first=True)
    params32 = randomize(module)
    module = module.double().train()
    q32 = rand(B, L, E)
    k32 = q32 if kind == "self" else rand(B, S, E)
    v32 = k32 if kind in ("self", "memory") else rand(B, S, E)
    q = q32.double().requires_grad_()
    k = q if kind == "self" else k32.double().requires_grad_()
    v = k if kind in ("self", "memory") else v32.double().requires_grad_()
    attn_mask = None
    tensors = {"query": q32, "key": k32, "value": v32}
    if causal:
        attn_mask = torch.triu(torch.ones(L, S, dtype=torch.bool), diagonal=1)
    if float_mask:
        additive = rand(L, S)
        tensors["attn_mask"] = additive
        attn_mask = additive.double()
    kpm = None
    if lengths is not None:
        kpm = padding_mask(lengths, S)
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.float32)
    out, weights = module(q, k, v, key_padding_mask=kpm, need_weights=True, attn_mask=attn_mask,
                          average_attn_weights=average)
    d_out = rand(*out.shape).double()
    tensors.update({"d_out": d_out, "out": out, "weights": weights})
    inputs = {"query": q} if kind == "self" else ({"query": q, "key": k} if kind == "memory" else {"query": q, "key": k, "value": v})
    finish(name, module, params32, tensors, (out * d_out).sum(), inputs,
           {"embed_dim": E, "num_heads": H, "causal": int(causal), "average": int(average), "kind": kind})


def encoder_layer_case(name, d, H, F, B, T, lengths, activation, norm_first, causal=False, eps=1e-5, seed=0):
    torch.manual_seed(seed)
    module = torch.nn.TransformerEncoderLayer(d, H, dim_feedforward=F, dropout=0.0, activation=activation,
                                              layer_norm_eps=eps, batch_first=True, norm_first=norm_first)
    params32 = randomize(module)
    module = module.double().train()
    x32 = rand(B, T, d)
    x = x32.double().requires_grad_()
    mask = torch.triu(torch.full((T, T), float("-inf"), dtype=torch.float64), diagonal=1) if causal else None
    y = module(x, src_mask=mask, src_key_padding_mask=padding_mask(lengths, T))
    d_out = rand(*y.shape).double()
    tensors = {"x": x32, "lengths": torch.tensor(lengths, dtype=torch.float32), "d_out": d_out, "out": y}
    finish(name, module, params32, tensors, (y * d_out).sum(), {"x": x},
           {"d_model": d, "nhead": H, "dim_feedforward": F, "gelu": int(activation == "gelu"), "norm_first": int(norm_first),
            "causal": int(causal), "eps": eps})


def encoder_case(name, d, H, F, B, T, lengths, layers, norm_first, final_norm, seed=0):
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(d, H, dim_feedforward=F, dropout=0.0, batch_first=True, norm_first=norm_first)
    module = torch.nn.TransformerEncoder(layer, layers, norm=torch.nn.LayerNorm(d) if final_norm else None,
                                         enable_nested_tensor=False)
    params32 = randomize(module)
    module = module.double().train()
    x32 = rand(B, T, d)
    x = x32.double().requires_grad_()
    y = module(x, src_key_padding_mask=padding_mask(lengths, T))
    d_out = rand(*y.shape).double()
    tensors = {"x": x32, "lengths": torch.tensor(lengths, dtype=torch.float32), "d_out": d_out, "out": y}
    finish(name, module, params32, tensors, (y * d_out).sum(), {"x": x},
           {"d_model": d, "nhead": H, "dim_feedforward": F, "num_layers": layers, "norm_first": int(norm_first),
            "final_norm": int(final_norm)})


class AttentionPooling(torch.nn.Module):
    """e_j = score(h_j, q); alpha = softmax over unpadded steps; c = sum_j alpha_j h_j (MLNetExt's AttentionPooling)."""

    def __init__(self, score, D, A=0, Q=0, learned=False):
        super().__init__()
        self.score, self.learned = score, learned
        if score == "additive":
            self.W = torch.nn.Linear(D, A)
            self.U = None if learned else torch.nn.Linear(Q, A, bias=False)
            self.v = torch.nn.Linear(A, 1, bias=False)
        elif score == "multiplicative":
            self.W = torch.nn.Linear(D, Q, bias=False)
        if learned and score != "additive":
            self.query = torch.nn.Parameter(torch.empty(1, Q if score == "multiplicative" else D))

    def forward(self, h, mask, q=None):
        if self.score == "additive":
            z = self.W(h)
            if q is not None:
                z = z + self.U(q).unsqueeze(1)
            e = self.v(torch.tanh(z)).squeeze(-1)
        else:
            query = self.query.expand(h.shape[0], -1) if self.learned else q
            if self.score == "multiplicative":
                query = query @ self.W.weight
            e = torch.bmm(h, query.unsqueeze(2)).squeeze(-1)
        alpha = torch.softmax(e.masked_fill(mask, float("-inf")), dim=1)
        return torch.bmm(alpha.unsqueeze(1), h).squeeze(1), alpha


def pooling_case(name, score, D, B, T, lengths, A=0, Q=0, learned=False, seed=0):
    torch.manual_seed(seed)
    module = AttentionPooling(score, D, A, Q, learned)
    params32 = randomize(module)
    module = module.double()
    h32 = rand(B, T, D)
    h = h32.double().requires_grad_()
    tensors = {"h": h32, "lengths": torch.tensor(lengths, dtype=torch.float32)}
    inputs = {"h": h}
    q = None
    if not learned:
        q32 = rand(B, Q if score != "dot" else D)
        q = q32.double().requires_grad_()
        tensors["q"] = q32
        inputs["q"] = q
    context, alpha = module(h, padding_mask(lengths, T), q)
    d_context, d_weights = rand(*context.shape).double(), rand(*alpha.shape).double()
    tensors.update({"d_context": d_context, "d_weights": d_weights, "context": context, "weights": alpha})
    finish(name, module, params32, tensors, (context * d_context).sum() + (alpha * d_weights).sum(), inputs,
           {"input_size": D, "attention_size": A, "query_size": Q, "learned": int(learned), "score": score})


def sinusoidal_case():
    d, max_len = 10, 12
    position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pe = torch.zeros(max_len, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    refio.save("attention/sinusoidal.json", {"pe": pe}, meta={"d_model": d, "max_len": max_len})


mha_case("mha_self_padding_causal", E=8, H=2, B=3, L=5, S=5, lengths=[5, 3, 1], causal=True, seed=1)
mha_case("mha_cross_padding_float_mask_per_head", E=12, H=4, B=2, L=4, S=6, lengths=[6, 2], float_mask=True,
         kind="cross", average=False, seed=2)
mha_case("mha_memory_no_mask", E=6, H=3, B=2, L=3, S=5, kind="memory", seed=3)
encoder_layer_case("encoder_layer_post_relu", 8, 2, 16, 3, 6, [6, 4, 1], "relu", False, seed=4)
encoder_layer_case("encoder_layer_post_gelu_causal", 8, 4, 12, 2, 5, [5, 3], "gelu", False, causal=True, eps=1e-6, seed=5)
encoder_layer_case("encoder_layer_pre_relu", 8, 2, 16, 3, 6, [2, 6, 5], "relu", True, seed=6)
encoder_layer_case("encoder_layer_pre_gelu", 8, 2, 16, 2, 4, [4, 3], "gelu", True, seed=7)
encoder_case("encoder_2layer_pre_final_norm", 8, 2, 16, 3, 5, [5, 2, 4], 2, True, True, seed=8)
encoder_case("encoder_2layer_post", 8, 4, 16, 2, 5, [3, 5], 2, False, False, seed=9)
pooling_case("pooling_additive_query", "additive", D=6, B=3, T=5, lengths=[5, 1, 3], A=4, Q=3, seed=10)
pooling_case("pooling_additive_learned", "additive", D=6, B=3, T=5, lengths=[2, 5, 1], A=4, learned=True, seed=11)
pooling_case("pooling_dot_query", "dot", D=5, B=2, T=4, lengths=[4, 1], seed=12)
pooling_case("pooling_dot_learned", "dot", D=5, B=2, T=4, lengths=[3, 4], learned=True, seed=13)
pooling_case("pooling_multiplicative_query", "multiplicative", D=5, B=3, T=4, lengths=[4, 2, 1], Q=3, seed=14)
pooling_case("pooling_multiplicative_learned", "multiplicative", D=5, B=2, T=4, lengths=[1, 4], Q=3, learned=True, seed=15)
sinusoidal_case()
