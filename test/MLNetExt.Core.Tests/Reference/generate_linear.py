"""Reference tensors for the Linear and Sequential parity tests.

Run with Debian's python3-torch: /usr/bin/python3 test/MLNetExt.Core.Tests/Reference/generate_linear.py
Each case stores the input, every parameter (state_dict names), the upstream gradient dy, the output and the
gradients, computed in float64 from the float32 values so the reference carries no float32 rounding of its own."""
import torch

import refio

torch.manual_seed(2026)


def case(name, module, batch, in_features):
    module = module.float()
    x = torch.randn(batch, in_features)
    params = {k: v.detach().clone() for k, v in module.state_dict().items()}
    reference = module.double()
    x64 = x.double().requires_grad_()
    y = reference(x64)
    dy = torch.randn(*y.shape)
    y.backward(dy.double())
    tensors = {"x": x, "dy": dy, "y": y, "dx": x64.grad}
    for key, value in params.items():
        tensors["param." + key] = value
    for key, value in reference.named_parameters():
        tensors["grad." + key] = value.grad
    refio.save(f"linear/{name}.json", tensors)


case("linear", torch.nn.Linear(5, 3), batch=4, in_features=5)
case("linear_no_bias", torch.nn.Linear(6, 2, bias=False), batch=3, in_features=6)
case("mlp", torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.ReLU(),
                                torch.nn.Linear(8, 3)), batch=5, in_features=4)
