using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules;

/// <summary><c>torch.nn.Softplus</c>: y = log(1 + e^(βx)) / β, linear (y = x) where βx &gt; threshold. Shapes: [*] → [*].</summary>
public sealed class Softplus : Module
{
    /// <summary>Creates the layer with PyTorch's defaults β = 1, threshold = 20.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not positive and finite.</exception>
    public Softplus(float beta = 1f, float threshold = 20f)
    {
        if (!(beta > 0f) || float.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Softplus needs a positive, finite beta.");
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>β, the sharpness.</summary>
    public float Beta { get; }

    /// <summary>Above this value of βx the output is x itself.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null) => Activations.Softplus(input, Beta, Threshold, tape);

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
}
