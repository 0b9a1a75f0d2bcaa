"""Reference tensors for the Layers and Init parity tests (embedding, batch norm, layer norm, QR).

Run with Debian's python3-torch: /usr/bin/python3 test/MLNetExt.Core.Tests/Reference/generate_layers.py
Every case stores its inputs, weights and the upstream gradient dy (the backward pass seeds dL/dy = dy), so the
C# side feeds the same numbers and compares outputs, input gradients and parameter gradients."""
import torch

import refio

torch.manual_seed(1234)


def batchnorm_case(name, module, shape):
    channels = shape[1]
    with torch.no_grad():
        module.weight.copy_(torch.rand(channels) + 0.5)
        module.bias.copy_(torch.randn(channels))
    weight0, bias0 = module.weight.detach().clone(), module.bias.detach().clone()
    # Inputs with a non-zero mean and a spread far from 1, so the running statistics visibly move.
    x1 = (torch.randn(*shape) * 2.0 + 0.7).requires_grad_()
    x2 = torch.randn(*shape) * 0.5 - 1.2
    x3 = (torch.randn(*shape) + 0.3).requires_grad_()
    dy1 = torch.randn(*shape)
    dy3 = torch.randn(*shape)

    module.train()
    y1 = module(x1)
    y1.backward(dy1)
    dx1, dweight1, dbias1 = x1.grad.clone(), module.weight.grad.clone(), module.bias.grad.clone()
    with torch.no_grad():
        y2 = module(x2)
    running_mean, running_var = module.running_mean.clone(), module.running_var.clone()

    module.eval()
    module.weight.grad = None
    module.bias.grad = None
    y3 = module(x3)
    y3.backward(dy3)
    refio.save(f"layers/{name}.json", {
        "weight": weight0, "bias": bias0,
        "x1": x1, "dy1": dy1, "y1": y1, "dx1": dx1, "dweight1": dweight1, "dbias1": dbias1,
        "x2": x2, "y2": y2, "running_mean": running_mean, "running_var": running_var,
        "x3": x3, "dy3": dy3, "y3": y3, "dx3": x3.grad, "dweight3": module.weight.grad, "dbias3": module.bias.grad,
    }, meta={"num_batches_tracked": int(module.num_batches_tracked), "channels": channels})


def layernorm_case(name, normalized_shape, shape):
    module = torch.nn.LayerNorm(normalized_shape)
    with torch.no_grad():
        module.weight.copy_(torch.rand(*module.weight.shape) + 0.5)
        module.bias.copy_(torch.randn(*module.bias.shape))
    weight0, bias0 = module.weight.detach().clone(), module.bias.detach().clone()
    x = (torch.randn(*shape) * 1.5 + 0.4).requires_grad_()
    dy = torch.randn(*shape)
    y = module(x)
    y.backward(dy)
    refio.save(f"layers/{name}.json", {
        "weight": weight0, "bias": bias0, "x": x, "dy": dy, "y": y,
        "dx": x.grad, "dweight": module.weight.grad, "dbias": module.bias.grad,
    }, meta={"normalized_rank": len(normalized_shape)})


def embedding_case():
    module = torch.nn.Embedding(7, 4, padding_idx=2)
    with torch.no_grad():
        module.weight.copy_(torch.randn(7, 4))
    weight0 = module.weight.detach().clone()
    # Repeated ids accumulate; id 2 is the padding row and must get no gradient.
    ids = torch.tensor([[0, 2, 5], [5, 6, 2]])
    dy = torch.randn(2, 3, 4)
    y = module(ids)
    y.backward(dy)
    refio.save("layers/embedding.json", {
        "weight": weight0, "ids": ids, "dy": dy, "y": y, "dweight": module.weight.grad,
    }, meta={"padding_idx": 2})


def orthogonal_qr_case():
    # Drawn in float32 so the stored (float32) input is exactly the matrix that was factored.
    a = torch.randn(6, 4).double()
    q, r = torch.linalg.qr(a)
    q = q * torch.diag(r, 0).sign()
    refio.save("layers/orthogonal_qr.json", {"a": a, "q": q})


batchnorm_case("batchnorm1d_2d", torch.nn.BatchNorm1d(3), (5, 3))
batchnorm_case("batchnorm1d_3d", torch.nn.BatchNorm1d(3), (4, 3, 5))
batchnorm_case("batchnorm2d", torch.nn.BatchNorm2d(2), (3, 2, 3, 4))
layernorm_case("layernorm_last", [5], (4, 5))
layernorm_case("layernorm_trailing2", [2, 4], (3, 2, 4))
embedding_case()
orthogonal_qr_case()
