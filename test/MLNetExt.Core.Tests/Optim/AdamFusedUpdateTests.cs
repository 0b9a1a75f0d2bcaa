using System.Numerics.Tensors;
using FluentAssertions;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Optim;

[Collection(EngineSettingsCollection.Name)]
public class AdamFusedUpdateTests
{
    /// <summary>
    /// Adam's single-pass update must equal, bit for bit, torch's rule written as separate element-wise passes
    /// (m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η/(1−β₁ᵗ) · m ⊘ (√v/√(1−β₂ᵗ) + ε)), over lengths that
    /// exercise the vector loop and the scalar tail, and, past two blocks of 32K, the update shared among threads
    /// (with a partial last block), on one thread and on two.
    /// </summary>
    [Theory]
    [InlineData(1037, 1)]
    [InlineData(1037, 2)]
    [InlineData(3 * 32 * 1024 + 517, 1)]
    [InlineData(3 * 32 * 1024 + 517, 2)]
    public void Fused_update_is_bitwise_equal_to_the_step_by_step_rule(int length, int threads)
    {
        int savedThreads = Engine.ThreadCount;
        Engine.ThreadCount = threads;
        try
        {
            Check(length);
        }
        finally
        {
            Engine.ThreadCount = savedThreads;
        }
    }

    private static void Check(int length)
    {
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        var random = new RandomSource(5);
        var parameter = new Tensor(length) { RequiresGrad = true };
        random.FillGaussian(parameter.Span, 0f, 1f);
        var expected = parameter.Span.ToArray();
        var m = new float[length];
        var v = new float[length];
        var work = new float[length];
        var adam = new Adam([parameter], lr: lr, beta1: beta1, beta2: beta2, eps: eps);

        for (int step = 1; step <= 3; step++)
        {
            var grad = parameter.EnsureGrad().Span;
            random.FillGaussian(grad, 0f, 1f);
            adam.Step();

            TensorPrimitives.Multiply(m, beta1, m);
            TensorPrimitives.MultiplyAdd(grad, (float)(1 - (double)beta1), m, m);
            TensorPrimitives.Multiply(v, beta2, v);
            TensorPrimitives.Multiply(grad, grad, work);
            TensorPrimitives.MultiplyAdd(work, (float)(1 - (double)beta2), v, v);
            double biasCorrection1 = 1 - Math.Pow(beta1, step), biasCorrection2 = 1 - Math.Pow(beta2, step);
            TensorPrimitives.Sqrt(v, work);
            TensorPrimitives.Divide(work, (float)Math.Sqrt(biasCorrection2), work);
            TensorPrimitives.Add(work, eps, work);
            TensorPrimitives.Divide(m, work, work);
            TensorPrimitives.MultiplyAdd(work, (float)-(lr / biasCorrection1), expected, expected);

            parameter.Span.ToArray().Select(BitConverter.SingleToInt32Bits)
                .Should().Equal(expected.Select(BitConverter.SingleToInt32Bits), $"step {step} must match bit for bit");
        }
    }
}
