using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>Shared steps of the attention parity tests (Reference/generate_attention.py).</summary>
internal static class AttentionTesting
{
    /// <summary>
    /// Asserts a gradient element-wise within 1e-5 relative, with an absolute floor of 1e-6 of the tensor's largest
    /// reference magnitude (at least 2e-6): an element that is a small difference of large float32 terms (a weight
    /// gradient summed over every step) cannot be closer than the rounding of those terms, while the float64
    /// reference has none.
    /// </summary>
    public static void CloseGradient(Tensor actual, Tensor expected, string what)
    {
        float scale = expected.Length == 0 ? 0f : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(expected.Span);
        TensorAssert.Close(actual, expected, rtol: 1e-5, atol: Math.Max(2e-6, 1e-6 * Math.Abs(scale)), what: what);
    }

    /// <summary>
    /// Copies the reference parameters (<c>p.&lt;name&gt;</c>) into <paramref name="module"/>, after checking that its
    /// <c>state_dict</c> names are exactly PyTorch's.
    /// </summary>
    public static void LoadParameters(Module module, ReferenceData reference)
    {
        var expected = reference.Names.Where(n => n.StartsWith("p.", StringComparison.Ordinal)).Select(n => n[2..]);
        module.NamedParameters().Select(p => p.Key).Should().BeEquivalentTo(expected, "the parameters are named as PyTorch names them");
        foreach (var (name, parameter) in module.NamedParameters())
            parameter.CopyFrom(reference.Tensor("p." + name));
    }

    /// <summary>Asserts every parameter's gradient against <c>grad.&lt;name&gt;</c>.</summary>
    public static void AssertParameterGradients(Module module, ReferenceData reference)
    {
        foreach (var (name, parameter) in module.NamedParameters())
            CloseGradient(parameter.Grad!, reference.Tensor("grad." + name), "d" + name);
    }

    /// <summary>PyTorch's key_padding_mask from lengths: true at steps t ≥ length, [B, T] flattened.</summary>
    public static bool[] PaddingMask(int[] lengths, int steps)
    {
        var mask = new bool[lengths.Length * steps];
        for (int b = 0; b < lengths.Length; b++)
            for (int t = lengths[b]; t < steps; t++) mask[b * steps + t] = true;
        return mask;
    }

    public static Tensor RequiringGrad(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    public static Tensor Random(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, -1f, 1f);
        return t;
    }
}
