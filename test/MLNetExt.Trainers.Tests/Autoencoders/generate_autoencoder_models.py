#!/usr/bin/python3
"""Reference data for AutoencoderParityTests: each autoencoder network of src/Trainers/Autoencoders rebuilt as the
same PyTorch module tree (the same state_dict names: encoder.0.weight, decoder.2.bias, mean.weight, log_var.weight,
...), one training step's objective (reconstruction loss + the network's penalty) with its gradient for every
parameter, and the evaluation-mode per-row anomaly scores. PyTorch 1.13; run with /usr/bin/python3:

    /usr/bin/python3 test/MLNetExt.Trainers.Tests/Autoencoders/generate_autoencoder_models.py

Writes Reference/<case>.json: {"name": {"shape": [...], "data": [...]}, ..., "meta": {...}} with floats to 9
significant digits (float32 values round-trip exactly).

Weights and inputs are drawn in float32 with a fixed seed and stored, so the C# test loads the very same numbers; the
forward and backward passes then run in float64 from those float32 values, so the reference carries no float32
rounding of its own. Stored per case:
  param.<name>            every parameter, by state_dict name
  x                       the batch [N, F] (the clean input: the reconstruction target)
  x_corrupted             denoising only: a fixed masking corruption of x (each feature zeroed with probability q)
  epsilon                 variational only: the fixed ε [N, K] of the reparameterization z = μ + exp(½ log σ²) ⊙ ε
  reconstruction, code    the training-mode forward pass (the code is μ for the variational kind)
  loss, penalty, objective  the reconstruction loss (MSELoss or BCEWithLogitsLoss, mean), the network's penalty, their sum
  grad.<name>             d objective / d parameter
  buffer.<name>           BatchNorm running statistics after that one training-mode pass
  scores                  ReconstructionErrors.ScoreRows: evaluation mode, the mean per-feature error of each row
                          (plus β·KL_row/F for the variational kind), on the clean x
"""
import json
import os

import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def activation(name):
    return {"ReLU": nn.ReLU, "LeakyReLU": nn.LeakyReLU, "Tanh": nn.Tanh, "Gelu": nn.GELU, "Elu": nn.ELU,
            "Sigmoid": nn.Sigmoid}[name]()


class TiedLinear(nn.Module):
    """y = x·W + b over the source Linear's weight W [out_src, in_src] (F.linear(x, W.t(), b)); own parameter: bias."""

    def __init__(self, source):
        super().__init__()
        self._source = [source]  # a plain list: the source is not a child, so its weight is named once, as in C#
        self.bias = nn.Parameter(torch.zeros(source.in_features))

    def forward(self, x):
        return F.linear(x, self._source[0].weight.t(), self.bias)


def hidden_block(layers, linear, width, meta):
    """Linear → [BatchNorm1d] → activation (dropout is 0 in every case)."""
    layers.append(linear)
    if meta["batch_norm"]:
        layers.append(nn.BatchNorm1d(width))
    layers.append(activation(meta["activation"]))


def sigmoid_code(meta):
    return meta["kind"] == "Contractive" or (meta["kind"] == "Sparse" and meta["sparsity"] == "KullbackLeibler")


class Dense(nn.Module):
    """DenseAutoencoder: the dense, denoising, sparse and contractive kinds."""

    def __init__(self, meta):
        super().__init__()
        self.meta = meta
        encoder, linears, previous = [], [], meta["features"]
        for width in meta["hidden"]:
            linear = nn.Linear(previous, width)
            linears.append(linear)
            hidden_block(encoder, linear, width, meta)
            previous = width
        code_layer = nn.Linear(previous, meta["code"])
        self._code_layer = [code_layer]  # a plain list, so that its parameters are named as encoder.<i>.*
        linears.append(code_layer)
        encoder += [code_layer, nn.Sigmoid() if sigmoid_code(meta) else activation(meta["activation"])]
        decoder, previous = [], meta["code"]
        widths = list(reversed(meta["hidden"])) + [meta["features"]]
        for i, width in enumerate(widths):
            layer = TiedLinear(linears[-(i + 1)]) if meta["tied"] else nn.Linear(previous, width)
            if i < len(widths) - 1:
                hidden_block(decoder, layer, width, meta)
            else:
                decoder.append(layer)
            previous = width
        self.encoder = nn.Sequential(*encoder)
        self.decoder = nn.Sequential(*decoder)

    def forward(self, x, epsilon=None):
        self.code = self.encoder(x)
        return self.decoder(self.code)

    def penalty(self):
        m, h = self.meta, self.code
        if m["kind"] == "Sparse" and m["sparsity"] == "KullbackLeibler":
            rho = m["sparsity_target"]
            rho_hat = h.mean(dim=0).clamp(1e-6, 1 - 1e-6)
            kl = (rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()
            return m["sparsity_weight"] * kl
        if m["kind"] == "Sparse":
            return m["sparsity_weight"] * h.abs().sum() / h.shape[0]
        if m["kind"] == "Contractive":
            # ‖∂h/∂a‖²_F of the sigmoid code layer h = σ(a·Wᵀ + b), averaged over the rows; its closed form is checked
            # against the autograd Jacobian in check_contractive_closed_form below.
            w = self._code_layer[0].weight
            return m["contractive_weight"] * ((h * (1 - h)) ** 2 * (w ** 2).sum(dim=1)).sum() / h.shape[0]
        return None

    def row_penalties(self):
        return None


class Variational(nn.Module):
    """VariationalAutoencoder: trunk 'encoder' (absent with no hidden layers), heads 'mean' and 'log_var', 'decoder'."""

    def __init__(self, meta):
        super().__init__()
        self.meta = meta
        trunk, previous = [], meta["features"]
        for width in meta["hidden"]:
            hidden_block(trunk, nn.Linear(previous, width), width, meta)
            previous = width
        self.encoder = nn.Sequential(*trunk) if trunk else None
        self.mean = nn.Linear(previous, meta["code"])
        self.log_var = nn.Linear(previous, meta["code"])
        decoder, previous = [], meta["code"]
        for width in reversed(meta["hidden"]):
            hidden_block(decoder, nn.Linear(previous, width), width, meta)
            previous = width
        decoder.append(nn.Linear(previous, meta["features"]))
        self.decoder = nn.Sequential(*decoder)

    def forward(self, x, epsilon=None):
        h = self.encoder(x) if self.encoder is not None else x
        self.code, self.lv = self.mean(h), self.log_var(h)
        z = self.code + torch.exp(0.5 * self.lv) * epsilon if self.training else self.code
        return self.decoder(z)

    def kl_rows(self):
        return 0.5 * (torch.exp(self.lv) + self.code ** 2 - 1 - self.lv).sum(dim=1)

    def penalty(self):
        return self.meta["kl_weight"] / self.meta["features"] * self.kl_rows().mean()

    def row_penalties(self):
        return self.meta["kl_weight"] / self.meta["features"] * self.kl_rows()


class Convolutional(nn.Module):
    """ConvolutionalAutoencoder: Conv2d(k, padding k//2) → ReLU → MaxPool2d(2) per stage; Upsample(nearest, size) →
    Conv2d → ReLU back (no ReLU after the last)."""

    def __init__(self, meta):
        super().__init__()
        self.meta = meta
        c, h, w = meta["image_shape"]
        k, channels = meta["kernel"], meta["channels"]
        sizes = [(h, w)]
        for _ in channels:
            sizes.append((sizes[-1][0] // 2, sizes[-1][1] // 2))
        encoder, previous = [], c
        for stage_channels in channels:
            encoder += [nn.Conv2d(previous, stage_channels, k, padding=k // 2), nn.ReLU(), nn.MaxPool2d(2)]
            previous = stage_channels
        decoder = []
        for stage in reversed(range(len(channels))):
            out = channels[stage - 1] if stage > 0 else c
            decoder += [nn.Upsample(size=sizes[stage], mode="nearest"), nn.Conv2d(channels[stage], out, k, padding=k // 2)]
            if stage > 0:
                decoder.append(nn.ReLU())
        self.encoder = nn.Sequential(*encoder)
        self.decoder = nn.Sequential(*decoder)

    def forward(self, x, epsilon=None):
        rows = x.shape[0]
        code_map = self.encoder(x.reshape(rows, *self.meta["image_shape"]))
        self.code = code_map.reshape(rows, -1)
        return self.decoder(code_map).reshape(rows, -1)

    def penalty(self):
        return None

    def row_penalties(self):
        return None


def reconstruction_loss(meta, output, target):
    if meta["loss"] == "BinaryCrossEntropy":
        return F.binary_cross_entropy_with_logits(output, target)
    return F.mse_loss(output, target)


def row_errors(meta, output, target):
    if meta["loss"] == "BinaryCrossEntropy":
        return F.softplus(output) - output * target
    return (output - target) ** 2


def randomize_extras(model):
    """BatchNorm affine weights and TiedLinear biases start at 1 and 0, and the variational heads' default init gives
    μ ≈ 0 and log σ² ≈ 0, where the KL term is nearly flat: move them so that the test sees them."""
    if isinstance(model, Variational):
        model.mean.bias.data = 0.8 * torch.randn_like(model.mean.bias)
        model.log_var.bias.data = 0.8 * torch.randn_like(model.log_var.bias)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d):
            module.weight.data = 1 + 0.3 * torch.randn_like(module.weight)
            module.bias.data = 0.2 * torch.randn_like(module.bias)
        elif isinstance(module, TiedLinear):
            module.bias.data = 0.2 * torch.randn_like(module.bias)


def case(name, seed, rows, meta, unit_inputs=False):
    defaults = {"hidden": [], "activation": "ReLU", "batch_norm": False, "tied": False, "corruption": "Masking",
                "corruption_level": 0.0, "sparsity": "KullbackLeibler", "sparsity_target": 0.05, "sparsity_weight": 0.0,
                "contractive_weight": 0.0, "kl_weight": 1.0, "channels": [], "kernel": 3, "image_shape": None,
                "loss": "MeanSquaredError"}
    meta = {**defaults, **meta}
    torch.manual_seed(seed)
    model = {"Variational": Variational, "Convolutional": Convolutional}.get(meta["kind"], Dense)(meta)
    randomize_extras(model)
    features = meta["features"]
    x = torch.rand(rows, features) if unit_inputs else torch.randn(rows, features)
    doc = {"x": tensor(x)}
    encoder_input = x
    if meta["kind"] == "Denoising":
        # A fixed masking corruption: the C# network draws its own, so the test runs the evaluation-mode network
        # (no corruption; no batch norm or dropout in this case, so otherwise the same function) on this x̃.
        keep = (torch.rand(rows, features) >= meta["corruption_level"]).float()
        encoder_input = x * keep
        doc["x_corrupted"] = tensor(encoder_input)
    epsilon = None
    if meta["kind"] == "Variational":
        epsilon = torch.randn(rows, meta["code"])
        doc["epsilon"] = tensor(epsilon)
    named = dict(model.named_parameters())
    for key, parameter in named.items():
        doc[f"param.{key}"] = tensor(parameter)

    model.double()
    model.train()
    output = model(encoder_input.double(), None if epsilon is None else epsilon.double())
    loss = reconstruction_loss(meta, output, x.double())
    penalty = model.penalty()
    objective = loss + penalty if penalty is not None else loss
    objective.backward()
    doc["reconstruction"] = tensor(output)
    doc["code"] = tensor(model.code)
    doc["loss"] = tensor(loss)
    doc["penalty"] = tensor(penalty if penalty is not None else torch.tensor(0.0))
    doc["objective"] = tensor(objective)
    for key, parameter in named.items():
        doc[f"grad.{key}"] = tensor(parameter.grad)
    for key, buffer in model.named_buffers():
        if not key.endswith("num_batches_tracked"):
            doc[f"buffer.{key}"] = tensor(buffer)

    model.eval()
    with torch.no_grad():
        clean = x.double()
        scores = row_errors(meta, model(clean), clean).mean(dim=1)
        if model.row_penalties() is not None:
            scores = scores + model.row_penalties()
    doc["scores"] = tensor(scores)
    doc["meta"] = meta
    path = os.path.join(HERE, "Reference", name + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    os.replace(path + ".tmp", path)


def check_contractive_closed_form():
    """The contractive penalty's closed form equals ‖∂h/∂a‖²_F of a sigmoid layer, row by row (autograd Jacobian)."""
    torch.manual_seed(99)
    layer = nn.Linear(5, 3).double()
    a = torch.randn(4, 5, dtype=torch.float64)
    h = torch.sigmoid(layer(a))
    closed = ((h * (1 - h)) ** 2 * (layer.weight ** 2).sum(dim=1)).sum() / a.shape[0]
    true = sum((torch.autograd.functional.jacobian(lambda r: torch.sigmoid(layer(r)), a[i]) ** 2).sum()
               for i in range(a.shape[0])) / a.shape[0]
    assert torch.allclose(closed, true, rtol=1e-12, atol=0), (closed, true)


check_contractive_closed_form()
case("dense_relu", 1, 8, {"kind": "Dense", "features": 6, "hidden": [5], "code": 3, "activation": "ReLU"})
case("dense_batchnorm_tanh", 2, 8, {"kind": "Dense", "features": 6, "hidden": [5, 4], "code": 3, "activation": "Tanh",
                                    "batch_norm": True})
case("dense_tied_leaky_relu", 3, 8, {"kind": "Dense", "features": 6, "hidden": [5, 4], "code": 3,
                                     "activation": "LeakyReLU", "tied": True})
case("sparse_kl", 4, 8, {"kind": "Sparse", "features": 6, "hidden": [5], "code": 4, "activation": "Elu",
                         "sparsity": "KullbackLeibler", "sparsity_target": 0.1, "sparsity_weight": 0.7})
case("sparse_l1", 5, 8, {"kind": "Sparse", "features": 6, "hidden": [5], "code": 3, "activation": "Tanh",
                         "sparsity": "L1", "sparsity_weight": 0.4})
case("contractive_tied", 6, 8, {"kind": "Contractive", "features": 6, "hidden": [5], "code": 3, "activation": "Tanh",
                                "tied": True, "contractive_weight": 3.0})
case("denoising_masking", 7, 8, {"kind": "Denoising", "features": 6, "hidden": [5], "code": 3, "activation": "Gelu",
                                 "corruption": "Masking", "corruption_level": 0.3})
case("variational_gelu", 8, 8, {"kind": "Variational", "features": 6, "hidden": [5], "code": 2, "activation": "Gelu",
                                "kl_weight": 2.0})
case("variational_batchnorm_bce", 9, 8, {"kind": "Variational", "features": 6, "hidden": [6, 4], "code": 3,
                                         "activation": "Tanh", "batch_norm": True, "kl_weight": 1.5,
                                         "loss": "BinaryCrossEntropy"}, unit_inputs=True)
case("variational_no_hidden", 10, 8, {"kind": "Variational", "features": 5, "hidden": [], "code": 2, "kl_weight": 1.0})
case("convolutional_bce", 11, 3, {"kind": "Convolutional", "features": 2 * 7 * 6, "code": 4, "channels": [3, 4],
                                  "kernel": 3, "image_shape": [2, 7, 6], "loss": "BinaryCrossEntropy"}, unit_inputs=True)
case("convolutional_mse", 12, 2, {"kind": "Convolutional", "features": 8 * 8, "code": 1, "channels": [2], "kernel": 5,
                                  "image_shape": [1, 8, 8]})
