using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLNetExt.Core.Threading;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Layer normalization over rows of D values, forward and backward, parallel over blocks of rows. Each pass over a
/// row runs in <see cref="Vector{T}"/> lanes (the widest the hardware and runtime settings give: 512, 256 or 128 bits)
/// with a scalar tail; statistics are float, two passes (the mean is removed before squaring, so a large offset
/// cannot cancel the variance).
/// </summary>
/// <remarks>
/// <para>Shapes: x, y, dY, dX [R, D]; statistics [R, 2] = (μ, 1/√(σ² + ε)) per row; γ, β, dγ, dβ [D] (γ and β may be
/// absent). Forward: x̂ = (x − μ)/√(σ² + ε), y = γ⊙x̂ + β. Backward: ĝ = γ⊙dY; dX += (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂))/√(σ² + ε);
/// dγ += Σ_rows dY⊙x̂; dβ += Σ_rows dY.</para>
/// <para>Rows are cut into blocks of <see cref="RowsPerBlock"/>, whatever the thread count; each block sums its own
/// dγ and dβ into a partial [2, D] of the workspace, and the partials are added in block order at the end, so the
/// result is bitwise the same on any number of threads.</para>
/// </remarks>
internal static unsafe class LayerNormKernel
{
    /// <summary>Rows per block of work (and per partial sum of dγ, dβ).</summary>
    public const int RowsPerBlock = 32;

    // Below this many values the hand-out to other threads costs more than it saves.
    private const long ParallelMinValues = 32 * 1024;

    /// <summary>Floats of workspace the backward needs for <paramref name="rows"/> rows of <paramref name="dim"/>: the partial dγ, dβ of every block when there is more than one.</summary>
    public static int WorkspaceLength(int rows, int dim) => Blocks(rows) > 1 ? checked(Blocks(rows) * 2 * dim) : 0;

    private static int Blocks(int rows) => (rows + RowsPerBlock - 1) / RowsPerBlock;

    /// <summary>Effectively computes y = γ⊙(x − μ)/√(σ² + ε) + β per row, and the row statistics.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> statistics, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int rows, int dim, float eps)
    {
        fixed (float* px = x, py = y, ps = statistics, pg = gamma, pb = beta)
        {
            var state = new State { X = px, Y = py, Statistics = ps, Gamma = gamma.IsEmpty ? null : pg, Beta = beta.IsEmpty ? null : pb, Rows = rows, Dim = dim, Eps = eps };
            Run(in state, &ForwardBlock);
        }
    }

    /// <summary>
    /// Effectively computes dX += (ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂))/√(σ² + ε), dγ += Σ dY⊙x̂, dβ += Σ dY; each of dX, dγ, dβ
    /// is skipped when empty. <paramref name="workspace"/> holds <see cref="WorkspaceLength"/> floats.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, ReadOnlySpan<float> statistics, ReadOnlySpan<float> gamma,
        Span<float> dX, Span<float> dGamma, Span<float> dBeta, Span<float> workspace, int rows, int dim)
    {
        int blocks = Blocks(rows);
        bool partials = blocks > 1 && (!dGamma.IsEmpty || !dBeta.IsEmpty);
        if (partials) workspace[..(blocks * 2 * dim)].Clear();
        fixed (float* px = x, pdy = dY, ps = statistics, pg = gamma, pdx = dX, pdg = dGamma, pdb = dBeta, pw = workspace)
        {
            var state = new State
            {
                X = px, OutputGradient = pdy, Statistics = ps, Gamma = gamma.IsEmpty ? null : pg, InputGradient = dX.IsEmpty ? null : pdx,
                GammaGradient = dGamma.IsEmpty ? null : pdg, BetaGradient = dBeta.IsEmpty ? null : pdb, Partials = partials ? pw : null,
                Rows = rows, Dim = dim,
            };
            Run(in state, &BackwardBlock);
        }
        if (!partials) return;
        // Block order, whatever thread computed each block: the same sums on any thread count.
        for (int block = 0; block < blocks; block++)
        {
            var partial = workspace.Slice(block * 2 * dim, 2 * dim);
            if (!dGamma.IsEmpty) Add(dGamma, partial[..dim]);
            if (!dBeta.IsEmpty) Add(dBeta, partial[dim..]);
        }
    }

    private static void Run(in State state, delegate*<in State, int, void> block)
    {
        int blocks = Blocks(state.Rows);
        if ((long)state.Rows * state.Dim < ParallelMinValues || Engine.ThreadCount == 1)
        {
            for (int b = 0; b < blocks; b++) block(in state, b);
            return;
        }
        WorkerPool.ParallelFor(blocks, in state, block);
    }

    // Shapes: rows [b·RowsPerBlock, (b + 1)·RowsPerBlock) of x, y [R, D]; statistics [R, 2].
    private static void ForwardBlock(in State s, int block)
    {
        int dim = s.Dim, end = Math.Min(s.Rows, (block + 1) * RowsPerBlock);
        for (int r = block * RowsPerBlock; r < end; r++)
        {
            var x = new ReadOnlySpan<float>(s.X + (long)r * dim, dim);
            var y = new Span<float>(s.Y + (long)r * dim, dim);
            float mean = Sum(x) / dim;
            float invStd = 1f / MathF.Sqrt(SumOfSquaredDeviations(x, mean) / dim + s.Eps);
            s.Statistics[2 * r] = mean;
            s.Statistics[2 * r + 1] = invStd;
            Normalize(x, y, mean, invStd, s.Gamma == null ? default : new ReadOnlySpan<float>(s.Gamma, dim), s.Beta == null ? default : new ReadOnlySpan<float>(s.Beta, dim));
        }
    }

    // Shapes: rows of x, dY, dX [R, D]; statistics [R, 2]; this block's partial dγ, dβ [2, D] (or dγ, dβ themselves with one block).
    private static void BackwardBlock(in State s, int block)
    {
        int dim = s.Dim, end = Math.Min(s.Rows, (block + 1) * RowsPerBlock);
        float* gammaGradient = s.GammaGradient, betaGradient = s.BetaGradient;
        if (s.Partials != null)
        {
            gammaGradient = s.GammaGradient == null ? null : s.Partials + (long)block * 2 * dim;
            betaGradient = s.BetaGradient == null ? null : s.Partials + (long)block * 2 * dim + dim;
        }
        for (int r = block * RowsPerBlock; r < end; r++)
        {
            float mean = s.Statistics[2 * r], invStd = s.Statistics[2 * r + 1];
            float* x = s.X + (long)r * dim, dy = s.OutputGradient + (long)r * dim;
            var (sumG, sumGX) = RowSums(x, dy, s.Gamma, gammaGradient, betaGradient, dim, mean, invStd);
            if (s.InputGradient != null)
                InputGradient(x, dy, s.Gamma, s.InputGradient + (long)r * dim, dim, mean, invStd, sumG / dim, sumGX / dim);
        }
    }

    private static float Sum(ReadOnlySpan<float> x)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var accumulator = Vector<float>.Zero;
        foreach (var v in vectors) accumulator += v;
        float sum = Vector.Sum(accumulator);
        for (int i = vectors.Length * Vector<float>.Count; i < x.Length; i++) sum += x[i];
        return sum;
    }

    private static float SumOfSquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var center = new Vector<float>(mean);
        var accumulator = Vector<float>.Zero;
        foreach (var v in vectors)
        {
            var deviation = v - center;
            accumulator += deviation * deviation;
        }
        float sum = Vector.Sum(accumulator);
        for (int i = vectors.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float deviation = x[i] - mean;
            sum += deviation * deviation;
        }
        return sum;
    }

    // y = (x − μ)·invStd, then ⊙γ and +β when present.
    private static void Normalize(ReadOnlySpan<float> x, Span<float> y, float mean, float invStd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        int i = 0, width = Vector<float>.Count;
        var center = new Vector<float>(mean);
        var scale = new Vector<float>(invStd);
        for (; i <= x.Length - width; i += width)
        {
            var v = (new Vector<float>(x[i..]) - center) * scale;
            if (!gamma.IsEmpty) v *= new Vector<float>(gamma[i..]);
            if (!beta.IsEmpty) v += new Vector<float>(beta[i..]);
            v.CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            float v = (x[i] - mean) * invStd;
            if (!gamma.IsEmpty) v *= gamma[i];
            if (!beta.IsEmpty) v += beta[i];
            y[i] = v;
        }
    }

    // One row: returns Σ ĝ and Σ ĝ⊙x̂ (ĝ = γ⊙dY), and adds dY⊙x̂ to dγ and dY to dβ where given.
    private static (float SumG, float SumGX) RowSums(float* x, float* dy, float* gamma, float* dGamma, float* dBeta, int dim, float mean, float invStd)
    {
        int i = 0, width = Vector<float>.Count;
        var center = new Vector<float>(mean);
        var scale = new Vector<float>(invStd);
        Vector<float> sumG = Vector<float>.Zero, sumGX = Vector<float>.Zero;
        for (; i <= dim - width; i += width)
        {
            var xHat = (Load(x + i) - center) * scale;
            var d = Load(dy + i);
            var g = gamma == null ? d : d * Load(gamma + i);
            sumG += g;
            sumGX += g * xHat;
            if (dGamma != null) Store(Load(dGamma + i) + d * xHat, dGamma + i);
            if (dBeta != null) Store(Load(dBeta + i) + d, dBeta + i);
        }
        float scalarG = Vector.Sum(sumG), scalarGX = Vector.Sum(sumGX);
        for (; i < dim; i++)
        {
            float xHat = (x[i] - mean) * invStd, d = dy[i], g = gamma == null ? d : d * gamma[i];
            scalarG += g;
            scalarGX += g * xHat;
            if (dGamma != null) dGamma[i] += d * xHat;
            if (dBeta != null) dBeta[i] += d;
        }
        return (scalarG, scalarGX);
    }

    // dX += invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) for one row.
    private static void InputGradient(float* x, float* dy, float* gamma, float* dx, int dim, float mean, float invStd, float meanG, float meanGX)
    {
        int i = 0, width = Vector<float>.Count;
        var center = new Vector<float>(mean);
        var scale = new Vector<float>(invStd);
        var vMeanG = new Vector<float>(meanG);
        var vMeanGX = new Vector<float>(meanGX);
        for (; i <= dim - width; i += width)
        {
            var xHat = (Load(x + i) - center) * scale;
            var g = gamma == null ? Load(dy + i) : Load(dy + i) * Load(gamma + i);
            Store(Load(dx + i) + scale * (g - vMeanG - xHat * vMeanGX), dx + i);
        }
        for (; i < dim; i++)
        {
            float xHat = (x[i] - mean) * invStd, g = gamma == null ? dy[i] : dy[i] * gamma[i];
            dx[i] += invStd * (g - meanG - xHat * meanGX);
        }
    }

    private static void Add(Span<float> sum, ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Add(sum, values, sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> v, float* p) => Unsafe.WriteUnaligned(p, v);

    private struct State
    {
        public float* X, Y, Statistics, Gamma, Beta, OutputGradient, InputGradient, GammaGradient, BetaGradient, Partials;
        public int Rows, Dim;
        public float Eps;
    }
}
