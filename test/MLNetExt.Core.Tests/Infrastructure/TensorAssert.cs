namespace MLNetExt.Core.Tests.Infrastructure;

/// <summary>Element-wise closeness assertions with messages that name the first failing index.</summary>
public static class TensorAssert
{
    /// <summary>
    /// Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise (numpy.allclose's rule). The default
    /// (rtol 1e-5, atol 1e-6) is the parity bar for PyTorch reference tensors.
    /// </summary>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double rtol = 1e-5, double atol = 1e-6, string what = "tensor")
    {
        if (actual.Length != expected.Length)
            throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length} differs from expected {expected.Length}.");
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.Abs(expected[i])))
                throw new Xunit.Sdk.XunitException($"{what}: element {i} is {actual[i]:G9} but expected {expected[i]:G9} (|diff| {diff:G3}).");
        }
    }

    /// <summary>Asserts shape and values of <paramref name="actual"/> match <paramref name="expected"/>.</summary>
    public static void Close(Tensor actual, Tensor expected, double rtol = 1e-5, double atol = 1e-6, string what = "tensor")
    {
        if (!actual.HasShape(expected.Shape))
            throw new Xunit.Sdk.XunitException($"{what}: shape [{string.Join(", ", actual.Shape.ToArray())}] differs from expected [{string.Join(", ", expected.Shape.ToArray())}].");
        Close(actual.Span, expected.Span, rtol, atol, what);
    }
}
