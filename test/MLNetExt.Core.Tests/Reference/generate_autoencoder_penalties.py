"""Reference tensors for the autoencoder penalty parity tests (Ops/AutoencoderPenaltyTests.cs).

Run with Debian's python3-torch:  /usr/bin/python3 test/MLNetExt.Core.Tests/Reference/generate_autoencoder_penalties.py
Each case stores its float32 inputs (so the C# side uses the very same numbers), the upstream gradient dy, the
output and every input gradient, computed by autograd in float64 from those values, so the reference carries no
float32 rounding of its own. The penalties are written out as formulas, as the engine defines them; the
contractive penalty's closed form is first checked against the squared Frobenius norm of the true Jacobian."""
import torch

import refio

torch.manual_seed(2027)


def leaves(*tensors):
    """float64 copies that require a gradient, of float32 values."""
    return [t.double().requires_grad_() for t in tensors]


def backward(y, dy):
    y.backward(dy.double())


def reparameterize():
    mean = torch.randn(4, 3)
    log_variance = torch.rand(4, 3) * 3 - 2
    noise = torch.randn(4, 3)
    mu, lv = leaves(mean, log_variance)
    z = mu + torch.exp(0.5 * lv) * noise.double()
    dy = torch.randn(4, 3)
    backward(z, dy)
    refio.save("autoencoder/reparameterize.json", {
        "mean": mean, "log_variance": log_variance, "noise": noise, "dy": dy,
        "z": z, "grad.mean": mu.grad, "grad.log_variance": lv.grad})


def gaussian_kl():
    mean = torch.randn(5, 4)
    log_variance = torch.rand(5, 4) * 4 - 3
    mu, lv = leaves(mean, log_variance)
    per_row = 0.5 * (torch.exp(lv) + mu ** 2 - 1 - lv).sum(dim=1)
    kl = per_row.mean()
    dy = torch.tensor(1.7)
    backward(kl, dy)
    refio.save("autoencoder/gaussian_kl.json", {
        "mean": mean, "log_variance": log_variance, "dy": dy,
        "kl": kl, "per_row": per_row, "grad.mean": mu.grad, "grad.log_variance": lv.grad})


def kl_sparsity():
    rho = 0.05
    activations = torch.sigmoid(torch.randn(6, 5) * 2 - 1)
    (a,) = leaves(activations)
    # No unit's mean activation reaches the clamp [1e-6, 1 − 1e-6] here, so torch.clamp changes nothing.
    rho_hat = a.mean(dim=0).clamp(1e-6, 1 - 1e-6)
    kl = (rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()
    dy = torch.tensor(0.8)
    backward(kl, dy)
    refio.save("autoencoder/kl_sparsity.json", {
        "activations": activations, "dy": dy, "penalty": kl, "grad.activations": a.grad}, meta={"target": rho})


def l1_activity():
    magnitude = torch.rand(4, 6) * 2 + 0.1
    activations = torch.where(torch.rand(4, 6) < 0.5, -magnitude, magnitude)
    (a,) = leaves(activations)
    penalty = a.abs().sum() / a.shape[0]
    dy = torch.tensor(-1.3)
    backward(penalty, dy)
    refio.save("autoencoder/l1_activity.json", {
        "activations": activations, "dy": dy, "penalty": penalty, "grad.activations": a.grad})


def contractive_closed_form(h, w):
    """(1/N) Σ_i Σ_j (h_ij(1 − h_ij))² · Σ_d W_jd²."""
    return ((h * (1 - h)) ** 2 * (w ** 2).sum(dim=1)).sum() / h.shape[0]


def contractive():
    layer = torch.nn.Linear(4, 3)
    x = torch.randn(5, 4)
    weight, bias = layer.weight.detach().clone(), layer.bias.detach().clone()
    hidden = torch.sigmoid(x @ weight.t() + bias)

    # The closed form is the squared Frobenius norm of ∂h/∂x, averaged over the rows.
    x64, w64, b64 = x.double(), weight.double(), bias.double()
    encoder = lambda row: torch.sigmoid(row @ w64.t() + b64)
    jacobian_norm = sum((torch.autograd.functional.jacobian(encoder, row) ** 2).sum() for row in x64) / x.shape[0]
    closed = contractive_closed_form(encoder(x64), w64)
    assert torch.allclose(closed, jacobian_norm, rtol=1e-12, atol=0), (closed, jacobian_norm)

    # The op alone: hidden and weight as independent leaves.
    h, w = leaves(hidden, weight)
    penalty = contractive_closed_form(h, w)
    dy = torch.tensor(2.3)
    backward(penalty, dy)
    tensors = {"x": x, "weight": weight, "bias": bias, "hidden": hidden, "dy": dy,
               "penalty": penalty, "grad.hidden": h.grad, "grad.weight": w.grad}

    # Through the encoder: h = σ(x·Wᵀ + b), so W receives both the direct and the through-h gradient.
    xs, ws, bs = leaves(x, weight, bias)
    chained = contractive_closed_form(torch.sigmoid(xs @ ws.t() + bs), ws)
    backward(chained, dy)
    tensors.update({"chained.penalty": chained, "chained.grad.x": xs.grad, "chained.grad.weight": ws.grad,
                    "chained.grad.bias": bs.grad})
    refio.save("autoencoder/contractive.json", tensors)


def tied_linear():
    source = torch.nn.Linear(5, 3)
    weight = source.weight.detach().clone()
    bias = torch.randn(5)
    x = torch.randn(4, 3)
    xs, ws, bs = leaves(x, weight, bias)
    y = xs @ ws + bs
    dy = torch.randn(4, 5)
    backward(y, dy)
    refio.save("autoencoder/tied_linear.json", {
        "x": x, "weight": weight, "bias": bias, "dy": dy,
        "y": y, "grad.x": xs.grad, "grad.weight": ws.grad, "grad.bias": bs.grad})


reparameterize()
gaussian_kl()
kl_sparsity()
l1_activity()
contractive()
tied_linear()
