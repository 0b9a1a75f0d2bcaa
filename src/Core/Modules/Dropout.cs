using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Inverted dropout, <c>torch.nn.Dropout</c>: in training each element is zeroed with probability p and the
/// survivors are scaled by 1/(1 − p), so the expected output equals the input; in evaluation the layer is the
/// identity. Shapes: input [*] → output [*].
/// </summary>
/// <remarks>
/// <para>p is the probability of dropping an element, as in PyTorch (not the keep probability of the original paper).</para>
/// <para>The mask m (0 or 1/(1 − p) per element) comes from a generator owned by the layer, seeded once from the
/// <c>random</c> given at construction: the same seed gives the same sequence of masks. Forward y = x⊙m;
/// backward ∂x += ∂y⊙m, with m kept in an arena tensor of the tape.</para>
/// </remarks>
public sealed class Dropout : Module, IOnnxExportable
{
    private readonly RandomSource _random;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="random">The generator this layer's own generator is seeded from (default: <see cref="RandomSource.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public Dropout(float p = 0.5f, RandomSource? random = null)
    {
        if (!(p >= 0f && p <= 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1].");
        P = p;
        _random = (random ?? RandomSource.Default).Fork();
    }

    /// <summary>The probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Training || P == 0f) return input;
        var mask = Tape.Allocate(tape, input.Shape, clear: false);
        _random.FillDropoutMask(mask.Span, P);
        var y = Tape.Allocate(tape, input.Shape, clear: false);
        TensorPrimitives.Multiply(input.Span, mask.Span, y.Span);
        if (Tape.ShouldRecord(tape, input))
            tape!.Record(new TapeNode(DropoutBackward.Instance, y, input, Saved: mask));
        return y;
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    // Shapes: dY [*], mask [*] → dX [*] += dY⊙mask.
    private sealed class DropoutBackward : IBackward
    {
        public static readonly DropoutBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dX = Tape.GradOf(node.A!);
            TensorPrimitives.FusedMultiplyAdd(node.Output.Grad!.Span, node.Saved!.Span, dX, dX);
        }
    }

    /// <summary>Emits <c>Identity</c>: dropout does nothing at inference. Shapes: [*] → [*].</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => input.As(graph.AddNode("Identity", [input.Name], scope));
}
