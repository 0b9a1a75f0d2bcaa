using Act = MLNetExt.Core.Ops.Activations;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Activations;

/// <summary>Every activation under test, by reference-file name.</summary>
internal static class ActivationCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tape?, Tensor>> Unary = new Dictionary<string, Func<Tensor, Tape?, Tensor>>
    {
        ["identity"] = (x, t) => Act.Identity(x, t),
        ["sigmoid"] = (x, t) => Act.Sigmoid(x, t),
        ["tanh"] = (x, t) => Act.Tanh(x, t),
        ["relu"] = (x, t) => Act.Relu(x, t),
        ["leaky_relu_default"] = (x, t) => Act.LeakyRelu(x, tape: t),
        ["leaky_relu_0.2"] = (x, t) => Act.LeakyRelu(x, 0.2f, t),
        ["elu_default"] = (x, t) => Act.Elu(x, tape: t),
        ["elu_0.5"] = (x, t) => Act.Elu(x, 0.5f, t),
        ["selu"] = (x, t) => Act.Selu(x, t),
        ["softplus_default"] = (x, t) => Act.Softplus(x, tape: t),
        ["softplus_beta2_threshold5"] = (x, t) => Act.Softplus(x, 2f, 5f, t),
        ["gelu"] = (x, t) => Act.Gelu(x, tape: t),
        ["gelu_tanh"] = (x, t) => Act.Gelu(x, GeluApproximation.Tanh, t),
        ["softmax"] = (x, t) => Act.Softmax(x, t),
        ["log_softmax"] = (x, t) => Act.LogSoftmax(x, t),
    };

    public static TheoryData<string> UnaryNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Unary.Keys) data.Add(name);
        return data;
    }
}
