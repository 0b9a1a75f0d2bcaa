using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Optim;

/// <summary>
/// The moment estimates and update shared by <see cref="Adam"/> and <see cref="AdamW"/> (torch 1.13's
/// <c>_single_tensor_adam</c> after weight decay):
/// <code>
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g⊙g;  v̂max ← max(v̂max, v) with AMSGrad
/// d = √v / √(1 − β₂ᵗ) + ε  (v̂max in place of v with AMSGrad)
/// θ ← θ − η/(1 − β₁ᵗ) · m ⊘ d
/// </code>
/// </summary>
internal sealed unsafe class AdamMoments
{
    // Parameters of at least two blocks (an embedding table, say) are updated by all threads, a block each at a time.
    private const int ParallelBlock = 32 * 1024;

    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;
    private readonly float[][]? _maxSecondMoments;

    public AdamMoments(float[][] firstMoments, float[][] secondMoments, float[][]? maxSecondMoments)
    {
        _firstMoments = firstMoments;
        _secondMoments = secondMoments;
        _maxSecondMoments = maxSecondMoments;
    }

    /// <summary>Applies one update; <paramref name="work"/> is a scratch span of the parameter's length that must not alias <paramref name="grad"/>.</summary>
    public void Apply(int index, int step, Span<float> parameter, ReadOnlySpan<float> grad, Span<float> work,
        double learningRate, double beta1, double beta2, double eps)
    {
        var m = _firstMoments[index].AsSpan();
        var v = _secondMoments[index].AsSpan();
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var constants = new Constants((float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)Math.Sqrt(biasCorrection2), (float)eps, (float)-(learningRate / biasCorrection1));
        if (_maxSecondMoments is null)
        {
            if (parameter.Length < 2 * ParallelBlock || Engine.ThreadCount == 1)
            {
                Fused(parameter, grad, m, v, constants);
                return;
            }
            fixed (float* pp = parameter, pg = grad, pm = m, pv = v)
            {
                var job = new FusedJob(pp, pg, pm, pv, parameter.Length, constants);
                WorkerPool.ParallelFor((parameter.Length + ParallelBlock - 1) / ParallelBlock, in job, &FusedBlock);
            }
            return;
        }

        TensorPrimitives.Multiply(m, constants.Beta1, m);
        TensorPrimitives.MultiplyAdd(grad, constants.OneMinusBeta1, m, m);
        TensorPrimitives.Multiply(v, constants.Beta2, v);
        TensorPrimitives.Multiply(grad, grad, work);
        TensorPrimitives.MultiplyAdd(work, constants.OneMinusBeta2, v, v);
        var maxV = _maxSecondMoments[index].AsSpan();
        TensorPrimitives.Max(maxV, v, maxV);
        TensorPrimitives.Sqrt(maxV, work);
        TensorPrimitives.Divide(work, constants.SqrtBiasCorrection2, work);
        TensorPrimitives.Add(work, constants.Eps, work);
        TensorPrimitives.Divide(m, work, work);
        TensorPrimitives.MultiplyAdd(work, constants.NegativeStepSize, parameter, parameter);
    }

    private readonly struct FusedJob(float* parameter, float* grad, float* m, float* v, int length, Constants constants)
    {
        public readonly float* Parameter = parameter, Grad = grad, M = m, V = v;
        public readonly int Length = length;
        public readonly Constants Constants = constants;
    }

    // The update is element-wise, so any split gives bitwise the same result as one pass.
    private static void FusedBlock(in FusedJob job, int block)
    {
        int start = block * ParallelBlock, length = Math.Min(ParallelBlock, job.Length - start);
        Fused(new Span<float>(job.Parameter + start, length), new ReadOnlySpan<float>(job.Grad + start, length),
            new Span<float>(job.M + start, length), new Span<float>(job.V + start, length), in job.Constants);
    }

    private readonly record struct Constants(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float SqrtBiasCorrection2, float Eps, float NegativeStepSize);

    // The whole update in one pass over memory instead of nine, with the same operations in the same order per
    // element as the unfused form (no fused multiply-adds), so results are bitwise those of torch's rule above.
    // Compiled optimized up front: at tier 0 its Vector<float> arithmetic runs as calls, for the first epochs of a run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fused(Span<float> parameter, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, in Constants k)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<float>(k.Beta1);
            var oneMinusBeta1 = new Vector<float>(k.OneMinusBeta1);
            var beta2 = new Vector<float>(k.Beta2);
            var oneMinusBeta2 = new Vector<float>(k.OneMinusBeta2);
            var sqrtBiasCorrection2 = new Vector<float>(k.SqrtBiasCorrection2);
            var eps = new Vector<float>(k.Eps);
            var negativeStepSize = new Vector<float>(k.NegativeStepSize);
            for (; j <= parameter.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                var g = new Vector<float>(grad[j..]);
                var mj = g * oneMinusBeta1 + new Vector<float>(m[j..]) * beta1;
                var vj = g * g * oneMinusBeta2 + new Vector<float>(v[j..]) * beta2;
                var denominator = Vector.SquareRoot(vj) / sqrtBiasCorrection2 + eps;
                var update = mj / denominator * negativeStepSize + new Vector<float>(parameter[j..]);
                mj.CopyTo(m[j..]);
                vj.CopyTo(v[j..]);
                update.CopyTo(parameter[j..]);
            }
        }
        for (; j < parameter.Length; j++)
        {
            float g = grad[j];
            float mj = g * k.OneMinusBeta1 + m[j] * k.Beta1;
            float vj = g * g * k.OneMinusBeta2 + v[j] * k.Beta2;
            m[j] = mj;
            v[j] = vj;
            parameter[j] = mj / (MathF.Sqrt(vj) / k.SqrtBiasCorrection2 + k.Eps) * k.NegativeStepSize + parameter[j];
        }
    }
}
