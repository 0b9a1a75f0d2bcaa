using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A fully connected layer, <c>torch.nn.Linear</c>: y = x·Wᵀ + b.
/// Shapes: input [N, in_features] → output [N, out_features]; <c>weight</c> [out_features, in_features], <c>bias</c> [out_features].
/// </summary>
/// <remarks>
/// Initialized as PyTorch does: weight ~ kaiming_uniform(a = √5), which is U(−1/√in, 1/√in), and bias ~ U(−1/√in, 1/√in).
/// </remarks>
public sealed class Linear : Module
{
    /// <summary>Creates the layer, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is less than 1.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        random ??= RandomSource.Default;
        Weight = RegisterParameter("weight", Init.KaimingUniform(new Tensor(outFeatures, inFeatures), a: MathF.Sqrt(5f), random: random));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Init.Uniform(new Tensor(outFeatures), -bound, bound, random));
        }
    }

    /// <summary>The input width.</summary>
    public int InFeatures { get; }

    /// <summary>The output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight matrix, [out_features, in_features].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out_features], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => LinearOp.Forward(input, Weight, Bias, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 2, $"[N, {InFeatures}]");
        if (inputShape[1] != InFeatures)
            throw new ArgumentException($"Linear expects input [N, {InFeatures}] but got [{string.Join(", ", inputShape.ToArray())}].", "input");
        return [inputShape[0], OutFeatures];
    }
}
