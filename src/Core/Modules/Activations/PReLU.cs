using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary>
/// <c>torch.nn.PReLU</c>: y = x for x &gt; 0, else α_c·x with a learned slope per channel (dimension 1), or one shared
/// slope. Shapes: input [N, C, *] → [N, C, *]; parameter <c>weight</c> [num_parameters], initialized to 0.25 (PyTorch's default).
/// </summary>
public sealed class PReLU : Module
{
    /// <summary>Creates the layer with <paramref name="numParameters"/> slopes (1, or the channel count), each <paramref name="init"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numParameters"/> is less than 1.</exception>
    public PReLU(int numParameters = 1, float init = 0.25f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numParameters, 1);
        Weight = RegisterParameter("weight", new Tensor(numParameters));
        Weight.Fill(init);
    }

    /// <summary>The slopes α, [num_parameters].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Prelu(input, Weight, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (Weight.Length > 1 && (inputShape.Length < 2 || inputShape[1] != Weight.Length))
            throw new ArgumentException($"PReLU with {Weight.Length} parameters expects input [N, {Weight.Length}, *] but got [{string.Join(", ", inputShape.ToArray())}].", "input");
        return inputShape.ToArray();
    }
}
