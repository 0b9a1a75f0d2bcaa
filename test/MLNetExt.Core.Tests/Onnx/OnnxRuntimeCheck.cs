using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>Runs exported bytes in ONNX Runtime and compares its outputs with the engine's.</summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>Runs the model on the named inputs and returns every output's values in graph-output order, with their shapes.</summary>
    public static (float[] Values, int[] Shape)[] Run(byte[] model, params (string Name, object Values, int[] Shape)[] inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        var feeds = inputs.Select(input => input.Values switch
        {
            float[] floats => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(floats, input.Shape)),
            long[] longs => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<long>(longs, input.Shape)),
            // Exact types: the runtime's array covariance lets an int[] match uint[] and the reverse.
            int[] ints when ints.GetType() == typeof(int[]) => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<int>(ints, input.Shape)),
            uint[] uints when uints.GetType() == typeof(uint[]) => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<uint>(uints, input.Shape)),
            _ => throw new ArgumentException($"Unsupported input type {input.Values.GetType().Name}."),
        }).ToList();
        using var results = session.Run(feeds);
        return results.Select(result =>
        {
            var tensor = result.AsTensor<float>();
            return (tensor.ToArray(), tensor.Dimensions.ToArray());
        }).ToArray();
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ tolerance·max(|expected|, 1) element by element: relative for values of
    /// magnitude 1 and above, absolute below, where a relative bound means nothing.
    /// </summary>
    public static void ShouldMatch(float[] actual, ReadOnlySpan<float> expected, float tolerance = 1e-5f, string what = "output")
    {
        actual.Length.Should().Be(expected.Length, $"{what} has as many values as the engine's");
        for (int i = 0; i < actual.Length; i++)
        {
            float bound = tolerance * MathF.Max(MathF.Abs(expected[i]), 1f);
            if (!(MathF.Abs(actual[i] - expected[i]) <= bound))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: ONNX Runtime gave {actual[i]:R}, the engine {expected[i]:R} (bound {bound:R}).");
        }
    }
}
