using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Layers;

internal static class LayerTesting
{
    /// <summary>Runs <paramref name="forward"/> on a fresh tape and back-propagates the upstream gradient <paramref name="dy"/> (L = Σ y⊙dy).</summary>
    public static Tensor ForwardBackward(Func<Tape, Tensor> forward, Tensor dy)
    {
        var tape = new Tape();
        var y = forward(tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, dy, tape), tape));
        return y;
    }

    public static Tensor Random(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, -1f, 1f);
        return t;
    }

    public static Tensor RequiringGrad(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}
