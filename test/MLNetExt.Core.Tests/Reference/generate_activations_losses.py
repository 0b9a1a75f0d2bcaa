"""Reference tensors for the activation and loss parity tests (Activations/*, Losses/*).

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 generate_activations_losses.py
Each case stores its inputs (so the C# side uses the very same numbers), the upstream gradient, the output and
the gradients PyTorch computes."""
import torch
import torch.nn.functional as F

import refio

torch.set_default_dtype(torch.float32)


def away_from_zero(shape, low=0.1, high=3.0):
    """Uniform magnitudes in [low, high) with random signs: keeps inputs off the kinks at 0."""
    magnitude = torch.rand(shape) * (high - low) + low
    sign = torch.where(torch.rand(shape) < 0.5, -1.0, 1.0)
    return magnitude * sign


def activation_case(name, fn, x, meta=None, weight=None):
    x = x.clone().requires_grad_(True)
    w = weight.clone().requires_grad_(True) if weight is not None else None
    y = fn(x, w) if w is not None else fn(x)
    grad_output = torch.randn(y.shape)
    y.backward(grad_output)
    tensors = {"input": x, "grad_output": grad_output, "output": y, "grad_input": x.grad}
    if w is not None:
        tensors["weight"] = w
        tensors["grad_weight"] = w.grad
    refio.save(f"activations/{name}.json", tensors, meta=meta or {})


def activations():
    torch.manual_seed(1234)
    x = away_from_zero((4, 6))
    activation_case("identity", lambda t: t * 1.0, x)
    activation_case("sigmoid", torch.sigmoid, x)
    activation_case("tanh", torch.tanh, x)
    activation_case("relu", F.relu, x)
    activation_case("leaky_relu_default", F.leaky_relu, x, {"slope": 0.01})
    activation_case("leaky_relu_0.2", lambda t: F.leaky_relu(t, 0.2), x, {"slope": 0.2})
    activation_case("elu_default", F.elu, x, {"alpha": 1.0})
    activation_case("elu_0.5", lambda t: F.elu(t, 0.5), x, {"alpha": 0.5})
    activation_case("selu", F.selu, x)
    activation_case("softplus_default", F.softplus, x * 8, {"beta": 1.0, "threshold": 20.0})
    activation_case("softplus_beta2_threshold5", lambda t: F.softplus(t, 2.0, 5.0), x, {"beta": 2.0, "threshold": 5.0})
    activation_case("gelu", F.gelu, x)
    activation_case("gelu_tanh", lambda t: F.gelu(t, approximate="tanh"), x)
    activation_case("softmax", lambda t: F.softmax(t, dim=-1), torch.randn(3, 2, 5) * 3)
    activation_case("log_softmax", lambda t: F.log_softmax(t, dim=-1), torch.randn(3, 2, 5) * 3)
    activation_case("prelu_channels", F.prelu, away_from_zero((2, 3, 4)), weight=torch.tensor([0.25, -0.5, 1.5]))
    activation_case("prelu_single", F.prelu, away_from_zero((3, 5)), weight=torch.tensor([0.3]))


def loss_case(name, fn, x, target, reduction, meta=None):
    x = x.clone().requires_grad_(True)
    y = fn(x, target, reduction)
    grad_output = torch.randn(y.shape) if reduction == "none" else torch.tensor(1.7)
    y.backward(grad_output)
    meta = dict(meta or {})
    meta["reduction"] = reduction
    refio.save(f"losses/{name}_{reduction}.json",
               {"input": x, "target": target, "grad_output": grad_output, "output": y, "grad_input": x.grad}, meta=meta)


def losses():
    torch.manual_seed(4321)
    shape = (4, 5)
    x = torch.randn(shape) * 2
    t = torch.randn(shape) * 2
    probabilities = torch.rand(shape) * 0.9 + 0.05
    binary = (torch.rand(shape) < 0.5).float()
    soft = torch.rand(shape)
    logits = torch.randn(shape) * 3
    pos_weight = torch.tensor([0.5, 1.0, 2.0, 3.0, 0.25])
    log_q = F.log_softmax(torch.randn(shape), dim=-1)
    p_target = F.softmax(torch.randn(shape), dim=-1)
    p_target[0, 1] = 0.0  # exercises xlogy's 0·log 0 = 0
    log_p_target = F.log_softmax(torch.randn(shape), dim=-1)
    for r in ("mean", "sum", "none"):
        loss_case("mse", lambda a, b, red: F.mse_loss(a, b, reduction=red), x, t, r)
        loss_case("l1", lambda a, b, red: F.l1_loss(a, b, reduction=red), x, t, r)
        loss_case("huber_default", lambda a, b, red: F.huber_loss(a, b, reduction=red), x, t, r, {"delta": 1.0})
        loss_case("huber_0.7", lambda a, b, red: F.huber_loss(a, b, reduction=red, delta=0.7), x, t, r, {"delta": 0.7})
        loss_case("bce", lambda a, b, red: F.binary_cross_entropy(a, b, reduction=red), probabilities, soft, r)
        loss_case("bce_logits", lambda a, b, red: F.binary_cross_entropy_with_logits(a, b, reduction=red), logits, binary, r)
        loss_case("bce_logits_pos_weight",
                  lambda a, b, red: F.binary_cross_entropy_with_logits(a, b, reduction=red, pos_weight=pos_weight),
                  logits, soft, r)
        loss_case("kl", lambda a, b, red: F.kl_div(a, b, reduction=red), log_q, p_target, r, {"log_target": 0})
        loss_case("kl_log_target", lambda a, b, red: F.kl_div(a, b, reduction=red, log_target=True), log_q, log_p_target, r,
                  {"log_target": 1})
    loss_case("kl", lambda a, b, red: F.kl_div(a, b, reduction=red), log_q, p_target, "batchmean", {"log_target": 0})
    loss_case("kl_log_target", lambda a, b, red: F.kl_div(a, b, reduction=red, log_target=True), log_q, log_p_target,
              "batchmean", {"log_target": 1})

    classes = 5
    ce_logits = torch.randn(6, classes) * 2
    targets = torch.tensor([0, 3, 4, 1, 3, 2])
    ignored = torch.tensor([0, -100, 4, 1, -100, 2])
    custom_ignored = torch.tensor([0, 2, 4, 1, 2, 3])
    class_weight = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.25])

    def ce(weight=None, ignore_index=-100, smoothing=0.0):
        return lambda a, b, red: F.cross_entropy(a, b.long(), weight=weight, ignore_index=ignore_index,
                                                 label_smoothing=smoothing, reduction=red)

    for r in ("mean", "sum", "none"):
        loss_case("ce", ce(), ce_logits, targets.float(), r)
        loss_case("ce_weight", ce(class_weight), ce_logits, targets.float(), r, {"weight": 1})
        loss_case("ce_ignore", ce(), ce_logits, ignored.float(), r)
        loss_case("ce_ignore_custom", ce(ignore_index=2), ce_logits, custom_ignored.float(), r, {"ignore_index": 2})
        loss_case("ce_smooth", ce(smoothing=0.2), ce_logits, targets.float(), r, {"smoothing": 0.2})
        loss_case("ce_smooth_ignore", ce(smoothing=0.3), ce_logits, ignored.float(), r, {"smoothing": 0.3})
        loss_case("ce_weight_ignore", ce(class_weight), ce_logits, ignored.float(), r, {"weight": 1})
        loss_case("ce_weight_smooth_ignore", ce(class_weight, smoothing=0.25), ce_logits, ignored.float(), r,
                  {"weight": 1, "smoothing": 0.25})
    refio.save("losses/ce_class_weight.json", {"weight": class_weight})
    refio.save("losses/bce_logits_pos_weight.json", {"pos_weight": pos_weight})


if __name__ == "__main__":
    activations()
    losses()
