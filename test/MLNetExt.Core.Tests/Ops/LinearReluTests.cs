using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Ops;

/// <summary>
/// <see cref="LinearOp.ForwardRelu"/> against <see cref="LinearOp.Forward"/> then <see cref="MLNetExt.Core.Ops.Activations.Relu"/>: the
/// output and the gradients of input, weight and bias are bitwise equal, on one and two threads, with and without a
/// bias, and with inputs where the rectifier's kink matters (exact zeros, −0, NaN).
/// </summary>
[Collection(EngineSettingsCollection.Name)]
public class LinearReluTests
{
    [Theory]
    [InlineData(37, 20, 29, true)]
    [InlineData(256, 64, 128, true)]
    [InlineData(300, 128, 16, false)]
    [InlineData(2, 3, 4, true)]
    public void Fused_forward_and_backward_are_bitwise_those_of_linear_then_relu(int rows, int inFeatures, int outFeatures, bool withBias)
    {
        int saved = Engine.ThreadCount;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Engine.ThreadCount = threads;
                var separate = Run(rows, inFeatures, outFeatures, withBias, fused: false);
                var fused = Run(rows, inFeatures, outFeatures, withBias, fused: true);
                for (int t = 0; t < separate.Length; t++)
                {
                    Assert.Equal(separate[t].Length, fused[t].Length);
                    for (int i = 0; i < separate[t].Length; i++)
                    {
                        if (BitConverter.SingleToInt32Bits(separate[t][i]) != BitConverter.SingleToInt32Bits(fused[t][i]))
                            throw new Xunit.Sdk.XunitException($"threads={threads}, tensor {t} (output, dX, dW, db), element {i}: {fused[t][i]:G9} fused, {separate[t][i]:G9} separate.");
                    }
                }
            }
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }

    // Output, dX, dW, db of loss = MSE(relu(x·Wᵀ + b), target), after a warm step so the tape's arena is reused.
    private static float[][] Run(int rows, int inFeatures, int outFeatures, bool withBias, bool fused)
    {
        var random = new RandomSource(3);
        var x = Tensor.Parameter("x", rows, inFeatures);
        var weight = Tensor.Parameter("weight", outFeatures, inFeatures);
        var bias = withBias ? Tensor.Parameter("bias", outFeatures) : null;
        var target = new Tensor(rows, outFeatures);
        random.FillGaussian(x.Span, 0f, 1f);
        random.FillGaussian(weight.Span, 0f, 0.3f);
        if (bias is not null) random.FillGaussian(bias.Span, 0f, 0.3f);
        random.FillGaussian(target.Span, 0f, 1f);
        // A row of zeros gives pre-activations equal to the bias; −0 and NaN inputs reach the kink and the NaN path.
        x.Span.Slice(0, inFeatures).Clear();
        if (rows > 2)
        {
            x.Span[inFeatures] = -0f;
            x.Span[2 * inFeatures + 1] = float.NaN;
        }
        var tape = new Tape();
        Tensor output = null!;
        for (int step = 0; step < 2; step++)
        {
            tape.Reset();
            x.ZeroGrad();
            weight.ZeroGrad();
            bias?.ZeroGrad();
            output = fused ? LinearOp.ForwardRelu(x, weight, bias, tape) : MLNetExt.Core.Ops.Activations.Relu(LinearOp.Forward(x, weight, bias, tape), tape);
            tape.Backward(new MSELoss().Forward(output, target, tape));
        }
        return [output.Span.ToArray(), x.Grad!.Span.ToArray(), weight.Grad!.Span.ToArray(), bias?.Grad!.Span.ToArray() ?? []];
    }
}
