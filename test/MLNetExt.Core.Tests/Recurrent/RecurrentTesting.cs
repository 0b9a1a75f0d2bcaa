using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Recurrent;

internal static class RecurrentTesting
{
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

    /// <summary>L = Σ out⊙dOut + Σ h_n⊙dH (+ Σ c_n⊙dC): every output of the layer feeds the loss.</summary>
    public static Tensor WeightedLoss(RecurrentOutput result, Tensor dOut, Tensor dH, Tensor? dC, Tape tape)
    {
        var loss = TensorOps.Add(TensorOps.Sum(TensorOps.Multiply(result.Output, dOut, tape), tape),
            TensorOps.Sum(TensorOps.Multiply(result.HiddenState, dH, tape), tape), tape);
        if (dC is not null)
            loss = TensorOps.Add(loss, TensorOps.Sum(TensorOps.Multiply(result.CellState!, dC, tape), tape), tape);
        return loss;
    }
}
